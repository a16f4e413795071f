"""Static evaluation of Terraform expressions: what can be known without running terraform.

Anything that depends on a value only a plan or an apply would know (a variable without a
default, a resource attribute, a data source, a function we do not model) is UNKNOWN, and
UNKNOWN spreads through every expression that uses it, except where Terraform's own semantics
decide the result anyway (`false && x`, `coalesce("a", x)`, `length([x, y])`).

Values are plain Python: str, int, float, bool, None (null), list (tuples, lists and sets: a
set is a list without duplicates), dict (maps and objects), with UNKNOWN anywhere inside.
An expression terraform itself would reject (a wrong type, a missing key) is UNKNOWN too:
another layer reports invalid configurations, and `try`/`can` see it as the error it is.
Functions and operators follow Terraform's documented semantics (go-cty's stdlib); where our
value model cannot tell what terraform would do (list vs tuple types, regex dialects, Unicode
grapheme clusters beyond plain text) the result is UNKNOWN rather than a guess.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Any

from iaclint.loaders.hcl import (
    Access,
    Call,
    Conditional,
    ForExpr,
    Literal,
    ObjectExpr,
    Operation,
    Template,
    Traversal,
    TupleExpr,
)
from iaclint.model import UNKNOWN


class _EvalError(Exception):
    """Terraform would reject this expression. Unknown to callers of Scope.evaluate; an
    error that `try` and `can` catch."""


class _Unresolved(Exception):
    """Some value an operation needs is UNKNOWN: the operation's result is UNKNOWN."""


# --- values ------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_primitive(value: Any) -> bool:
    return isinstance(value, (str, int, float))  # bool is an int


def _fully_known(value: Any) -> bool:
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(_fully_known(item) for item in value.values())
    if isinstance(value, list):
        return all(_fully_known(item) for item in value)
    return True


def _need(value: Any) -> Any:
    if value is UNKNOWN:
        raise _Unresolved
    return value


def _need_fully(value: Any) -> Any:
    if not _fully_known(value):
        raise _Unresolved
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else "map"


# Terraform numbers are arbitrary-precision decimals; we keep ints exact, compute with Decimal
# and give up (UNKNOWN) on magnitudes no real configuration needs.
_MAX_DIGITS = 1000
_NUMBER_TEXT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _decimal(number: Any) -> Decimal:
    return Decimal(number) if isinstance(number, int) else Decimal(repr(number))


def _from_decimal(number: Decimal) -> Any:
    if not number.is_finite() or abs(number.adjusted()) > _MAX_DIGITS:
        raise _Unresolved
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _checked(number: Any) -> Any:
    if isinstance(number, int) and number.bit_length() > 3 * _MAX_DIGITS:
        raise _Unresolved
    return number


def _number_text(number: Any) -> str:
    """A number as terraform writes it in strings and JSON: no exponent, no trailing zeros."""
    if isinstance(number, int):
        return str(number)
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def _to_string(value: Any) -> str:
    """Terraform's conversion of a primitive to string; null and collections are errors."""
    _need(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return _number_text(value)
    raise _EvalError("a string is required")


def _to_number(value: Any) -> Any:
    _need(value)
    if _is_number(value):
        return value
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
        return _from_decimal(Decimal(value))
    raise _EvalError("a number is required")


def _to_int(value: Any) -> int:
    number = _to_number(value)
    if isinstance(number, float):
        raise _EvalError("a whole number is required")
    return number


def _to_bool(value: Any) -> bool:
    _need(value)
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise _EvalError("a bool is required")


def _to_list(value: Any) -> list[Any]:
    _need(value)
    if not isinstance(value, list):
        raise _EvalError("a list is required")
    return value


def _to_map(value: Any) -> dict[str, Any]:
    _need(value)
    if not isinstance(value, dict):
        raise _EvalError("a map is required")
    return value


def _unify(values: list[Any]) -> list[Any]:
    """Elements converted to one type, as terraform does for a list, set or map: a string
    among primitives turns them all to strings; numbers with bools, or primitives with
    collections, cannot be unified. Nested collections are not converted."""
    kinds = {_kind(value) for value in values if value is not None and value is not UNKNOWN}
    if len(kinds) <= 1:
        return values
    if kinds <= {"string", "number", "bool"} and "string" in kinds:
        return [value if value is None or value is UNKNOWN else _to_string(value) for value in values]
    if any(value is UNKNOWN for value in values):
        raise _Unresolved  # an unknown string would make them unify after all
    if kinds & {"list", "map"} and kinds & {"string", "number", "bool"} or kinds == {"number", "bool"}:
        raise _EvalError("elements must all have the same type")
    return values


def _equal(left: Any, right: Any) -> Any:
    """`==` in terraform: no conversion, values of different types are unequal. Two
    collections are UNKNOWN: terraform also compares their types (list vs tuple, map vs
    object), which we do not track (`var.list == []` is false for a list(string))."""
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) or _is_number(right):
        return _is_number(left) and _is_number(right) and left == right
    if isinstance(left, str) or isinstance(right, str):
        return isinstance(left, str) and isinstance(right, str) and left == right
    if isinstance(left, list) != isinstance(right, list):
        return False
    return UNKNOWN


