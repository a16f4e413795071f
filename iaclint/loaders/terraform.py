"""Terraform configuration (.tf, .tofu, .tf.json): one module directory -> one LoadedUnit."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
from iaclint.loaders.terraform_inputs import Inputs
from iaclint.loaders.terraform_values import Scope
from iaclint.model import UNKNOWN, Fact, LoadError, Location, Resource, Section, Symbol

FORMAT = "terraform"

# Roots of references that never name a node of the graph.
_NOT_NODES = {"var", "path", "terraform", "each", "count", "self"}


@dataclass(frozen=True)
class Output:
    """A module output as its caller sees it."""

    value: Any
    targets: tuple[str, ...]
    symbolic: tuple[Any, ...] | None


class ModuleScope(Scope):
    """A module's scope, plus what it needs to place its nodes in the whole configuration:
    the address prefix (`module.api.`), the nodes its variables' values come from in the caller,
    and the outputs of the modules it calls."""

    def __init__(
        self,
        variables: dict[str, Any],
        local_exprs: dict[str, Any],
        prefix: str = "",
        var_targets: dict[str, tuple[str, ...]] | None = None,
        var_symbolic: dict[str, tuple[Any, ...] | None] | None = None,
    ) -> None:
        super().__init__(variables, local_exprs)
        self.prefix = prefix
        self.var_targets = var_targets or {}
        self.var_symbolic = var_symbolic or {}
        self.outputs: dict[str, dict[str, Output] | None] = {}  # None: a module we cannot read
        # Names dynamic blocks bind (`setting.value`): references to them name no node.
        self.iterators: set[str] = set()
        # The hashicorp/aws version constraint in force (required_providers), or None.
        self.aws_provider_version: str | None = None
        # Resources declared once (no count/for_each), by local address, whose arguments
        # references may read; and those being read now, against reference cycles.
        self.resource_blocks: dict[str, Block] = {}
        self.resolving: set[str] = set()

    def reference(self, ref: Traversal) -> Any:
        """Module outputs, and a resource's arguments read back as its attributes
        (`aws_api_gateway_stage.x.stage_name` is the literal the stage declares); computed
        attributes (`arn`, `id`) are not arguments, so they stay unknown."""
        if ref.root == "module":
            output = self.output(ref)
            return UNKNOWN if output is None else self._steps_or_unknown(output.value, ref.steps[2:])
        steps = ref.steps
        if ref.root in _NOT_NODES or len(steps) < 2 or not isinstance(steps[0], str) or not isinstance(steps[1], str):
            return UNKNOWN
        key = f"{ref.root}.{steps[0]}"
        block = self.resource_blocks.get(key)
        attribute = block.body.attributes.get(steps[1]) if block is not None else None
        if attribute is None or key in self.resolving:
            return UNKNOWN
        self.resolving.add(key)
        try:
            value = self.evaluate(attribute.expr)
        finally:
            self.resolving.discard(key)
        return self._steps_or_unknown(value, steps[2:])

    def output(self, ref: Traversal) -> Output | None:
        if len(ref.steps) < 2 or not all(isinstance(step, str) for step in ref.steps[:2]):
            return None
        outputs = self.outputs.get(ref.steps[0])
        return outputs.get(ref.steps[1]) if outputs else None


def load_module(name: str, files: list[str], inputs: Inputs | None = None) -> LoadedUnit:
    """Load a root module directory, with the local modules it calls, as one unit."""
    unit = LoadedUnit(name=name, format=FORMAT, files=[])
    loader = _ModuleLoader(unit, name)
    loader.load(name, files, prefix="", arguments=None, inputs=inputs or Inputs(), key="", depth=0)
    loader.redirect_expanded_links()
    return unit


# Deeper than any real configuration; a module that calls itself would otherwise never end.
MAX_MODULE_DEPTH = 16


@dataclass(frozen=True)
class _Argument:
    value: Any
    targets: tuple[str, ...]
    symbolic: tuple[Any, ...] | None


class _ModuleLoader:
    def __init__(self, unit: LoadedUnit, root: str) -> None:
        self.unit = unit
        self.root = root
        self.recorded = _recorded_modules(root)
        self.expanded: dict[str, list[str]] = {}  # resource node id -> its instances' node ids

    def load(
        self,
        directory: str,
        files: list[str],
        prefix: str,
        arguments: dict[str, _Argument] | None,
        inputs: Inputs | None,
        key: str,
        depth: int,
        inherited_provider_version: str | None = None,
        call_depends_on: tuple[str, ...] = (),
    ) -> dict[str, Output]:
        files = _effective_files(files)
        self.unit.files.extend(f for f in files if f not in self.unit.files)
        parsed: list[tuple[str, Body]] = []
        overrides: list[tuple[str, Body]] = []
        patched = any(_is_override(file) for file in files)
        for file in files:
            try:
                body = _parse_cached(file, patched)
            except (SourceError, HclSyntaxError, _document_error()) as error:
                load_error = LoadError(file, error.line, error.message, error.column)
                if load_error not in self.unit.errors:
                    self.unit.errors.append(load_error)
                continue
            (overrides if _is_override(file) else parsed).append((file, body))
        for file, body in overrides:
            _apply_override(parsed, file, body)
        scope = _scope(parsed + overrides, prefix, arguments, inputs, directory, self.unit.errors)
        if scope.aws_provider_version is None:
            scope.aws_provider_version = inherited_provider_version
        for file, body in parsed:
            for block in body.blocks:
                if block.type == "module" and len(block.labels) == 1:
                    scope.outputs[block.labels[0]] = self._call(directory, file, block, scope, key, depth, call_depends_on)
        seen: set[str] = set()
        for file, body in parsed:
            for block in body.blocks:
                if block.type not in ("resource", "data") or len(block.labels) != 2 or not all(block.labels):
                    continue
                if _instances_known_empty(block, scope):
                    continue  # count = 0, or for_each over nothing: the resource does not exist
                base = _resources(file, block, scope)
                if base[0].node_id in seen:
                    self.unit.errors.append(
                        LoadError(file, block.span.line, f"duplicate {base[0].address}; terraform rejects this")
                    )
                    continue
                seen.add(base[0].node_id)
                for nodes, instance_scope in _instances(file, block, scope, base):
                    if nodes is not base:
                        self.expanded.setdefault(base[0].node_id, []).append(nodes[0].node_id)
                    self.unit.resources.extend(nodes)
                    for node in nodes:
                        self.unit.links.extend(_links(node.node_id, block.body, instance_scope))
                        # A module call's depends_on orders everything inside the module.
                        self.unit.links.extend(Link(node.node_id, t, "depends_on", "depends_on") for t in call_depends_on)
        return _outputs(parsed, scope)

    def redirect_expanded_links(self) -> None:
        """A reference to `aws_x.y` where aws_x.y became instances refers to each of them."""
        if not self.expanded:
            return
        links = []
        for link in self.unit.links:
            targets = self.expanded.get(link.target)
            if targets is None:
                links.append(link)
            else:
                links.extend(Link(link.source, target, link.attribute, link.kind) for target in targets)
        self.unit.links = links

    def _call(
        self, directory: str, file: str, block: Block, scope: ModuleScope, key: str, depth: int,
        call_depends_on: tuple[str, ...] = (),
    ) -> dict[str, Output] | None:
        """Load a called module; None when it cannot be read here (registry, git, missing)."""
        name = block.labels[0]
        if _instances_known_empty(block, scope):
            return {}
        source = block.body.attributes.get("source")
        source_value = scope.evaluate(source.expr) if source else None
        call_key = f"{key}.{name}" if key else name
        child = _module_directory(directory, source_value, self.recorded.get(call_key), self.root)
        if child is None or depth >= MAX_MODULE_DEPTH:
            return None
        files = _terraform_files(child)
        if not files:
            return None
        arguments = {
            attr.name: _Argument(scope.evaluate(attr.expr), tuple(_targets(attr.expr, scope)), _symbolic(attr.expr, scope))
            for attr in block.body.attributes.values()
            if attr.name not in _MODULE_META_ARGUMENTS
        }
        self.unit.module_dirs.add(child)
        depends_on = block.body.attributes.get("depends_on")
        ordered_after = call_depends_on + (tuple(_targets(depends_on.expr, scope)) if depends_on else ())
        return self.load(
            child, files, f"{scope.prefix}module.{name}.", arguments, None, call_key, depth + 1,
            scope.aws_provider_version, ordered_after,
        )


_MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}


def _module_directory(directory: str, source: Any, recorded: str | None, root: str) -> str | None:
    """A local source ("./modules/api", "../shared"), or where `terraform init` put a remote
    one (.terraform/modules/modules.json). Nothing is ever downloaded."""
    import os

    from iaclint.discovery import display_path

    if isinstance(source, str) and source.startswith(("./", "../")):
        path = os.path.normpath(os.path.join(directory, source))
    elif recorded is not None:
        path = os.path.normpath(os.path.join(root, recorded))
    else:
        return None
    return display_path(path) if os.path.isdir(path) else None


def _terraform_files(directory: str) -> list[str]:
    import os

    from iaclint.discovery import display_path, is_terraform

    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [display_path(os.path.join(directory, n)) for n in names if is_terraform(n) and os.path.isfile(os.path.join(directory, n))]


def _recorded_modules(root: str) -> dict[str, str]:
    """Module key -> directory, as `terraform init` records it for registry and git sources."""
    import json
    import os

    try:
        with open(os.path.join(root, ".terraform", "modules", "modules.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    modules = data.get("Modules") if isinstance(data, dict) else None
    return {
        str(entry["Key"]): str(entry["Dir"])
        for entry in modules or []
        if isinstance(entry, dict) and entry.get("Key") and isinstance(entry.get("Dir"), str)
    }


def _instances(
    file: str, block: Block, scope: ModuleScope, base: list[Resource]
) -> list[tuple[list[Resource], Scope]]:
    """The nodes of a resource with count or for_each: checked once under its address, unless
    the collection is known and its instances differ in what the rules read; then once per
    instance, addressed as terraform does (`aws_x.y["prod"]`, `aws_x.y[0]`)."""
    keys = _instance_keys(block, scope)
    if not keys:
        return [(base, scope)]
    variants = []
    for suffix, instance_scope in keys:
        nodes = _resources(file, block, instance_scope)
        for node in nodes:
            local_id = node.node_id[len(node.address) :]
            node.address += suffix
            node.node_id = node.address + local_id
        variants.append((nodes, instance_scope))
    if all(_fact_values(nodes) == _fact_values(variants[0][0]) for nodes, _ in variants):
        return [(base, scope)]
    return variants


def _instance_keys(block: Block, scope: ModuleScope) -> list[tuple[str, Scope]]:
    """(address suffix, scope with each/count bound) per instance, when the collection is known."""
    count = block.body.attributes.get("count")
    if count is not None:
        value = scope.evaluate(count.expr)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 < value <= 64:
            return []
        return [(f"[{index}]", scope.with_instance(count_index=index)) for index in range(value)]
    for_each = block.body.attributes.get("for_each")
    if for_each is None:
        return []
    value = scope.evaluate(for_each.expr)
    if isinstance(value, dict):
        items = [(key, item) for key, item in value.items() if isinstance(key, str)]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = [(item, item) for item in dict.fromkeys(value)]  # a set of strings
    else:
        return []
    if not 1 < len(items) <= 64:
        return []
    return [(f"[{json.dumps(key)}]", scope.with_instance(each_key=key, each_value=item)) for key, item in items]


# Facts that name an instance differ between instances by design; they do not make them differ.
_IDENTITY_FACTS = {"name", "stage_name"}


def _fact_values(nodes: list[Resource]) -> list[dict[str, tuple[Any, bool]]]:
    return [
        {
            name: (repr(fact.value), fact.present)
            for name, fact in node.facts.items()
            if not name.startswith("meta.") and name not in _IDENTITY_FACTS
        }
        for node in nodes
    ]


def _instances_known_empty(block: Block, scope: Scope) -> bool:
    """`count = 0` or `for_each` over an empty collection, known statically."""
    count = block.body.attributes.get("count")
    if count is not None:
        value = scope.evaluate(count.expr)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return value == 0
    for_each = block.body.attributes.get("for_each")
    if for_each is not None:
        value = scope.evaluate(for_each.expr)
        return isinstance(value, (list, dict)) and len(value) == 0
    return False


def _outputs(parsed: list[tuple[str, Body]], scope: ModuleScope) -> dict[str, Output]:
    outputs = {}
    for _, body in parsed:
        for block in body.blocks:
            value = block.body.attributes.get("value")
            if block.type == "output" and block.labels and value is not None:
                outputs[block.labels[0]] = Output(
                    scope.evaluate(value.expr), tuple(_targets(value.expr, scope)), _symbolic(value.expr, scope)
                )
    return outputs


_PARSED: dict[str, tuple[tuple[int, int], Body]] = {}


def _parse_cached(file: str, patched: bool) -> Body:
    """Parse each file once per process (keyed by its size and mtime): a module called twice,
    or a server that re-lints on every save, does not parse unchanged files again. Override
    files patch bodies in place, so a module that has them (`patched`) gets its own copy."""
    import copy
    import os

    from iaclint.loaders import OVERLAYS

    overlay = OVERLAYS.get(file)
    if overlay is not None:
        stamp = (-1, hash(overlay))  # an editor's unsaved buffer: keyed by its text
    else:
        stat = os.stat(file)
        stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _PARSED.get(file)
    if cached is None or cached[0] != stamp:
        if len(_PARSED) > 4096:
            _PARSED.clear()
        cached = (stamp, _parse_file(file))
        _PARSED[file] = cached
    return copy.deepcopy(cached[1]) if patched else cached[1]


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


def _scope(
    parsed: list[tuple[str, Body]],
    prefix: str,
    arguments: dict[str, _Argument] | None,
    inputs: Inputs | None,
    directory: str,
    errors: list[LoadError],
) -> ModuleScope:
    """Variables (call arguments for a child module; defaults, then inputs, for a root) and locals."""
    variables: dict[str, Any] = {}
    declared: set[str] = set()
    local_exprs: dict[str, Any] = {}
    plain = Scope({}, {})
    for _, body in parsed:
        for block in body.blocks:
            if block.type == "variable" and block.labels:
                declared.add(block.labels[0])
                default = block.body.attributes.get("default")
                # No default: the value comes from outside the code (tfvars, CI): unknown.
                variables[block.labels[0]] = plain.evaluate(default.expr) if default else UNKNOWN
            elif block.type == "locals":
                local_exprs.update((name, attr.expr) for name, attr in block.body.attributes.items())
    var_targets: dict[str, tuple[str, ...]] = {}
    var_symbolic: dict[str, tuple[Any, ...] | None] = {}
    if arguments is not None:
        for name, argument in arguments.items():
            if name in declared:
                variables[name] = argument.value
                var_targets[name] = argument.targets
                var_symbolic[name] = argument.symbolic
    elif inputs is not None:
        from iaclint.loaders.terraform_inputs import root_variable_values

        values, input_errors = root_variable_values(directory, inputs)
        errors.extend(e for e in input_errors if e not in errors)
        for name, value in values.items():
            if name in declared:
                variables[name] = value
    scope = ModuleScope(variables, local_exprs, prefix, var_targets, var_symbolic)
    scope.iterators = {name for _, body in parsed for name in _iterator_names(body)}
    scope.aws_provider_version = _aws_provider_version(parsed)
    scope.resource_blocks = {
        f"{block.labels[0]}.{block.labels[1]}": block
        for _, body in parsed
        for block in body.blocks
        if block.type == "resource" and len(block.labels) == 2
        and "count" not in block.body.attributes and "for_each" not in block.body.attributes
    }
    return scope


def _aws_provider_version(parsed: list[tuple[str, Body]]) -> str | None:
    """`terraform { required_providers { aws = { version = "~> 5.0" } } }` (or `aws = "..."`)."""
    plain = Scope({}, {})
    for _, body in parsed:
        for terraform in body.blocks_of("terraform"):
            for required in terraform.body.blocks_of("required_providers"):
                aws = required.body.attributes.get("aws")
                value = plain.evaluate(aws.expr) if aws else None
                if isinstance(value, dict):
                    value = value.get("version")
                if isinstance(value, str):
                    return value
    return None


def _iterator_names(body: Body) -> Iterator[str]:
    for block in body.blocks:
        if block.type == "dynamic" and block.labels:
            iterator = block.body.attributes.get("iterator")
            yield iterator.expr.root if iterator and isinstance(iterator.expr, Traversal) else block.labels[0]
        yield from _iterator_names(block.body)


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
    constraint = getattr(scope, "aws_provider_version", None)
    facts["meta.aws_provider_version"] = Fact("meta.aws_provider_version", constraint, constraint is not None, location(file, block.span), "required_providers.aws.version")
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


def _typed_nodes(file: str, block: Block, scope: ModuleScope) -> list[Resource]:
    resource_type, name = block.labels
    is_data = block.type == "data"
    local_address = f"data.{resource_type}.{name}" if is_data else f"{resource_type}.{name}"
    return build_nodes(
        () if is_data else catalog.TERRAFORM.get(resource_type, ()),
        address=scope.prefix + local_address,
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
    dynamic = [b for b in body.blocks_of("dynamic") if b.labels == (leaf,)]
    if any(_dynamic_count(b, scope) is None for b in dynamic):
        return Fact(name, UNKNOWN, True, location(file, container), each.path)
    entries = body.blocks_of(leaf) + _dynamic_content(body, leaf, scope)
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


def _dynamic_count(block: Block, scope: Scope) -> int | None:
    """How many blocks a `dynamic` block makes, when its for_each is known."""
    for_each = block.body.attributes.get("for_each")
    value = scope.evaluate(for_each.expr) if for_each else UNKNOWN
    return len(value) if isinstance(value, (list, dict)) else None


def _dynamic_content(body: Body, block_type: str, scope: Scope) -> list[Block]:
    """The blocks dynamic blocks make when their for_each is known: one per element, its
    `content` with the iterator (`<label>.key`, `<label>.value`) bound and known values filled in."""
    blocks = []
    for dynamic in body.blocks_of("dynamic"):
        if dynamic.labels != (block_type,) or not (_dynamic_count(dynamic, scope) or 0):
            continue
        iterator = dynamic.body.attributes.get("iterator")
        name = iterator.expr.root if iterator and isinstance(iterator.expr, Traversal) else block_type
        for_each = scope.evaluate(dynamic.body.attributes["for_each"].expr)
        items = list(for_each.items()) if isinstance(for_each, dict) else list(enumerate(for_each))
        for key, value in items[:_MAX_DYNAMIC_BLOCKS]:
            bound = scope.with_names({name: {"key": key, "value": value}})
            for content in dynamic.body.blocks_of("content"):
                blocks.append(Block(block_type, (), _filled(content.body, bound), dynamic.span))
    return blocks


# More blocks than this from one dynamic block are read as the first ones: enough to judge.
_MAX_DYNAMIC_BLOCKS = 32


def _filled(body: Body, scope: Scope) -> Body:
    """The body with every attribute whose value is known replaced by that value."""
    attributes = {}
    for name, attribute in body.attributes.items():
        value = scope.evaluate(attribute.expr)
        expr = attribute.expr if value is UNKNOWN or _has_unknown(value) else Literal(value)
        attributes[name] = Attribute(name, expr, attribute.span)
    return Body(attributes, [Block(b.type, b.labels, _filled(b.body, scope), b.span) for b in body.blocks])


def _has_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return False


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
        blocks = body.blocks_of(step) or _dynamic_content(body, step, scope)
        if not blocks:
            dynamic = [b for b in body.blocks_of("dynamic") if b.labels == (step,)]
            if dynamic and _dynamic_count(dynamic[0], scope) is None:
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
        elif isinstance(part, Traversal):
            result.extend(_symbolic_traversal(part, scope))
        else:
            result.append(UNKNOWN)
    return tuple(result)


def _symbolic_traversal(ref: Traversal, scope: Any) -> tuple[Any, ...]:
    if ref.root == "var" and ref.steps and len(ref.steps) == 1:
        return scope.var_symbolic.get(ref.steps[0]) or (UNKNOWN,)
    if ref.root == "module" and isinstance(scope, ModuleScope):
        output = scope.output(ref)
        return (output.symbolic or (UNKNOWN,)) if output is not None and len(ref.steps) == 2 else (UNKNOWN,)
    target = _node_id(ref)
    if target is None or ref.root in getattr(scope, "iterators", ()):
        return (UNKNOWN,)
    depth = 3 if ref.root == "data" else 2
    attribute = ".".join(step for step in ref.steps[depth - 1 :] if isinstance(step, str))
    return (Symbol(getattr(scope, "prefix", "") + target, attribute),)


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


def _targets(expr: Any, scope: Any, seen_locals: frozenset[str] = frozenset()) -> Iterator[str]:
    """Node ids an expression refers to, looking through locals, variables bound by a module
    call, and module outputs."""
    prefix = getattr(scope, "prefix", "")
    for ref in references(expr):
        if ref.root == "var":
            name = ref.dotted(2)
            yield from getattr(scope, "var_targets", {}).get(name.split(".")[1] if name else "", ())
            continue
        if ref.root in _NOT_NODES:
            continue
        if ref.root == "local":
            name = ref.dotted(2)
            local_name = name.split(".")[1] if name else None
            if local_name and local_name not in seen_locals and local_name in scope.local_exprs:
                yield from _targets(scope.local_exprs[local_name], scope, seen_locals | {local_name})
            continue
        if ref.root == "module" and isinstance(scope, ModuleScope):
            output = scope.output(ref)
            if output is not None:
                yield from output.targets
                continue
        target = _node_id(ref)
        if target and ref.root not in getattr(scope, "iterators", ()):
            yield prefix + target


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
