"""The sandbox caps what a post's expressions may build, with a message naming post and line."""

from __future__ import annotations

import pytest
from templating_support import SHOWN, context, env, failure, render  # noqa: F401

from tinynets.pages.sandbox import INT_BITS_LIMIT, SIZE_LIMIT

FIX = "Build smaller texts and lists (numbers in prose never need this much)."
CAP = f"more than the {SIZE_LIMIT:,} a post may build."


@pytest.mark.parametrize("expression, what, size", [
    ("('x' * 10**8) | length", "'*'", 10**8),
    ("'x' * 10**13", "'*'", 10**13),
    ("10**13 * 'ab'", "'*'", 2 * 10**13),
    ("[0] * 10**7", "'*'", 10**7),
    ("'x' * 600000 + 'y' * 600000", "'+'", 1_200_000),
    ("'%0100000000d' % 1", "the format '%0100000000d' (width 100,000,000)", 10**8),
    ("'{:>100000000}'.format(1)", "the format '{:>100000000}' (width 100,000,000)", 10**8),
])
def test_operators_refuse_to_build_too_much(env, context, expression, what, size):  # noqa: F811
    assert failure(env, context, f"a\n{{{{ {expression} }}}}\n") == (
        f"{SHOWN}:21: refused by the sandbox: {what} would build {size:,} characters or items, "
        f"{CAP} {FIX}")


def test_huge_powers_are_refused_before_they_are_computed(env, context):  # noqa: F811
    assert failure(env, context, "{{ 10**(10**8) }}") == (
        f"{SHOWN}:20: refused by the sandbox: '**' would build a whole number of about "
        f"332,192,809 bits (10 ** 100,000,000), more than the {INT_BITS_LIMIT:,} a post may "
        f"build. {FIX}")


@pytest.mark.parametrize("expression, what", [
    ("'x'.center(10**8)", "center()"),
    ("'x' | center(10**8)", "the filter 'center'"),
    ("'x' | indent(10**8, true)", "the filter 'indent'"),
    ("sig(1, 10**8)", "sig()"),
])
def test_size_arguments_are_refused(env, context, expression, what):  # noqa: F811
    assert failure(env, context, f"{{{{ {expression} }}}}") == (
        f"{SHOWN}:20: refused by the sandbox: {what} was given 100,000,000, more than the "
        f"{SIZE_LIMIT:,} a post may use as a size. {FIX}")


def test_doubling_in_a_loop_is_stopped_by_the_join(env, context):  # noqa: F811
    body = ("x\n{% set ns = namespace(s='x') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}")
    assert failure(env, context, body) == (
        f"{SHOWN}:21: refused by the sandbox: '~' would build 1,048,576 characters or items, "
        f"{CAP} {FIX}")


def test_lipsum_is_not_offered(env, context):  # noqa: F811
    assert "'lipsum' is undefined" in failure(env, context, "{{ lipsum(10**5) }}")


def test_ordinary_sizes_still_work(env, context):  # noqa: F811
    body = ("{{ 'ab' * 3 }} {{ 10**13 }} {{ 2**64 }} {{ [1, 2] + [3] }} {{ '%05.1f' % 2.25 }} "
            "{{ '{:>6}'.format('x') }} {{ 'x' | center(5) }}|{{ '5,000 epochs' ~ '!' }} "
            "{{ ('x' * 1000) | length }}")
    assert render(env, context, body) == (
        # (a list's brackets are written as character references: Markdown would read them)
        "ababab 10000000000000 18446744073709551616 &#91;1, 2, 3&#93; 002.2      x   x  "
        "|5,000 epochs! 1000")


def test_an_undefined_operand_is_reported_as_undefined(env, context):  # noqa: F811
    assert failure(env, context, "{{ nothing * 2 }}").startswith(
        f"{SHOWN}:20: undefined: 'nothing' is undefined. Defined here: nets['wide']")
