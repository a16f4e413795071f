"""Access log settings that API Gateway cannot use: wrong destination or unusable format.

What it flags:
    A stage (REST, HTTP or WebSocket) whose access log settings are written but cannot work:
    - a destination that is not an ARN, or the ARN of something other than a CloudWatch Logs
      log group: an S3 bucket, a Kinesis data stream, a CloudWatch Logs destination, a log
      group's name where its ARN belongs (`!Ref LogGroup`, `aws_cloudwatch_log_group.x.name`);
    - a Kinesis Data Firehose stream on an HTTP or WebSocket stage (v2 stages accept only log
      groups), or on a REST stage a stream whose name does not begin with amazon-apigateway-;
    - a format that is missing (CloudFormation and SAM: the reference says Format is required
      to enable access logging), empty, spread over several lines (only a final newline is
      accepted), or without $context.requestId or $context.extendedRequestId.
    A trailing `:*` on a log group ARN is fine: `!GetAtt LogGroup.Arn` ends with it. A stage
    with no destination at all is APIGW001/APIGW002's finding, not this rule's.
Why it matters:
    API Gateway rejects these settings when the stage is created or updated (an invalid
    destination ARN, "Access Log format must be single line", a format without a request id),
    or the stage logs nothing where the team expects its access log. The failure shows only at
    deploy time, in the pipeline, after review.
How to fix:
    Point the destination at the log group's ARN, by reference where the log group is declared
    (`aws_cloudwatch_log_group.x.arn`, `!GetAtt LogGroup.Arn`). On a REST stage, a Firehose
    stream is also accepted if its name begins with amazon-apigateway-. Write the format on one
    line, as JSON (`jsonencode({...})` in Terraform), and include "$context.requestId".
Formats:
    Terraform       aws_api_gateway_stage.access_log_settings.{destination_arn,format}
                    aws_apigatewayv2_stage.access_log_settings.{destination_arn,format}
    CloudFormation  AWS::ApiGateway::Stage.AccessLogSetting.{DestinationArn,Format}
                    AWS::ApiGateway::Deployment.StageDescription.AccessLogSetting.{...}
                    AWS::ApiGatewayV2::Stage.AccessLogSettings.{DestinationArn,Format}
    SAM             AWS::Serverless::Api.AccessLogSetting, AWS::Serverless::HttpApi and
                    AWS::Serverless::WebSocketApi.AccessLogSettings (Globals too); reported on
                    the API
Unknown values:
    Only what the code writes literally is judged. A destination that references a log group's
    ARN is correct by construction; a reference to anything else (a variable, a data source, a
    stream or bucket resource, a module output) is not judged. A partly literal value such as
    "arn:${AWS::Partition}:logs:${AWS::Region}:...:log-group:x" is judged by its literal parts
    only where they settle the question (the service, the resource type, the stream name
    prefix). A format built from values unknown before deployment passes if a literal part
    contains $context.requestId and is otherwise not judged.
References:
    API Gateway API reference, AccessLogSettings (log group or Firehose stream named
    amazon-apigateway-*; format must include $context.requestId):
    https://docs.aws.amazon.com/apigateway/latest/api/API_AccessLogSettings.html
    API Gateway v2 (HTTP and WebSocket) AccessLogSettings: "The ARN of the CloudWatch Logs log
    group to receive access logs", CloudFormation AWS::ApiGatewayV2::Stage AccessLogSettings:
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigatewayv2-stage-accesslogsettings.html
    CloudFormation AWS::ApiGateway::Stage AccessLogSetting (Format "is required to enable
    access logging"):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigateway-stage-accesslogsetting.html
    Either $context.requestId or $context.extendedRequestId is accepted: aws-cdk pull request
    #22591. Single-line format error: ministryofjustice/cloud-platform-environments #12962.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Fact, Finding, Resource, Rule, Severity, Symbol

RULE = Rule(
    id="APIGW011",
    slug="access-log-settings-unusable",
    summary="access log settings name a destination or format API Gateway cannot use",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.REST_STAGE, Kind.V2_STAGE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none (APIGateway.9 checks only that the settings exist)"),
        ("config", "none (api-gwv2-access-logs-enabled checks only that the settings exist)"),
        ("checkov", "partial: CKV_AWS_76, CKV_AWS_95 (destination key missing)"),
        ("trivy", "partial: AVD-AWS-0001 (destination empty)"),
        ("kics", "none"),
    ),
)

REQUEST_ID = re.compile(r"\$\{?context\.(requestId|extendedRequestId)\b")
FIREHOSE_PREFIX = "amazon-apigateway-"
# Stands for a part of a value that is unknown before deployment. ARN fields that may hold one
# (partition, region, account) never contain ":", so the field positions stay sound.
_HOLE = "\x00"


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.REST_STAGE, Kind.V2_STAGE):
        settings = stage.fact("access_log")
        if settings.unknown or not settings.present:
            continue  # no settings (APIGW001/002), or behind a dynamic block or condition
        destination = stage.fact("access_log.destination")
        if not destination.present or _blank(destination):
            continue  # no destination: access logging is off, APIGW001/002 say so
        problem = _destination_problem(graph, stage, destination)
        if problem:
            yield RULE.finding(stage, destination, problem)
        fmt = stage.fact("access_log.format")
        problem = _format_problem(settings, fmt)
        if problem:
            yield RULE.finding(stage, fmt, problem)


def _blank(fact: Fact) -> bool:
    return fact.known and isinstance(fact.value, str) and not fact.value.strip()


# --- destination -------------------------------------------------------------------------------


def _destination_problem(graph: ResourceGraph, stage: Resource, destination: Fact) -> str | None:
    if destination.known and not isinstance(destination.value, str):
        return None
    parts = destination.parts
    if len(parts) == 1 and isinstance(parts[0], Symbol):
        return _reference_problem(graph, stage, destination, parts[0])
    text = "".join(part if isinstance(part, str) else _HOLE for part in parts).strip()
    return _arn_problem(stage, destination, text)


def _reference_problem(graph: ResourceGraph, stage: Resource, destination: Fact, symbol: Symbol) -> str | None:
    """A whole-value reference: right when it reads a log group's ARN, wrong when its name."""
    target = graph.get(symbol.node_id)
    if target is None or target.kind != Kind.LOG_GROUP:
        return None  # a stream, a bucket, a data source, a module: not judged
    if symbol.attribute not in ("Ref", "name", "id"):
        return None  # arn / Arn is right by construction; anything else is not ours to guess
    if stage.format == "terraform":
        seen, fix = f"{symbol.node_id}.{symbol.attribute}", f"{symbol.node_id}.arn"
    else:
        seen, fix = f"!Ref {symbol.node_id}", f"!GetAtt {symbol.node_id}.Arn"
    return f"{destination.leaf} is {seen}, the log group's name, not its ARN; use {fix}"


