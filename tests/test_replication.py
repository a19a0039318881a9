"""Replication seeds, without training: the seeds a post replicates on, its results restricted to
a set of seeds, claims paired across the two renderings, fragile messages, the page's marks,
claims about every seed on few seeds, and share() against a hand computation.

Results are built by hand (as in test_templating), so each message is asserted exactly; the
build with real training is tests/test_replication_build.py.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pytest
from templating_support import POST_PATH, SHOWN, context, env, net_result, render  # noqa: F401

from tinynets.engine.seed_columns import columns, select_arrays, select_meta
from tinynets.errors import ClaimFragile, TemplateMisuse
from tinynets.measure.finals import RunMeta
from tinynets.measure.results import NetResult
from tinynets.measure.shares import clopper_pearson, share
from tinynets.pages import claims, replication
from tinynets.pages.claims import ClaimMark, ClaimOutcome, ClaimResult
from tinynets.posts import schema
from tinynets.posts.load import load_post
from tinynets.posts.model import NetSpec, Post, Thresholds

POST = """---
title: Replicated
date: 2026-11-01
data: {function: sine, x_range: [-3.0, 3.0], frequency: 2.0, points: 40, noise: 0.1, seed: 0}
nets:
  wide: {layers: [8], epochs: 30}
SEEDS
frames: {count: 12}
---
Body.
"""


def post_with(tmp_path, seeds: str, defaults=None):
    path = tmp_path / "posts" / "replicated.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(POST.replace("SEEDS", seeds), encoding="utf-8")
    return load_post(path, defaults or schema.Defaults())


# ----------------------------------------------------------------------------- which seeds


@pytest.mark.parametrize("seeds, shown, replication", [
    ("seeds: 10", tuple(range(10)), tuple(range(10, 20))),  # default: as many as shown
    ("seeds: 4\nreplicate: 6", (0, 1, 2, 3), (4, 5, 6, 7, 8, 9)),
    ("seeds: [0, 3, 7]\nreplicate: 2", (0, 3, 7), (8, 9)),  # after the largest shown seed
    ("seeds: 5\nreplicate: 0", (0, 1, 2, 3, 4), ()),
])
def test_replication_seeds_are_the_whole_numbers_after_the_largest_shown(tmp_path, seeds, shown,
                                                                         replication):
    post = post_with(tmp_path, seeds)
    assert (post.seeds, post.replication_seeds) == (shown, replication)
    assert post.run_seeds == shown + replication  # one run trains both, shown first


def test_the_site_default_replaces_the_built_in_one_and_a_post_overrides_it(tmp_path):
    defaults = schema.Defaults(replicate=3)
    assert post_with(tmp_path, "seeds: 10", defaults).replication_seeds == (10, 11, 12)
    assert post_with(tmp_path, "seeds: 10\nreplicate: 1", defaults).replication_seeds == (10,)


def test_shown_and_replication_seeds_are_limited_together(tmp_path):
    from tinynets.errors import SpecError

    with pytest.raises(SpecError) as raised:
        post_with(tmp_path, "seeds: 60")
    path = tmp_path / "posts" / "replicated.md"
    assert raised.value.problems == [
        f"{path}:7: seeds: 60 shown and 60 replication seeds make 120 seeds to train, more than "
        "100: lower seeds, or set replicate (replication trains 60 more seeds, as many as the "
        "post shows; 0 turns it off)."]
    with pytest.raises(SpecError) as raised:
        post_with(tmp_path, "seeds: 60\nreplicate: 41")
    assert raised.value.problems == [
        f"{path}:8: replicate: 60 shown and 41 replication seeds make 101 seeds to train, more "
        "than 100: lower replicate (or seeds)."]
    with pytest.raises(SpecError) as raised:
        post_with(tmp_path, "seeds: 5\nreplicate: -1")
    assert raised.value.problems == [
        f"{path}:8: replicate: got -1, expected a whole number from 0 to 100."]
    assert len(post_with(tmp_path, "seeds: 60\nreplicate: 40").run_seeds) == 100


# ----------------------------------------------------------------------------- some of a run's seeds


def test_a_run_seen_through_some_of_its_seeds_keeps_their_columns_on_every_seeds_axis():
    seeds = np.array([0, 1, 2, 3])
    arrays = {"seeds": seeds, "grid": np.linspace(0, 1, 5), "frame_epochs": np.array([0, 5]),
              "predictions": np.arange(2 * 4 * 5).reshape(2, 4, 5),  # (frames, seeds, grid)
              "losses": np.arange(3 * 4).reshape(3, 4),  # (epochs, seeds)
              "weight_0": np.arange(4 * 2).reshape(4, 1, 2),  # (seeds, inputs, units)
              "frame_weight_1": np.arange(2 * 4 * 2).reshape(2, 4, 2)}  # (frames, seeds, units)
    shown = select_arrays(arrays, (2, 3))
    assert shown["seeds"].tolist() == [2, 3]
    assert shown["predictions"].tolist() == arrays["predictions"][:, 2:].tolist()
    assert shown["losses"].tolist() == arrays["losses"][:, 2:].tolist()
    assert shown["weight_0"].tolist() == arrays["weight_0"][2:].tolist()
    assert shown["frame_weight_1"].tolist() == arrays["frame_weight_1"][:, 2:].tolist()
    assert shown["grid"] is arrays["grid"] and shown["frame_epochs"] is arrays["frame_epochs"]
    assert select_arrays(arrays, (0, 1, 2, 3)) is arrays
    with pytest.raises(ValueError, match=r"the run trained seeds \[0, 1, 2, 3\], not \[7\]"):
        columns(seeds, (1, 7))


def test_values_derived_from_each_set_of_seeds_are_kept_apart():
    meta = {"seeds": [0, 1, 2, 3], "final_losses": [0.1, 0.2, None, 0.4], "wall_time": 1.0,
            "diverged_at": [None, None, 9, None], "derived_path": "/c/derived/ab12.json",
            "final_accuracy": None}
    shown, again = select_meta(meta, (0, 1)), select_meta(meta, (2, 3))
    assert (shown["final_losses"], again["final_losses"]) == ([0.1, 0.2], [None, 0.4])
    assert again["diverged_at"] == [9, None] and again["final_accuracy"] is None
    assert len({meta["derived_path"], shown["derived_path"], again["derived_path"]}) == 3
    assert shown["derived_path"].startswith("/c/derived/ab12-")  # prune keeps it with its run


def _run(final_losses, seeds):
    """A run as the store reads it, made by hand (no arrays)."""
    from types import SimpleNamespace

    return SimpleNamespace(meta={"seeds": list(seeds), "final_losses": list(final_losses),
                                 "diverged_at": [None] * len(seeds), "wall_time": 2.0})


def test_results_on_the_shown_seeds_never_read_the_replication_seeds():
    # Over all four seeds the median seed would be 3 (the lower middle of 0.1, 0.2, 0.3, 0.4 is
    # 0.2, seed 3's); over the shown seeds 0 and 1 it is seed 1; over 2 and 3 it is seed 2.
    run = _run([0.4, 0.3, 0.1, 0.2], (0, 1, 2, 3))
    spec = NetSpec(name="wide")

    def measured(seeds, stand_ins=None):
        return NetResult.from_run(run, spec, _Data(), Thresholds(), "#000000", {}, [0, 30], 10,
                                  seeds=seeds, stand_ins=stand_ins)

    everything, shown = measured(None), measured((0, 1))
    again = measured((2, 3), {0: 2, 1: 3})
    assert everything.representative_seed == 3 and list(everything.seeds) == [0, 1, 2, 3]
    assert shown.representative_seed == 1 and list(shown.seeds) == [0, 1]
    assert (float(shown.median), float(again.median)) == pytest.approx((0.35, 0.15))
    assert again.representative_seed == 2
    # A template that names a shown seed is asked about the replication seed in its place.
    assert (float(again.final_loss(0)), again.final_loss(0).name) == (0.1, "wide seed 2 error")
    with pytest.raises(ValueError):
        shown.final_loss(2)  # the page's results know nothing of the replication seeds


class _Data:
    noise_floor = 0.01


# ----------------------------------------------------------------------------- pairing


def _claim(line, text, holds=True, values=(("a median error", 0.08),), false=()):
    outcome = ClaimOutcome(holds, "…", "a median error < b median error", tuple(values),
                           tuple(false))
    return ClaimResult(line, text, outcome)


def test_claims_pair_by_order_line_and_text():
    shown = (_claim(5, "A"), _claim(5, "A"), _claim(7, "B = 0.1"), _claim(9, "C"))
    replicated = [_claim(5, "A", False), _claim(7, "B = 0.2"), _claim(5, "A"), _claim(11, "D")]
    twins = replication.paired(shown, replicated)
    assert [twin.holds if twin else None for _, twin in twins] == [False, True, True, None]


def test_a_fragile_claim_names_the_post_the_line_and_both_sets_of_values(tmp_path):
    post = post_with(tmp_path, "seeds: 10")
    shown = _claim(88, "Adam ends lower than SGD", values=(
        ("wide-adam median error", 0.0878), ("wide-sgd median error", 0.0994)))
    again = _claim(88, "Adam ends lower than SGD", False, values=(
        ("wide-adam median error", 0.1003), ("wide-sgd median error", 0.0991)))
    checked, fragile = replication.check(post, (shown,), [again])
    path = tmp_path / "posts" / "replicated.md"
    assert fragile == [
        f'{path}:88: fragile claim: "Adam ends lower than SGD" holds on seeds 0–9 (measured: '
        "wide-adam median error = 0.0878, wide-sgd median error = 0.0994) but fails on "
        "replication seeds 10–19 (measured: wide-adam median error = 0.1003, wide-sgd median "
        "error = 0.0991). State only what both seed sets support, or show more seeds."]
    assert checked[0].replication == again.shown
    with pytest.raises(ClaimFragile) as raised:
        replication.fail_if_fragile(fragile)
    assert str(raised.value) == fragile[0]


def test_a_claim_the_replication_never_reaches_is_fragile_too(tmp_path):
    post = post_with(tmp_path, "seeds: 3\nreplicate: 2")
    checked, fragile = replication.check(post, (_claim(12, "Stuck, all of it"),), [])
    path = tmp_path / "posts" / "replicated.md"
    assert fragile == [
        f'{path}:12: fragile claim: "Stuck, all of it" holds on seeds 0–2 (measured: a median '
        "error = 0.08) but the rendering on replication seeds 3–4 never reaches it (the "
        "template takes another branch there, e.g. of an {% if %}). State only what both seed "
        "sets support, or show more seeds."]
    assert checked[0].replication is None
    with pytest.raises(ClaimFragile) as raised:
        replication.fail_if_fragile(fragile * 2)
    assert str(raised.value).startswith("2 fragile claims:\n  - " + fragile[0])


def test_the_failing_parts_of_a_compound_claim_are_named_on_the_replication(tmp_path):
    post = post_with(tmp_path, "seeds: 2")
    values = (("a", 1.0), ("b", 2.0), ("c", 3.0))
    again = _claim(4, "Both", False, values, false=("a > b",))
    _, fragile = replication.check(post, (_claim(4, "Both", values=values),), [again])
    assert "fails on replication seeds 2–3 (measured: a = 1, b = 2, c = 3; false: (a > b))" \
        in fragile[0]


# ----------------------------------------------------------------------------- the page's marks


def test_a_claim_is_written_as_text_with_its_mark(env, context):  # noqa: F811
    body = "{{ claim('Deep <b>wins</b> & more.', nets['deep'].median < nets['wide'].median) }}"
    with claims.collecting(ClaimMark(3, 3)):
        written = render(env, context, body)
    assert written == (
        'Deep &lt;b&gt;wins&lt;/b&gt; &amp; more.<span class="tn-claim"><span '
        'class="tn-visually-hidden"> (checked on 3 shown and 3 replication seeds)</span>'
        '<span aria-hidden="true" title="checked on 3 shown and 3 replication seeds">✓ 3+3'
        "</span></span>")
    with claims.collecting(ClaimMark(3, 0)):
        written = render(env, context, body)
    assert "(checked on 3 seeds; not replicated)" in written and ">✓ 3</span>" in written
    assert claims.without_marks(written) == "Deep &lt;b&gt;wins&lt;/b&gt; &amp; more."


def test_the_summary_counts_the_claims_and_their_seeds():
    assert ClaimMark(10, 10).summary(12) == ('<p class="tn-claims-summary">12 claims, each '
                                             "checked on 10 shown and 10 replication seeds.</p>")
    assert ClaimMark(5, 0).summary(1) == ('<p class="tn-claims-summary">1 claim, checked on 5 '
                                          "seeds, not replicated.</p>")


def test_a_failing_claim_is_listed_not_raised_on_the_replication(env, context):  # noqa: F811
    body = ("{{ claim('Wide ends lower.', nets['wide'].median < nets['deep'].median) }} "
            "{{ claim('Deep ends lower.', nets['deep'].median < nets['wide'].median) }}")
    with claims.collecting(keep_failing=True) as found:
        render(env, context, body)
    assert [(claim.text, claim.shown.holds) for claim in found] == [
        ("Wide ends lower.", False), ("Deep ends lower.", True)]
    assert found[0].shown.false == ("wide median error < deep median error",)


# ----------------------------------------------------------------------------- every seed, few seeds


def test_a_claim_about_every_seed_on_few_seeds_gets_one_warning(env, context):  # noqa: F811
    body = ("{{ claim('Every wide seed is stuck.', nets['wide'].stuck >= post.seeds) }}\n"
            "{{ claim('No deep seed diverged, nor wide.', nets['deep'].diverged | length == 0 "
            "and nets['wide'].diverged | length < 1) }}\n"
            "{{ claim('Most wide seeds are stuck.', nets['wide'].stuck > post.seeds / 2) }}\n")
    with claims.collecting() as found:
        render(env, context, body)
    post = Post(path=POST_PATH, slug="demo", meta={}, body=body, body_line=1)
    assert replication.count_warnings(post, tuple(found)) == [
        f'{SHOWN}:1: warning: "Every wide seed is stuck." claims every seed on only 3 seeds: '
        "wide stuck seeds = 3 of 3, so the share of all seeds lies between 37% and 100% (90% "
        "Clopper–Pearson interval). Claim a share instead (e.g. share(net, 'stuck').low > "
        "0.5), or show 10 or more seeds.",
        f'{SHOWN}:2: warning: "No deep seed diverged, nor wide." claims no seed on only 3 '
        "seeds: deep diverged seeds = 0 of 3, so the share of all seeds lies between 0% and "
        "63% (90% Clopper–Pearson interval); wide diverged seeds = 0 of 3, so the share of all "
        "seeds lies between 0% and 63% (90% Clopper–Pearson interval). Claim a share instead "
        "(e.g. share(net, 'stuck').low > 0.5), or show 10 or more seeds."]


def test_ten_seeds_or_more_are_not_warned_about():
    many = net_result("many", [0.3] * 10)
    check = many.stuck >= 10
    found = (ClaimResult(1, "all", ClaimOutcome.of(check), every_or_none=check.every_or_none),)
    post = Post(path=POST_PATH, slug="demo", meta={}, body="", body_line=1)
    assert check.every_or_none and replication.count_warnings(post, found) == []


# ----------------------------------------------------------------------------- share()


def _binomial_at_least(count, total, p):
    return sum(math.comb(total, k) * p ** k * (1 - p) ** (total - k)
               for k in range(count, total + 1))


def test_share_is_the_fraction_with_its_clopper_pearson_interval():
    wide = net_result("wide", [0.3, 0.2, 0.01, 0.015, 0.3, 0.01, 0.4, 0.02, 0.01, 0.012])
    stuck = share(wide, "stuck")  # final error above 5 × 0.01: seeds 0, 1, 4, 6
    assert (float(stuck), stuck.count, stuck.seeds, stuck.level) == (0.4, 4, 10, 0.9)
    # By hand: the low end leaves 5 % above 4 of 10, the high end 5 % below.
    assert _binomial_at_least(4, 10, float(stuck.low)) == pytest.approx(0.05, abs=1e-12)
    assert 1 - _binomial_at_least(5, 10, float(stuck.high)) == pytest.approx(0.05, abs=1e-12)
    assert (round(float(stuck.low), 4), round(float(stuck.high), 4)) == (0.1500, 0.6965)
    near = share(wide, "near_floor")  # ≤ 2 × 0.01: 0.01, 0.015, 0.01, 0.02, 0.01, 0.012
    assert float(near) == 0.6
    every = share(net_result("all", [0.3] * 4), "stuck")  # closed forms at the ends
    assert (float(every.low), float(every.high)) == (pytest.approx(0.05 ** 0.25), 1.0)
    none = share(net_result("none", [0.01] * 4), "diverged")
    assert (float(none.low), float(none.high)) == (0.0, pytest.approx(1 - 0.05 ** 0.25))
    check = stuck.low > 0.5
    assert check.text == ("claimed: wide share of seeds stuck, 90% interval low > 0.5; measured: "
                          "wide share of seeds stuck, 90% interval low = 0.15")
    assert not check and stuck.value.name == "wide share of seeds stuck"
    assert [round(value, 4) for value in clopper_pearson(3, 10)] == [0.0873, 0.6066]


def test_share_refuses_what_it_cannot_count(env, context):  # noqa: F811
    with pytest.raises(TemplateMisuse, match=r"share\(net, 'stcuk'\): the second argument is "
                                             r"one of 'stuck', 'near_floor', 'diverged', 'solved'"):
        share(context["nets"]["wide"], "stcuk")
    assert render(env, context, "{{ share(nets['deep'], 'stuck') | percent }}") == "33%"


def test_share_of_solved_seeds_on_classification():
    meta = {"seeds": [0, 1, 2, 3], "wall_time": 1.0, "diverged_at": [None] * 4,
            "final_losses": [0.1] * 4, "final_accuracy": [0.9, 0.8, 1.0, 0.95],
            "final_test_accuracy": [0.9, 0.7, 0.95, 0.85]}
    net = NetResult(NetSpec(name="plane"), RunMeta.from_dict(meta), None, Thresholds(), "#000",
                    {})
    solved = share(net, "solved", 0.9)
    assert (float(solved), solved.name) == (0.5, "plane share of seeds solved (accuracy ≥ 0.9)")


def test_a_count_scaled_by_a_number_keeps_its_name_in_a_claim(env, context):  # noqa: F811
    """0.9 × a count is computed by the count (a float's own '*' would forget what it counted),
    so both renderings of a claim name every value they read."""
    from tinynets.measure.quantities import Count

    body = ("{{ (bends > 0.9 * all).text }} | {{ (1.5 - all).name }} | {{ (2.0 / all).name }} | "
            "{{ (0.5 + all).name }} | {{ 3 * all }} | {{ 7 / 2 }}")
    written = render(env, {**context, "bends": Count(59, "bends in [−1, 1]"),
                           "all": Count(59, "bends")}, body)
    # (the body writes values by the page rule: Markdown's and HTML's characters as references)
    assert html.unescape(written) == (
        "claimed: bends in [−1, 1] > 0.9×bends; measured: bends in [−1, 1] = 59, "
        "bends = 59 | 1.5 − bends | 2 / bends | 0.5 + bends | 177 | 3.5")
