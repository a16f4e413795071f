"""Terraform configuration (.tf, .tofu, .tf.json): one module directory -> one LoadedUnit."""

from __future__ import annotations

import json
from typing import Any, Iterator

from iaclint.loaders import Link, LoadedUnit, SourceError, Span, build_nodes, catalog, location, read_source
from iaclint.loaders.catalog import Each, FactPath
from iaclint.loaders.hcl import (
    Attribute,
    Block,
    Body,
    HclSyntaxError,
    Literal,
    ObjectExpr,
    Opaque,
    Template,
    Traversal,
    TupleExpr,
    parse,
    references,
)
from iaclint.loaders.terraform_values import Scope
from iaclint.model import UNKNOWN, Fact, LoadError, Location, Resource, Section, Symbol

FORMAT = "terraform"

# Roots of references that never name a node of the graph.
_NOT_NODES = {"var", "path", "terraform", "each", "count", "self"}


def load_module(name: str, files: list[str]) -> LoadedUnit:
    """Load every file of one module directory together, as terraform does."""
    files = _effective_files(files)
    unit = LoadedUnit(name=name, format=FORMAT, files=files)
    parsed: list[tuple[str, Body]] = []
    overrides: list[tuple[str, Body]] = []
    for file in files:
        try:
            body = _parse_file(file)
        except (SourceError, HclSyntaxError, _document_error()) as error:
            unit.errors.append(LoadError(file, error.line, error.message, error.column))
            continue
        (overrides if _is_override(file) else parsed).append((file, body))
    for file, body in overrides:
        _apply_override(parsed, file, body)
    scope = _scope(parsed + overrides)
    seen: set[str] = set()
    for file, body in parsed:
        for block in body.blocks:
            if block.type not in ("resource", "data") or len(block.labels) != 2 or not all(block.labels):
                continue
            nodes = _resources(file, block, scope)
            declared = nodes[0]
            if declared.node_id in seen:
                unit.errors.append(
                    LoadError(file, block.span.line, f"duplicate {declared.address}; terraform rejects this")
                )
                continue
            seen.add(declared.node_id)
            unit.resources.extend(nodes)
            for node in nodes:
                unit.links.extend(_links(node.node_id, block.body, scope))
    return unit


def _stem(file: str) -> str:
    name = file.rsplit("/", 1)[-1]
    for suffix in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _effective_files(files: list[str]) -> list[str]:
    """OpenTofu reads `x.tofu` instead of `x.tf` when both exist (and the same for .json)."""
    present = set(files)
    shadowed = {file[: -len(".tofu")] + ".tf" for file in files if file.endswith(".tofu")}
    shadowed |= {file[: -len(".tofu.json")] + ".tf.json" for file in files if file.endswith(".tofu.json")}
    return [file for file in files if file not in shadowed or file not in present]


def _is_override(file: str) -> bool:
    stem = _stem(file)
    return stem == "override" or stem.endswith("_override")


def _apply_override(parsed: list[tuple[str, Body]], file: str, override: Body) -> None:
    """Terraform's override files: arguments replace the base block's, nested blocks of a type
    replace all of that type (https://developer.hashicorp.com/terraform/language/files/override)."""
    bases = {(b.type, b.labels): b for _, body in parsed for b in body.blocks if b.type in ("resource", "data")}
    for block in override.blocks:
        base = bases.get((block.type, block.labels))
        if base is None:
            continue  # locals and variables: later files win in _scope; new blocks are an error in terraform
        patch = _with_file(block.body, file)
        base.body.attributes.update(patch.attributes)
        replaced = {b.type for b in patch.blocks}
        base.body.blocks[:] = [b for b in base.body.blocks if b.type not in replaced] + patch.blocks


