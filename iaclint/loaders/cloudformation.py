"""CloudFormation and SAM templates (YAML or JSON): one template -> one LoadedUnit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iaclint.loaders import Link, LoadedUnit, build_nodes, catalog, location, sam
from iaclint.loaders.catalog import Each, FactPath
from iaclint.loaders.documents import PosDict, PosList
from iaclint.model import UNKNOWN, Fact, LoadError, Location, Resource, Section, Symbol

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

# SAM's Globals sections and the resource types each applies to (SAM specification, Globals).
_GLOBALS = {
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "WebSocketApi": "AWS::Serverless::WebSocketApi",
    "Function": "AWS::Serverless::Function",
    "SimpleTable": "AWS::Serverless::SimpleTable",
    "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion",
    "CapacityProvider": "AWS::Serverless::CapacityProvider",
}

_SUB_REFERENCE = re.compile(r"\$\{(?!!)([^}]+)\}")


def is_intrinsic(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return key in ("Ref", "Condition") or (isinstance(key, str) and key.startswith(("Fn::", "Tag::")))


def template_format(document: Any) -> str | None:
    """'cloudformation', 'sam', or None for a YAML/JSON document that is not a template."""
    if not isinstance(document, dict):
        return None
    transform = document.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if SAM_TRANSFORM in transforms:
        return "sam"
    if "AWSTemplateFormatVersion" in document:
        return "sam" if _has_serverless_resources(document) else "cloudformation"
    resources = document.get("Resources")
    if isinstance(resources, dict) and any(
        isinstance(body, dict) and isinstance(body.get("Type"), str) and body["Type"].startswith(("AWS::", "Custom::"))
        for body in resources.values()
    ):
        return "sam" if _has_serverless_resources(document) else "cloudformation"
    return None


def _has_serverless_resources(document: dict[str, Any]) -> bool:
    """SAM resource types without the transform: CloudFormation would reject the template, but
    the author meant SAM, so read it as SAM (Globals included) rather than half as each."""
    resources = document.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(body, dict) and str(body.get("Type", "")).startswith("AWS::Serverless::") for body in resources.values()
    )


def load_template(name: str, document: PosDict, fmt: str, parameter_values: dict[str, str] | None = None) -> LoadedUnit:
    """The template as deployed with these parameters; when undecided conditions change what it
    deploys, also one variant per deployment they allow (checked separately, then merged)."""
    from iaclint.loaders.cfn_deployments import deployments

    parameters = _parameters(document, parameter_values)
    unit = _load(name, document, fmt, parameters)
    unit.children = list(_nested_templates(name, document, parameters))
    if unit.errors or not isinstance(document.get("Conditions"), dict):
        return unit
    for deployment in deployments(document, parameters, set(parameter_values or ())):
        world = parameters.with_values(dict(deployment.values), dict(deployment.conditions))
        unit.variants.append((deployment, _load(name, document, fmt, world)))
    return unit


# Where a nested stack's template is: (resource type, property). A URL or an S3 location is
# external (not fetched); a relative path is what `aws cloudformation package` / `sam build` read.
_NESTED = {"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _nested_templates(name: str, document: PosDict, parameters: Parameters) -> Iterator[tuple[str, dict[str, Any]]]:
    import os

    resources = document.get("Resources")
    for body in resources.values() if isinstance(resources, dict) else ():
        if not isinstance(body, dict) or body.get("Type") not in _NESTED:
            continue
        properties = body.get("Properties")
        if not isinstance(properties, dict):
            continue
        where = _resolve(properties.get(_NESTED[body["Type"]]), parameters)
        if not isinstance(where, str) or not where or _REMOTE.match(where):
            continue  # a URL, a serverless repository application, or not known: external
        path = os.path.normpath(os.path.join(os.path.dirname(name), where)).replace(os.sep, "/")
        passed = properties.get("Parameters")
        values: dict[str, Any] = {}
        for key, value in passed.items() if isinstance(passed, dict) else ():
            resolved = _resolve(value, parameters)
            known = isinstance(resolved, (str, int, float)) and not isinstance(resolved, bool)
            values[str(key)] = str(resolved) if known else UNKNOWN  # passed, so not the Default
        yield path, values


def _load(name: str, document: PosDict, fmt: str, parameters: Parameters) -> LoadedUnit:
    unit = LoadedUnit(name=name, format=fmt, files=[name])
    resources = document.get("Resources")
    if not isinstance(resources, PosDict):
        line = document.key_span("Resources").line
        what = "missing" if "Resources" not in document else f"a {type(resources).__name__}, not a mapping"
        unit.errors.append(LoadError(name, line, f"template Resources is {what}"))
        return unit
    globals_ = document.get("Globals") if fmt == "sam" else None
    events = sam.api_events(resources, parameters.condition) if fmt == "sam" else sam.ApiEvents()
    for logical_id, body in resources.items():
        span = resources.key_span(logical_id)
        resource_type = body.get("Type") if isinstance(body, dict) else None
        if not isinstance(resource_type, str):
            unit.errors.append(LoadError(name, span.line, f"resource {logical_id} has no Type", span.column))
            continue
        properties = body.get("Properties", PosDict(span))
        if not isinstance(properties, PosDict):
            line = body.key_span("Properties").line
            unit.errors.append(LoadError(name, line, f"resource {logical_id}: Properties is not a mapping"))
            continue
        condition = body.get("Condition")
        holds = parameters.condition(condition) if condition is not None else True
        if holds is False:
            continue  # the condition is false for these parameters: the resource is not created
        if isinstance(globals_, PosDict):
            properties = _with_globals(properties, globals_, resource_type, body.get("IgnoreGlobals"))
        if resource_type == "AWS::Serverless::HttpApi":
            properties = sam.with_route_settings(properties, events.route_settings.get(str(logical_id), []))
        nodes = _nodes(name, str(logical_id), resource_type, fmt, location(name, span), properties, parameters)
        if holds is UNKNOWN:
            where = location(name, body.key_span("Condition"))
            for node in nodes:  # exists in some deployments: checked, and the message says when
                node.facts["meta.condition"] = Fact("meta.condition", str(condition), True, where, "Condition")
        unit.resources.extend(nodes)
        unit.links.extend(link for link in _links(str(logical_id), body, properties) if link.target not in parameters)
        # A SAM resource's generated nodes belong to it, as the generated stage to its API.
        unit.links.extend(Link(node.node_id, str(logical_id), "generated by", "reference") for node in nodes[1:])
    for api in events.implicit.values():
        nodes = _implicit_api_nodes(name, api, globals_, events, parameters)
        if api.logical_id in events.conditions:  # only its conditional functions create it
            when = " or ".join(events.conditions[api.logical_id])
            for node in nodes:
                node.facts["meta.condition"] = Fact("meta.condition", when, True, node.location, "Condition")
        unit.resources.extend(nodes)
        unit.links.extend(Link(node.node_id, api.logical_id, "generated by", "reference") for node in nodes[1:])
    return unit


def _implicit_api_nodes(
    file: str, api: sam.ImplicitApi, globals_: Any, events: sam.ApiEvents, parameters: dict[str, Any]
) -> list[Resource]:
    """ServerlessRestApi / ServerlessHttpApi: the nodes an explicit SAM API with the Globals
    section's properties would become, located at the first event that creates the API."""
    properties = PosDict(api.event_span)
    if isinstance(globals_, PosDict):
        properties = _with_globals(properties, globals_, api.resource_type)
    properties = sam.with_route_settings(properties, events.route_settings.get(api.logical_id, []))
    # SAM names the stage itself (Globals cannot), so the name sits at the event too.
    properties = _merge(properties, PosDict(api.event_span))
    properties["StageName"] = api.stage_name
    properties.key_spans["StageName"] = api.event_span
    where = location(file, api.event_span)
    nodes = _nodes(file, api.logical_id, api.resource_type, "sam", where, properties, parameters)
    for node in nodes:
        node.implicit = True
        # Tells a message where the fix goes: Globals.Api / Globals.HttpApi, or an explicit API.
        node.facts["sam_implicit_api"] = Fact("sam_implicit_api", api.globals_section, True, where, "sam_implicit_api")
    return nodes


