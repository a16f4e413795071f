"""Terraform plan JSON (`terraform show -json plan.out`): one plan -> one LoadedUnit.

A plan knows what the configuration alone cannot: every variable, count and for_each evaluated
and every module call expanded, so each resource instance becomes its own node under its full
address (`module.api.aws_api_gateway_stage.this["prod"]`). Three parts of the plan are read:

- `planned_values`: the instances and their values, nested blocks as lists of objects;
- `resource_changes[].change.after_unknown` (and `sensitive_values`): which leaves are known
  only after apply, or hidden; both become UNKNOWN;
- `configuration`: what the code writes and what each expression refers to, which gives the
  edges and tells a written value from a provider default (the plan fills in
  `retention_in_days = 0` whether or not the code says so).

The plan carries no source positions, so locations point into the plan JSON itself: a node at
its `"address"` key in planned_values, a fact at its key inside `values`.

What the plan does not say, and so this loader cannot tell: the text of an expression (a bare
reference and a template around it list the same references, see `_symbolic`); anything about
`dynamic` blocks in `configuration` (their values are in the plan, their references are not);
the expressions of locals (`local.x` leads nowhere); and the attribute read through a
non-constant index (`aws_x.y[each.key].arn` is listed as `aws_x.y` and `each.key`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from iaclint.loaders import Link, LoadedUnit, build_nodes, catalog, location
from iaclint.loaders.catalog import Each, FactPath
from iaclint.model import UNKNOWN, Fact, Location, Resource, Section, Symbol

if TYPE_CHECKING:
    from iaclint.loaders.documents import PosDict

FORMAT = "terraform"

# Roots of references that never name a node of the graph.
_NOT_NODES = frozenset({"var", "local", "each", "count", "path", "terraform", "self"})
# How deep `var.x` may be followed up through module calls (a guard; Terraform forbids cycles).
_MAX_DEPTH = 32


def load_plan(name: str, document: PosDict) -> LoadedUnit:
    """Every planned resource instance of every module as nodes, references as links.

    `document` is the plan decoded by documents.load_json (positions for every key); a plain
    dict works too, with every location at line 1.
    """
    unit = LoadedUnit(name=name, format=FORMAT, files=[name])
    plan = _Plan(name, document if isinstance(document, dict) else {})
    nodes_seen: set[str] = set()
    links_seen: set[Link] = set()
    for instance in plan.instances:
        for node in plan.nodes(instance):
            if node.node_id in nodes_seen:
                continue  # a plan never repeats an address; a hand-edited one might
            nodes_seen.add(node.node_id)
            unit.resources.append(node)
            for link in plan.links(node.node_id, instance):
                if link not in links_seen:
                    links_seen.add(link)
                    unit.links.append(link)
    return unit


# --- addresses and references ------------------------------------------------------------------


class Key(NamedTuple):
    """An index step of an address or a reference: `[0]` or `["prod"]`."""

    value: int | str


_STEP = re.compile(r'\.?([^.\[\]"]+)|\[("(?:[^"\\]|\\.)*"|[^\]]*)\]')


def steps(text: str) -> list[str | Key]:
    """`module.a["x"].aws_s3_bucket.b[0].arn` -> ["module", "a", Key("x"), "aws_s3_bucket", "b", Key(0), "arn"]."""
    found: list[str | Key] = []
    for match in _STEP.finditer(text):
        name, index = match.groups()
        if name is not None:
            found.append(name)
        elif index.startswith('"'):
            found.append(Key(json.loads(index)))
        elif index.isdigit():
            found.append(Key(int(index)))
        else:
            found.append(Key(index))  # `[each.key]`: Terraform lists only constant keys
    return found


def _key_text(key: int | str) -> str:
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]"


# --- the plan as modules and instances ---------------------------------------------------------


@dataclass(eq=False)
class _Module:
    """One module instance of the plan; the root module has address ""."""

    address: str
    key: int | str | None  # its instance key, for a module call with count or for_each
    config: dict[str, Any]  # its `configuration` module: resources, module_calls, outputs
    call: dict[str, Any] | None = None  # how the parent calls it: input expressions, depends_on
    parent: _Module | None = None
    children: dict[str, list[_Module]] = field(default_factory=dict)  # call name -> instances
    resources: dict[str, list[_Instance]] = field(default_factory=dict)  # "aws_x.y" -> instances
    keyed: dict[tuple[str, int | str], _Instance] = field(default_factory=dict)  # ("aws_x.y", key) -> instance
    _keys: dict[str, list[int | str | None]] = field(default_factory=dict)

    def keys(self, relative: str) -> list[int | str | None]:
        """The instance keys of one resource, in plan order (one list, shared by its facts)."""
        if relative not in self._keys:
            self._keys[relative] = [instance.key for instance in self.resources.get(relative, [])]
        return self._keys[relative]

    def prefix(self, relative: str) -> str:
        return f"{self.address}.{relative}" if self.address else relative

    def every_instance(self) -> Iterator[_Instance]:
        for instances in self.resources.values():
            yield from instances
        for modules in self.children.values():
            for module in modules:
                yield from module.every_instance()


@dataclass(eq=False)
class _Instance:
    module: _Module
    planned: dict[str, Any]  # the planned_values resource object
    address: str
    relative: str  # "aws_x.y" or "data.aws_x.y" inside its module
    key: int | str | None
    config: dict[str, Any]  # the configuration resource: expressions, depends_on, ...
    unknown: Any  # after_unknown

    @property
    def type(self) -> str:
        return str(self.planned.get("type", ""))


class _Target(NamedTuple):
    node_id: str
    attribute: str  # the attribute the reference reads ("arn"); "" for the whole resource


@dataclass(frozen=True)
class _Cursor:
    """A position inside one instance's values, with the matching parts of the plan beside it."""

    values: Any
    unknown: Any  # the after_unknown mirror: True, or a dict/list holding such marks
    sensitive: Any  # the sensitive_values mirror
    exprs: Any  # the configuration's expressions at this level; None: what is written is not known
    schema: Any  # the type's argument names (API Gateway types only): a dict, or None
    where: Location  # of this block, for facts absent from it


