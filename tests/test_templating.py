"""Rendering a post body: undefined names, syntax errors, the sandbox, and claim().

Posts and results are built by hand from plain data (a meta dict as the store records it), so each
message can be asserted exactly, with the file line it must name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from templating_support import SHOWN, context, env, failure, net_result, render  # noqa: F401
from tinynets.pages import templating
from tinynets.errors import ClaimFailed, TemplateProblem, display_path
from tinynets.measure.finals import RunMeta
from tinynets.measure.results import NetResult
from tinynets.posts.model import NetSpec, Thresholds

REPO = Path(__file__).resolve().parent.parent
HELPERS = "change, of_seeds, percent, plain, sig, span, times"


# The macros of templates/macros.j2 (other work adds to them): the hint lists them all, sorted.
MACROS = ", ".join(sorted(templating.macros(templating.environment(REPO / "templates"), {})))
DEFINED = (f"Defined here: nets['wide'], nets['deep'], data, post, claim, the helpers {HELPERS} "
           f"and the macros {MACROS}.")


# ----------------------------------------------------------------------------- what renders


def test_numbers_and_helpers_render(env, context):
    body = ("Wide ends at {{ nets['wide'].median | sig }}, deep at {{ sig(nets['deep'].median, 2) }};"
            " floor {{ data.noise_floor | sig(1) }}; {{ of_seeds(nets['deep'].near_floor, "
            "nets['deep'].seeds) }} near it; {{ nets['wide'].parameters }} parameters.\n")
    assert render(env, context, body) == ("Wide ends at 0.200, deep at 0.012; floor 0.01; "
                                          "2 of 3 seeds near it; 25 parameters.\n")


def test_macros_render_with_the_measured_numbers(env, context):
    html = render(env, context, "{{ figure(nets['wide']) }}\n")
    assert 'src="../media/demo/wide.webm"' in html
    assert "0.200" in html  # seed 2, the median of 0.3, 0.1, 0.2: its final error


# ----------------------------------------------------------------------------- undefined names


def test_undefined_net_names_the_post_line_and_the_nets(env, context):
    body = "Intro.\n\nThe narrow net: {{ nets['narrow'].median | sig }}.\n"
    assert failure(env, context, body) == (
        f"{SHOWN}:22: undefined: there is no net 'narrow' in this post; its nets are "
        "nets['wide'], nets['deep'].")


def test_misspelt_net_gets_a_suggestion(env, context):
    body = "{{ nets['wdie'].median }}\n"
    assert failure(env, context, body) == (
        f"{SHOWN}:20: undefined: there is no net 'wdie' in this post (did you mean 'wide'?); its "
        "nets are nets['wide'], nets['deep'].")


def test_undefined_variable_names_the_post_line(env, context):
    body = "one\ntwo\nthree\n{{ nett['wide'].median }}\n"
    assert failure(env, context, body) == (
        f"{SHOWN}:23: undefined: 'nett' is undefined (did you mean 'nets'?). {DEFINED}")


def test_undefined_attribute_of_a_net_suggests_the_closest(env, context):
    body = "{% if true %}\n{{ nets['wide'].medain }}\n{% endif %}\n"
    message = failure(env, context, body)
    assert message.startswith(f"{SHOWN}:21: undefined: net 'wide' has no attribute 'medain' (did "
                              "you mean 'median'?); a net has best, ")
    assert "dead_units, dead_units_at, diverged, epochs_to, " in message
    assert message.endswith(", wall_time, worst.")


def test_undefined_inside_a_loop_names_the_line_of_the_use(env, context):
    body = "{% for net in nets.values() %}\n- {{ net.label }}\n- {{ net.nosuch }}\n{% endfor %}\n"
    assert failure(env, context, body).startswith(
        f"{SHOWN}:22: undefined: net 'wide' has no attribute 'nosuch'; a net has best, ")


def test_undefined_helper(env, context):
    assert failure(env, context, "\n{{ signif(1.0) }}\n") == (
        f"{SHOWN}:21: undefined: 'signif' is undefined (did you mean 'sig'?). {DEFINED}")


# ----------------------------------------------------------------------------- syntax errors


def test_unclosed_expression(env, context):
    body = "fine\nfine\n{{ nets['wide'].median \nmore text\n"
    assert failure(env, context, body) == (
        f"{SHOWN}:23: template syntax error: expected token 'end of print statement', got 'more'. "
        "Check the {{ }} and {% %} on that line.")


def test_unclosed_block(env, context):
    body = "{% if nets['wide'].median < 1 %}\nsmall\n"
    assert failure(env, context, body) == (  # Jinja points at the block left open
        f"{SHOWN}:20: template syntax error: Unexpected end of template. Jinja was looking for "
        "the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be "
        "closed is 'if'. Check the {{ }} and {% %} on that line.")


def test_unknown_filter(env, context):
    assert failure(env, context, "x\n{{ 0.5 | signif }}\n") == (
        f"{SHOWN}:21: template syntax error: No filter named 'signif'. Check the {{{{ }}}} and "
        "{% %} on that line.")


def test_runtime_error_in_an_expression(env, context):
    assert failure(env, context, "x\ny\n{{ 1 / 0 }}\n") == (
        f"{SHOWN}:22: template error: ZeroDivisionError: division by zero.")


def test_helper_given_a_bad_argument(env, context):
    # a helper's own error type (TemplateMisuse), not a Python exception named to the author
    assert failure(env, context, "{{ sig(0.5, 0) }}\n") == (
        f"{SHOWN}:20: the number of significant digits must be a whole number ≥ 1, got 0.")


# ----------------------------------------------------------------------------- sandbox


def test_sandbox_refuses_the_class_hierarchy(env, context):
    assert failure(env, context, "a\n{{ ''.__class__.__mro__ }}\n") == (
        f"{SHOWN}:21: refused by the sandbox: access to attribute '__class__' of 'str' object is "
        "unsafe. Posts may only use the results, helpers and macros they are given.")


def test_sandbox_refuses_subclasses_and_nothing_after_runs(env, context):
    seen: list[str] = []
    context = {**context, "seen": seen}
    body = ("{% set _ = seen.append('before') %}\n"
            "{{ ().__class__.__base__.__subclasses__() }}\n"
            "{% set _ = seen.append('after') %}\n")
    assert failure(env, context, body) == (
        f"{SHOWN}:21: refused by the sandbox: access to attribute '__class__' of 'tuple' object "
        "is unsafe. Posts may only use the results, helpers and macros they are given.")
    assert seen == ["before"]


def test_sandbox_refuses_function_globals_and_object_internals(env, context):
    assert failure(env, context, "{{ sig.__globals__ }}\n") == (
        f"{SHOWN}:20: refused by the sandbox: access to attribute '__globals__' of 'function' "
        "object is unsafe. Posts may only use the results, helpers and macros they are given.")
    assert failure(env, context, "{{ nets['wide'].spec.__class__ }}\n") == (
        f"{SHOWN}:20: refused by the sandbox: access to attribute '__class__' of 'NetSpec' object "
        "is unsafe. Posts may only use the results, helpers and macros they are given.")


def test_sandbox_refuses_unsafe_format_strings(env, context):
    assert failure(env, context, "{{ '{0.__class__}'.format(1) }}\n") == (
        f"{SHOWN}:20: refused by the sandbox: access to attribute '__class__' of 'int' object is "
        "unsafe. Posts may only use the results, helpers and macros they are given.")


def test_include_cannot_reach_outside_templates(env, context):
    assert failure(env, context, "{% include '../../../etc/passwd' %}\n") == (
        f"{SHOWN}:20: no template named '../../../etc/passwd' in templates/: posts call the "
        "macros they are given instead.")


# ----------------------------------------------------------------------------- claims


def test_passing_claim_renders_its_text(env, context):
    body = ("Adam wins: {{ claim('The Adam net ends lower than the SGD net.', "
            "nets['deep'].median < nets['wide'].median) }}\n")
    assert render(env, context, body) == "Adam wins: The Adam net ends lower than the SGD net.\n"


def test_failing_claim_names_post_line_text_and_measurements(env, context):
    body = ("Prose.\n\n"
            "{{ claim('The SGD net ends lower than the Adam net.', "
            "nets['wide'].median < nets['deep'].median) }}\n")
    assert failure(env, context, body, ClaimFailed) == (
        f"{SHOWN}:22: claim failed: \"The SGD net ends lower than the Adam net.\" — the "
        "measurements say otherwise: claimed: wide median error < deep median error; measured: "
        "wide median error = 0.2, deep median error = 0.012. Rewrite the claim to match the data, or change the experiment.")


def test_claim_changed_to_its_opposite_fails(env, context):
    passing = "{{ claim('Deep ends within 2× the floor.', nets['deep'].median <= 2 * data.noise_floor) }}\n"
    assert render(env, context, passing) == "Deep ends within 2× the floor.\n"
    opposite = "{{ claim('Deep ends above 2× the floor.', nets['deep'].median > 2 * data.noise_floor) }}\n"
    assert failure(env, context, opposite, ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"Deep ends above 2× the floor.\" — the measurements say "
        "otherwise: claimed: deep median error > 2×noise floor; measured: deep median error = "
        "0.012, noise floor = 0.01. Rewrite the claim to match the data, or change the experiment.")


def test_claim_spanning_lines_names_its_first_line(env, context):
    body = "a\n{{ claim('Wide stays above the floor.',\n   nets['wide'].best < data.noise_floor) }}\n"
    assert failure(env, context, body, ClaimFailed) == (
        f"{SHOWN}:21: claim failed: \"Wide stays above the floor.\" — the measurements say "
        "otherwise: claimed: wide best seed's error < noise floor; measured: wide best seed's "
        "error = 0.1, noise floor = 0.01. Rewrite the claim to match the data, or change the experiment.")


def test_claim_on_seed_counts_with_equality(env, context):
    assert render(env, context, "{{ claim('No deep seed is stuck.', nets['deep'].stuck == 1) }}") \
        == "No deep seed is stuck."
    assert failure(env, context, "{{ claim('No wide seed is stuck.', nets['wide'].stuck == 0) }}",
                   ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"No wide seed is stuck.\" — the measurements say otherwise: "
        "claimed: wide stuck seeds = 0; measured: wide stuck seeds = 3. Rewrite the claim to match the data, or change the experiment.")


def test_claim_on_a_difference_shows_the_difference(env, context):
    body = "{{ claim('Wide beats deep.', nets['deep'].median - nets['wide'].median > 0) }}"
    assert failure(env, context, body, ClaimFailed) == (
        f"{SHOWN}:20: claim failed: \"Wide beats deep.\" — the measurements say otherwise: "
        "claimed: deep median error − wide median error > 0; measured: deep median error = 0.012, "
        "wide median error = 0.2. Rewrite the claim to match the data, or "
        "change the experiment.")


def test_claim_with_a_constant_condition_is_refused(env, context):
    assert failure(env, context, "{{ claim('Never.', 1 > 2) }}") == (
        f"{SHOWN}:20: claim('Never.', …) checks the constant False, which no measurement can "
        "contradict: compare measurements instead, e.g. nets['a'].median < nets['b'].median.")


def test_claim_needs_a_comparison(env, context):
    assert failure(env, context, "x\n{{ claim('Wide is small.', nets['wide'].median) }}\n") == (
        f"{SHOWN}:21: claim('Wide is small.', …) needs a comparison of measurements as its second "
        "argument, e.g. nets['a'].median < nets['b'].median; got 0.2.")


def test_claim_inside_a_macro_call_argument_names_the_post_line(env, context):
    body = "x\n{% for net in [nets['wide']] %}\n{{ claim('Tiny.', net.worst < 0.1) }}\n{% endfor %}\n"
    assert failure(env, context, body, ClaimFailed).startswith(f"{SHOWN}:22: claim failed: \"Tiny.\"")


def test_syntax_error_in_the_macro_file_names_that_file(tmp_path):
    (tmp_path / "macros.j2").write_text("{% macro figure(net) %}\n{{ net.label }\n{% endmacro %}\n",
                                        encoding="utf-8")
    env = templating.environment(tmp_path)
    with pytest.raises(TemplateProblem) as raised:
        templating.macros(env, {"nets": {}})
    assert str(raised.value) == (
        f"{display_path(tmp_path / 'macros.j2')}:2: template syntax error: unexpected '}}'. Check "
        "the {{ }} and {% %} on that line.")


def test_measured_comparisons_say_what_they_compared():
    wide = net_result("wide", [0.3, 0.1, 0.2])
    check = wide.median >= 3 * wide.best
    assert not check and check.text == ("claimed: wide median error ≥ 3×wide best seed's error; "
                                        "measured: wide median error = 0.2, wide best seed's "
                                        "error = 0.1")
    assert (wide.median != 0.2).text == ("claimed: wide median error ≠ 0.2; measured: wide median "
                                         "error = 0.2") and not wide.median != 0.2
    both = (wide.median < 1) & (wide.worst > 0.25)
    assert both and both.text == ("claimed: wide median error < 1 and wide worst seed's error > "
                                  "0.25; measured: wide median error = 0.2, wide worst seed's "
                                  "error = 0.3")
    assert (~(wide.median < 1)).text == ("claimed: not (wide median error < 1); measured: wide "
                                         "median error = 0.2")


def test_a_diverged_seed_counts_as_stuck_and_shows_as_diverged(env, context):
    spec = NetSpec(name="wild", layers=(4,), epochs=30)
    meta = {"seeds": [0, 1, 2, 3], "wall_time": 1.0, "diverged_at": [None, 12, None, None],
            "final_losses": [0.011, None, 0.015, 0.3]}
    wild = NetResult(spec, RunMeta.from_dict(meta), noise_floor=0.01, thresholds=Thresholds(),
                     color="#000", media={})
    assert wild.diverged == [1] and wild.stuck_seeds == [1, 3] and wild.near_floor_seeds == [0, 2]
    assert float(wild.best) == 0.011 and float(wild.worst) == float("inf")
    assert float(wild.median) == pytest.approx(0.1575) and wild.representative_seed == 2
    context = {**context, "nets": {**context["nets"], "wild": wild}}
    assert render(env, context, "{{ span(nets['wild'].best, nets['wild'].worst) }}; "
                                "{{ of_seeds(nets['wild'].stuck, nets['wild'].seeds) }} stuck") \
        == "0.0110–diverged; 2 of 4 seeds stuck"