class Parameters(dict):  # type: ignore[type-arg]
    """Parameter values (the Default, the user's value, or UNKNOWN), with what else a
    template's intrinsic functions read: its Mappings, and its Conditions, evaluated lazily."""

    def __init__(self, values: dict[str, Any], mappings: Any, conditions: Any) -> None:
        super().__init__(values)
        self.mappings = mappings if isinstance(mappings, dict) else {}
        self.condition_exprs = conditions if isinstance(conditions, dict) else {}
        self._conditions: dict[str, Any] = {}

    def with_values(self, values: dict[str, Any], conditions: dict[str, bool] | None = None) -> Parameters:
        """These parameters with some values replaced, and conditions decided in advance."""
        changed = Parameters({**self, **values}, self.mappings, self.condition_exprs)
        changed._conditions.update(conditions or {})
        return changed

    def condition(self, name: Any) -> Any:
        """True, False, or UNKNOWN (a parameter without a value, a cycle, a bad expression)."""
        if not isinstance(name, str) or name not in self.condition_exprs:
            return UNKNOWN
        if name not in self._conditions:
            self._conditions[name] = UNKNOWN  # guards against a condition that names itself
            self._conditions[name] = _condition_value(self.condition_exprs[name], self)
        return self._conditions[name]


def _parameters(document: PosDict, given: dict[str, str] | None) -> Parameters:
    """Parameter values as deployed: the user's (--parameter), else the Default, else unknown."""
    section = document.get("Parameters")
    values: dict[str, Any] = {}
    if isinstance(section, dict):
        for name, spec in section.items():
            values[str(name)] = spec.get("Default", UNKNOWN) if isinstance(spec, dict) else UNKNOWN
    for name, value in (given or {}).items():
        if name in values:
            values[name] = value
    return Parameters(values, document.get("Mappings"), document.get("Conditions"))