class _Slot(NamedTuple):
    """One name looked up under a cursor."""

    value: Any
    unknown: Any
    sensitive: Any
    expr: Any
    written: bool
    block: bool
    schema: Any  # the provider schema's names inside it when it is a nested block, else None
    where: Location


class _Plan:
    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.file = name
        self.after_unknown = {
            change.get("address"): _dict(change.get("change")).get("after_unknown")
            for change in _list(document.get("resource_changes"))
            if isinstance(change, dict) and not change.get("deposed")
        }
        configuration = _dict(document.get("configuration"))
        self.root = _Module("", None, _dict(configuration.get("root_module")))
        self.instances: list[_Instance] = []
        self._walk(_dict(_dict(document.get("planned_values")).get("root_module")), self.root)

    def _walk(self, planned: dict[str, Any], module: _Module) -> None:
        configs = {r.get("address"): r for r in _list(module.config.get("resources")) if isinstance(r, dict)}
        for resource in _list(planned.get("resources")):
            if not isinstance(resource, dict) or not isinstance(resource.get("address"), str):
                continue
            relative = (
                f"{'data.' if resource.get('mode') == 'data' else ''}{resource.get('type')}.{resource.get('name')}"
            )
            instance = _Instance(
                module=module,
                planned=resource,
                address=resource["address"],
                relative=relative,
                key=_index(resource.get("index")),
                config=_dict(configs.get(relative)),
                unknown=self.after_unknown.get(resource["address"]),
            )
            module.resources.setdefault(relative, []).append(instance)
            if instance.key is not None:
                module.keyed[(relative, instance.key)] = instance
            self.instances.append(instance)
        calls = _dict(module.config.get("module_calls"))
        for child in _list(planned.get("child_modules")):
            address = _dict(child).get("address")
            if not isinstance(address, str) or not address.startswith(module.prefix("module.")):
                continue
            own = steps(address[len(module.address) :])  # ["module", name] or ["module", name, Key]
            if len(own) < 2 or not isinstance(own[1], str):
                continue
            key = own[2].value if len(own) > 2 and isinstance(own[2], Key) else None
            call = _dict(calls.get(own[1]))
            instance = _Module(address, key, _dict(call.get("module")), call, module)
            module.children.setdefault(own[1], []).append(instance)
            self._walk(child, instance)

    def _at(self, values: Any, key: str) -> Location:
        """Where a key of a decoded object is (line 1 when the document carries no positions)."""
        span = values.key_span(key) if hasattr(values, "key_span") else None
        return location(self.file, span) if span is not None else Location(self.file, 1)

    def _span(self, value: Any, default: Location) -> Location:
        span = getattr(value, "span", None)
        return location(self.file, span) if span is not None else default

    # --- nodes and facts -----------------------------------------------------------------------

    def nodes(self, instance: _Instance) -> list[Resource]:
        where = self._at(instance.planned, "address")
        is_data = instance.relative.startswith("data.")
        nodes = build_nodes(
            () if is_data else catalog.TERRAFORM.get(instance.type, ()),
            address=instance.address,
            resource_type=instance.type,
            fmt=FORMAT,
            where=where,
            raw=instance.planned,
            read=lambda name, path: self._read(instance, name, path),
        )
        meta = self._meta_facts(instance, where)
        for node in nodes:
            node.facts.update(meta)
        return nodes

    def _meta_facts(self, instance: _Instance, where: Location) -> dict[str, Fact]:
        """count and for_each, already expanded: `meta.count` is how many instances the plan
        has, `meta.for_each` their keys. `meta.provider` is the provider configuration when it
        is not the default one: "aws.west", or "module.x:aws" for a module's own provider block
        (the plan already resolves `providers = {...}` of module calls to the caller's key)."""
        facts = {
            name: Fact(name, None, False, where, name[5:]) for name in ("meta.count", "meta.for_each", "meta.provider")
        }
        keys = instance.module.keys(instance.relative)
        if isinstance(instance.key, int):
            facts["meta.count"] = Fact("meta.count", len(keys), True, where, "count")
        elif isinstance(instance.key, str):
            facts["meta.for_each"] = Fact("meta.for_each", keys, True, where, "for_each")
        provider = instance.config.get("provider_config_key")
        if isinstance(provider, str) and ("." in provider or ":" in provider):
            facts["meta.provider"] = Fact("meta.provider", provider, True, where, "provider")
        return facts

    def _read(self, instance: _Instance, name: str, path: FactPath) -> Fact:
        cursor = _Cursor(
            values=instance.planned.get("values"),
            unknown=instance.unknown,
            sensitive=instance.planned.get("sensitive_values"),
            exprs=instance.config.get("expressions") if instance.config else None,
            schema=_schema(instance.type),
            where=self._at(instance.planned, "address"),
        )
        if isinstance(path, Each):
            return self._sections(instance, cursor, name, path)
        return self._fact(instance, cursor, name, path)

    def _fact(self, instance: _Instance, cursor: _Cursor, name: str, dotted: str) -> Fact:
        """Walk blocks and attributes along a path; an absent fact points at the deepest block found."""
        path = dotted.split(".")
        for depth, step in enumerate(path):
            slot = self._slot(cursor, step)
            state = _state(slot)
            if state == "absent":
                return Fact(name, None, False, cursor.where, dotted)
            if state == "unknown":
                symbolic = self._symbolic(instance, slot.expr) if depth == len(path) - 1 else None
                return Fact(name, UNKNOWN, True, slot.where, dotted, symbolic)
            if state == "hidden":
                return Fact(name, UNKNOWN, True, slot.where, dotted)
            if depth == len(path) - 1:
                value = True if slot.block else _plain(slot.value, slot.unknown, slot.sensitive)
                return Fact(name, value, True, slot.where, dotted)
            if isinstance(slot.value, list) and _item(slot.unknown, 0) is True:
                return Fact(name, UNKNOWN, True, slot.where, dotted)  # the entry itself is known after apply
            inner = self._enter(slot, 0, slot.where)
            if inner is None:
                return Fact(name, None, False, slot.where, dotted)
            cursor = inner
        return Fact(name, None, False, cursor.where, dotted)

    def _sections(self, instance: _Instance, cursor: _Cursor, name: str, each: Each) -> Fact:
        """A repeated nested block as a tuple of Sections, one per entry the plan holds."""
        path = each.path.split(".")
        for depth, step in enumerate(path):
            slot = self._slot(cursor, step)
            state = _state(slot)
            if state == "absent":
                return Fact(name, None, False, cursor.where, each.path)
            if state != "present":
                return Fact(name, UNKNOWN, True, slot.where, each.path)
            if depth == len(path) - 1:
                break
            inner = self._enter(slot, 0, slot.where)
            if inner is None:
                return Fact(name, None, False, slot.where, each.path)
            cursor = inner
        entries = slot.value if isinstance(slot.value, list) else [slot.value]
        sections = []
        for index, entry in enumerate(entries):
            inner = self._enter(slot, index, self._span(entry, slot.where))
            if inner is None:
                return Fact(name, UNKNOWN, True, slot.where, each.path)
            fields = {field: self._fact(instance, inner, field, sub) for field, sub in each.fields.items()}
            sections.append(Section(inner.where, fields))
        return Fact(name, tuple(sections), True, slot.where, each.path)

    def _slot(self, cursor: _Cursor, step: str) -> _Slot:
        value = _get(cursor.values, step)
        expr = _get(cursor.exprs, step)
        schema = _get(cursor.schema, step)
        written = cursor.exprs is None or (isinstance(cursor.exprs, dict) and step in cursor.exprs)
        if isinstance(expr, list) or (isinstance(expr, dict) and not _is_expression(expr)):
            block = True
        elif expr is not None:
            block = False  # an attribute, even one holding a list of objects
        else:
            block = isinstance(schema, dict) or (
                isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)
            )
        where = (
            self._at(cursor.values, step) if isinstance(cursor.values, dict) and step in cursor.values else cursor.where
        )
        return _Slot(
            value,
            _get(cursor.unknown, step),
            _get(cursor.sensitive, step),
            expr,
            written,
            block,
            schema if isinstance(schema, dict) else None,
            where,
        )

    def _enter(self, slot: _Slot, index: int, where: Location) -> _Cursor | None:
        """The cursor inside entry `index` of a block (or inside an object-valued attribute)."""
        value = slot.value
        if isinstance(value, list):
            if index >= len(value) or not isinstance(value[index], dict):
                return None
            entry, unknown, sensitive = value[index], _item(slot.unknown, index), _item(slot.sensitive, index)
            exprs = _match(slot.expr, value, index) if isinstance(slot.expr, list) else None
        elif isinstance(value, dict):
            entry, unknown, sensitive = value, slot.unknown, slot.sensitive
            exprs = slot.expr if isinstance(slot.expr, dict) and not _is_expression(slot.expr) else None
        else:
            return None
        # No expressions below: a block a `dynamic` block writes (the plan's configuration leaves
        # those out) or an attribute's value; everything the plan holds there is then taken as written.
        return _Cursor(entry, unknown, sensitive, exprs, slot.schema, where)

    # --- references ----------------------------------------------------------------------------

    def links(self, source: str, instance: _Instance) -> Iterator[Link]:
        config = instance.config
        for attribute, expr in _expressions(config.get("expressions")):
            for target in self._resolve(instance.module, instance.key, _references(expr)):
                yield Link(source, target.node_id, attribute, "reference")
        for attribute in ("count", "for_each"):
            for target in self._resolve(instance.module, None, _references(config.get(f"{attribute}_expression"))):
                yield Link(source, target.node_id, attribute, "reference")
        for target in self._resolve(instance.module, None, _strings(config.get("depends_on"))):
            yield Link(source, target.node_id, "depends_on", "depends_on")
        module = instance.module
        while module.call is not None and module.parent is not None:
            # A module call's depends_on orders every resource inside the module after its targets.
            for target in self._resolve(module.parent, None, _strings(module.call.get("depends_on"))):
                yield Link(source, target.node_id, "depends_on", "depends_on")
            module = module.parent

    def _resolve(self, module: _Module, key: int | str | None, references: list[str], depth: int = 0) -> list[_Target]:
        """The nodes an expression refers to, looked up from the module it is written in."""
        chains = _chains(references)
        # `aws_x.y[each.key]` is listed as `aws_x.y` and `each.key`: with an instance of the same
        # key, that is the one referred to.
        narrow = key if any(chain[0] in ("each", "count") for chain in chains) else None
        found: list[_Target] = []
        for chain in chains:
            for target in self._chain(module, chain, narrow, depth):
                if target not in found:
                    found.append(target)
        return found

    def _chain(self, module: _Module, chain: list[str | Key], key: int | str | None, depth: int) -> list[_Target]:
        root = chain[0]
        if depth > _MAX_DEPTH or not isinstance(root, str):
            return []
        if root == "var":
            # A module's input: what the caller passes in.
            if module.call is None or module.parent is None or len(chain) < 2:
                return []
            given = _dict(module.call.get("expressions")).get(chain[1])
            return self._resolve(module.parent, None, _references(given), depth + 1)
        if root in _NOT_NODES:
            return []
        if root == "module":
            return self._module_chain(module, chain, depth)
        if root == "data":
            if len(chain) < 3:
                return []
            relative, rest = f"data.{chain[1]}.{chain[2]}", chain[3:]
        elif "_" in root and len(chain) >= 2:  # provider resource types are prefix_name
            relative, rest = f"{root}.{chain[1]}", chain[2:]
        else:
            return []
        pinned = rest[0].value if rest and isinstance(rest[0], Key) else None
        attribute = ".".join(step for step in rest if isinstance(step, str))
        instances = module.resources.get(relative, [])
        if pinned is not None:
            found = module.keyed.get((relative, pinned))
            chosen = [found] if found is not None else []
            placeholder = module.prefix(relative + _key_text(pinned))
        else:
            found = module.keyed.get((relative, key)) if key is not None else None
            chosen = [found] if found is not None else instances
            placeholder = module.prefix(relative)
        if not chosen:
            return [_Target(placeholder, attribute)]
        return [_Target(i.address, attribute) for i in chosen]

    def _module_chain(self, module: _Module, chain: list[str | Key], depth: int) -> list[_Target]:
        """`module.api.stage_arn`: through the output's own references; `module.api`: everything in it."""
        if len(chain) < 2 or not isinstance(chain[1], str):
            return []
        name, rest = chain[1], chain[2:]
        pinned = rest[0].value if rest and isinstance(rest[0], Key) else None
        output = next((step for step in rest if isinstance(step, str)), None)
        instances = [m for m in module.children.get(name, []) if pinned is None or m.key == pinned]
        if not instances:
            suffix = _key_text(pinned) if pinned is not None else ""
            return [_Target(module.prefix(f"module.{name}{suffix}"), output or "")]
        if output is None:
            found = [_Target(i.address, "") for m in instances for i in m.every_instance()]
            return found or [_Target(m.address, "") for m in instances]
        found = []
        for instance in instances:
            expression = _dict(_dict(_dict(instance.config.get("outputs")).get(output)).get("expression"))
            resolved = self._resolve(instance, None, _references(expression), depth + 1)
            found.extend(resolved or [_Target(instance.address, output)])
        return found

    def _symbolic(self, instance: _Instance, expr: Any) -> tuple[Any, ...] | None:
        """An unknown value written as a reference to one resource attribute, as string parts.

        The plan's configuration lists what an expression refers to but not its text, so
        `aws_cloudwatch_log_group.x.arn` and `"${aws_cloudwatch_log_group.x.arn}:*"` look the
        same: the Symbol is framed by UNKNOWN parts, which may be empty. Rules then know which
        attribute the value comes from, and never take a template for a bare reference (which
        would read `"API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.x.id}/prod"` as the
        API's id alone).
        """
        if not _is_expression(expr):
            return None
        target = self._sole(instance.module, instance.key, _references(expr), 0)
        if target is None or not target.attribute:
            return None
        return (UNKNOWN, Symbol(target.node_id, target.attribute), UNKNOWN)

    def _sole(self, module: _Module, key: int | str | None, references: list[str], depth: int) -> _Target | None:
        """The one resource attribute an expression reads, or None when it reads several or none."""
        every = _chains(references)
        chains = [chain for chain in every if chain[0] not in ("each", "count")]
        if len(chains) != 1 or depth > _MAX_DEPTH:
            return None
        (chain,) = chains
        if chain[0] == "var":
            if module.call is None or module.parent is None or len(chain) < 2:
                return None
            given = _dict(module.call.get("expressions")).get(chain[1])
            return self._sole(module.parent, None, _references(given), depth + 1)
        if chain[0] == "module":
            instances = module.children.get(str(chain[1]), []) if len(chain) > 1 else []
            output = next((step for step in chain[2:] if isinstance(step, str)), None)
            if len(instances) != 1 or output is None:
                return None
            expression = _dict(_dict(_dict(instances[0].config.get("outputs")).get(output)).get("expression"))
            return self._sole(instances[0], None, _references(expression), depth + 1)
        narrow = key if len(chains) < len(every) else None  # `[each.key]`, as in _resolve
        targets = self._chain(module, chain, narrow, depth)
        return targets[0] if len(targets) == 1 else None