def _sort_key(value: Any) -> Any:
    """A hashable key equal for equal values (of the same type)."""
    if isinstance(value, list):
        return ("list", tuple(_sort_key(item) for item in value))
    if isinstance(value, dict):
        return ("map", tuple((key, _sort_key(value[key])) for key in sorted(value)))
    return (_kind(value) if value is not None else "null", value)


# Characters that join with their neighbours into one grapheme cluster (combining marks,
# joiners, variation selectors, emoji modifiers and flags, Hangul jamo) or are format
# controls: with them, counting code points is not counting characters.
_CLUSTERING = re.compile(
    "[\u0300-\u036f\u1100-\u11ff\u200c\u200d\ua960-\ua97f\ud7b0-\ud7ff\ufe00-\ufe0f"
    "\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff\U000e0000-\U000e01ef]"
)


def _characters(text: str) -> list[str]:
    """The string as terraform counts characters (grapheme clusters), or UNKNOWN when the
    text has anything that clusters and plain code points would miscount."""
    if not text.isascii() and (
        _CLUSTERING.search(text) or any(unicodedata.category(c) in ("Mn", "Mc", "Me", "Cf", "Cs") for c in text)
    ):
        raise _Unresolved
    return re.findall(r"\r\n|.", text, re.DOTALL) if "\r\n" in text else list(text)


# strings.TrimSpace trims Unicode White_Space, which differs from str.strip() at the edges.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def _change_case(text: str, convert: Callable[[str], str]) -> str:
    """Go's strings.ToUpper/ToLower map one character to one character; Python's full case
    mapping can grow a string ("ß" -> "SS"): those characters are left UNKNOWN."""
    if text.isascii():
        return convert(text)
    out = [convert(c) for c in text]
    if any(len(c) != 1 for c in out):
        raise _Unresolved
    return "".join(out)


# --- JSON --------------------------------------------------------------------------------

# Go's encoding/json (and so jsonencode) escapes these for safe embedding in HTML.
_JSON_HTML = re.compile("[<>&\u2028\u2029]")


