"""Number formatting helpers for prose: exact strings, edge cases forced on purpose."""

from __future__ import annotations

import math

import pytest

from tinynets.pages.formatting import HELPERS, change, of_seeds, percent, plain, sig, span, times
from tinynets.measure.quantities import Measured


@pytest.mark.parametrize("value, digits, expected", [
    (0.012345, 3, "0.0123"),
    (0.2, 3, "0.200"),          # trailing zeros are significant
    (0.5, 1, "0.5"),
    (1234.5, 2, "1,200"),
    (1234.5, 3, "1,230"),
    (123456789, 3, "123,000,000"),
    (7, 3, "7.00"),
    (0.09996, 3, "0.100"),      # rounds up to the next power of ten: still 3 digits
    (0.0009996, 3, "0.00100"),
    (999.96, 3, "1,000"),
    (9.995, 3, "10.0"),
    (99.95, 3, "100"),
    (0.145, 2, "0.15"),         # half up, on the decimal the author sees (not 0.14499…)
    (0.0125, 2, "0.013"),
    (2.5, 1, "3"),
    (1e-7, 3, "0.000000100"),
])
def test_sig(value, digits, expected):
    assert sig(value, digits) == expected


def test_sig_default_is_three_digits():
    assert sig(0.0123456) == "0.0123"


@pytest.mark.parametrize("value, expected", [(0, "0"), (0.0, "0"), (-0.0, "0")])
def test_sig_zero(value, expected):
    assert sig(value) == expected


def test_sig_negative_uses_the_minus_sign():
    assert sig(-0.012345) == "\u22120.0123"
    assert sig(-1234.5, 2) == "\u22121,200"
    assert sig(-0.09996) == "\u22120.100"


@pytest.mark.parametrize("value, expected", [
    (math.nan, "diverged"), (math.inf, "diverged"), (-math.inf, "\u2212∞"),
])
def test_sig_not_finite(value, expected):
    assert sig(value) == expected


def test_sig_of_a_measured_value():
    assert sig(Measured(0.27391, "wide median error")) == "0.274"


@pytest.mark.parametrize("digits", [0, -1, 1.5, True])
def test_sig_rejects_bad_digit_counts(digits):
    with pytest.raises(ValueError) as raised:
        sig(0.5, digits)
    assert str(raised.value) == ("the number of significant digits must be a whole number ≥ 1, "
                                 f"got {digits!r}")


@pytest.mark.parametrize("value, digits, expected", [
    (0.256, 0, "26%"), (1, 0, "100%"), (0, 0, "0%"), (0.125, 0, "13%"), (0.005, 0, "1%"),
    (0.12345, 1, "12.3%"), (0.0004, 0, "0%"), (-0.001, 0, "0%"), (-0.05, 0, "\u22125%"),
    (2.5, 0, "250%"),
])
def test_percent(value, digits, expected):
    assert percent(value, digits) == expected


def test_percent_not_finite_and_bad_decimals():
    assert percent(math.nan) == "diverged"
    with pytest.raises(ValueError) as raised:
        percent(0.5, -1)
    assert str(raised.value) == "the number of decimals must be a whole number ≥ 0, got -1"


def test_span():
    assert span(0.0123, 0.2) == "0.0123–0.200"
    assert span(0.01234, 0.2, 2) == "0.012–0.20"
    assert span(0.011, math.inf) == "0.0110–diverged"
    assert span(-1, 1, 1) == "\u22121–1"


@pytest.mark.parametrize("count, total, expected", [
    (7, 10, "7 of 10 seeds"), (1, 10, "1 of 10 seeds"), (10, 10, "all 10 seeds"),
    (0, 10, "none of the 10 seeds"), (1, 1, "the only seed"), (0, 1, "no seed"),
    (2, 2, "both seeds"), (0, 2, "neither seed"), (1, 2, "1 of 2 seeds"),
    ([3, 5], [0, 1, 2, 3, 4, 5], "2 of 6 seeds"),  # lists count as their length
    (Measured(3.0, "wide stuck seeds"), 10, "3 of 10 seeds"),
])
def test_of_seeds(count, total, expected):
    assert of_seeds(count, total) == expected


@pytest.mark.parametrize("count, total, message", [
    (11, 10, "of_seeds: the count must be between 0 and a total of at least 1, got 11 of 10"),
    (0, 0, "of_seeds: the count must be between 0 and a total of at least 1, got 0 of 0"),
    (-1, 10, "of_seeds: the count must be a whole number ≥ 0 (or a list of seeds), got -1"),
    (2.5, 10, "of_seeds: the count must be a whole number ≥ 0 (or a list of seeds), got 2.5"),
])
def test_of_seeds_rejects_impossible_counts(count, total, message):
    with pytest.raises(ValueError) as raised:
        of_seeds(count, total)
    assert str(raised.value) == message


def test_times():
    assert times(12.3) == "12×"
    assert times(1.96) == "2.0×"
    assert times(0.5) == "0.50×"


def test_every_helper_is_exported_to_templates():
    assert HELPERS == {"sig": sig, "percent": percent, "span": span, "of_seeds": of_seeds,
                       "times": times, "plain": plain, "change": change}


def test_change_reads_a_ratio_as_a_multiple_or_says_the_values_are_nearly_equal():
    assert change(0.2, 0.05) == "4.0× smaller"
    assert change(0.05, 0.2) == "4.0× larger"
    assert change(0.1, 0.0476) == "2.1× smaller"
    # "0.0999 to 0.0981, 1.0× smaller" said nothing: near-equal values are said to be so.
    assert change(0.0999, 0.0981) == "nearly the same (2% smaller)"
    assert change(0.0981, 0.0999) == "nearly the same (2% larger)"
    assert change(0.1, 0.104) == "nearly the same (4% larger)"
    assert change(0.10001, 0.1) == "nearly the same (less than 1% smaller)"
    assert change(0.1, 0.1) == "the same"
    assert change(0.1, 0.0) == "down to zero"
    assert change(0.1, float("nan")) == "diverged"


def test_change_needs_a_positive_starting_value():
    with pytest.raises(ValueError) as raised:
        change(0, 0.1)
    assert str(raised.value) == ("change: the value it starts from must be a positive number, "
                                 "got 0")


def test_plain_writes_settings_as_given():
    assert [plain(0.01), plain(0.001), plain(5000), plain(2.5), plain(-3)] == \
        ["0.01", "0.001", "5,000", "2.5", "−3"]
