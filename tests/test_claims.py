"""Claims that cannot lie: no constants, nothing read from diverged seeds, every comparison shown.

Results are built by hand from plain metadata (as the store records it), so every message is
asserted exactly, with the file line it must name.
"""

from __future__ import annotations

import pytest
from templating_support import SHOWN, context, env, failure, net_result, render  # noqa: F401

from tinynets.errors import ClaimFailed, TemplateProblem
from tinynets.measure.finals import RunMeta
from tinynets.measure.quantities import Count, Measured
from tinynets.measure.results import NetResult
from tinynets.posts.model import NetSpec, Thresholds

REWRITE = "Rewrite the claim to match the data, or change the experiment."


def boom(diverged_at, final_losses, name="boom") -> NetResult:
    """A net some (or all) of whose seeds diverged: the store keeps None as their final loss."""
    spec = NetSpec(name=name, layers=(4,), optimizer="sgd", learning_rate=5.0, epochs=30)
    meta = {"seeds": list(range(len(final_losses))), "wall_time": 0.5,
            "diverged_at": diverged_at, "final_losses": final_losses}
    return NetResult(spec, RunMeta.from_dict(meta), noise_floor=0.01, thresholds=Thresholds(),
                     color="#000", media={}, frame_epochs=[0, 1, 30], fps=10)


@pytest.fixture
def with_boom(context):  # noqa: F811 - the fixture imported above
    nets = {**context["nets"], "boom": boom([3, 5, 7], [None, None, None]),
            "half": boom([None, 4, None], [0.02, None, 0.03], name="half")}
    return {**context, "nets": nets}


# ----------------------------------------------------------------------------- constants


@pytest.mark.parametrize("check, shown", [("true", "True"), ("1 < 2", "True"),
                                          ("false", "False")])
def test_a_constant_check_is_refused(env, context, check, shown):  # noqa: F811
    assert failure(env, context, f"x\n{{{{ claim('Adam is best.', {check}) }}}}\n") == (
        f"{SHOWN}:21: claim('Adam is best.', …) checks the constant {shown}, which no measurement "
        "can contradict: compare measurements instead, e.g. nets['a'].median < nets['b'].median.")


def test_a_comparison_of_parameter_counts_is_a_measurement(env, context):  # noqa: F811
    body = "{{ claim('Deep is larger.', nets['deep'].parameters > nets['wide'].parameters) }}"
    assert render(env, context, body) == "Deep is larger."


# ----------------------------------------------------------------------------- and, or, not


def test_a_failing_or_shows_both_comparisons_and_their_values(env, context):  # noqa: F811
    body = ("{{ claim('Wide wins somehow.', nets['wide'].median < nets['deep'].median "
            "or nets['wide'].best < 0.05) }}")
    assert failure(env, context, body, ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"Wide wins somehow.\" — the measurements say otherwise: "
        "claimed: wide median error < deep median error or wide best seed's error < 0.05; "
        "measured: wide median error = 0.2, deep median error = 0.012, wide best seed's error = "
        f"0.1. {REWRITE}")


def test_a_failing_and_shows_every_part_and_names_the_false_ones(env, context):  # noqa: F811
    body = ("{{ claim('Deep wins everywhere.', nets['deep'].median < nets['wide'].median and "
            "nets['deep'].stuck < 1 and nets['deep'].best < nets['wide'].best) }}")
    assert failure(env, context, body, ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"Deep wins everywhere.\" — the measurements say otherwise: "
        "claimed: deep median error < wide median error and deep stuck seeds < 1 and deep best "
        "seed's error < wide best seed's error; measured: deep median error = 0.012, "
        "wide median error = 0.2, deep stuck seeds = 1, deep best seed's error = 0.011, wide best "
        f"seed's error = 0.1; false: (deep stuck seeds < 1). {REWRITE}")


def test_a_failing_not_and_mixed_grouping_keep_the_template_grouping(env, context):  # noqa: F811
    body = ("{{ claim('Odd.', not (nets['deep'].median < 1) or (nets['wide'].median < 0.1 and "
            "nets['wide'].stuck < 1)) }}")
    assert failure(env, context, body, ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"Odd.\" — the measurements say otherwise: claimed: not (deep "
        "median error < 1) or (wide median error < 0.1 and wide stuck seeds < 1); measured: deep "
        "median error = 0.012, wide median error = 0.2, wide stuck seeds = 3; false: (wide median "
        f"error < 0.1), (wide stuck seeds < 1). {REWRITE}")


def test_and_or_not_keep_their_meaning_outside_claims(env, context):  # noqa: F811
    body = ("{{ 1 and 2 }} {{ 0 and 2 }} {{ 0 or 'y' }} {{ 'x' or 0 }} {{ not 0 }} "
            "{{ missing is defined and missing.name }} "
            "{% if nets['deep'].median < 1 and not nets['wide'].median < 0.1 %}yes{% endif %}")
    assert render(env, context, body) == "2 0 y x True False yes"


def test_a_passing_compound_claim_renders_its_text(env, context):  # noqa: F811
    body = ("{{ claim('Deep ends lower, and wide has stuck seeds.', nets['deep'].median < "
            "nets['wide'].median and nets['wide'].stuck >= 1) }}")
    assert render(env, context, body) == "Deep ends lower, and wide has stuck seeds."


# ----------------------------------------------------------------------------- diverged seeds