def _condition_value(expr: Any, parameters: Parameters) -> Any:
    if isinstance(expr, bool):
        return expr
    if not is_intrinsic(expr):
        return UNKNOWN
    ((function, argument),) = expr.items()
    if function == "Condition":
        return parameters.condition(argument)
    if function == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
        left, right = (_resolve(item, parameters) for item in argument)
        if left is UNKNOWN or right is UNKNOWN or left is _NO_VALUE or right is _NO_VALUE:
            return UNKNOWN
        return str(left) == str(right)  # CloudFormation compares the string forms
    if function == "Fn::Not" and isinstance(argument, list) and len(argument) == 1:
        value = _condition_value(argument[0], parameters)
        return UNKNOWN if value is UNKNOWN else not value
    if function in ("Fn::And", "Fn::Or") and isinstance(argument, list):
        values = [_condition_value(item, parameters) for item in argument]
        decisive = function == "Fn::Or"  # True decides an Or, False decides an And
        if decisive in values:
            return decisive
        return UNKNOWN if UNKNOWN in values else not decisive
    return UNKNOWN


def _with_globals(properties: PosDict, globals_: PosDict, resource_type: str, ignore: Any = None) -> PosDict:
    """The resource's properties over its Globals section, less what its IgnoreGlobals resource
    attribute names ('*' for all; SAM specification, "IgnoreGlobals")."""
    if ignore is not None and not (ignore == "*" or isinstance(ignore, list)):
        return properties  # SAM rejects any other value; merge nothing rather than guess
    for section, target_type in _GLOBALS.items():
        if target_type == resource_type and isinstance(globals_.get(section), PosDict):
            if ignore == "*":
                return properties
            base = globals_[section]
            if ignore:
                base = PosDict(base.span)
                base.update((k, v) for k, v in globals_[section].items() if k not in ignore)
                base.key_spans.update(globals_[section].key_spans)
            return _merge(base, properties)
    return properties


def _merge(base: PosDict, override: PosDict) -> PosDict:
    """SAM's Globals rule: maps merge, lists concatenate (globals first), scalars are replaced."""
    merged = PosDict(override.span)
    for source in (base, override):
        for key, value in source.items():
            previous = merged.get(key)
            if isinstance(previous, PosDict) and isinstance(value, PosDict) and not is_intrinsic(value):
                value = _merge(previous, value)
            elif isinstance(previous, PosList) and isinstance(value, PosList):
                value = PosList(previous + value, value.span)
            merged[key] = value
            merged.key_spans[key] = source.key_span(key)
    return merged