def _json_string(text: str) -> str:
    return _JSON_HTML.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _json_text(value: Any) -> str:
    """jsonencode: object keys sorted, numbers without exponent, no spaces."""
    _need(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return _number_text(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_json_text(item) for item in value) + "]"
    return "{" + ",".join(f"{_json_string(key)}:{_json_text(value[key])}" for key in sorted(value)) + "}"


def _json_number(text: str) -> Any:
    return _from_decimal(Decimal(text))


def _reject_constant(name: str) -> Any:
    raise _EvalError(f"{name} is not JSON")


# --- functions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Function:
    impl: Callable[..., Any]
    min_args: int
    max_args: int | None  # None: variadic
    # False: any UNKNOWN argument makes the result UNKNOWN without calling impl.
    takes_unknown: bool = False


FUNCTIONS: dict[str, Function] = {}


def _function(name: str, min_args: int, max_args: int | None = -1, *, takes_unknown: bool = False) -> Any:
    """Register a function; max_args None is variadic, -1 (the default) means exactly min_args."""

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = Function(impl, min_args, min_args if max_args == -1 else max_args, takes_unknown)
        return impl

    return register


@_function("jsonencode", 1)
def _jsonencode(value: Any) -> str:
    return _json_text(value)


@_function("jsondecode", 1)
def _jsondecode(text: Any) -> Any:
    try:
        return json.loads(
            _to_string(text), parse_float=_json_number, parse_int=_json_number, parse_constant=_reject_constant
        )
    except ValueError:  # JSONDecodeError, or an integer past Python's digit limit
        raise _EvalError("invalid JSON") from None


@_function("tostring", 1)
def _tostring(value: Any) -> Any:
    return None if value is None else _to_string(value)


@_function("tonumber", 1)
def _tonumber(value: Any) -> Any:
    return None if value is None else _to_number(value)


@_function("tobool", 1)
def _tobool(value: Any) -> Any:
    return None if value is None else _to_bool(value)


@_function("tolist", 1)
def _tolist(value: Any) -> Any:
    return None if value is None else _unify(_to_list(value))


@_function("toset", 1)
def _toset(value: Any) -> Any:
    """A set as a list without duplicates, in terraform's order: strings lexicographic,
    numbers ascending, false before true. Sets of collections have no defined order: UNKNOWN."""
    if value is None:
        return None
    items = _unify(_need_fully(_to_list(value)))
    unique = list({_sort_key(item): item for item in items if item is not None}.values())
    kinds = {_kind(item) for item in unique}
    if kinds & {"list", "map"} or None in items:
        raise _Unresolved
    return sorted(unique)


@_function("tomap", 1)
def _tomap(value: Any) -> Any:
    if value is None:
        return None
    items = _to_map(value)
    return dict(zip(items, _unify(list(items.values()))))


@_function("lower", 1)
def _lower(text: Any) -> str:
    return _change_case(_to_string(text), str.lower)


@_function("upper", 1)
def _upper(text: Any) -> str:
    return _change_case(_to_string(text), str.upper)


@_function("trimspace", 1)
def _trimspace(text: Any) -> str:
    return _to_string(text).strip(_GO_SPACE)


@_function("trimprefix", 2)
def _trimprefix(text: Any, prefix: Any) -> str:
    return _to_string(text).removeprefix(_to_string(prefix))


@_function("trimsuffix", 2)
def _trimsuffix(text: Any, suffix: Any) -> str:
    return _to_string(text).removesuffix(_to_string(suffix))


@_function("startswith", 2)
def _startswith(text: Any, prefix: Any) -> bool:
    return _to_string(text).startswith(_to_string(prefix))


@_function("endswith", 2)
def _endswith(text: Any, suffix: Any) -> bool:
    return _to_string(text).endswith(_to_string(suffix))


@_function("replace", 3)
def _replace(text: Any, search: Any, replacement: Any) -> str:
    text, search, replacement = _to_string(text), _to_string(search), _to_string(replacement)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        raise _Unresolved  # a regular expression, in RE2 syntax: not modelled
    return text.replace(search, replacement)


@_function("split", 2)
def _split(separator: Any, text: Any) -> list[str]:
    separator, text = _to_string(separator), _to_string(text)
    return list(text) if separator == "" else text.split(separator)


@_function("join", 2, None)
def _join(separator: Any, *lists: Any) -> str:
    separator = _to_string(separator)
    items = []
    for items_list in lists:
        for item in _to_list(items_list):
            if item is None:
                raise _EvalError("cannot join a null element")
            items.append(_to_string(item))
    return separator.join(items)


@_function("substr", 3)
def _substr(text: Any, offset: Any, length: Any) -> str:
    """cty's Substr, quirks included: a negative offset counts from the end (and a length of
    0 with it still takes the rest), an offset past the end gives ""."""
    characters = _characters(_to_string(text))
    offset, length = _to_int(offset), _to_int(length)
    if offset < 0:
        offset = max(offset + len(characters), 0)
    elif length == 0:
        return ""
    rest = characters[offset:]
    return "".join(rest if length <= 0 else rest[:length])


@_function("format", 1, None)
def _format(spec: Any, *args: Any) -> str:
    spec = _to_string(spec)
    for arg in args:
        _need_fully(arg)
    out: list[str] = []
    pos, next_arg, highest = 0, 1, 0
    while (start := spec.find("%", pos)) >= 0:
        out.append(spec[pos:start])
        if spec.startswith("%%", start):
            out.append("%")
            pos = start + 2
            continue
        verb = _FORMAT_VERB.match(spec, start)
        if verb is None or not verb.group("verb"):
            raise _EvalError("invalid format verb")
        if verb.group("width") == "*" or verb.group("precision") == "*":
            raise _Unresolved
        number = int(verb.group("index")) if verb.group("index") else next_arg
        if number > len(args):
            raise _EvalError("not enough arguments for the format string")
        highest, next_arg = max(highest, number), number + 1
        out.append(_format_one(verb, args[number - 1]))
        pos = verb.end()
    out.append(spec[pos:])
    if highest < len(args):
        raise _EvalError("too many arguments for the format string")
    return "".join(out)


# cty's format verb: %, flags, [argument number], width, .precision, a letter.
_FORMAT_VERB = re.compile(
    r"%(?P<flags>[-+# 0]*)(?:\[(?P<index>[1-9]\d*)\])?"
    r"(?P<width>[1-9]\d*|\*)?(?:\.(?P<precision>\d*|\*))?(?P<verb>[A-Za-z]?)"
)


def _format_one(verb: re.Match[str], arg: Any) -> str:
    flags, mode = verb.group("flags"), verb.group("verb")
    width = int(verb.group("width")) if verb.group("width") else None
    precision = int(verb.group("precision") or 0) if verb.group("precision") is not None else None
    if mode != "v" and arg is None:
        raise _EvalError("null cannot be formatted")
    if mode == "v":
        if "#" not in flags and isinstance(arg, str):
            text = arg
        elif "#" not in flags and _is_number(arg):
            text = _go_shortest_g(arg)
        else:
            text = _json_text(arg)
        return _pad(text, width, flags)
    if mode == "t":
        return "true" if _to_bool(arg) else "false"  # cty applies no width here
    if mode in "sq":
        text = _to_string(arg)
        if precision:
            text = "".join(_characters(text)[:precision])
        return _pad(_json_string(text) if mode == "q" else text, width, flags)
    if mode in "bdoxX":
        number = _to_number(arg)
        if isinstance(number, float):
            raise _EvalError("an integer is required")
        return _format_integer(number, mode, flags, width, precision)
    if mode == "f":
        return _format_fixed(_to_number(arg), flags, width, precision)
    if mode in "eEgG":
        raise _Unresolved  # scientific notation: not modelled
    raise _EvalError(f"unsupported format verb {mode!r}")


def _pad(text: str, width: int | None, flags: str) -> str:
    """cty's formatPadWidth: width in characters, "0" pads with zeros, "-" pads on the right."""
    if width is None:
        return text
    missing = width - len(_characters(text))
    if missing <= 0:
        return text
    padding = ("0" if "0" in flags else " ") * missing
    return text + padding if "-" in flags else padding + text


def _sign(negative: bool, flags: str) -> str:
    return "-" if negative else "+" if "+" in flags else " " if " " in flags else ""


def _format_integer(number: int, mode: str, flags: str, width: int | None, precision: int | None) -> str:
    """Go's fmt for big.Int: sign, "#" prefix, precision as a minimum digit count."""
    digits = format(abs(number), {"d": "d", "b": "b", "o": "o", "x": "x", "X": "X"}[mode])
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(mode, "") if "#" in flags else ""
    sign = _sign(number < 0, flags)
    if precision is not None:
        if precision == 0 and number == 0:
            return ""
        digits = digits.rjust(precision, "0")
    length = len(sign) + len(prefix) + len(digits)
    if width is None or length >= width:
        return sign + prefix + digits
    if "-" in flags:
        return sign + prefix + digits + " " * (width - length)
    if "0" in flags and precision is None:
        return sign + prefix + "0" * (width - length) + digits
    return " " * (width - length) + sign + prefix + digits


def _format_fixed(number: Any, flags: str, width: int | None, precision: int | None) -> str:
    """Go's fmt for big.Float with %f: precision 6 unless given; Go drops "0" when "-" is set."""
    places = 6 if precision is None else precision
    if places > 100:
        raise _Unresolved
    value = _decimal(number)
    quantum = Decimal(1).scaleb(-places)
    with localcontext() as context:
        context.prec = _MAX_DIGITS + places + 10
        exact = value.quantize(quantum, rounding=ROUND_DOWN)
        if (value - exact).copy_abs() * 2 == quantum:
            # A tie: big.Float rounds the binary value terraform parsed, which may sit just
            # above or below the decimal one. Not worth emulating.
            raise _Unresolved
        digits = format(value.copy_abs(), f".{places}f")
    sign = _sign(value.is_signed() and value != 0, flags)
    padding = max((width or 0) - len(sign) - len(digits), 0)
    if "-" in flags:
        return sign + digits + " " * padding
    if "0" in flags:
        return sign + "0" * padding + digits
    return " " * padding + sign + digits


def _go_shortest_g(number: Any) -> str:
    """big.Float.Text('g', -1), which %v uses for numbers: shortest digits, and exponent
    form when the exponent is below -4 or at least 6 (so 1000000 is "1e+06")."""
    value = _decimal(number).normalize()
    if value == 0:
        return "0"
    sign, digit_tuple, exponent = value.as_tuple()
    digits = "".join(map(str, digit_tuple))
    scientific = len(digits) + int(exponent) - 1
    text = "-" if sign else ""
    if scientific < -4 or scientific >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{text}{mantissa}e{'-' if scientific < 0 else '+'}{abs(scientific):02d}"
    return text + format(value.copy_abs(), "f")


@_function("lookup", 2, 3, takes_unknown=True)
def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    # A key that is present decides the result even when the default is unknown.
    key = _to_string(key)
    mapping = _to_map(mapping)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise _EvalError(f"no key {key!r} and no default")


@_function("merge", 0, None)
def _merge(*maps: Any) -> Any:
    if maps and all(item is None for item in maps):
        return None
    merged: dict[str, Any] = {}
    for item in maps:
        if item is not None:
            merged.update(_to_map(item))
    return merged


@_function("coalesce", 1, None, takes_unknown=True)
def _coalesce(*values: Any) -> Any:
    """The first argument that is not null nor "", after terraform converts them all to one
    type (a string among them makes it string). An UNKNOWN before the winner is UNKNOWN."""
    kinds = {_kind(value) for value in values if value is not None and value is not UNKNOWN}
    to_string = "string" in kinds and kinds <= {"string", "number", "bool"}
    if len(kinds) > 1 and not to_string:
        if any(value is UNKNOWN for value in values):
            raise _Unresolved
        raise _EvalError("arguments must have the same type")
    for value in values:
        _need(value)
        if value is None:
            continue
        if to_string:
            value = _to_string(value)
            if value == "":
                continue
        return value
    raise _EvalError("no non-null, non-empty-string arguments")


@_function("coalescelist", 1, None, takes_unknown=True)
def _coalescelist(*lists: Any) -> Any:
    if all(item is not UNKNOWN for item in lists):
        for item in lists:
            if item is not None and not isinstance(item, list):
                raise _EvalError("arguments must be lists")
    for item in lists:
        if item is None:
            raise _Unresolved  # a null list's type is unknown to us
        if _to_list(item):
            return item
    raise _EvalError("no non-empty list")


@_function("concat", 1, None)
def _concat(*lists: Any) -> list[Any]:
    return [item for items in lists for item in _to_list(items)]


@_function("length", 1)
def _length(value: Any) -> int:
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return len(_characters(value))
    raise _EvalError("length of a collection or string only")


@_function("element", 2)
def _element(items: Any, index: Any) -> Any:
    items, index = _to_list(items), _to_int(index)
    if index < 0:
        raise _EvalError("negative index")
    if not items:
        raise _EvalError("empty list")
    return items[index % len(items)]


@_function("contains", 2, takes_unknown=True)
def _contains(items: Any, value: Any) -> bool:
    if not _to_list(items):
        return False
    _need(value)
    unknown = False
    for item in items:
        same = _equal(value, item)
        if same is UNKNOWN:
            unknown = True
        elif same:
            return True
    if unknown:
        raise _Unresolved
    return False


@_function("keys", 1)
def _keys(mapping: Any) -> list[str]:
    return sorted(_to_map(mapping))


@_function("values", 1)
def _values(mapping: Any) -> list[Any]:
    mapping = _to_map(mapping)
    return [mapping[key] for key in sorted(mapping)]


@_function("flatten", 1)
def _flatten(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in _to_list(items):
        if isinstance(_need(item), list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


@_function("distinct", 1)
def _distinct(items: Any) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for item in _unify(_need_fully(_to_list(items))):
        key = _sort_key(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


@_function("compact", 1)
def _compact(items: Any) -> list[str]:
    out = []
    for item in _to_list(items):
        if item is None:
            continue
        text = _to_string(item)
        if text:
            out.append(text)
    return out


@_function("abs", 1)
def _abs(number: Any) -> Any:
    return abs(_to_number(number))


@_function("max", 1, None)
def _max(*numbers: Any) -> Any:
    return max(_to_number(number) for number in numbers)


@_function("min", 1, None)
def _min(*numbers: Any) -> Any:
    return min(_to_number(number) for number in numbers)


# --- operators ---------------------------------------------------------------------------


def _arithmetic(operator: str, left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int):
        if operator == "+":
            return _checked(left + right)
        if operator == "-":
            return _checked(left - right)
        if operator == "*":
            return _checked(left * right)
        if right == 0:
            raise _Unresolved  # division by zero: terraform's answer depends on its version
        if operator == "%":  # truncated, like big.Float: the sign of the dividend
            quotient = abs(left) // abs(right)
            return left - right * (quotient if (left < 0) == (right < 0) else -quotient)
        if left % right == 0:
            return left // right
    with localcontext() as context:
        context.prec = 40
        a, b = _decimal(left), _decimal(right)
        if operator == "+":
            result = a + b
        elif operator == "-":
            result = a - b
        elif operator == "*":
            result = a * b
        elif b == 0:
            raise _Unresolved
        elif operator == "/":
            result = a / b
        else:
            result = a - b * (a / b).to_integral_value(rounding=ROUND_DOWN)
    return _from_decimal(result)


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


# --- scope -------------------------------------------------------------------------------


class Scope:
    """The values a module's expressions can see: its variables and locals and, for one
    instance of a resource, `each` and `count` (see with_instance)."""

    def __init__(self, variables: dict[str, Any], local_exprs: dict[str, Any]) -> None:
        self.variables = variables
        self.local_exprs = local_exprs
        self._locals: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._root = self
        self._names: dict[str, Any] = {}  # iterator names of the enclosing for expressions
        self._instance: dict[tuple[str, str], Any] = {}

    def with_instance(
        self, *, each_key: Any = UNKNOWN, each_value: Any = UNKNOWN, count_index: Any = UNKNOWN
    ) -> Scope:
        """A scope for one instance of a resource with `for_each` or `count`, sharing this
        one's variables and locals. What is not given stays UNKNOWN; for a for_each over a
        set, terraform's each.value is the element, the same as each.key."""
        instance = {("each", "key"): each_key, ("each", "value"): each_value, ("count", "index"): count_index}
        return self._child(self._names, {name: value for name, value in instance.items() if value is not UNKNOWN})

    def with_names(self, names: dict[str, Any]) -> Scope:
        """This scope with more names bound, as a dynamic block binds its iterator
        (`setting.key`, `setting.value`)."""
        return self._child({**self._names, **names}, self._instance)

    def _child(self, names: dict[str, Any], instance: dict[tuple[str, str], Any]) -> Scope:
        """This scope (of the same class, with the same attributes) with other bindings."""
        child = object.__new__(type(self))
        child.__dict__.update(self.__dict__)
        child._names = names
        child._instance = instance
        return child

    def local(self, name: str) -> Any:
        try:
            return self._root._local(name)
        except (_EvalError, _Unresolved, RecursionError):
            return UNKNOWN

    def _local(self, name: str) -> Any:
        if name in self._locals:
            value = self._locals[name]
            if isinstance(value, _EvalError):
                raise value
            return value
        if name not in self.local_exprs or name in self._evaluating:
            return UNKNOWN  # undeclared, or a cycle terraform itself would reject
        self._evaluating.add(name)
        try:
            value = self._eval(self.local_exprs[name])
        except _EvalError as error:
            self._locals[name] = error
            raise
        finally:
            self._evaluating.discard(name)
        self._locals[name] = value
        return value

    def evaluate(self, expr: Any) -> Any:
        """The value of an expression, or UNKNOWN; never raises."""
        try:
            return self._eval(expr)
        except (_EvalError, RecursionError):
            return UNKNOWN

    def _eval(self, expr: Any) -> Any:
        method = _EVALUATORS.get(type(expr))
        if method is None:
            return UNKNOWN  # Opaque, or nothing at all
        try:
            return method(self, expr)
        except _Unresolved:
            return UNKNOWN

    def _literal(self, expr: Literal) -> Any:
        value = expr.value
        if isinstance(value, float) and not (abs(value) < float("inf")):
            return UNKNOWN  # a literal past float range: terraform's numbers have no such limit
        return value

    def _template(self, expr: Template) -> Any:
        if len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
            return self._eval(expr.parts[0])  # HCL: "${x}" alone is x, not a string
        return "".join(part if isinstance(part, str) else _to_string(self._eval(part)) for part in expr.parts)

    def _tuple(self, expr: TupleExpr) -> Any:
        return [self._eval(item) for item in expr.items]

    def _object(self, expr: ObjectExpr) -> Any:
        result = {}
        for key_expr, value_expr in expr.items:
            result[_to_string(self._eval(key_expr))] = self._eval(value_expr)
        return result

    def reference(self, ref: Traversal) -> Any:
        """The value of a reference to anything but variables, locals, `each`, `count` and
        for-expression iterators: resources, data sources, module outputs, `path`. UNKNOWN
        here; a scope that knows more (a module's outputs) overrides this, and every
        expression that mentions the reference, however nested, sees its answer."""
        return UNKNOWN

    def _traversal(self, expr: Traversal) -> Any:
        if expr.root in self._names:
            return self._steps(self._names[expr.root], expr.steps)
        if expr.root not in ("var", "local", "each", "count"):
            return self.reference(expr)
        if not expr.steps or not isinstance(expr.steps[0], str) or expr.steps[0] == "*":
            return UNKNOWN
        name = expr.steps[0]
        if expr.root == "var":
            value = self.variables.get(name, UNKNOWN)
        elif expr.root == "local":
            value = self._root._local(name)
        else:
            value = self._instance.get((expr.root, name), UNKNOWN)
        return self._steps(value, expr.steps[1:])

    def _access(self, expr: Access) -> Any:
        return self._steps(self._eval(expr.base), expr.steps)

    def _steps(self, value: Any, steps: tuple[Any, ...]) -> Any:
        for position, step in enumerate(steps):
            _need(value)
            if step == "*":
                # A splat maps the rest over a list; null is [], any other value [value].
                items = [] if value is None else value if isinstance(value, list) else [value]
                rest = steps[position + 1 :]
                return [self._steps_or_unknown(item, rest) for item in items]
            if isinstance(step, str):
                if not isinstance(value, dict) or step not in value:
                    raise _EvalError(f"no attribute {step!r}")
                value = value[step]
            else:
                key = step[0] if isinstance(step, tuple) else self._eval(step)
                value = _index(value, key)
        return value

    def _steps_or_unknown(self, value: Any, steps: tuple[Any, ...]) -> Any:
        try:
            return self._steps(value, steps)
        except _Unresolved:
            return UNKNOWN

    def _conditional(self, expr: Conditional) -> Any:
        condition = self._eval(expr.condition)
        if condition is None:
            raise _EvalError("null condition")
        chosen, other = (expr.if_true, expr.if_false) if _to_bool(condition) else (expr.if_false, expr.if_true)
        value = self._eval(chosen)
        if _is_primitive(value) and not isinstance(value, str):
            # Terraform gives both results one type: with a string on the other side, the
            # chosen number or bool becomes a string. Errors over there do not count.
            try:
                other_value = self._eval(other)
            except _EvalError:
                other_value = UNKNOWN
            if isinstance(other_value, str):
                return _to_string(value)
        return value

    def _call(self, expr: Call) -> Any:
        if expr.name == "try":
            return self._try(expr)
        if expr.name == "can":
            return self._can(expr)
        function = FUNCTIONS.get(expr.name)
        if function is None:
            return UNKNOWN  # not modelled (or not a function): terraform knows, we do not
        args = [self._eval(arg) for arg in expr.args]
        if expr.expand_final and args:
            args.extend(_to_list(args.pop()))
        too_many = function.max_args is not None and len(args) > function.max_args
        if len(args) < function.min_args or too_many:
            raise _EvalError(f"wrong number of arguments for {expr.name}")
        if not function.takes_unknown and any(arg is UNKNOWN for arg in args):
            return UNKNOWN
        return function.impl(*args)

    def _try(self, expr: Call) -> Any:
        """The first argument that evaluates without an error; UNKNOWN as soon as one
        depends on something unknown, since it might fail once that is known."""
        if expr.expand_final:
            return UNKNOWN
        for arg in expr.args:
            try:
                value = self._eval(arg)
            except _EvalError:
                continue
            return value if _fully_known(value) else UNKNOWN
        raise _EvalError("no argument of try succeeded")

    def _can(self, expr: Call) -> Any:
        if len(expr.args) != 1 or expr.expand_final:
            raise _EvalError("can takes one argument")
        try:
            value = self._eval(expr.args[0])
        except _EvalError:
            return False
        return True if _fully_known(value) else UNKNOWN

    def _operation(self, expr: Operation) -> Any:
        operator = expr.operator
        if len(expr.operands) == 1:
            value = _need(self._eval(expr.operands[0]))
            if operator == "!":
                return not _to_bool(value)
            if operator == "-":
                return -_to_number(value)
            return UNKNOWN
        left_expr, right_expr = expr.operands
        if operator in ("&&", "||"):
            return self._logical(operator == "||", left_expr, right_expr)
        left, right = self._eval(left_expr), self._eval(right_expr)
        if operator in ("==", "!="):
            same = _equal(left, right)
            return UNKNOWN if same is UNKNOWN else same == (operator == "==")
        left, right = _to_number(left), _to_number(right)
        if operator in _COMPARISONS:
            return _COMPARISONS[operator](left, right)
        if operator in ("+", "-", "*", "/", "%"):
            return _arithmetic(operator, left, right)
        return UNKNOWN

    def _logical(self, decisive: bool, left_expr: Any, right_expr: Any) -> Any:
        """`&&` (decisive False) and `||` (decisive True). A known decisive operand decides,
        whichever side it is on; terraform (HCL 2.20+) skips the right side then."""
        left = self._eval(left_expr)
        if left is not UNKNOWN and _to_bool(left) is decisive:
            return decisive
        right = self._eval(right_expr)
        if right is UNKNOWN:
            return UNKNOWN
        if _to_bool(right) is decisive:
            return decisive
        return UNKNOWN if left is UNKNOWN else not decisive

    def _for(self, expr: ForExpr) -> Any:
        collection = _need(self._eval(expr.collection))
        if isinstance(collection, list):
            pairs = list(enumerate(collection))
        elif isinstance(collection, dict):
            pairs = [(key, collection[key]) for key in sorted(collection)]
        else:
            raise _EvalError("for iterates over a list, set or map")
        items: list[Any] = []
        mapping: dict[str, Any] = {}
        for key, value in pairs:
            names = {**self._names, expr.value_var: value}
            if expr.key_var is not None:
                names[expr.key_var] = key
            scope = self._child(names, self._instance)
            if expr.condition is not None:
                keep = scope._eval(expr.condition)
                if keep is None:
                    raise _EvalError("null condition")
                if not _to_bool(keep):
                    continue
            if expr.key is None:
                items.append(scope._eval(expr.value))
                continue
            name = _to_string(scope._eval(expr.key))
            item = scope._eval(expr.value)
            if expr.grouping:
                mapping.setdefault(name, []).append(item)
            elif name in mapping:
                raise _EvalError(f"duplicate key {name!r}; add ... to group them")
            else:
                mapping[name] = item
        return items if expr.key is None else mapping


def _index(value: Any, key: Any) -> Any:
    _need(key)
    if isinstance(value, dict):
        name = _to_string(key)
        if name not in value:
            raise _EvalError(f"no key {name!r}")
        return value[name]
    if isinstance(value, list):
        position = _to_int(key)
        if not 0 <= position < len(value):
            raise _EvalError("index out of range")
        return value[position]
    raise _EvalError("not a collection")


_EVALUATORS: dict[type, Callable[[Scope, Any], Any]] = {
    Literal: Scope._literal,
    Template: Scope._template,
    TupleExpr: Scope._tuple,
    ObjectExpr: Scope._object,
    Traversal: Scope._traversal,
    Access: Scope._access,
    Conditional: Scope._conditional,
    Call: Scope._call,
    Operation: Scope._operation,
    ForExpr: Scope._for,
}