# --- small helpers -----------------------------------------------------------------------------


def _state(slot: _Slot) -> str:
    """How a looked-up name stands: present, absent, unknown (known after apply) or hidden
    (sensitive)."""
    if slot.unknown is True:
        # Not written: a value the provider computes, unless it may be a block that a `dynamic`
        # block writes (the plan's configuration leaves those out).
        return "unknown" if slot.written or slot.schema is not None else "absent"
    if slot.value is None or (slot.block and isinstance(slot.value, list) and not slot.value):
        return "absent"
    if not slot.written and not slot.block:
        return "absent"  # a default the plan fills in (retention_in_days = 0), not the code's
    if slot.sensitive is True:
        return "hidden"
    return "present"


def _schema(resource_type: str) -> dict[str, Any] | None:
    from iaclint.schemas import SchemaUnavailable, terraform_arguments

    try:
        return terraform_arguments(resource_type)
    except SchemaUnavailable:
        return None


def _match(exprs: list[Any], values: list[Any], index: int) -> dict[str, Any] | None:
    """The configuration entry of a repeated block that wrote values[index].

    Sets (route_settings) come out of the plan in their own order, so entries are matched by
    the constants they write; failing that, by position when the counts agree.
    """
    entries = [entry for entry in exprs if isinstance(entry, dict)]
    if len(entries) == 1 and len(values) == 1:
        return entries[0]
    entry = values[index]
    agreeing = [
        candidate
        for candidate in entries
        if all(
            _plain(entry.get(name), None, None) == expr["constant_value"]
            for name, expr in candidate.items()
            if isinstance(expr, dict) and "constant_value" in expr
        )
    ]
    if len(agreeing) == 1:
        return agreeing[0]
    if len(entries) == len(values):
        return entries[index]
    return None


