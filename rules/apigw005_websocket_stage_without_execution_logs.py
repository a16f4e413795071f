"""WebSocket API stage with execution logging off.

What it flags:
    A stage of a WebSocket API whose default route settings set no logging level, or set it to
    OFF. API Gateway then writes no execution log (connection, authorizer, integration and
    error events) for any route that does not override it. Only stages whose API is in the
    scanned code and is known to be a WebSocket API are checked: HTTP APIs have no execution
    logs at all (APIGW006), and a stage whose API cannot be resolved is left alone.
Why it matters:
    Access logs record one line per message; the execution log is where WebSocket failures are
    explained: why a $connect was refused, what an authorizer or an integration returned, and
    the errors API Gateway raised. Without it an outage or an abuse pattern cannot be diagnosed
    after the fact. Security Hub APIGateway.1 and AWS Config api-gw-execution-logging-enabled
    fail such a stage.
How to fix:
    Set the default route's logging level to ERROR (or INFO while troubleshooting). Execution
    logging needs the account-level CloudWatch role of API Gateway in the region (APIGW008).
    Avoid data trace in production: it writes full message bodies to the log (APIGW019).
Formats:
    Terraform       aws_apigatewayv2_stage.default_route_settings.logging_level
    CloudFormation  AWS::ApiGatewayV2::Stage.DefaultRouteSettings.LoggingLevel
    SAM             AWS::Serverless::WebSocketApi.DefaultRouteSettings.LoggingLevel
                    (Globals.WebSocketApi too); reported on the API
Unknown values:
    A level from a variable or parameter without a value, settings in a `dynamic` block or under
    a CloudFormation condition, and a stage whose API is a variable, an import or a module
    output (protocol unknown) are never reported.
References:
    API Gateway developer guide, "Configure logging for WebSocket APIs in API Gateway":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html
    AWS::ApiGatewayV2::Stage RouteSettings (LoggingLevel: INFO, ERROR or OFF; WebSocket only):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigatewayv2-stage-routesettings.html
    SAM AWS::Serverless::WebSocketApi (DefaultRouteSettings passed to the generated stage):
    https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-websocketapi.html
    AWS Security Hub control APIGateway.1:
    https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Rule, Severity
from iaclint.queries import protocol_of

RULE = Rule(
    id="APIGW005",
    slug="websocket-stage-without-execution-logs",
    summary="WebSocket API stage has execution logging off",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.V2_STAGE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "APIGateway.1"),
        ("config", "api-gw-execution-logging-enabled"),
        ("checkov", "none"),
        ("trivy", "none"),
        (
            "kics",
            "1b6799eb-4a7a-4b04-9001-8cceb9999326 (terraform), 80d45af4-4920-4236-a56e-b7ef419d1941 (cloudformation)",
        ),
    ),
)

OFF = "execution logging is off on this WebSocket stage:"


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.V2_STAGE):
        if stage.fact("created_by").present:
            continue  # a quick-create $default stage: HTTP only, nothing to configure
        if protocol_of(graph, stage) != "WEBSOCKET":
            continue  # HTTP has no execution logs; an unresolved API is not guessed at
        level = stage.fact("default_route.logging_level")
        if level.unknown:
            continue
        if not level.present:
            # Points at default_route_settings when it is written, else at the stage.
            yield RULE.finding(stage, level, f"{OFF} no {level.path}; set it to ERROR")
        elif level.value is False:
            # YAML 1.1 reads an unquoted OFF (or off, no, false) as a boolean.
            yield RULE.finding(stage, level, f"{OFF} {level.leaf} is off; set it to ERROR")
        elif isinstance(level.value, str) and level.value.strip().upper() == "OFF":
            yield RULE.finding(stage, level, f"{OFF} {level.leaf} is {level.value!r}; set it to ERROR")


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "prod"

  default_route_settings {
    logging_level          = "OFF"
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }
}
''',
        compliant='''
resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "prod"

  default_route_settings {
    logging_level          = "ERROR"
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  ChatApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: chat
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  ProdStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref ChatApi
      StageName: prod
''',
        compliant='''
Resources:
  ChatApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: chat
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
  ProdStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref ChatApi
      StageName: prod
      DefaultRouteSettings:
        LoggingLevel: ERROR
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  ChatApi:
    Type: AWS::Serverless::WebSocketApi
    Properties:
      RouteSelectionExpression: $request.body.action
      StageName: prod
      Routes:
        $default:
          FunctionArn: !GetAtt ChatFunction.Arn
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  ChatApi:
    Type: AWS::Serverless::WebSocketApi
    Properties:
      RouteSelectionExpression: $request.body.action
      StageName: prod
      DefaultRouteSettings:
        LoggingLevel: ERROR
      Routes:
        $default:
          FunctionArn: !GetAtt ChatFunction.Arn
''',
    ),
)
