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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, NamedTuple

from iaclint.loaders import Link, LoadedUnit, build_nodes, catalog, location
from iaclint.loaders.catalog import Each, FactPath
from iaclint.model import UNKNOWN, Fact, Location, Resource, Section, Symbol

FORMAT = "terraform"

# Roots of references that never name a node of the graph.
_NOT_NODES = frozenset({"var", "local", "each", "count", "path", "terraform", "self"})
# How deep `var.x` may be followed up through module calls (a guard; Terraform forbids cycles).
_MAX_DEPTH = 32


def load_plan(name: str, document: Any) -> LoadedUnit:
    """Every planned resource instance of every module as nodes, references as links."""
    unit = LoadedUnit(name=name, format=FORMAT, files=[name])
    plan = _Plan(name, document if isinstance(document, dict) else {})
    seen: set[str] = set()
    for instance in plan.instances:
        nodes = plan.nodes(instance)
        for node in nodes:
            if node.node_id in seen:
                continue  # a plan never repeats an address; a hand-edited one might
            seen.add(node.node_id)
            unit.resources.append(node)
            for link in plan.links(node.node_id, instance):
                if link not in unit.links:
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
    """One module instance of the plan (the root module has address "")."""

    address: str
    config: dict[str, Any]  # its `configuration` module: resources, module_calls, outputs
    call: dict[str, Any] | None = None  # how the parent calls it: input expressions, depends_on
    parent: _Module | None = None
    children: dict[str, list[_Module]] = field(default_factory=dict)  # call name -> instances
    resources: dict[str, list[_Instance]] = field(default_factory=dict)  # "aws_x.y" -> instances

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
    attribute: str  # the attribute the reference reads ("arn"), "" for the whole resource


@dataclass(frozen=True)
class _Cursor:
    """A position inside one instance's values, with the matching parts of the plan beside it."""

    values: Any
    unknown: Any  # the after_unknown mirror: True, or a dict/list of them
    sensitive: Any  # the sensitive_values mirror
    exprs: Any  # the configuration's expressions for this block; None: not known what is written
    schema: Any  # argument names of the type (API Gateway types only): None or a dict
    where: Location


class _Plan:
    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.file = name
        self.unknown = {
            change.get("address"): (change.get("change") or {}).get("after_unknown")
            for change in _list(document.get("resource_changes"))
            if isinstance(change, dict) and not change.get("deposed")
        }
        configuration = _dict(document.get("configuration"))
        self.root = _Module("", _dict(configuration.get("root_module")))
        self.instances: list[_Instance] = []
        planned = _dict(document.get("planned_values"))
        self._walk(_dict(planned.get("root_module")), self.root)

    def _walk(self, planned: dict[str, Any], module: _Module) -> None:
        configs = {r.get("address"): r for r in _list(module.config.get("resources")) if isinstance(r, dict)}
        for resource in _list(planned.get("resources")):
            if not isinstance(resource, dict) or not isinstance(resource.get("address"), str):
                continue
            mode, kind, name = resource.get("mode"), resource.get("type"), resource.get("name")
            relative = f"{'data.' if mode == 'data' else ''}{kind}.{name}"
            index = resource.get("index")
            instance = _Instance(
                module=module,
                planned=resource,
                address=resource["address"],
                relative=relative,
                key=index if isinstance(index, (int, str)) and not isinstance(index, bool) else None,
                config=_dict(configs.get(relative)),
                unknown=self.unknown.get(resource["address"]),
            )
            module.resources.setdefault(relative, []).append(instance)
            self.instances.append(instance)
        calls = _dict(module.config.get("module_calls"))
        for child in _list(planned.get("child_modules")):
            address = child.get("address") if isinstance(child, dict) else None
            if not isinstance(address, str):
                continue
            rest = steps(address[len(module.address) :] if address.startswith(module.address) else address)
            call_name = rest[1] if len(rest) >= 2 and rest[0] == "module" and isinstance(rest[1], str) else None
            call = _dict(calls.get(call_name))
            instance = _Module(address, _dict(call.get("module")), call, module)
            module.children.setdefault(str(call_name), []).append(instance)
            self._walk(child, instance)

    # --- nodes and facts ---

    def nodes(self, instance: _Instance) -> list[Resource]:
        is_data = instance.relative.startswith("data.")
        where = self._at(instance.planned, "address")
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
        has, `meta.for_each` their keys; `meta.provider` is the provider configuration when it
        is not the default one ("aws.west"), as the configuration names it."""
        siblings = instance.module.resources.get(instance.relative, [])
        absent = lambda name, path: Fact(name, None, False, where, path)  # noqa: E731
        facts = {"meta.count": absent("meta.count", "count"), "meta.for_each": absent("meta.for_each", "for_each")}
        if isinstance(instance.key, int):
            facts["meta.count"] = Fact("meta.count", len(siblings), True, where, "count")
        elif isinstance(instance.key, str):
            keys = [s.key for s in siblings]
            facts["meta.for_each"] = Fact("meta.for_each", keys, True, where, "for_each")
        provider = instance.config.get("provider_config_key")
        # "aws" is the default configuration; a module's own provider block is "module.x:aws".
        if isinstance(provider, str) and ("." in provider or ":" in provider):
            facts["meta.provider"] = Fact("meta.provider", provider, True, where, "provider")
        else:
            facts["meta.provider"] = absent("meta.provider", "provider")
        return facts

    def _start(self, instance: _Instance) -> _Cursor:
        return _Cursor(
            values=instance.planned.get("values"),
            unknown=instance.unknown,
            sensitive=instance.planned.get("sensitive_values"),
            exprs=instance.config.get("expressions") if instance.config else None,
            schema=_schema(instance.type),
            where=self._at(instance.planned, "address"),
        )