def _plain(value: Any, unknown: Any, sensitive: Any) -> Any:
    """A value as plain Python, with UNKNOWN where the plan marks it unknown or sensitive."""
    if unknown is True or sensitive is True:
        return UNKNOWN
    if isinstance(value, dict):
        plain = {key: _plain(item, _get(unknown, key), _get(sensitive, key)) for key, item in value.items()}
        if isinstance(unknown, dict):
            plain.update((key, UNKNOWN) for key, mark in unknown.items() if mark is True and key not in plain)
        return plain
    if isinstance(value, list):
        return [_plain(item, _item(unknown, index), _item(sensitive, index)) for index, item in enumerate(value)]
    return value


def _is_expression(expr: Any) -> bool:
    """An attribute's expression ({"constant_value": ...} / {"references": [...]} / {}), not a block."""
    return isinstance(expr, dict) and set(expr) <= {"constant_value", "references"}


def _expressions(exprs: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted attribute path, expression) for every attribute, nested blocks included."""
    if not isinstance(exprs, dict):
        return
    for name, expr in exprs.items():
        path = f"{prefix}{name}"
        if _is_expression(expr):
            yield path, expr
        elif isinstance(expr, list):
            for entry in expr:
                yield from _expressions(entry, f"{path}.")
        elif isinstance(expr, dict):
            yield from _expressions(expr, f"{path}.")


def _references(expr: Any) -> list[str]:
    return _strings(expr.get("references")) if isinstance(expr, dict) else []


def _chains(references: list[str]) -> list[list[str | Key]]:
    """The references of one expression without the prefixes Terraform also lists
    (`aws_x.y[0].arn`, `aws_x.y[0]`, `aws_x.y` -> `aws_x.y[0].arn`)."""
    parsed = [steps(reference) for reference in references]
    parsed = [chain for chain in parsed if chain]
    return [
        chain
        for position, chain in enumerate(parsed)
        if not any(len(other) > len(chain) and other[: len(chain)] == chain for other in parsed)
        and chain not in parsed[:position]
    ]


def _index(value: Any) -> int | str | None:
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def _get(container: Any, key: str) -> Any:
    return container.get(key) if isinstance(container, dict) else None


def _item(container: Any, index: int) -> Any:
    if isinstance(container, list) and index < len(container):
        return container[index]
    return container if container is True else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in _list(value) if isinstance(item, str)]
