"""REST (v1) and HTTP/WebSocket (v2) API Gateway resources mixed up, so logging is not configured.

What it flags:
    A resource of one API Gateway family wired to, or written with the names of, the other:
    a REST stage or REST method settings whose API is an HTTP/WebSocket (v2) API; REST method
    settings whose stage is a v2 stage; a v2 stage whose API is a REST API; a logging property
    spelled the other family's way (AccessLogSettings on a REST stage; AccessLogSetting or
    MethodSettings on a v2 stage); and, in Terraform, a logging block of the other family
    (route_settings on aws_api_gateway_stage, settings on aws_apigatewayv2_stage) or a stage
    written with the other family's identifying arguments (rest_api_id or stage_name on
    aws_apigatewayv2_stage; api_id or name on aws_api_gateway_stage).
    It reads the raw declaration (property and block names as written), since the mistake is
    in the syntax itself: once loaded, a misspelled property is simply absent, and APIGW001 or
    APIGW002 would only say that logging is missing, not why.
Why it matters:
    The two families are separate services with separate resources, and a setting of one has
    no meaning on the other. The logging the author wrote is never configured: the deployment
    fails (an unknown property or argument, a stage created on an API id of the other family),
    or, when it is fixed by deleting the offending line, the API is left without the logs its
    author thought it had.
How to fix:
    Keep each API with resources of its own family. REST APIs: aws_api_gateway_stage with
    access_log_settings plus aws_api_gateway_method_settings (CloudFormation
    AWS::ApiGateway::Stage with AccessLogSetting and MethodSettings). HTTP/WebSocket APIs:
    aws_apigatewayv2_stage with access_log_settings and, for WebSocket only,
    default_route_settings (CloudFormation AWS::ApiGatewayV2::Stage with AccessLogSettings and
    DefaultRouteSettings). HTTP APIs have no execution logs at all.
Formats:
    Terraform       aws_api_gateway_stage.rest_api_id, aws_apigatewayv2_stage.api_id,
                    aws_api_gateway_method_settings.rest_api_id / stage_name; any block of
                    the other family's logging settings on an aws_api_gateway_* or
                    aws_apigatewayv2_* resource (names from the AWS provider's schema)
    CloudFormation  AWS::ApiGateway::Stage.RestApiId / AccessLogSettings / RouteSettings,
                    AWS::ApiGateway::Deployment.RestApiId / StageDescription.AccessLogSettings,
                    AWS::ApiGatewayV2::Stage.ApiId / AccessLogSetting / MethodSettings
    SAM             AWS::Serverless::Api.AccessLogSettings, AWS::Serverless::HttpApi and
                    WebSocketApi.AccessLogSetting / MethodSettings (Globals too)
Unknown values:
    A reference that may name either family (a conditional between two APIs), or an API
    outside the scan (a variable, a module output, an import), is never reported.
References:
    AWS provider schema (terraform providers schema -json, hashicorp/aws 5.100.0), trimmed into
    iaclint/data/terraform_apigateway_schema.json by scripts/trim_provider_schema.py.
    CloudFormation resource schemas of AWS::ApiGateway::Stage and AWS::ApiGatewayV2::Stage
    (as bundled with cfn-lint, which reports the misspelled property generically as E3002):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-stage.html
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigatewayv2-stage.html
    Terraform aws_apigatewayv2_stage: logging_level and data_trace_enabled in route settings are
    supported only for WebSocket APIs.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator

from iaclint.cfn_schema import SchemaUnavailable as CfnSchemaUnavailable
from iaclint.cfn_schema import resource_schema
from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Location, Resource, Rule, Severity
from iaclint.queries import api_of, protocol_of
from iaclint.schemas import SchemaUnavailable, blocks_holding, terraform_arguments, terraform_types

RULE = Rule(
    id="APIGW007",
    slug="v1-v2-mix-up",
    summary="REST (v1) and HTTP/WebSocket (v2) API Gateway resources mixed up: logging not configured",
    severity=Severity.HIGH,
    kinds=frozenset({Kind.REST_STAGE, Kind.V2_STAGE, Kind.REST_METHOD_SETTINGS, Kind.REST_API, Kind.V2_API}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none"),
        ("config", "none"),
        ("checkov", "none"),
        ("trivy", "none"),
        ("kics", "none"),
    ),
)

API_KINDS = (Kind.REST_API, Kind.V2_API)
V1, V2 = "REST (v1)", "HTTP/WebSocket (v2)"


def check(graph: ResourceGraph) -> Iterator[Finding]:
    yield from _wiring(graph)
    for node in graph.resources():
        if node.implicit or node.raw is None:
            continue
        if node.format == "terraform":
            yield from _terraform_names(graph, node)
        else:
            yield from _cloudformation_names(graph, node)


# --- wiring: a resource of one family referring to the other --------------------------------


def _wiring(graph: ResourceGraph) -> Iterator[Finding]:
    for node in graph.resources(Kind.REST_STAGE, Kind.V2_STAGE, Kind.REST_METHOD_SETTINGS):
        declared = graph.get(node.address) if node.implicit else node
        if declared is None or declared.kind in API_KINDS:
            continue  # a stage an API generates (SAM, quick create) belongs to that API
        api_fact = node.fact("api")
        api = api_of(graph, node)
        wanted = Kind.V2_API if node.kind == Kind.V2_STAGE else Kind.REST_API
        kinds = {target.kind for target in graph.references(declared, api_fact.path)} if api_fact.present else set()
        if api is not None and api.kind in API_KINDS and api.kind != wanted and wanted not in kinds:
            yield RULE.finding(node, api_fact, _wrong_api(node, api_fact.leaf, api))
            continue
        if node.kind == Kind.REST_METHOD_SETTINGS:
            stage_name = node.fact("stage_name")
            for target in graph.references(node, stage_name.path) if stage_name.present else ():
                if target.kind == Kind.V2_STAGE:
                    yield RULE.finding(node, stage_name, _settings_on_v2_stage(graph, stage_name.leaf, target))
                    break


def _wrong_api(node: Resource, leaf: str, api: Resource) -> str:
    if node.kind == Kind.V2_STAGE:
        return (
            f"{leaf} refers to {api.address}, a {V1} API: an {V2} stage cannot belong to it, "
            "so no logging is configured; refer to a v2 API, or declare a REST stage"
        )
    if node.kind == Kind.REST_METHOD_SETTINGS:
        return (
            f"{leaf} refers to {api.address}, an {V2} API: REST method settings do not apply to it, "
            "so execution logging is not configured; refer to a REST API, or use a v2 stage's route settings"
        )
    return (
        f"{leaf} refers to {api.address}, an {V2} API: a {V1} stage cannot belong to it, "
        "so no logging is configured; refer to a REST API, or declare a v2 stage"
    )


def _settings_on_v2_stage(graph: ResourceGraph, leaf: str, stage: Resource) -> str:
    protocol = protocol_of(graph, stage)
    if protocol == "HTTP":
        remedy = "HTTP APIs have no execution logs, rely on access logs"
    elif protocol == "WEBSOCKET":
        remedy = "set default_route_settings.logging_level on that stage"
    else:
        remedy = "set default_route_settings.logging_level on that stage (WebSocket APIs only)"
    return (
        f"{leaf} refers to {stage.address}, an {V2} stage: REST method settings do not apply to it, "
        f"so execution logging is not configured; {remedy}"
    )


# --- names: a logging property or block of the other family ----------------------------------

# CloudFormation and SAM: where a type's stage settings live, and its family.
_CFN_STAGE_SETTINGS: dict[str, tuple[str, str]] = {
    "AWS::ApiGateway::Stage": (V1, ""),
    "AWS::ApiGateway::Deployment": (V1, "StageDescription"),
    "AWS::Serverless::Api": (V1, ""),
    "AWS::ApiGatewayV2::Stage": (V2, ""),
    "AWS::Serverless::HttpApi": (V2, ""),
    "AWS::Serverless::WebSocketApi": (V2, ""),
}
# The other family's logging property names, what they would have configured, and the name to use.
_CFN_OTHER_FAMILY = {
    V1: {
        "AccessLogSettings": ("access", "AccessLogSetting"),
        "DefaultRouteSettings": ("execution", "MethodSettings"),
        "RouteSettings": ("execution", "MethodSettings"),
    },
    V2: {
        "AccessLogSetting": ("access", "AccessLogSettings"),
        "MethodSettings": ("execution", "DefaultRouteSettings"),
    },
}


def _cloudformation_names(graph: ResourceGraph, node: Resource) -> Iterator[Finding]:
    family, container = _CFN_STAGE_SETTINGS.get(node.type, (None, ""))
    if family is None or not isinstance(node.raw, dict):
        return
    settings: Any = node.raw.get(container) if container else node.raw
    if not hasattr(settings, "key_span"):
        return  # no StageDescription, or one built by an intrinsic function
    own = _cfn_properties(node.type) if not container else frozenset()
    for name, (logs, rename) in _CFN_OTHER_FAMILY[family].items():
        if name not in settings or name in own:
            continue
        path = f"{container}.{name}" if container else name
        where = _at(node, settings.key_span(name))
        other = V2 if family == V1 else V1
        if logs == "access":
            message = (
                f"{path} is the {other} spelling, not a property of {node.type}, "
                f"so access logging is not configured; rename it {rename}"
            )
        else:
            message = (
                f"{path} is {_a(other)} property, not one of {node.type}, "
                f"so execution logging is not configured; {_execution_remedy(graph, node, family, container)}"
            )
        yield RULE.finding(node, where, message)


def _execution_remedy(graph: ResourceGraph, node: Resource, family: str, container: str) -> str:
    if family == V1:
        where = f"{container}.MethodSettings" if container else "MethodSettings"
        return f"use {where} (LoggingLevel with HttpMethod '*' and ResourcePath '/*')"
    if node.kind == Kind.V2_API:
        protocol = node.fact("protocol")
        kind = protocol.value if protocol.known and isinstance(protocol.value, str) else None
    else:
        kind = protocol_of(graph, node)
    if kind == "HTTP":
        return "HTTP APIs have no execution logs: remove it and rely on AccessLogSettings"
    if kind == "WEBSOCKET":
        return "use DefaultRouteSettings.LoggingLevel"
    return "use DefaultRouteSettings.LoggingLevel (WebSocket APIs only)"


def _cfn_properties(resource_type: str) -> frozenset[str]:
    """The properties the type's schema declares; empty for SAM types or without cfn-lint."""
    if not resource_type.startswith("AWS::") or resource_type.startswith("AWS::Serverless::"):
        return frozenset()
    try:
        return frozenset(resource_schema(resource_type).get("properties", {}))
    except CfnSchemaUnavailable:
        return frozenset()