def test_a_claim_reading_an_all_diverged_net_fails_even_when_it_holds(env, with_boom):
    body = "x\n{{ claim('Boom ends high.', nets['boom'].median > 0.1) }}"
    assert failure(env, with_boom, body, ClaimFailed) == (
        f"{SHOWN}:21: claim failed: \"Boom ends high.\" — it reads values that diverged seeds make "
        "meaningless: 3 of 3 seeds of boom diverged (claimed: boom median error > 0.1; measured: "
        "boom median error = ∞ (diverged)). Make every seed converge (e.g. a lower learning "
        "rate), or claim the divergence itself with nets['boom'].diverged | length.")


@pytest.mark.parametrize("value", ["median", "best", "worst", "stuck", "near_floor",
                                   "stuck_seeds | length", "final_loss(1)"])
def test_every_value_over_partly_diverged_seeds_fails_its_claim(env, with_boom, value):
    body = f"{{{{ claim('Half is fine.', nets['half'].{value} < 10**6 or nets['wide'].median < 1) }}}}"
    message = failure(env, with_boom, body, ClaimFailed)
    assert message.startswith(f"{SHOWN}:20: claim failed: \"Half is fine.\" — it reads values "
                              "that diverged seeds make meaningless: ")
    assert ("1 of 3 seeds of half diverged" in message or "seed 1 of half diverged" in message)
    assert message.endswith("or claim the divergence itself with nets['half'].diverged | length.")


def test_a_seed_that_did_not_diverge_can_be_claimed(env, with_boom):
    assert render(env, with_boom, "{{ claim('Seed 0 ends low.', nets['half'].final_loss(0) < "
                                  "0.05) }}") == "Seed 0 ends low."


def test_a_claim_about_divergence_itself_is_allowed(env, with_boom):
    body = ("{{ claim('Every boom seed diverged.', nets['boom'].diverged | length >= 3) }}; "
            "{{ claim('No wide seed diverged.', nets['wide'].diverged | length == 0) }}")
    assert render(env, with_boom, body) == "Every boom seed diverged.; No wide seed diverged."
    assert failure(env, with_boom, "{{ claim('Half never diverges.', nets['half'].diverged | "
                                   "length < 1) }}", ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"Half never diverges.\" — the measurements say otherwise: "
        f"claimed: half diverged seeds < 1; measured: half diverged seeds = 1. {REWRITE}")


def test_the_opposite_claim_on_a_diverged_net_says_diverged(env, with_boom):
    message = failure(env, with_boom, "{{ claim('Boom ends low.', nets['boom'].median < 0.1) }}",
                      ClaimFailed)
    assert "3 of 3 seeds of boom diverged" in message and "= ∞ (diverged)" in message
    assert "= inf" not in message


# ----------------------------------------------------------------------------- whole numbers


def test_counts_print_as_whole_numbers(env, context):  # noqa: F811
    body = ("{{ nets['wide'].stuck }} {{ nets['wide'].near_floor }} {{ nets['wide'].parameters }} "
            "{{ nets['wide'].parameters - 1 }} {{ nets['wide'].stuck + 1 }} "
            "{{ nets['wide'].diverged | length }} {{ nets['wide'].seeds | length }} "
            "{{ nets['wide'].stuck | int }}")
    assert render(env, context, body) == "3 0 25 24 4 0 3 3"


def test_count_arithmetic_stays_whole_and_division_does_not():
    stuck = Count(3, "wide stuck seeds")
    assert isinstance(stuck + 1, Count) and isinstance(2 * stuck, Count)
    assert isinstance(stuck / 2, Measured) and float(stuck / 2) == 1.5
    assert isinstance(stuck + 0.5, Measured)
    assert (stuck * 2 > 5).text == "claimed: 2×wide stuck seeds > 5; measured: wide stuck seeds = 3"


def test_a_claim_on_a_count_shows_it_whole(env, context):  # noqa: F811
    assert failure(env, context, "{{ claim('No wide seed is stuck.', nets['wide'].stuck < 1) }}",
                   ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"No wide seed is stuck.\" — the measurements say otherwise: "
        f"claimed: wide stuck seeds < 1; measured: wide stuck seeds = 3. {REWRITE}")


def test_a_non_comparison_is_still_refused(env, context):  # noqa: F811
    with pytest.raises(TemplateProblem):
        render(env, context, "{{ claim('Text.', 'yes') }}")


# ----------------------------------------------------------------------------- what a page claims


def test_the_claims_a_page_makes_are_listed_with_their_outcome_and_values(env, context):  # noqa: F811
    from tinynets.pages import claims

    body = ("x\n{{ claim('Deep ends lower.', nets['deep'].median < nets['wide'].median) }}\n"
            "{{ claim('Wide is smaller.', nets['wide'].parameters < nets['deep'].parameters) }}\n")
    with claims.collecting() as found:
        assert render(env, context, body) == "x\nDeep ends lower.\nWide is smaller.\n"
    assert [(claim.line, claim.text, claim.shown.holds) for claim in found] == [
        (2, "Deep ends lower.", True), (3, "Wide is smaller.", True)]
    assert found[0].shown.measured == (("deep median error", 0.012), ("wide median error", 0.2))
    assert found[0].shown.check == ("claimed: deep median error < wide median error; measured: "
                                    "deep median error = 0.012, wide median error = 0.2")
    # outside a page being collected, a claim is written and nothing is kept
    assert render(env, context, body).count("Deep ends lower.") == 1
