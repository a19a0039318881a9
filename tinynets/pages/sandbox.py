"""The Jinja2 sandbox posts render in: claims that read as written, and a cap on sizes.

Two things the stock ``SandboxedEnvironment`` cannot do:

- ``and``, ``or`` and ``not`` are Python's own operators in compiled templates, so
  ``claim("…", a < b or c < d)`` would see only the last comparison evaluated. The code generator
  here compiles them to calls that combine ``Check``s, so a failing claim shows every comparison
  with its measured values. Everything that is not a ``Check`` keeps Python's meaning.
- An expression may build anything: ``'x' * 10**8`` allocates 100 MB, ``[0] * 10**13`` ends in
  MemoryError. Operators, ``~``, calls and filters here refuse to build a text or list longer
  than ``SIZE_LIMIT`` (or an integer wider than ``INT_BITS_LIMIT`` bits), before building it
  where the size can be known in advance, and with a ``TooLarge`` error naming the operation.

Example:
    >>> env = PostEnvironment()
    >>> env.from_string("{{ 'ab' * 2 }}").render()
    'abab'
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sized

from jinja2 import Undefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg

from tinynets.measure.quantities import Check, Count, SeedList

# A plain number and a count, in that order: the count's reflected operation keeps its name.
COUNT_ON_THE_RIGHT = {"*": lambda number, count: count.__rmul__(number),
                      "+": lambda number, count: count.__radd__(number),
                      "-": lambda number, count: count.__rsub__(number),
                      "/": lambda number, count: count.__rtruediv__(number)}

SIZE_LIMIT = 1_000_000  # characters or items: a long post is about 30,000 characters
INT_BITS_LIMIT = 4096  # about 1,200 digits: far beyond any number prose needs


class TooLarge(SecurityError):
    """An expression would build a value larger than a post may build."""


def _sized(value) -> int | None:
    """The length of a text, list or mapping; None for anything else (an undefined value too:
    using it is reported where it is used, as an undefined name)."""
    if isinstance(value, Sized) and not isinstance(value, Undefined):
        return len(value)
    return None


def _refuse(what: str, size: int) -> None:
    raise TooLarge(f"{what} would build {size:,} characters or items, more than the "
                   f"{SIZE_LIMIT:,} a post may build")


def _refuse_argument(what: str, value: int) -> None:
    raise TooLarge(f"{what} was given {value:,}, more than the {SIZE_LIMIT:,} a post may use "
                   "as a size")


def check_size(value, what: str):
    """Return ``value``, or refuse it when it is a text/list over ``SIZE_LIMIT`` or a huge int."""
    size = _sized(value)
    if size is not None and size > SIZE_LIMIT:
        _refuse(what, size)
    if isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() > INT_BITS_LIMIT:
        raise TooLarge(f"{what} would build a whole number of {value.bit_length():,} bits, more "
                       f"than the {INT_BITS_LIMIT:,} a post may build")
    return value


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _predict(symbol: str, left, right) -> None:
    """Refuse ``left symbol right`` before computing it when its size is known to be too big."""
    if symbol == "*":
        for sequence, times in ((left, right), (right, left)):
            size = _sized(sequence)
            if size is not None and _is_int(times) and size * times > SIZE_LIMIT:
                _refuse(f"'{symbol}'", size * times)
        if _is_int(left) and _is_int(right) \
                and left.bit_length() + right.bit_length() > INT_BITS_LIMIT + 1:
            raise TooLarge(f"'*' would build a whole number of about "
                           f"{left.bit_length() + right.bit_length():,} bits, more than the "
                           f"{INT_BITS_LIMIT:,} a post may build")
    elif symbol == "**" and _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
        bits = right * math.log2(abs(left))
        if bits > INT_BITS_LIMIT:
            raise TooLarge(f"'**' would build a whole number of about {bits:,.0f} bits "
                           f"({left} ** {right:,}), more than the {INT_BITS_LIMIT:,} a post may "
                           "build")
    elif symbol == "+":
        sizes = (_sized(left), _sized(right))
        if None not in sizes and sum(sizes) > SIZE_LIMIT:
            _refuse("'+'", sum(sizes))
    elif symbol == "%" and isinstance(left, str):
        _check_format_widths(left, right if isinstance(right, tuple) else (right,))


# Widths and precisions in %-formats ("%0100000000d") and format specs ("{:>100000000}").
_PERCENT_WIDTHS = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_WIDTHS = re.compile(r"\{[^{}]*?:[^{}\d]*(\d+)?(?:[,_])?(?:\.(\d+))?[^{}]*\}")


def _check_format_widths(text: str, args) -> None:
    widths = [int(number) for match in _PERCENT_WIDTHS.finditer(text)
              for number in match.groups() if number and number != "*"]
    widths += [int(number) for match in _BRACE_WIDTHS.finditer(text)
               for number in match.groups() if number]
    if "*" in text:  # "%*d" takes its width from the arguments
        widths += [value for value in args if _is_int(value)]
    for width in widths:
        if width > SIZE_LIMIT:
            _refuse(f"the format {text[:40]!r} (width {width:,})", width)


def _guarded(function, what: str):
    """``function`` with its size arguments and its result checked against the limits.

    The first argument is the value being worked on (a filter's input); the others are settings
    such as widths, and a setting beyond ``SIZE_LIMIT`` is refused before anything is built.
    """
    skip = 2 if _PassArg.from_obj(function) is not None else 1  # context/environment first

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        for value in [*args[skip:], *kwargs.values()]:
            if _is_int(value) and value > SIZE_LIMIT:
                _refuse_argument(what, value)
        return check_size(function(*args, **kwargs), what)

    guarded.tinynets_guarded = True
    return guarded


class GuardedFilters(dict):
    """The filters of an environment, each wrapped by ``_guarded`` as it is registered (so a
    filter added later, by any module, is limited too)."""

    def __setitem__(self, name, function):
        if not getattr(function, "tinynets_guarded", False):
            function = _guarded(function, f"the filter '{name}'")
        super().__setitem__(name, function)

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.update(*args, **kwargs)

    def update(self, *args, **kwargs):
        for name, function in dict(*args, **kwargs).items():
            self[name] = function


def logical_and(left, right):
    """``left and right`` in a template. A ``Check`` on the left evaluates the right too, so a
    failing claim can show every comparison (and every measurement it read)."""
    if isinstance(left, Check):
        value = right()
        return left & value if isinstance(value, Check) else (value if left else left)
    return right() if left else left


def logical_or(left, right):
    """``left or right`` in a template; see ``logical_and``."""
    if isinstance(left, Check):
        value = right()
        return left | value if isinstance(value, Check) else (left if left else value)
    return left if left else right()


def logical_not(value):
    """``not value`` in a template: a ``Check`` stays a ``Check``."""
    return ~value if isinstance(value, Check) else not value


class PostCodeGenerator(CodeGenerator):
    """Compiles ``and``/``or``/``not`` to the functions above and ``~`` to a size-checked join."""

    def _logic(self, function: str, node: nodes.BinExpr, frame) -> None:
        # The right side stays lazy (a lambda), so `x is defined and x.y` still short-circuits.
        self.write(f"environment.{function}(")
        self.visit(node.left, frame)
        self.write(", lambda: ")
        self.visit(node.right, frame)
        self.write(")")

    def visit_And(self, node, frame) -> None:
        self._logic("logical_and", node, frame)

    def visit_Or(self, node, frame) -> None:
        self._logic("logical_or", node, frame)

    def visit_Not(self, node, frame) -> None:
        self.write("environment.logical_not(")
        self.visit(node.node, frame)
        self.write(")")

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class PostEnvironment(SandboxedEnvironment):
    """The sandbox with claim-aware ``and``/``or``/``not`` and limits on what expressions build."""

    code_generator_class = PostCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%", "-", "/"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = GuardedFilters(self.filters)
        self.globals.pop("lipsum", None)  # builds pages of filler text; no post needs it
        self.logical_and, self.logical_or, self.logical_not = \
            logical_and, logical_or, logical_not

    def call_binop(self, context, operator_symbol: str, left, right):
        _predict(operator_symbol, left, right)
        if isinstance(right, Count) and isinstance(left, float) \
                and operator_symbol in COUNT_ON_THE_RIGHT:
            # 0.9 * count: a float's own '*' takes a whole number and returns a bare float,
            # which forgets what was counted (a claim could not name it); the count does it.
            return COUNT_ON_THE_RIGHT[operator_symbol](left, right)
        result = super().call_binop(context, operator_symbol, left, right)
        return check_size(result, f"'{operator_symbol}'")

    def checked_concat(self, values) -> str:
        texts = [str(value) for value in values]
        size = sum(map(len, texts))
        if size > SIZE_LIMIT:
            _refuse("'~'", size)
        return "".join(texts)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        # A method of a text or list ('x'.center(10**8)) takes sizes from its first argument on;
        # a function (sig(x, 3), a macro) works on its first argument.
        bound = getattr(__obj, "__self__", None)
        skip = 0 if isinstance(bound, (str, list, tuple)) else 1
        for value in [*args[skip:], *kwargs.values()]:
            if _is_int(value) and value > SIZE_LIMIT:
                _refuse_argument(f"{getattr(__obj, '__name__', 'a function')}()", value)
        result = super().call(__context, __obj, *args, **kwargs)
        return check_size(result, f"{getattr(__obj, '__name__', 'a function')}()")

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        @functools.wraps(wrapped)
        def checked(*args, **kwargs):
            _check_format_widths(text, args)
            return wrapped(*args, **kwargs)

        return checked

