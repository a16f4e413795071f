"""REST execution logging on, with no execution log group in the code: it never expires.

What it flags:
    Method settings that turn REST execution logging on (logging level ERROR or INFO) for a
    stage whose execution log group, API-Gateway-Execution-Logs_{rest-api-id}/{stage-name}, is
    not declared in the same code, and whose execution logs are not routed by a CloudWatch Logs
    delivery (a delivery source of log type EXECUTION_LOGS for that stage). Terraform: reported
    on the aws_api_gateway_method_settings. CloudFormation and SAM: on the resource that holds
    the MethodSettings (or StageDescription.LoggingLevel), at its LoggingLevel.
Why it matters:
    API Gateway then creates the log group itself, with no retention: execution logs (at INFO
    a trace of every request, with data trace their bodies too) are kept and billed forever, in
    a log group no stack or Terraform state manages, so nothing ever sets its retention or
    removes it. The Terraform provider documentation recommends declaring it for this reason,
    and so that API Gateway does not create it first and make the declaration fail.
How to fix:
    Declare the log group with that exact name and a retention, and make the stage depend on
    it, so it exists before API Gateway would create it (Terraform: name =
    "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.x.id}/${aws_api_gateway_stage.x.stage_name}";
    CloudFormation: !Sub "API-Gateway-Execution-Logs_${Api}/${StageName}" with DependsOn).
    A group API Gateway already created must be imported first (terraform import; a
    CloudFormation resource import), or the declaration fails because the group exists.
    Or route the execution logs to a log group of your own with a CloudWatch Logs delivery
    (log type EXECUTION_LOGS). If execution logs are not wanted, set the level to OFF.
Formats:
    Terraform       aws_api_gateway_method_settings.settings.logging_level, with
                    aws_cloudwatch_log_group.name or aws_cloudwatch_log_delivery_source
    CloudFormation  AWS::ApiGateway::Stage.MethodSettings[].LoggingLevel,
                    AWS::ApiGateway::Deployment.StageDescription.LoggingLevel / MethodSettings,
                    with AWS::Logs::LogGroup.LogGroupName or AWS::Logs::DeliverySource
    SAM             AWS::Serverless::Api.MethodSettings[].LoggingLevel (Globals.Api too)
Unknown values:
    A logging level, stage name or log group name that comes from a variable or parameter
    without a value, a log group name with a literal API id (the id is known only after
    deployment), method settings whose stage or API is outside the scan, and a delivery source
    whose resource cannot be told are never reported: any of them may be the managed group.
    A log group declared in another module or stack cannot be seen; suppress the finding there.
References:
    API Gateway developer guide, "Execution logging for REST APIs" (the log group name, created
    and managed by API Gateway):
    https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
    API Gateway developer guide, "Create a log delivery for REST API execution logs" (resource
    ARN arn:aws:apigateway:{region}:{account-id}:/restapis/{rest-api-id}/stages/{stage-name},
    log type EXECUTION_LOGS):
    https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-create-log-delivery.html
    Terraform aws_api_gateway_stage documentation, "Managing the API Logging CloudWatch Log
    Group": declare the log group and make the stage depend on it.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import UNKNOWN, Example, Finding, Resource, Rule, Severity, Symbol
from iaclint.queries import (
    MethodSetting,
    api_of,
    logging_level,
    method_settings_of,
    names_stage_execution_log_group,
)

RULE = Rule(
    id="APIGW010",
    slug="unmanaged-execution-log-group",
    summary="REST execution logging creates a log group the code does not manage (no retention)",
    severity=Severity.LOW,
    kinds=frozenset({Kind.REST_STAGE, Kind.REST_METHOD_SETTINGS, Kind.LOG_GROUP, Kind.LOG_DELIVERY_SOURCE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none"),
        ("config", "none"),
        ("checkov", "none"),
        ("trivy", "none"),
        ("kics", "982aa526-6970-4c59-8b9b-2ce7e019fe36 (terraform; nearest: flags any stage without that group)"),
    ),
)

ENABLED = ("ERROR", "INFO")


def check(graph: ResourceGraph) -> Iterator[Finding]:
    groups = graph.resources(Kind.LOG_GROUP)
    sources = graph.resources(Kind.LOG_DELIVERY_SOURCE)
    reported: set[tuple[str, Any]] = set()
    for stage in graph.resources(Kind.REST_STAGE):
        settings, _ = method_settings_of(graph, stage)
        enabling = [s for s in settings if logging_level(s) in ENABLED]
        if not enabling:
            continue  # OFF, absent or unknown: API Gateway writes no execution log
        if any(names_stage_execution_log_group(graph, group, stage) is not False for group in groups):
            continue  # declared, or a name we cannot tell from it
        if any(_delivers_execution_logs(graph, source, stage) for source in sources):
            continue
        for setting in _first_per_owner(enabling):
            key = (setting.owner.node_id, setting.logging_level.location)
            if key in reported:
                continue
            reported.add(key)
            yield RULE.finding(setting.owner, setting.logging_level, _message(stage, setting))


def _first_per_owner(settings: list[MethodSetting]) -> list[MethodSetting]:
    """One finding per resource: its first entry that turns logging on."""
    seen: dict[str, MethodSetting] = {}
    for setting in settings:
        seen.setdefault(setting.owner.node_id, setting)
    return list(seen.values())


def _message(stage: Resource, setting: MethodSetting) -> str:
    name = stage.fact("stage_name")
    stage_name = name.value if name.known and isinstance(name.value, str) else "<stage>"
    level = setting.logging_level
    return (
        f"{level.leaf} {level.value!r} makes API Gateway create log group "
        f"API-Gateway-Execution-Logs_<api id>/{stage_name} itself, with no retention; "
        "declare that log group with a retention"
    )


# --- CloudWatch Logs delivery of execution logs -------------------------------------------------

# arn:aws:apigateway:{region}:{account-id}:/restapis/{rest-api-id}/stages/{stage-name}
_STAGE_ARN = re.compile(r"/restapis/(?P<api>[^/]*)/stages/(?P<stage>[^/]*)$")
_PLACEHOLDER = re.compile(r"^\x00(\d+)\x00$")


def _delivers_execution_logs(graph: ResourceGraph, source: Resource, stage: Resource) -> bool:
    """Whether a delivery source may route this stage's execution logs (True when it cannot be
    told: a managed route is then possible, and a guess would be a false alarm)."""
    log_type = source.fact("log_type")
    if log_type.known and not (isinstance(log_type.value, str) and log_type.value.upper() == "EXECUTION_LOGS"):
        return False
    resource = source.fact("resource")
    if not resource.present:
        return False
    symbols: list[Symbol] = []
    text = ""
    for part in resource.parts:
        if isinstance(part, Symbol):
            text += f"\x00{len(symbols)}\x00"
            symbols.append(part)
        elif part is UNKNOWN:
            text += "\x01"
        else:
            text += str(part)
    if any(_names_stage(symbol, stage) for symbol in symbols):
        return True  # aws_api_gateway_stage.x.arn and the like
    match = _STAGE_ARN.search(text)
    if match is None:
        return "\x01" in text  # an ARN from a variable or a function: cannot be told
    api_part, stage_part = _decode(match.group("api"), symbols), _decode(match.group("stage"), symbols)
    api = api_of(graph, stage)
    if isinstance(api_part, Symbol) and (api is None or api_part.node_id != api.node_id):
        return False  # another API's stage
    name = stage.fact("stage_name")
    if isinstance(stage_part, str) and name.known and isinstance(name.value, str):
        return stage_part == name.value
    if isinstance(stage_part, Symbol) and stage_part.node_id not in (stage.node_id, stage.address):
        other = graph.get(stage_part.node_id)
        return other is None or other.kind != Kind.REST_STAGE  # another stage's name: not this one
    return True


def _decode(text: str, symbols: list[Symbol]) -> Any:
    """One ARN segment: a str, the Symbol it is made of, or UNKNOWN."""
    found = _PLACEHOLDER.match(text)
    if found:
        return symbols[int(found.group(1))]
    return UNKNOWN if "\x00" in text or "\x01" in text else text


def _names_stage(symbol: Symbol, stage: Resource) -> bool:
    """A reference to the stage resource itself (its arn, say); a SAM API's stage is named by
    the API's logical id, which stands for the API too, so only the ARN can tell for it."""
    return not stage.implicit and symbol.node_id == stage.node_id


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level = "ERROR"
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}
''',
        compliant='''
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level = "ERROR"
  }
}

resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.orders.id}/prod"
  retention_in_days = 90
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "abc123"
  stage_name    = "prod"
  depends_on    = [aws_cloudwatch_log_group.execution]
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: INFO
''',
        compliant='''
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
  ExecutionLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub API-Gateway-Execution-Logs_${Api}/prod
      RetentionInDays: 90
  ProdStage:
    Type: AWS::ApiGateway::Stage
    DependsOn: ExecutionLogs
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: INFO
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
      OpenApiVersion: "3.0.1"
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: ERROR
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  ExecutionLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub API-Gateway-Execution-Logs_${Api}/prod
      RetentionInDays: 90
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      OpenApiVersion: "3.0.1"
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: /*
          LoggingLevel: ERROR
''',
    ),
)