def _arn_problem(stage: Resource, destination: Fact, text: str) -> str | None:
    shown = text.replace(_HOLE, "${...}")
    accepted = "a CloudWatch Logs log group" + (
        f" or a Firehose stream named {FIREHOSE_PREFIX}*" if stage.kind == Kind.REST_STAGE else ""
    )
    if not text.startswith("arn:"):
        if _may_become(text, "arn:"):
            return None
        return f"{destination.leaf} {shown!r} is not an ARN; use the ARN of {accepted}"
    fields = text.split(":")
    if len(fields) < 6:
        if _HOLE in text:
            return None
        return f"{destination.leaf} {shown!r} is not a complete ARN; use the ARN of {accepted}"
    service, resource = fields[2], ":".join(fields[5:])
    if _HOLE in service:
        return None
    if service == "logs":
        if resource.startswith("log-group:") or _may_become(resource, "log-group:"):
            return None
        return f"{destination.leaf} {shown!r} is a CloudWatch Logs ARN but not a log group's; use the log group's ARN"
    if service == "firehose":
        return _firehose_problem(stage, destination, shown, resource)
    return (
        f"{destination.leaf} {shown!r} is an ARN of service {service!r}, not a log group; "
        f"access logs go only to {accepted}"
    )


def _firehose_problem(stage: Resource, destination: Fact, shown: str, resource: str) -> str | None:
    if stage.kind != Kind.REST_STAGE:
        return (
            f"{destination.leaf} {shown!r} is a Firehose stream, but HTTP and WebSocket APIs send access logs "
            "only to a CloudWatch Logs log group; use a log group's ARN"
        )
    if not resource.startswith("deliverystream/"):
        return None  # not a stream ARN we can read; leave it
    name = resource[len("deliverystream/") :]
    if name.startswith(FIREHOSE_PREFIX) or _may_become(name, FIREHOSE_PREFIX):
        return None
    return (
        f"{destination.leaf} {shown!r} names a Firehose stream that API Gateway refuses: the name must begin "
        f"with {FIREHOSE_PREFIX}; rename the stream"
    )