def _terraform_names(graph: ResourceGraph, node: Resource) -> Iterator[Finding]:
    if node.address.startswith("data."):
        return  # a data source reads an API; its arguments are not the resource's
    try:
        if node.type not in terraform_types():
            return
        own = terraform_arguments(node.type) or {}
        family, other_logging = _terraform_other_logging(node.type)
    except SchemaUnavailable:
        return  # the data file is not installed: the wiring and CloudFormation checks still run
    body = getattr(node.raw, "body", None)
    if body is None:
        return
    written = [(name, attribute.span) for name, attribute in body.attributes.items()]
    for block in body.blocks:
        name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
        written.append((name, block.span))
    counterpart = _COUNTERPARTS.get(node.type)
    theirs = (terraform_arguments(counterpart) or {}) if counterpart else {}
    for name, span in written:
        if name not in own and name in _RENAMES.get(node.type, {}) and name in theirs:
            right = _RENAMES[node.type][name]
            yield RULE.finding(
                node,
                _at(node, span),
                f"{name} is an argument of {counterpart}, not of {node.type} (terraform rejects it), "
                f"so this stage and its logging are not configured; use {right}",
            )
            continue
        if name in own or name not in other_logging:
            continue
        if family == V1:
            other, remedy = V2, "set logging_level in the settings of an aws_api_gateway_method_settings"
        elif node.kind == Kind.V2_STAGE and protocol_of(graph, node) == "HTTP":
            other, remedy = V1, "HTTP APIs have no execution logs, remove it"
        else:
            other, remedy = V1, "use default_route_settings (WebSocket APIs only)"
        message = (
            f"{name} is {_a(other)} block that {node.type} does not have (terraform rejects it), "
            f"so {other_logging[name]} logging is not configured; {remedy}"
        )
        yield RULE.finding(node, _at(node, span), message)