def _nodes(
    file: str, logical_id: str, resource_type: str, fmt: str, where: Location, properties: PosDict, parameters: dict[str, Any]
) -> list[Resource]:
    def read(name: str, path: FactPath) -> Fact:
        if isinstance(path, Each):
            return _sections(file, name, properties, path, parameters, where)
        return _fact(file, name, properties, path, parameters, where)

    return build_nodes(
        catalog.CLOUDFORMATION.get(resource_type, ()),
        address=logical_id,
        resource_type=resource_type,
        fmt=fmt,
        where=where,
        raw=properties,
        read=read,
    )


def _sections(
    file: str, name: str, properties: PosDict, each: Each, parameters: dict[str, Any], where: Location
) -> Fact:
    """A list of settings (or a mapping of them keyed by name) as a tuple of Sections."""
    container = _fact(file, name, properties, each.path, parameters, where)
    if not container.present or container.unknown:
        return container
    value = container.value
    if isinstance(value, PosList) and not each.key:
        entries = [(None, item, item.span if isinstance(item, PosDict) else value.span) for item in value]
    elif isinstance(value, PosDict) and each.key:
        entries = [(key, item, value.key_span(key)) for key, item in value.items()]
    else:
        return Fact(name, UNKNOWN, True, container.location, each.path)  # a shape we cannot read
    sections = []
    for key, item, span in entries:
        if not isinstance(item, PosDict) or is_intrinsic(item):
            return Fact(name, UNKNOWN, True, container.location, each.path)
        at = location(file, span)
        fields = {field: _fact(file, field, item, sub, parameters, at) for field, sub in each.fields.items()}
        if each.key:
            fields[each.key] = Fact(each.key, key, True, at, each.key)
        sections.append(Section(at, fields))
    return Fact(name, tuple(sections), True, container.location, each.path)


def _fact(file: str, name: str, properties: PosDict, dotted: str, parameters: dict[str, Any], where: Any) -> Fact:
    """Walk properties along a path; an absent fact points at the deepest property found."""
    value: Any = properties
    at = where
    for key in dotted.split("."):
        value = _resolve(value, parameters)
        if value is UNKNOWN:
            return Fact(name, UNKNOWN, True, at, dotted)
        if not isinstance(value, PosDict) or key not in value:
            return Fact(name, None, False, at, dotted)
        at = location(file, value.key_span(key))
        value = value[key]
    resolved = _resolve(value, parameters)
    if resolved is _NO_VALUE:
        return Fact(name, None, False, at, dotted)
    symbolic = _symbolic(value, parameters) if resolved is UNKNOWN else None
    return Fact(name, resolved, resolved is not None, at, dotted, symbolic)


_NO_VALUE = object()


def _resolve(value: Any, parameters: dict[str, Any]) -> Any:
    """A property's value as far as the template and its parameters tell it."""
    if not is_intrinsic(value):
        return value
    ((function, argument),) = value.items()
    if function == "Ref":
        if argument == "AWS::NoValue":
            return _NO_VALUE
        return parameters.get(argument, UNKNOWN) if isinstance(argument, str) else UNKNOWN
    if not isinstance(parameters, Parameters):
        return UNKNOWN
    if function == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
        holds = parameters.condition(argument[0])
        return UNKNOWN if holds is UNKNOWN else _resolve(argument[1] if holds else argument[2], parameters)
    if function == "Fn::FindInMap" and isinstance(argument, list) and len(argument) in (3, 4):
        keys = [_resolve(item, parameters) for item in argument[:3]]
        if any(not isinstance(key, (str, int)) for key in keys):
            return UNKNOWN
        found: Any = parameters.mappings
        for key in keys:
            found = found.get(str(key), UNKNOWN) if isinstance(found, dict) else UNKNOWN
        return _resolve(found, parameters) if found is not UNKNOWN else UNKNOWN
    if function == "Fn::Select" and isinstance(argument, list) and len(argument) == 2:
        index, items = _resolve(argument[0], parameters), _resolve(argument[1], parameters)
        if isinstance(items, str):
            items = items.split(",")  # a CommaDelimitedList parameter
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items):
            return _resolve(items[index], parameters)
        return UNKNOWN
    if function in ("Fn::Join", "Fn::Sub"):
        parts = _symbolic(value, parameters) or (UNKNOWN,)
        return "".join(parts) if all(isinstance(part, str) for part in parts) else UNKNOWN
    return UNKNOWN  # GetAtt, ImportValue, GetAZs...: known only at deploy time


