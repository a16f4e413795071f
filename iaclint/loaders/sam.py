"""SAM's implicit APIs: what function events create without declaring anything.

An `Api` event without `RestApiId` adds its route to `ServerlessRestApi` (stage `Prod`), an
`HttpApi` event without `ApiId` to `ServerlessHttpApi` (stage `$default`). SAM generates each
once per template, configured only by `Globals.Api` / `Globals.HttpApi` (SAM specification,
"Api" and "HttpApi" event sources; aws-sam-translator's api/implicit_*_plugin.py).
An `HttpApi` event's own `RouteSettings` are merged into its API's `RouteSettings` under the
route key "METHOD /path" (just "/path" for ANY), the event's values winning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from iaclint.loaders import Span
from iaclint.loaders.documents import PosDict

# Resource types whose Events may hold Api/HttpApi events.
_EVENT_SOURCES = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")


@dataclass(frozen=True)
class ImplicitApi:
    logical_id: str
    resource_type: str
    globals_section: str  # "Api" or "HttpApi": where the user configures it
    stage_name: str
    event_span: Span  # the first event that creates it: where its findings point


@dataclass(frozen=True)
class RouteSetting:
    route_key: str
    settings: PosDict
    span: Span  # the event's RouteSettings key


_KINDS = {
    # event Type: (implicit logical id, resource type, property naming an explicit API, stage)
    "Api": ("ServerlessRestApi", "AWS::Serverless::Api", "RestApiId", "Prod"),
    "HttpApi": ("ServerlessHttpApi", "AWS::Serverless::HttpApi", "ApiId", "$default"),
}


@dataclass
class ApiEvents:
    implicit: dict[str, ImplicitApi] = field(default_factory=dict)  # by logical id, in event order
    # HttpApi events' RouteSettings by the logical id of the API they add a route to.
    route_settings: dict[str, list[RouteSetting]] = field(default_factory=dict)
    # An implicit API exists where one of the functions that create it does: the undecided
    # conditions of those functions, by API; absent when one of them is unconditional.
    conditions: dict[str, list[str]] = field(default_factory=dict)


def api_events(resources: PosDict, holds: Callable[[Any], Any] = lambda _: True) -> ApiEvents:
    """`holds(condition)`: True, False or UNKNOWN for a resource's Condition (None: none)."""
    found = ApiEvents()
    unconditional: set[str] = set()
    for body in resources.values():
        if not isinstance(body, dict) or body.get("Type") not in _EVENT_SOURCES:
            continue
        condition = body.get("Condition")
        exists = holds(condition) if condition is not None else True
        if exists is False:
            continue  # a function that is not created creates no API either
        properties = body.get("Properties")
        events = properties.get("Events") if isinstance(properties, dict) else None
        if not isinstance(events, PosDict):
            continue  # no events, or an intrinsic: nothing we can read
        for event_id, event in events.items():
            if not isinstance(event, dict) or event.get("Type") not in _KINDS:
                continue
            logical_id, resource_type, api_property, stage = _KINDS[event["Type"]]
            event_properties = event.get("Properties")
            if not isinstance(event_properties, PosDict):
                event_properties = PosDict(events.key_span(event_id))
            target = _explicit_api(event_properties.get(api_property))
            if api_property not in event_properties:
                if logical_id not in resources and logical_id not in found.implicit:
                    found.implicit[logical_id] = ImplicitApi(
                        logical_id, resource_type, event["Type"], stage, events.key_span(event_id)
                    )
                if exists is True:
                    unconditional.add(logical_id)
                elif str(condition) not in found.conditions.setdefault(logical_id, []):
                    found.conditions[logical_id].append(str(condition))
                target = logical_id
            if event["Type"] == "HttpApi" and target:
                setting = _route_setting(event_properties)
                if setting:
                    found.route_settings.setdefault(target, []).append(setting)
    for logical_id in unconditional:
        found.conditions.pop(logical_id, None)
    return found


def _explicit_api(value: Any) -> str | None:
    """The logical id an event's RestApiId/ApiId names (`!Ref MyApi`, or the id written plainly)."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return value["Ref"]
    return value if isinstance(value, str) else None


def _route_setting(event_properties: PosDict) -> RouteSetting | None:
    settings = event_properties.get("RouteSettings")
    if not isinstance(settings, PosDict) or not settings:
        return None
    method = event_properties.get("Method", "ANY")
    path = event_properties.get("Path", "$default")
    if not isinstance(method, str) or not isinstance(path, str):
        return None  # an intrinsic route: its key is unknown, so is the entry it would change
    route_key = path if method.lower() in ("any", "x-amazon-apigateway-any-method") else f"{method.upper()} {path}"
    return RouteSetting(route_key, settings, event_properties.key_span("RouteSettings"))


def with_route_settings(properties: PosDict, settings: list[RouteSetting]) -> PosDict:
    """An HttpApi's properties with its events' route settings merged in, as SAM does."""
    if not settings:
        return properties
    current = properties.get("RouteSettings", None)
    if current is not None and (not isinstance(current, PosDict) or _is_intrinsic(current)):
        return properties  # an intrinsic or malformed map: leave it unknown rather than guess
    merged_routes = PosDict(current.span if current is not None else settings[0].span)
    if current is not None:
        merged_routes.update(current)
        merged_routes.key_spans.update(current.key_spans)
    for setting in settings:
        previous = merged_routes.get(setting.route_key)
        entry = PosDict(setting.settings.span)
        if isinstance(previous, PosDict) and not _is_intrinsic(previous):
            entry.update(previous)
            entry.key_spans.update(previous.key_spans)
        elif setting.route_key in merged_routes:
            continue  # the API's entry is an intrinsic: unknown, keep it so
        entry.update(setting.settings)
        entry.key_spans.update(setting.settings.key_spans)
        merged_routes[setting.route_key] = entry
        merged_routes.key_spans[setting.route_key] = setting.span
    result = PosDict(properties.span)
    result.update(properties)
    result.key_spans.update(properties.key_spans)
    result["RouteSettings"] = merged_routes
    if current is None:
        result.key_spans["RouteSettings"] = settings[0].span
    return result


def _is_intrinsic(value: dict[str, Any]) -> bool:
    return len(value) == 1 and isinstance(next(iter(value)), str) and next(iter(value)).startswith(("Fn::", "Ref"))
