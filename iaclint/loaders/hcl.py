"""HCL syntax: the one module that knows python-hcl2.

We use python-hcl2 7.3.1 for its Lark grammar and parser only, and turn the Lark tree into our
own small syntax tree: blocks and attributes with their positions, and expressions kept as
structure (literals, templates, traversals, calls) so the Terraform loader can evaluate what is
knowable and find every reference. Skipping python-hcl2's dict transformer saves a third of the
parse time and, unlike its dicts, keeps the line and column of every attribute.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Union

from iaclint.loaders import Span

# Tree shapes below follow the grammar of exactly this python-hcl2 release (pinned in
# pyproject.toml); a new release must pass tests/test_loader_hcl.py before the pin moves.
PARSER_PACKAGE = "python-hcl2==7.3.1"


# --- expressions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Template:
    """A string with interpolations: parts are str or expressions."""

    parts: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Traversal:
    """`root.step.step[index]`: steps are attribute names (str), literal keys (int/str in a
    1-tuple, to tell `a["b"]` from `a.b`), expressions (computed index) or "*" (splat)."""

    root: str
    steps: tuple[Any, ...] = ()

    def dotted(self, depth: int) -> str | None:
        """The first `depth` names joined by dots, when the traversal has that many names."""
        names = [self.root]
        for step in self.steps[: depth - 1]:
            if not isinstance(step, str) or step == "*":
                return None
            names.append(step)
        return ".".join(names) if len(names) == depth else None


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class TupleExpr:
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    items: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True, slots=True)
class Conditional:
    condition: Any
    if_true: Any
    if_false: Any


@dataclass(frozen=True, slots=True)
class Operation:
    operator: str
    operands: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Opaque:
    """An expression we never evaluate (for expressions, splats on calls, heredoc templates);
    only the references inside it are kept."""

    refs: tuple[Traversal, ...]


Expr = Union[Literal, Template, Traversal, Call, TupleExpr, ObjectExpr, Conditional, Operation, Opaque]


def references(expr: Any) -> Iterator[Traversal]:
    """Every traversal an expression mentions, in source order."""
    if isinstance(expr, Traversal):
        yield expr
        for step in expr.steps:
            if not isinstance(step, (str, tuple)):
                yield from references(step)
    elif isinstance(expr, Opaque):
        yield from expr.refs
    elif isinstance(expr, Template):
        for part in expr.parts:
            if not isinstance(part, str):
                yield from references(part)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from references(arg)
    elif isinstance(expr, TupleExpr):
        for item in expr.items:
            yield from references(item)
    elif isinstance(expr, ObjectExpr):
        for key, value in expr.items:
            yield from references(key)
            yield from references(value)
    elif isinstance(expr, Conditional):
        yield from references(expr.condition)
        yield from references(expr.if_true)
        yield from references(expr.if_false)
    elif isinstance(expr, Operation):
        for operand in expr.operands:
            yield from references(operand)


# --- structure ---------------------------------------------------------------------------


@dataclass(slots=True)
class Attribute:
    name: str
    expr: Any
    span: Span


@dataclass(slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    span: Span


@dataclass(slots=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [block for block in self.blocks if block.type == block_type]


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# --- parsing -----------------------------------------------------------------------------

_TRAILING_BLANKS = re.compile(r"[ \t]+$", re.MULTILINE)


def parse(text: str) -> Body:
    """Parse one HCL file into a Body, or raise HclSyntaxError with the position."""
    from hcl2.parser import parser
    from lark.exceptions import UnexpectedInput

    # The grammar only knows "\n" line ends, and rejects a heredoc whose closing marker is
    # followed by blanks (an upstream bug); neither change moves any line or column.
    text = _TRAILING_BLANKS.sub("", text.lstrip("\ufeff").replace("\r\n", "\n"))
    if not text.endswith("\n"):
        text += "\n"
    # The parse builds many short-lived objects and no cycles; the cyclic GC only slows it.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        tree = parser().parse(text)
    except UnexpectedInput as error:
        raise HclSyntaxError(_describe(error), *_position(error)) from None
    except RecursionError:
        raise HclSyntaxError("nesting too deep to parse", 1, 1) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return _body(tree.children[0])


def _position(error: Any) -> tuple[int, int]:
    """Where the offending text starts: the lexer often glues the newlines before it on."""
    line, column = error.line, error.column
    token = getattr(error, "token", None)
    text = str(token) if token is not None else ""
    blanks = text[: len(text) - len(text.lstrip())]
    if "\n" in blanks:
        return line + blanks.count("\n"), len(blanks) - blanks.rfind("\n")
    return line, column + len(blanks)


def _describe(error: Any) -> str:
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return "unexpected end of file: a block, string or bracket is not closed"
    if token is not None:
        return f"unexpected {str(token).strip().splitlines()[0][:40]!r}"
    char = getattr(error, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return "syntax error"


def _span(tree: Any) -> Span:
    meta = tree.meta
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _trees(tree: Any) -> list[Any]:
    """Children that carry meaning: subtrees other than newlines and comments."""
    return [c for c in tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"]


def _body(tree: Any) -> Body:
    body = Body()
    for child in _trees(tree):
        if child.data == "attribute":
            name = _identifier(child.children[0])
            # A duplicate argument is a Terraform error; the first one is what a reader sees.
            body.attributes.setdefault(name, Attribute(name, _expr(child.children[2]), _span(child)))
        elif child.data == "block":
            parts = _trees(child)
            labels = tuple(_label(part) for part in parts[1:-1])
            body.blocks.append(Block(_identifier(parts[0]), labels, _body(parts[-1]), _span(child)))
    return body


def _identifier(tree: Any) -> str:
    return str(tree.children[0])


def _label(tree: Any) -> str:
    if tree.data == "identifier":
        return _identifier(tree)
    value = _string(tree)
    return value.value if isinstance(value, Literal) else ""


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, match.group(0))

    return _ESCAPE.sub(replace, text) if "\\" in text else text


def _string(tree: Any) -> Any:
    parts: list[Any] = []
    for part in tree.children:
        (piece,) = part.children
        if hasattr(piece, "data"):  # interpolation
            parts.append(_expr(_trees(piece)[0]))
        elif piece.type == "ESCAPED_INTERPOLATION":
            parts.append(str(piece)[1:])  # "$${x}" is the literal text "${x}"
        else:
            parts.append(_unescape(str(piece)))
    return _template(parts)


def _template(parts: list[Any]) -> Any:
    if all(isinstance(part, str) for part in parts):
        return Literal("".join(parts))
    return Template(tuple(parts))


_HEREDOC = re.compile(r"<<(-?)([A-Za-z][\w.-]*)\n?(.*?)\n\s*\2\n?\Z", re.DOTALL)
_INTERPOLATION = re.compile(r"(?<!\$)\$\{([^}]*)\}")
_DOTTED_NAME = re.compile(r"(?<![\w.\"'])([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+)")


def _heredoc(tree: Any) -> Any:
    match = _HEREDOC.match(str(tree.children[0]))
    if match is None:
        return Opaque(())
    trim, _, content = match.groups()
    lines = content.split("\n")
    if trim:
        indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    content = "\n".join(lines) + "\n"
    if not _INTERPOLATION.search(content) and "%{" not in content:
        return Literal(content.replace("$${", "${"))
    # Interpolations inside heredocs are rare in these configs: keep their references only.
    refs = [
        Traversal(name.split(".")[0], tuple(name.split(".")[1:]))
        for inner in _INTERPOLATION.findall(content)
        for name in _DOTTED_NAME.findall(inner)
    ]
    return Opaque(tuple(refs))


def _number(tree: Any) -> Any:
    text = "".join(str(token) for token in tree.children)
    try:
        return Literal(int(text))
    except ValueError:
        return Literal(float(text))


def _expr(tree: Any) -> Any:
    handler = _HANDLERS.get(tree.data)
    if handler is None:
        return Opaque(tuple(_subtree_refs(tree)))
    return handler(tree)


def _expr_term(tree: Any) -> Any:
    inner = _trees(tree)
    if len(inner) == 1:
        return _expr(inner[0])
    return Opaque(tuple(_subtree_refs(tree)))


def _identifier_expr(tree: Any) -> Any:
    name = _identifier(tree)
    constants = {"true": True, "false": False, "null": None}
    if name in constants:
        return Literal(constants[name])
    return Traversal(name)


def _get_attr(tree: Any) -> Any:
    base, get_attr = _trees(tree)
    return _extend(_expr(base), _identifier(_trees(get_attr)[0]))


def _index(tree: Any) -> Any:
    base, index = _trees(tree)
    inner = _trees(index)
    if inner:
        key = _expr(inner[0])
        step = (key.value,) if isinstance(key, Literal) else key
    else:  # legacy `list.0`
        step = (int("".join(str(t) for t in index.children)),)
    return _extend(_expr(base), step)


def _splat(tree: Any) -> Any:
    base, splat = _trees(tree)
    expr = _extend(_expr(base), "*")
    for step in _trees(splat):
        if step.data == "get_attr":
            expr = _extend(expr, _identifier(_trees(step)[0]))
    return expr


def _extend(base: Any, step: Any) -> Any:
    if isinstance(base, Traversal):
        return Traversal(base.root, base.steps + (step,))
    return Opaque(tuple(references(base)))


def _call(tree: Any) -> Any:
    parts = _trees(tree)
    args = tuple(_expr(arg) for arg in _trees(parts[1])) if len(parts) > 1 else ()
    return Call(_identifier(parts[0]), args)


def _tuple(tree: Any) -> Any:
    return TupleExpr(tuple(_expr(item) for item in _trees(tree)))


def _object(tree: Any) -> Any:
    items = []
    for elem in _trees(tree):
        key_tree, value_tree = _trees(elem)
        (key,) = _trees(key_tree)
        if key.data == "identifier":
            key_expr: Any = Literal(_identifier(key))
        elif key.data == "object_elem_key_dot_accessor":
            key_expr = Literal(".".join(_identifier(part) for part in _trees(key)))
        elif key.data == "object_elem_key_expression":
            key_expr = _expr(_trees(key)[0])
        else:
            key_expr = _expr(key)
        items.append((key_expr, _expr(value_tree)))
    return ObjectExpr(tuple(items))


def _conditional(tree: Any) -> Any:
    condition, if_true, if_false = (_expr(part) for part in _trees(tree))
    return Conditional(condition, if_true, if_false)


def _binary(tree: Any) -> Any:
    left, term = _trees(tree)
    operator, right = _trees(term)
    return Operation(str(operator.children[0]), (_expr(left), _expr(right)))


def _unary(tree: Any) -> Any:
    operator = str(tree.children[0])
    return Operation(operator, (_expr(_trees(tree)[0]),))


def _subtree_refs(tree: Any) -> Iterator[Traversal]:
    """References inside an expression we do not model, minus its own iterator names."""
    bound: set[str] = set()
    for node in tree.iter_subtrees_topdown():
        if node.data == "for_intro":
            bound.update(_identifier(part) for part in _trees(node) if part.data == "identifier")
    seen: set[int] = set()
    for node in tree.iter_subtrees_topdown():
        if id(node) in seen or node.data not in _TRAVERSAL_NODES:
            continue
        expr = _expr(node)
        for inner in node.iter_subtrees():
            seen.add(id(inner))
        for ref in references(expr):
            if ref.root not in bound:
                yield ref


_TRAVERSAL_NODES = {"get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"}

_HANDLERS = {
    "expr_term": _expr_term,
    "int_lit": _number,
    "float_lit": _number,
    "string": _string,
    "identifier": _identifier_expr,
    "get_attr_expr_term": _get_attr,
    "index_expr_term": _index,
    "attr_splat_expr_term": _splat,
    "full_splat_expr_term": _splat,
    "function_call": _call,
    "tuple": _tuple,
    "object": _object,
    "conditional": _conditional,
    "binary_op": _binary,
    "unary_op": _unary,
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
}