def _symbolic(value: Any, parameters: dict[str, Any]) -> tuple[Any, ...] | None:
    """A string built by Ref, GetAtt, Sub or Join, as parts: str, Symbol or UNKNOWN."""
    if not is_intrinsic(value):
        return (value,) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else (UNKNOWN,)
    (function, argument), = value.items()
    if function == "Ref" and isinstance(argument, str):
        return (_named(argument, "Ref", parameters),)
    if function == "Fn::GetAtt":
        target = argument.split(".", 1) if isinstance(argument, str) else argument
        if isinstance(target, list) and len(target) == 2 and all(isinstance(t, str) for t in target):
            return (Symbol(target[0], target[1]),)
    if function == "Fn::Sub":
        return _sub_parts(argument, parameters)
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
        delimiter, items = argument
        if not isinstance(delimiter, str):
            return (UNKNOWN,)
        parts: list[Any] = []
        for index, item in enumerate(items):
            if index and delimiter:
                parts.append(delimiter)
            parts.extend(_symbolic(item, parameters) or (UNKNOWN,))
        return tuple(parts)
    return (UNKNOWN,)


def _named(name: str, attribute: str, parameters: dict[str, Any]) -> Any:
    """What `${name}` or `Ref: name` stands for: a parameter's value, a resource, or unknown."""
    if name in parameters:
        value = parameters[name]
        return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else UNKNOWN
    if name.startswith("AWS::"):
        return UNKNOWN  # pseudo parameters: well-formed, but known only at deploy time
    return Symbol(name, attribute)


def _sub_parts(argument: Any, parameters: dict[str, Any]) -> tuple[Any, ...]:
    text, variables = (argument[0], argument[1]) if isinstance(argument, list) and len(argument) == 2 else (argument, {})
    if not isinstance(text, str) or not isinstance(variables, dict):
        return (UNKNOWN,)
    parts: list[Any] = []
    position = 0
    for match in _SUB_REFERENCE.finditer(text):
        parts.append(text[position : match.start()].replace("${!", "${"))
        position = match.end()
        name = match.group(1).strip()
        if name in variables:
            parts.extend(_symbolic(variables[name], parameters) or (UNKNOWN,))
        elif "." in name and not name.startswith("AWS::"):
            resource, attribute = name.split(".", 1)
            parts.append(Symbol(resource, attribute))
        else:
            parts.append(_named(name, "Ref", parameters))
    parts.append(text[position:].replace("${!", "${"))
    return tuple(part for part in parts if part != "")


def _links(logical_id: str, body: PosDict, properties: PosDict) -> Iterator[Link]:
    depends_on = body.get("DependsOn")
    for target in [depends_on] if isinstance(depends_on, str) else depends_on or []:
        if isinstance(target, str):
            yield Link(logical_id, target, "DependsOn", "depends_on")
    for path, target in _references(properties, ""):
        yield Link(logical_id, target, path, "reference")


def _references(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(property path, logical id) for every Ref, GetAtt and Sub reference in a value."""
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str) and len(value) == 1:
            if not value["Ref"].startswith("AWS::"):
                yield path, value["Ref"]
            return
        if "Fn::GetAtt" in value and len(value) == 1:
            target = value["Fn::GetAtt"]
            if isinstance(target, list) and target and isinstance(target[0], str):
                yield path, target[0]
            elif isinstance(target, str):
                yield path, target.split(".", 1)[0]
            return
        if "Fn::Sub" in value and len(value) == 1:
            yield from _sub_references(value["Fn::Sub"], path)
            return
        for key, item in value.items():
            name = str(key)
            # Function names are not part of where a reference sits: Fn::Join's args stay at path.
            inner = path if name.startswith("Fn::") else f"{path}.{name}" if path else name
            yield from _references(item, inner)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item, path)


def _sub_references(argument: Any, path: str) -> Iterator[tuple[str, str]]:
    text, variables = (argument[0], argument[1]) if isinstance(argument, list) and len(argument) == 2 else (argument, {})
    if isinstance(variables, dict):
        yield from _references(variables, path)
    if isinstance(text, str):
        for name in _SUB_REFERENCE.findall(text):
            root = name.split(".", 1)[0].strip()
            if not root.startswith("AWS::") and not (isinstance(variables, dict) and root in variables):
                yield path, root