def _with_file(body: Body, file: str) -> Body:
    def span(s: Span) -> Span:
        return Span(s.line, s.column, s.end_line, s.end_column, file)

    return Body(
        {name: Attribute(a.name, a.expr, span(a.span)) for name, a in body.attributes.items()},
        [Block(b.type, b.labels, _with_file(b.body, file), span(b.span)) for b in body.blocks],
    )


def _document_error() -> type[Exception]:
    from iaclint.loaders.documents import DocumentError

    return DocumentError


def _parse_file(file: str) -> Body:
    text = read_source(file)
    if file.endswith(".json"):
        from iaclint.loaders.documents import load_json  # PyYAML only when there is JSON

        return _json_body(load_json(text))
    return parse(text)


def _scope(parsed: list[tuple[str, Body]]) -> Scope:
    variables: dict[str, Any] = {}
    local_exprs: dict[str, Any] = {}
    plain = Scope({}, {})
    for _, body in parsed:
        for block in body.blocks:
            if block.type == "variable" and block.labels:
                default = block.body.attributes.get("default")
                # No default: the value comes from outside the code (tfvars, CI): unknown.
                variables[block.labels[0]] = plain.evaluate(default.expr) if default else UNKNOWN
            elif block.type == "locals":
                local_exprs.update((name, attr.expr) for name, attr in block.body.attributes.items())
    return Scope(variables, local_exprs)


def _resources(file: str, block: Block, scope: Scope) -> list[Resource]:
    nodes = _typed_nodes(file, block, scope)
    for node in nodes:
        node.facts.update(_meta_facts(file, block, scope))
    return nodes


def _meta_facts(file: str, block: Block, scope: Scope) -> dict[str, Fact]:
    """Terraform's meta-arguments, which every resource type has: how many instances
    (`meta.count`, `meta.for_each`) and which provider configuration, so which region
    (`meta.provider`: "aws.west" for `provider = aws.west`)."""
    facts = {name: _fact(file, block, name, name.split(".", 1)[1], scope) for name in ("meta.count", "meta.for_each")}
    provider = block.body.attributes.get("provider")
    where = location(file, provider.span if provider else block.span)
    if provider is None:
        facts["meta.provider"] = Fact("meta.provider", None, False, where, "provider")
    elif isinstance(provider.expr, Traversal):
        alias = ".".join([provider.expr.root, *(s for s in provider.expr.steps if isinstance(s, str))])
        facts["meta.provider"] = Fact("meta.provider", alias, True, where, "provider")
    else:
        facts["meta.provider"] = Fact("meta.provider", UNKNOWN, True, where, "provider")
    return facts


def _typed_nodes(file: str, block: Block, scope: Scope) -> list[Resource]:
    resource_type, name = block.labels
    is_data = block.type == "data"
    return build_nodes(
        () if is_data else catalog.TERRAFORM.get(resource_type, ()),
        address=f"data.{resource_type}.{name}" if is_data else f"{resource_type}.{name}",
        resource_type=resource_type,
        fmt=FORMAT,
        where=location(file, block.span),
        raw=block,
        read=lambda fact_name, path: _read(file, block, fact_name, path, scope),
    )


def _read(file: str, block: Block, name: str, path: FactPath, scope: Scope) -> Fact:
    if isinstance(path, Each):
        return _sections(file, block, name, path, scope)
    return _fact(file, block, name, path, scope)


def _sections(file: str, block: Block, name: str, each: Each, scope: Scope) -> Fact:
    """A repeated nested block (or a list of objects) as a tuple of Sections."""
    *parents, leaf = each.path.split(".")
    body, container = block.body, block.span
    for step in parents:
        inner = body.blocks_of(step)
        if not inner:
            return Fact(name, None, False, location(file, container), each.path)
        body, container = inner[0].body, inner[0].span
    if any(b.labels == (leaf,) for b in body.blocks_of("dynamic")):
        return Fact(name, UNKNOWN, True, location(file, container), each.path)
    entries = body.blocks_of(leaf)
    if not entries:
        if leaf in body.attributes:  # a list of objects, as .tf.json writes blocks
            return _attribute_sections(file, name, each, body.attributes[leaf], scope)
        return Fact(name, None, False, location(file, container), each.path)
    sections = tuple(
        Section(
            location(file, entry.span),
            {field: _fact(file, entry, field, sub, scope) for field, sub in each.fields.items()},
        )
        for entry in entries
    )
    return Fact(name, sections, True, location(file, entries[0].span), each.path)