# The same resource in the other family, and the identifying arguments a stage is written with
# when copied from it (checked against the provider schema before they are reported).
_COUNTERPARTS = {"aws_apigatewayv2_stage": "aws_api_gateway_stage", "aws_api_gateway_stage": "aws_apigatewayv2_stage"}
_RENAMES = {
    "aws_apigatewayv2_stage": {"rest_api_id": "api_id", "stage_name": "name"},
    "aws_api_gateway_stage": {"api_id": "rest_api_id", "name": "stage_name"},
}


@functools.lru_cache(maxsize=None)
def _terraform_other_logging(resource_type: str) -> tuple[str, dict[str, str]]:
    """The family of a Terraform type, and the logging blocks only the other family has (blocks
    holding logging_level: execution; destination_arn: access), per the provider schema."""
    family = V2 if resource_type.startswith("aws_apigatewayv2_") else V1
    mine: set[str] = set()
    theirs: dict[str, str] = {}
    for other_type in sorted(terraform_types()):
        same = other_type.startswith("aws_apigatewayv2_") == (family == V2)
        mine.update(blocks_holding(other_type, "logging_level", "destination_arn") if same else ())
        if not same:
            theirs.update((block, "access") for block in blocks_holding(other_type, "destination_arn"))
            theirs.update((block, "execution") for block in blocks_holding(other_type, "logging_level"))
    return family, {block: what for block, what in theirs.items() if block not in mine}


def _a(family: str) -> str:
    return f"a {family}" if family == V1 else f"an {family}"


def _at(node: Resource, span: Any) -> Location:
    """A span of the raw declaration, in the resource's file (or the override file it came from)."""
    return Location(
        getattr(span, "file", None) or node.location.file, span.line, span.column, span.end_line, span.end_column
    )


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_apigatewayv2_api" "http" {
  name          = "orders-http"
  protocol_type = "HTTP"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_apigatewayv2_api.http.id
  deployment_id = "abc123"
  stage_name    = "prod"
}
''',
        compliant='''
resource "aws_apigatewayv2_api" "http" {
  name          = "orders-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "prod"
  auto_deploy = true
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  HttpStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref HttpApi
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
        compliant='''
Resources:
  HttpStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref HttpApi
      StageName: prod
      AccessLogSettings:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSettings:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
    ),
)