def _may_become(text: str, prefix: str) -> bool:
    """Whether a value with unknown parts could still begin with `prefix`."""
    literal = text.split(_HOLE, 1)[0]
    return _HOLE in text and prefix.startswith(literal)


# --- format ------------------------------------------------------------------------------------


def _format_problem(settings: Fact, fmt: Fact) -> str | None:
    if not fmt.present:
        return (
            f"{settings.path} has no {fmt.leaf}, which API Gateway needs to write access logs; "
            "add one that includes $context.requestId"
        )
    text = _literal(fmt)
    if text is None:
        # Built from values known only at deployment (a variable inside jsonencode, a !Sub of
        # parameters): even without $context.requestId in its literal parts, an unknown part may
        # hold it, so it is never judged.
        return None
    if not text.strip():
        return f"{fmt.leaf} is empty, so API Gateway writes no access log; set one that includes $context.requestId"
    if "\n" in text.removesuffix("\n"):
        return (
            f"{fmt.leaf} {_short(text)!r} spans several lines, which API Gateway rejects (a newline is allowed "
            "only at the end); write it on one line"
        )
    if not REQUEST_ID.search(text):
        return (
            f"{fmt.leaf} {_short(text)!r} has no $context.requestId or $context.extendedRequestId, which API "
            "Gateway requires; add $context.requestId"
        )
    return None


def _literal(fmt: Fact) -> str | None:
    """The format's text when every part of it is written literally."""
    if fmt.known:
        return fmt.value if isinstance(fmt.value, str) else None
    parts: tuple[Any, ...] = fmt.parts
    if parts and all(isinstance(part, str) for part in parts):
        return "".join(parts)
    return None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.orders_access.arn
    format          = "$context.identity.sourceIp $context.httpMethod $context.routeKey $context.status"
  }
}

resource "aws_cloudwatch_log_group" "orders_access" {
  name              = "/aws/apigateway/orders"
  retention_in_days = 90
}
''',
        compliant='''
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.orders_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      routeKey  = "$context.routeKey"
      status    = "$context.status"
    })
  }
}

resource "aws_cloudwatch_log_group" "orders_access" {
  name              = "/aws/apigateway/orders"
  retention_in_days = 90
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      AccessLogSetting:
        DestinationArn: !Ref AccessLogs
        Format: '{"requestId":"$context.requestId","status":"$context.status"}'
''',
        compliant='''
Resources:
  AccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId","status":"$context.status"}'
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      AccessLogSettings:
        DestinationArn: arn:aws:firehose:eu-west-1:123456789012:deliverystream/amazon-apigateway-orders
        Format: '{"requestId":"$context.requestId"}'
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      AccessLogSettings:
        DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/orders:*
        Format: '{"requestId":"$context.requestId"}'
''',
    ),
)