def _attribute_sections(file: str, name: str, each: Each, attribute: Attribute, scope: Scope) -> Fact:
    where = location(file, attribute.span)
    value = scope.evaluate(attribute.expr)
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return Fact(name, UNKNOWN, True, where, each.path)
    sections = tuple(
        Section(where, {field: _value_fact(field, item.get(sub), where, sub) for field, sub in each.fields.items()})
        for item in items
    )
    return Fact(name, sections, True, where, each.path)


def _value_fact(name: str, value: Any, where: Location, path: str) -> Fact:
    return Fact(name, value, value is not None, where, path)


def _fact(file: str, block: Block, name: str, dotted: str, scope: Scope) -> Fact:
    """Walk blocks and attributes along a path; an absent fact points at the deepest block found."""
    path = dotted.split(".")
    body, container = block.body, block.span
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        attribute = body.attributes.get(step)
        if attribute is not None:
            return _attribute_fact(file, name, dotted, attribute, path[depth + 1 :], scope)
        blocks = body.blocks_of(step)
        if not blocks:
            dynamic = [b for b in body.blocks_of("dynamic") if b.labels == (step,)]
            if dynamic:
                # A dynamic block exists only if its for_each is non-empty: unknown here.
                return Fact(name, UNKNOWN, True, location(file, dynamic[0].span), dotted)
            return Fact(name, None, False, location(file, container), dotted)
        if last:
            return Fact(name, True, True, location(file, blocks[0].span), dotted)
        body, container = blocks[0].body, blocks[0].span
    return Fact(name, None, False, location(file, container), dotted)


def _attribute_fact(file: str, name: str, dotted: str, attribute: Attribute, rest: list[str], scope: Scope) -> Fact:
    value = scope.evaluate(attribute.expr)
    for key in rest:  # an object-valued attribute written where a block is more usual
        if value is UNKNOWN:
            break
        if isinstance(value, list) and value:
            value = value[0]
        if not isinstance(value, dict) or key not in value:
            return Fact(name, None, False, location(file, attribute.span), dotted)
        value = value[key]
    symbolic = _symbolic(attribute.expr, scope) if value is UNKNOWN and not rest else None
    return Fact(name, value, value is not None, location(file, attribute.span), dotted, symbolic)


def _symbolic(expr: Any, scope: Scope) -> tuple[Any, ...] | None:
    """A string expression as parts: literals, Symbols for resource attributes, UNKNOWN."""
    if isinstance(expr, Template):
        parts = expr.parts
    elif isinstance(expr, Traversal):
        parts = (expr,)
    else:
        return None
    result: list[Any] = []
    for part in parts:
        if isinstance(part, str):
            result.append(part)
            continue
        value = scope.evaluate(part)
        if value is not UNKNOWN and isinstance(value, (str, int, float)):
            result.append(str(value))
        elif isinstance(part, Traversal) and (target := _node_id(part)) is not None:
            depth = 3 if part.root == "data" else 2
            attribute = ".".join(step for step in part.steps[depth - 1 :] if isinstance(step, str))
            result.append(Symbol(target, attribute))
        else:
            result.append(UNKNOWN)
    return tuple(result)


