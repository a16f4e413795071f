"""Data trace logging on: full request and response bodies go to the execution logs.

What it flags:
    REST API method settings with data trace enabled (Terraform data_trace_enabled,
    CloudFormation and SAM DataTraceEnabled, a Deployment's StageDescription.DataTraceEnabled),
    and WebSocket API stages with data trace enabled for the default route or for a route.
    HTTP API stages are left to APIGW006: they have no execution logs, and data trace there
    fails the deployment.
Why it matters:
    Data trace writes whole request and response payloads to CloudWatch Logs: credentials,
    tokens and personal data in bodies end up in logs that are read more widely, and kept far
    longer, than the API's own data. AWS recommends not enabling it for production APIs.
How to fix:
    Set data trace to false (or leave it out: it is off by default) and rely on INFO execution
    logs and access logs. Turn it on only briefly, on a non-production stage, to debug.
Formats:
    Terraform       aws_api_gateway_method_settings.settings.data_trace_enabled;
                    aws_apigatewayv2_stage.default_route_settings.data_trace_enabled and
                    .route_settings.data_trace_enabled (WebSocket)
    CloudFormation  AWS::ApiGateway::Stage.MethodSettings[].DataTraceEnabled;
                    AWS::ApiGateway::Deployment.StageDescription.DataTraceEnabled and
                    .StageDescription.MethodSettings[].DataTraceEnabled;
                    AWS::ApiGatewayV2::Stage.DefaultRouteSettings.DataTraceEnabled and
                    .RouteSettings.*.DataTraceEnabled (WebSocket)
    SAM             AWS::Serverless::Api.MethodSettings[].DataTraceEnabled (Globals.Api too)
Unknown values:
    A value from a variable or parameter without a value, or settings under a condition, are
    not reported. A v2 stage whose API is outside the scan is checked as a WebSocket stage.
References:
    API Gateway API reference, MethodSetting.dataTraceEnabled ("can result in logging sensitive
    data. We recommend that you don't enable this option for production APIs"):
    https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
    API Gateway developer guide, "Set up CloudWatch logging for REST APIs in API Gateway":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    Terraform aws_api_gateway_method_settings and aws_apigatewayv2_stage (data_trace_enabled is
    supported only for WebSocket APIs):
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage
"""

from __future__ import annotations

from typing import Any, Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Fact, Finding, Rule, Severity
from iaclint.queries import method_settings_of, protocol_of

RULE = Rule(
    id="APIGW019",
    slug="data-trace-enabled",
    summary="data trace logs full request and response bodies",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.REST_METHOD_SETTINGS, Kind.REST_STAGE, Kind.V2_STAGE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none"),
        ("config", "none"),
        ("checkov", "CKV_AWS_276 (terraform)"),
        ("trivy", "none"),
        ("kics", "none"),
    ),
)

BODIES = "full request and response bodies go to the execution logs; set it to false"


def check(graph: ResourceGraph) -> Iterator[Finding]:
    # Terraform method settings: reported whether or not their stage is in the scan.
    for settings in graph.resources(Kind.REST_METHOD_SETTINGS):
        trace = settings.fact("data_trace")
        if _on(trace):
            path = settings.fact("method_path")
            what = f" for {path.value!r}" if path.known and isinstance(path.value, str) else ""
            yield RULE.finding(settings, trace, f"{trace.leaf} is true{what}: {BODIES}")
    # CloudFormation and SAM: entries of the stage's (or deployment's) own MethodSettings.
    for stage in graph.resources(Kind.REST_STAGE):
        stage_wide = stage.fact("data_trace")  # a Deployment's StageDescription.DataTraceEnabled
        if _on(stage_wide):
            yield RULE.finding(stage, stage_wide, f"{stage_wide.path} is true: {BODIES}")
        settings, _ = method_settings_of(graph, stage)
        for entry in settings:
            if entry.owner is not stage or entry.data_trace is stage_wide or not _on(entry.data_trace):
                continue
            what = f" for {entry.method_path!r}" if entry.method_path else ""
            yield RULE.finding(stage, entry.data_trace, f"{entry.data_trace.leaf} is true{what}: {BODIES}")
    for stage in graph.resources(Kind.V2_STAGE):
        if protocol_of(graph, stage) == "HTTP":
            continue  # no execution logs on HTTP APIs: APIGW006 reports the setting
        default = stage.fact("default_route.data_trace")
        if _on(default):
            yield RULE.finding(stage, default, f"{default.path} is true: {BODIES}")
        routes = stage.fact("route_settings")
        if not routes.present or routes.unknown:
            continue
        for route in routes.value:
            trace = route.fact("data_trace")
            if _on(trace):
                key = route.fact("route_key")
                what = f" for route {key.value!r}" if key.known and key.present else ""
                yield RULE.finding(stage, trace, f"{trace.leaf} is true{what}: {BODIES}")


def _on(fact: Fact) -> bool:
    """True, or "true" as both Terraform and CloudFormation accept; unknown is not."""
    value: Any = fact.value
    if not fact.present or fact.unknown:
        return False
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}
''',
        compliant='''
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level      = "INFO"
    data_trace_enabled = false
  }
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
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
          DataTraceEnabled: true
''',
        compliant='''
Resources:
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
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    MethodSettings:
      - HttpMethod: "*"
        ResourcePath: /*
        LoggingLevel: INFO
        DataTraceEnabled: true
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    MethodSettings:
      - HttpMethod: "*"
        ResourcePath: /*
        LoggingLevel: INFO
        DataTraceEnabled: false
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
''',
    ),
)
