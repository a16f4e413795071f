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
from contextvars import ContextVar
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
class Access:
    """Steps applied to something other than a plain name: `split(",", x)[0]`, `(a[*].b)[0]`,
    `a.*.b[0]` (a legacy splat ends before an index). Steps are encoded as in Traversal."""

    base: Any
    steps: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Call:
    """`name(args)`; `expand_final` is `name(args...)`, the last argument spread into arguments."""

    name: str
    args: tuple[Any, ...]
    expand_final: bool = False


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
class ForExpr:
    """`[for k, v in collection : value if condition]`, or with `key` set the object form
    `{for k, v in collection : key => value if condition}` (`grouping` for `value...`).
    `key_var` is None when only one iterator name is given."""

    key_var: str | None
    value_var: str
    collection: Any
    key: Any
    value: Any
    condition: Any = None
    grouping: bool = False


@dataclass(frozen=True, slots=True)
class Opaque:
    """An expression we never evaluate (template directives, heredocs with interpolations,
    provider functions); only the references inside it are kept."""

    refs: tuple[Traversal, ...]


Expr = Union[
    Literal, Template, Traversal, Access, Call, TupleExpr, ObjectExpr, Conditional, Operation, ForExpr, Opaque
]


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
    elif isinstance(expr, Access):
        yield from references(expr.base)
        for step in expr.steps:
            if not isinstance(step, (str, tuple)):
                yield from references(step)
    elif isinstance(expr, ForExpr):
        yield from references(expr.collection)
        bound = {expr.key_var, expr.value_var}
        for inner in (expr.key, expr.value, expr.condition):
            if inner is not None:
                yield from (ref for ref in references(inner) if ref.root not in bound)


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

# The text being converted: the tree drops one token we need, the `...` after a last argument.
_SOURCE: ContextVar[str] = ContextVar("_SOURCE", default="")


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
    source = _SOURCE.set(text)
    try:
        return _body(tree.children[0])
    finally:
        _SOURCE.reset(source)


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
    directives = False
    for part in tree.children:
        (piece,) = part.children
        if hasattr(piece, "data"):  # interpolation
            parts.append(_expr(_trees(piece)[0]))
        elif piece.type == "ESCAPED_INTERPOLATION":
            parts.append(str(piece)[1:])  # "$${x}" is the literal text "${x}"
        else:
            text = str(piece)
            directives = directives or _DIRECTIVE.search(text) is not None
            parts.append(_unescape(text).replace("%%{", "%{"))
    if directives:
        return _directive_template(parts)
    return _template(parts)


_DIRECTIVE = re.compile(r"(?<!%)%\{")
_FOR_DIRECTIVE = re.compile(r"%\{~?\s*for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b")


def _directive_template(parts: list[Any]) -> Any:
    """A string with `%{if}` or `%{for}` directives: not evaluated, only its references kept."""
    text = "".join(part for part in parts if isinstance(part, str))
    bound = {name for names in _FOR_DIRECTIVE.findall(text) for name in names if name}
    refs = [ref for part in parts if not isinstance(part, str) for ref in references(part)]
    refs += [_dotted_ref(name) for inner in re.findall(r"%\{([^}]*)\}", text) for name in _DOTTED_NAME.findall(inner)]
    return Opaque(tuple(ref for ref in refs if ref.root not in bound))


def _dotted_ref(name: str) -> Traversal:
    root, *steps = name.split(".")
    return Traversal(root, tuple(steps))


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
    refs = [_dotted_ref(name) for inner in _INTERPOLATION.findall(content) for name in _DOTTED_NAME.findall(inner)]
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
    return _extend(_base(base), _identifier(_trees(get_attr)[0]))


def _index(tree: Any) -> Any:
    base, index = _trees(tree)
    return _extend(_base(base), _index_step(index))


def _index_step(index: Any) -> Any:
    inner = _trees(index)
    if inner:
        key = _expr(inner[0])
        return (key.value,) if isinstance(key, Literal) else key
    return (int("".join(str(t) for t in index.children)),)  # legacy `list.0`


def _splat(tree: Any) -> Any:
    """`a[*].b[0]` applies every following step to each element; the legacy `a.*.b` takes
    attribute names only, so an index after it applies to the whole list (see _base)."""
    base, splat = _trees(tree)
    expr = _extend(_base(base), "*")
    for step in _trees(splat):
        if step.data == "get_attr":
            expr = _extend(expr, _identifier(_trees(step)[0]))
        elif step.data == "index":
            expr = _extend(expr, _index_step(step))
    return expr


def _base(tree: Any) -> Any:
    """The expression a step applies to. Parentheses and a legacy splat end a splat's reach:
    `(a[*].b)[0]` is the first element, not the first of each; such a base is sealed in an Access."""
    expr = _expr(tree)
    if isinstance(expr, Traversal) and "*" in expr.steps and _ends_splat(tree):
        return Access(expr)
    return expr


def _ends_splat(tree: Any) -> bool:
    while tree.data == "expr_term":
        if any(getattr(child, "type", None) == "LPAR" for child in tree.children):
            return True
        inner = _trees(tree)
        if len(inner) != 1:
            return False
        tree = inner[0]
    return tree.data == "attr_splat_expr_term"