def _links(source: str, body: Body, scope: Scope, prefix: str = "") -> Iterator[Link]:
    for attribute in body.attributes.values():
        path = prefix + attribute.name
        if path == "depends_on":
            for target in _targets(attribute.expr, scope):
                yield Link(source, target, "depends_on", "depends_on")
            continue
        for target in _targets(attribute.expr, scope):
            yield Link(source, target, path, "reference")
    for block in body.blocks:
        if block.type == "dynamic" and block.labels:
            yield from _links(source, block.body, scope, f"{prefix}{block.labels[0]}.")
        else:
            yield from _links(source, block.body, scope, f"{prefix}{block.type}.")


def _targets(expr: Any, scope: Scope, seen_locals: frozenset[str] = frozenset()) -> Iterator[str]:
    """Node ids an expression refers to, looking through locals."""
    for ref in references(expr):
        if ref.root in _NOT_NODES:
            continue
        if ref.root == "local":
            name = ref.dotted(2)
            local_name = name.split(".")[1] if name else None
            if local_name and local_name not in seen_locals and local_name in scope.local_exprs:
                yield from _targets(scope.local_exprs[local_name], scope, seen_locals | {local_name})
            continue
        target = _node_id(ref)
        if target:
            yield target


def _node_id(ref: Traversal) -> str | None:
    """The graph node a traversal names: a resource, a data source or a module call."""
    if ref.root == "data":
        return ref.dotted(3)
    if ref.root == "module":
        return ref.dotted(2)
    if "_" in ref.root and ref.root not in _NOT_NODES:  # provider resource types are prefix_name
        return ref.dotted(2)
    return None


# --- .tf.json ----------------------------------------------------------------------------

# Top-level blocks and how many labels each has in the JSON syntax.
_JSON_BLOCK_LABELS = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1, "locals": 0}


def _json_body(document: Any) -> Body:  # noqa: C901 - one walk over the JSON syntax
    """The JSON syntax of Terraform: nested objects become blocks with labels.

    Below the labelled level we cannot tell a nested block from a map attribute without the
    provider schema, so nested objects stay attribute values; fact lookups walk into both.
    """
    from iaclint.loaders.documents import DocumentError, PosDict

    body = Body()
    if not isinstance(document, PosDict):
        raise DocumentError("a Terraform JSON file must hold an object", 1)
    for block_type, content in document.items():
        labels = _JSON_BLOCK_LABELS.get(block_type)
        if labels is None:
            continue
        for label_values, span, inner in _json_labelled(content, labels, document.key_span(block_type)):
            body.blocks.append(Block(block_type, label_values, _json_attributes(inner), span))
    return body


def _json_labelled(content: Any, depth: int, span: Span) -> Iterator[tuple[tuple[str, ...], Span, Any]]:
    from iaclint.loaders.documents import PosDict, PosList

    if isinstance(content, PosList):
        for item in content:
            yield from _json_labelled(item, depth, span)
        return
    if depth == 0:
        if isinstance(content, PosDict):
            yield (), content.span, content
        return
    if not isinstance(content, PosDict):
        return
    for label, inner in content.items():
        for labels, inner_span, body in _json_labelled(inner, depth - 1, content.key_span(label)):
            yield (str(label), *labels), (inner_span if labels else content.key_span(label)), body


def _json_attributes(content: Any) -> Body:
    body = Body()
    for key, value in content.items():
        span = content.key_span(key)
        body.attributes[str(key)] = Attribute(str(key), _json_expr(value), span)
    return body


def _json_expr(value: Any) -> Any:
    if isinstance(value, dict):
        return ObjectExpr(tuple((Literal(str(k)), _json_expr(v)) for k, v in value.items()))
    if isinstance(value, list):
        return TupleExpr(tuple(_json_expr(item) for item in value))
    if isinstance(value, str) and "${" in value:
        return _json_template(value)
    return Literal(value)


def _json_template(text: str) -> Any:
    """A JSON string with interpolations is an HCL template: parse it with the HCL grammar."""
    try:
        return parse("x = " + json.dumps(text) + "\n").attributes["x"].expr
    except HclSyntaxError:
        return Opaque(())
