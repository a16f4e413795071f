"""Judgements several rules share, so each rule stays a few lines and no rule imports another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iaclint.kinds import Kind
from iaclint.model import UNKNOWN, Fact, Location, Resource, Symbol

if TYPE_CHECKING:
    from iaclint.graph import ResourceGraph


def access_log_gap(stage: Resource) -> tuple[Fact | None, str] | None:
    """Why a stage writes no access log: (the fact to point at, the message), or None.

    None also when it cannot be known: settings behind a dynamic block, a condition, or a
    destination from a variable without a value are unknown, and unknown is not a finding.
    """
    if stage.fact("created_by").value == "sam_without_openapi_version":
        return None  # SAM's extra "Stage" stage: APIGW020 reports it, so users decide on it apart
    implicit = _implicit_stage_gap(stage)
    if implicit:
        return implicit
    settings = stage.fact("access_log")
    if settings.unknown:
        return None
    destination = stage.fact("access_log.destination")
    if not settings.present:
        return None, f"access logging is off: no {settings.path}; add it with a {destination.leaf}{_where_for_sam(stage)}"
    if destination.unknown:
        return None
    if not destination.present:
        # Points at the attribute when it is written as null, else at the settings block.
        return destination, f"access logging is off: {settings.path} has no {destination.leaf}; set it to a log group ARN"
    if isinstance(destination.value, str) and not destination.value.strip():
        return destination, f"access logging is off: {destination.leaf} is {destination.value!r}; set it to a log group ARN"
    return None


def _where_for_sam(stage: Resource) -> str:
    """An implicit SAM API is configured only through Globals: say where the fix goes."""
    section = stage.fact("sam_implicit_api").value
    return f" (in Globals.{section}, or declare an explicit AWS::Serverless::{section})" if section else ""


def _implicit_stage_gap(stage: Resource) -> tuple[Fact | None, str] | None:
    """Stages that exist only as a side effect, which no access log setting can reach."""
    origin = stage.fact("created_by").value
    if origin == "quick_create":
        target = stage.fact("quick_create_target")
        return target, (
            f"quick create ({target.leaf}) makes a $default stage that cannot have access logs; "
            f"remove {target.leaf} and declare a stage with access log settings"
        )

    if origin == "deprecated_deployment_stage_name":
        name = stage.fact("stage_name")
        if minimum_major_version(stage.fact("meta.aws_provider_version").value) >= 6:
            return name, (
                f"{name.leaf} {name.value!r} was removed in AWS provider 6.0, which this configuration requires, "
                "so no stage is created; declare a stage resource with access log settings"
            )
        return name, (
            f"{name.leaf} {name.value!r} creates a stage that cannot have access logs "
            "(and is deprecated in AWS provider 5.x, removed in 6.0); declare a stage resource with access log settings"
        )
    return None


def minimum_major_version(constraint: Any) -> int:
    """The lowest major version a Terraform version constraint admits ("~> 6.2" -> 6,
    ">= 5.0, < 7.0" -> 5); 0 when there is none or it cannot be read."""
    if not isinstance(constraint, str):
        return 0
    lowest = 0
    for clause in constraint.split(","):
        match = re.fullmatch(r"\s*(>=|>|~>|=|)\s*v?(\d+)(?:\.\d+)*\s*", clause)
        if match:
            lowest = max(lowest, int(match.group(2)))
    return lowest


# --- what belongs to what --------------------------------------------------------------------

API_KINDS = (Kind.REST_API, Kind.V2_API)


def api_of(graph: ResourceGraph, node: Resource) -> Resource | None:
    """The API a stage, deployment or method settings belongs to.

    An implicit node belongs to the API that declares it (a SAM API's stage, a quick-create
    API's $default stage); otherwise the API is what the node's `api` fact refers to. None when
    the code does not say; an external placeholder when it names an API outside the scan.
    """
    if node.implicit:
        declared = graph.get(node.address)
        if declared is not None and declared.kind in API_KINDS:
            return declared
    api = node.fact("api")
    if not api.present:
        return None
    targets = graph.references(_declared(graph, node), api.path)
    for target in targets:
        if target.kind in API_KINDS:
            return target
    return targets[0] if targets else None


def protocol_of(graph: ResourceGraph, stage: Resource) -> str | None:
    """"HTTP" or "WEBSOCKET" for a v2 stage whose API is in the scan, else None (unknown)."""
    api = api_of(graph, stage)
    if api is None or api.kind != Kind.V2_API:
        return None
    protocol = api.fact("protocol")
    return protocol.value.upper() if protocol.known and isinstance(protocol.value, str) else None


def _declared(graph: ResourceGraph, node: Resource) -> Resource:
    """Edges are written by the declared resource; an implicit node reads its sibling's."""
    return (graph.get(node.address) or node) if node.implicit else node


def same_node(graph: ResourceGraph, a: Resource | None, b: Resource | None) -> bool:
    return a is not None and b is not None and a.node_id == b.node_id


# --- REST method settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class MethodSetting:
    """One method-settings entry that applies to a stage, whatever declares it.

    `method_path` is "*/*" for every method or "resource/path/METHOD" (no leading slash, as
    Terraform writes it); None when the code does not say. `owner` is the resource that holds
    the entry (Terraform method settings, or the stage itself in CloudFormation).
    """

    method_path: str | None
    logging_level: Fact
    data_trace: Fact
    metrics: Fact
    owner: Resource
    location: Location


def method_settings_of(graph: ResourceGraph, stage: Resource) -> tuple[list[MethodSetting], bool]:
    """The method settings that apply to a REST stage, and whether others might (unknown links).

    Terraform method settings belong to a stage when their `stage_name` refers to it, or when
    they name it literally and their `rest_api_id` refers to the stage's API (Checkov fails
    that literal form; it is valid and common).
    """
    settings: list[MethodSetting] = []
    uncertain = False
    inline = stage.fact("method_settings")
    if inline.unknown:
        uncertain = True
    elif inline.present:
        for section in inline.value:
            path = _cfn_method_path(section.fact("resource_path"), section.fact("http_method"))
            settings.append(
                MethodSetting(path, section.fact("logging_level"), section.fact("data_trace"), section.fact("metrics"), stage, section.location)
            )
    stage_wide = stage.fact("logging_level")  # a deployment's StageDescription.LoggingLevel
    if stage_wide.present or stage.fact("data_trace").present:
        settings.append(MethodSetting("*/*", stage_wide, stage.fact("data_trace"), Fact("metrics", None, False, stage.location), stage, stage_wide.location))
    for candidate in graph.resources(Kind.REST_METHOD_SETTINGS):
        applies = _applies_to(graph, candidate, stage)
        if applies is None:
            uncertain = True
        elif applies:
            path = candidate.fact("method_path")
            settings.append(
                MethodSetting(
                    path.value.strip("/") if path.known and isinstance(path.value, str) else None,
                    candidate.fact("logging_level"),
                    candidate.fact("data_trace"),
                    candidate.fact("metrics"),
                    candidate,
                    candidate.location,
                )
            )
    return settings, uncertain


def _applies_to(graph: ResourceGraph, settings: Resource, stage: Resource) -> bool | None:
    """True, False, or None when it cannot be known."""
    stage_name = settings.fact("stage_name")
    declared = _declared(graph, stage)
    named = graph.references(settings, stage_name.path)
    if declared in named:
        return True  # stage_name = aws_api_gateway_stage.x.stage_name
    if named and all(target.kind in (Kind.REST_STAGE, Kind.REST_DEPLOYMENT) for target in named):
        return False  # it names another stage of the scan
    settings_api, stage_api = api_of(graph, settings), api_of(graph, stage)
    if settings_api is None or stage_api is None:
        return None if settings_api is None and stage_api is None and stage_name.unknown else False
    if not same_node(graph, settings_api, stage_api):
        return False
    name = stage.fact("stage_name")
    if stage_name.unknown or name.unknown:
        return None
    return stage_name.value == name.value


def _cfn_method_path(resource_path: Fact, http_method: Fact) -> str | None:
    """CloudFormation's ResourcePath "/~1users" + HttpMethod "GET" -> "users/GET"; "/*" + "*" -> "*/*"."""
    if not (resource_path.known and http_method.known):
        return None
    if not isinstance(resource_path.value, str) or not isinstance(http_method.value, str):
        return None
    path = resource_path.value.replace("~1", "/").strip("/")
    return f"{path}/{http_method.value}"


def logging_level(setting: MethodSetting) -> str | None:
    """The level an entry sets, upper-case; None when unknown or not set."""
    level = setting.logging_level
    return level.value.upper() if level.known and isinstance(level.value, str) else None


# --- log groups --------------------------------------------------------------------------------

EXECUTION_LOG_GROUP_PREFIX = "API-Gateway-Execution-Logs_"
_LOG_GROUP_ARN = re.compile(r"^arn:[\w-]+:logs:[^:]*:[^:]*:log-group:(?P<name>[^:]+)(?::\*)?$")


def log_group_name_in_arn(arn: str) -> str | None:
    match = _LOG_GROUP_ARN.match(arn)
    return match.group("name") if match else None


def names_stage_execution_log_group(graph: ResourceGraph, group: Resource, stage: Resource) -> bool | None:
    """Whether a log group's name is `API-Gateway-Execution-Logs_{api id}/{stage name}` for this
    stage: True, False, or None when the name cannot be told from the code."""
    parts = list(group.fact("name").parts)
    if not parts or not isinstance(parts[0], str) or not parts[0].startswith(EXECUTION_LOG_GROUP_PREFIX):
        return None if parts and parts[0] is UNKNOWN else False
    parts[0] = parts[0][len(EXECUTION_LOG_GROUP_PREFIX) :]
    parts = [part for part in parts if part != ""]
    # The API id: a reference to the stage's API (its id / Ref), or something we cannot tell.
    api_part = parts[0] if parts else UNKNOWN
    api = api_of(graph, stage)
    if isinstance(api_part, Symbol):
        if api is None or api_part.node_id != api.node_id:
            return False
    elif not (isinstance(api_part, str) and "/" in api_part):
        return None  # a literal id or unknown: cannot compare with an id only AWS assigns
    rest = parts[1:] if isinstance(api_part, Symbol) else [api_part.split("/", 1)[1]]
    if rest and isinstance(rest[0], str) and rest[0].startswith("/"):
        rest[0] = rest[0][1:]
    rest = [part for part in rest if part != ""]
    if len(rest) != 1:
        return None
    (stage_part,) = rest
    name = stage.fact("stage_name")
    if isinstance(stage_part, Symbol):
        if stage_part.node_id in (stage.node_id, stage.address):
            return True
        other = graph.get(stage_part.node_id)
        return False if other is not None and other.kind == Kind.REST_STAGE else None
    if isinstance(stage_part, str):
        return stage_part == name.value if name.known else None
    return None


# --- who needs the account setting ----------------------------------------------------------------

LOGGING_LEVELS = ("ERROR", "INFO")


@dataclass(frozen=True)
class LoggingSite:
    """A resource turning on logging that API Gateway writes with the account's CloudWatch role."""

    node: Resource  # a stage, or Terraform method settings
    fact: Fact  # the setting that turns it on
    what: str  # how a message names it: 'access_log_settings', 'logging_level "INFO"'


def logging_sites(graph: ResourceGraph) -> list[LoggingSite]:
    """REST stages with CloudWatch access logs or ERROR/INFO execution logging (through method
    settings, the stage's own or Terraform's), method settings with logging whose stage is not
    in the scan, and WebSocket stages with access logs or ERROR/INFO logging. Not HTTP stages:
    their access logs do not use the account role (inferred: the HTTP API logging guide lists
    only the caller's permissions), nor access logs sent to Firehose, which API Gateway writes
    with its service-linked role. One site per resource, in source order."""
    sites: dict[str, LoggingSite] = {}

    def add(node: Resource, fact: Fact, what: str) -> None:
        sites.setdefault(node.node_id, LoggingSite(node, fact, what))

    applied: set[str] = set()
    for stage in graph.resources(Kind.REST_STAGE):
        access = cloudwatch_access_log(graph, stage)
        if access is not None:
            add(stage, access, access.path)
        settings, _ = method_settings_of(graph, stage)
        for setting in settings:
            applied.add(setting.owner.node_id)
            level = logging_level(setting)
            if level in LOGGING_LEVELS:
                add(setting.owner, setting.logging_level, f'{setting.logging_level.leaf} "{level}"')
    for settings in graph.resources(Kind.REST_METHOD_SETTINGS):
        level_fact = settings.fact("logging_level")
        level = level_fact.value.upper() if level_fact.known and isinstance(level_fact.value, str) else None
        if settings.node_id not in applied and level in LOGGING_LEVELS:
            add(settings, level_fact, f'{level_fact.leaf} "{level}"')
    for stage in graph.resources(Kind.V2_STAGE):
        if protocol_of(graph, stage) != "WEBSOCKET":
            continue
        access = cloudwatch_access_log(graph, stage)
        if access is not None:
            add(stage, access, access.path)
        levels = [stage.fact("default_route.logging_level")]
        routes = stage.fact("route_settings")
        if routes.known and isinstance(routes.value, tuple):
            levels += [section.fact("logging_level") for section in routes.value]
        for fact in levels:
            if fact.known and isinstance(fact.value, str) and fact.value.upper() in LOGGING_LEVELS:
                add(stage, fact, f'{fact.leaf} "{fact.value.upper()}"')
    return sorted(sites.values(), key=lambda site: (site.node.location, site.node.node_id))


def cloudwatch_access_log(graph: ResourceGraph, stage: Resource) -> Fact | None:
    """The stage's access log settings when they send to CloudWatch Logs (or to a destination
    from a variable); None when off, unknown, or sent to Firehose."""
    settings = stage.fact("access_log")
    destination = stage.fact("access_log.destination")
    if not settings.present or settings.unknown or not destination.present:
        return None
    if destination.known:
        if not isinstance(destination.value, str) or not destination.value.strip():
            return None
        if ":firehose:" in destination.value:
            return None
        return settings
    if any(isinstance(part, str) and ":firehose:" in part for part in destination.symbolic or ()):
        return None
    declared = graph.get(stage.address) if stage.implicit else stage
    if any(node.kind == Kind.FIREHOSE_STREAM for node in graph.references(declared or stage, destination.path)):
        return None
    return settings