def _extend(base: Any, step: Any) -> Any:
    if isinstance(base, Traversal):
        return Traversal(base.root, base.steps + (step,))
    if isinstance(base, Access):
        return Access(base.base, base.steps + (step,))
    return Access(base, (step,))


def _call(tree: Any) -> Any:
    parts = _trees(tree)
    if len(parts) == 1:
        return Call(_identifier(parts[0]), ())
    arg_trees = _trees(parts[1])
    args = tuple(_expr(arg) for arg in arg_trees)
    return Call(_identifier(parts[0]), args, _expands_final(parts[1], arg_trees[-1]))


def _expands_final(arguments: Any, last: Any) -> bool:
    """Whether `...` follows the last argument: the grammar drops that token, so read the
    text between the last argument and whatever follows it inside the argument list."""
    children = arguments.children
    following = children[children.index(last) + 1 :]
    end = getattr(following[0].meta, "start_pos", None) if following else getattr(arguments.meta, "end_pos", None)
    start = getattr(last.meta, "end_pos", None)
    if start is None or end is None:
        return False
    return _SOURCE.get()[start:end].strip() == "..."


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


# HCL's binary operators, loosest first; all are left-associative, and `? :` binds looser still.
_PRECEDENCE = {
    **dict.fromkeys(("||",), 1),
    **dict.fromkeys(("&&",), 2),
    **dict.fromkeys(("==", "!="), 3),
    **dict.fromkeys(("<", ">", "<=", ">="), 4),
    **dict.fromkeys(("+", "-"), 5),
    **dict.fromkeys(("*", "/", "%"), 6),
}


def _operation_chain(tree: Any) -> Any:
    """A binary operation or conditional, re-associated by HCL's precedence.

    python-hcl2's grammar nests every binary operation and conditional to the right with no
    precedence: `a > 2 ? 1 : 0` comes out as `a > (2 ? 1 : 0)` and `2 * 3 + 1` as `2 * (3 + 1)`.
    The operands and operators are still in source order, so flatten them (parenthesised
    expressions stay whole operands) and parse that sequence again by precedence climbing.
    """
    tokens: list[Any] = []
    _flatten_operations(tree, tokens)
    parser = _ChainParser(tokens)
    expr = parser.conditional()
    if parser.pos != len(tokens):  # cannot happen for a tree the grammar accepted
        return Opaque(tuple(_subtree_refs(tree)))
    return expr


def _flatten_operations(tree: Any, tokens: list[Any]) -> None:
    if tree.data == "binary_op":
        left, term = _trees(tree)
        operator, right = _trees(term)
        _flatten_operations(left, tokens)
        tokens.append(str(operator.children[0]))
        _flatten_operations(right, tokens)
    elif tree.data == "conditional":
        condition, if_true, if_false = _trees(tree)
        _flatten_operations(condition, tokens)
        tokens.append("?")
        _flatten_operations(if_true, tokens)
        tokens.append(":")
        _flatten_operations(if_false, tokens)
    else:
        tokens.append(tree)  # an operand: a Lark tree, never a plain str


class _ChainParser:
    def __init__(self, tokens: list[Any]) -> None:
        self.tokens = tokens
        self.pos = 0

    def _peek(self) -> Any:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def conditional(self) -> Any:
        condition = self.binary(1)
        if self._peek() != "?":
            return condition
        self.pos += 1
        if_true = self.conditional()
        if self._peek() != ":":
            return Opaque(())
        self.pos += 1
        return Conditional(condition, if_true, self.conditional())

    def binary(self, min_precedence: int) -> Any:
        token = self._peek()
        if token is None or isinstance(token, str):
            return Opaque(())
        self.pos += 1
        left = _expr(token)
        while True:
            operator = self._peek()
            precedence = _PRECEDENCE.get(operator, 0) if isinstance(operator, str) else 0
            if precedence < min_precedence:
                return left
            self.pos += 1
            left = Operation(operator, (left, self.binary(precedence + 1)))


def _unary(tree: Any) -> Any:
    operator = str(tree.children[0])
    return Operation(operator, (_expr(_trees(tree)[0]),))


def _for_tuple(tree: Any) -> Any:
    intro, value, *rest = _trees(tree)
    return _for(intro, None, value, rest, grouping=False)


def _for_object(tree: Any) -> Any:
    intro, key, value, *rest = _trees(tree)
    grouping = any(str(child) == "..." for child in tree.children if not hasattr(child, "data"))
    return _for(intro, key, value, rest, grouping)


def _for(intro: Any, key: Any, value: Any, rest: list[Any], grouping: bool) -> Any:
    *names, collection = _trees(intro)
    key_var = _identifier(names[0]) if len(names) == 2 else None
    value_var = _identifier(names[-1])
    condition = _expr(_trees(rest[0])[0]) if rest else None
    return ForExpr(
        key_var,
        value_var,
        _expr(collection),
        _expr(key) if key is not None else None,
        _expr(value),
        condition,
        grouping,
    )


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
    "conditional": _operation_chain,
    "binary_op": _operation_chain,
    "for_tuple_expr": _for_tuple,
    "for_object_expr": _for_object,
    "unary_op": _unary,
    "heredoc_template": _heredoc,
    "heredoc_template_trim": _heredoc,
}
