"""HTTP API stage with execution-logging settings, which HTTP APIs do not have.

What it flags:
    A logging level (any value, OFF included) or data trace turned on, in the default route
    settings or in a per-route setting of a stage whose API is in the scanned code and is an
    HTTP API. These settings are "supported only for WebSocket APIs"; HTTP APIs have access
    logs only.
    - CloudFormation and SAM send the setting to API Gateway, which rejects it: the stack fails
      with "Execution logs are not supported on protocolType HTTP". Severity high.
    - Terraform: the AWS provider now drops both settings for HTTP APIs without a word, so
      nothing is logged and every plan shows the logging level as a change; older provider
      versions failed the apply with the same error. Severity medium.
    Explicit OFF is flagged too: the API refuses the LoggingLevel field on an HTTP stage
    whatever its value (the failures reported against the Terraform provider came from
    configurations that never set a level: the provider sent its default, OFF, and data trace
    false), and in Terraform an OFF that API Gateway never stores is a change on every plan.
    Data trace set to false is not flagged: it turns nothing on, it is the Terraform provider's
    default, and no report isolates it as a cause of the failure.
Why it matters:
    The setting either breaks the deployment or gives the false impression that the API writes
    execution logs. Some scanners (KICS, issue #6944) demand a logging level on every v2 stage,
    HTTP included, which leads teams to add it.
How to fix:
    Remove logging_level / data_trace_enabled (LoggingLevel / DataTraceEnabled) from the HTTP
    stage's route settings and log requests with access logging instead: access log settings
    with a CloudWatch Logs log group ARN and a format that includes $context.requestId. Keep
    throttling and detailed metrics in the route settings; they are valid for HTTP APIs.
Formats:
    Terraform       aws_apigatewayv2_stage.default_route_settings.{logging_level,data_trace_enabled},
                    aws_apigatewayv2_stage.route_settings[*].{logging_level,data_trace_enabled}
    CloudFormation  AWS::ApiGatewayV2::Stage.DefaultRouteSettings.{LoggingLevel,DataTraceEnabled},
                    AWS::ApiGatewayV2::Stage.RouteSettings.<route key>.{LoggingLevel,DataTraceEnabled}
    SAM             AWS::Serverless::HttpApi.DefaultRouteSettings / RouteSettings (Globals.HttpApi
                    too); reported on the API
Unknown values:
    The protocol comes from the stage's API: when the API is not in the scanned code (a
    variable, an ImportValue, a data source, a module output), nothing is reported. Values from
    variables or parameters without a value, `dynamic` blocks and conditions are not reported.
References:
    AWS::ApiGatewayV2::Stage RouteSettings (LoggingLevel, DataTraceEnabled: "Supported only
    for WebSocket APIs"):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigatewayv2-stage-routesettings.html
    Terraform aws_apigatewayv2_stage, default_route_settings and route_settings ("Supported only
    for WebSocket APIs"):
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_stage
    The failure and the provider's handling: terraform-provider-aws #12893, #13801, #14010, and
    pull request #13809 (the provider drops both settings unless the protocol is WEBSOCKET);
    the permanent diff: pulumi/pulumi #12149. CloudFormation: Checkmarx/kics #6944.
    API Gateway developer guide, "Configure logging for HTTP APIs in API Gateway":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
"""

from __future__ import annotations

from typing import Any, Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Fact, Finding, Resource, Rule, Severity
from iaclint.queries import protocol_of

RULE = Rule(
    id="APIGW006",
    slug="http-stage-with-execution-log-settings",
    summary="HTTP API stage sets execution logging, which HTTP APIs do not have",
    severity=Severity.HIGH,
    kinds=frozenset({Kind.V2_STAGE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none"),
        ("config", "none"),
        ("checkov", "none"),
        ("trivy", "none"),
        ("kics", "none (80d45af4-4920-4236-a56e-b7ef419d1941 demands the opposite on HTTP stages, kics #6944)"),
    ),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.V2_STAGE):
        if stage.fact("created_by").present:
            continue  # a quick-create $default stage carries no settings of its own
        if protocol_of(graph, stage) != "HTTP":
            continue  # WebSocket stages may log; an API outside the scan is not guessed at
        for setting in _execution_log_settings(stage):
            if setting.unknown or not setting.present:
                continue
            if setting.name.endswith("data_trace") and not _is_true(setting.value):
                continue  # false turns nothing on (and is the Terraform provider's default)
            yield _finding(stage, setting)


def _execution_log_settings(stage: Resource) -> Iterator[Fact]:
    """The logging level and data trace facts of the default route and of every route."""
    yield stage.fact("default_route.logging_level")
    yield stage.fact("default_route.data_trace")
    routes = stage.fact("route_settings")
    if routes.present and routes.known:
        for route in routes.value:
            yield route.fact("logging_level")
            yield route.fact("data_trace")


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _finding(stage: Resource, setting: Fact) -> Finding:
    if isinstance(setting.value, bool):
        # A YAML 1.1 boolean: an unquoted OFF reads as false.
        value = "off" if setting.name.endswith("logging_level") and not setting.value else str(setting.value).lower()
    else:
        value = repr(setting.value)
    seen = f"{setting.leaf} {value}"
    if stage.format == "terraform":
        return RULE.finding(
            stage,
            setting,
            f"{seen} does nothing on an HTTP API stage (no execution logs): the AWS provider drops it and plans "
            "it again on every run, older versions fail the apply; remove it and use access_log_settings",
            severity=Severity.MEDIUM,
        )
    return RULE.finding(
        stage,
        setting,
        f"{seen} on an HTTP API stage fails the deploy (Execution logs are not supported on protocolType HTTP); "
        "remove it and use AccessLogSettings",
    )


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    logging_level          = "INFO"
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
}
''',
        compliant='''
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.orders_access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  OrdersApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
  DefaultStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref OrdersApi
      StageName: $default
      AutoDeploy: true
      DefaultRouteSettings:
        LoggingLevel: ERROR
''',
        compliant='''
Resources:
  OrdersApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
  DefaultStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref OrdersApi
      StageName: $default
      AutoDeploy: true
      AccessLogSettings:
        DestinationArn: !GetAtt OrdersAccessLogs.Arn
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
      DefaultRouteSettings:
        LoggingLevel: INFO
        ThrottlingBurstLimit: 100
        ThrottlingRateLimit: 50
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings:
        ThrottlingBurstLimit: 100
        ThrottlingRateLimit: 50
      AccessLogSettings:
        DestinationArn: !GetAtt OrdersAccessLogs.Arn
        Format: '{"requestId":"$context.requestId","status":"$context.status"}'
''',
    ),
)
