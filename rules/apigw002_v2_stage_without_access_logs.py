"""HTTP or WebSocket API (v2) stage without access logging.

What it flags:
    An API Gateway v2 stage (HTTP or WebSocket API) with no access log settings, or whose
    settings name no destination. HTTP APIs have no execution logs, so for them access logs are
    the only logs there are.
    Also a quick-create API (Terraform `aws_apigatewayv2_api.target`, CloudFormation
    `AWS::ApiGatewayV2::Api.Target`): it makes a `$default` stage that infrastructure code cannot
    configure, so it never has access logs; reported on the API, at target.
Why it matters:
    Without access logs there is no record of requests, callers or errors for the stage, and
    nothing fails to warn you: the stage just logs nothing.
How to fix:
    Give the stage access log settings with a CloudWatch Logs log group ARN as destination and a
    format that includes $context.requestId.
Formats:
    Terraform       aws_apigatewayv2_stage.access_log_settings.destination_arn
    CloudFormation  AWS::ApiGatewayV2::Stage.AccessLogSettings.DestinationArn
    SAM             AWS::Serverless::HttpApi.AccessLogSettings.DestinationArn (Globals.HttpApi too)
Unknown values:
    Settings in a `dynamic` block, under a CloudFormation condition, or a destination that comes
    from a variable without a value are unknown until deployment and never reported.
References:
    Quick create: Terraform aws_apigatewayv2_api docs ("target ... cannot be imported"),
    CloudFormation AWS::ApiGatewayV2::Api Target.
    API Gateway developer guide, "Configure logging for HTTP APIs":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
    AWS Security Hub control APIGateway.9:
    https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Rule, Severity
from iaclint.queries import access_log_gap

RULE = Rule(
    id="APIGW002",
    slug="v2-stage-without-access-logs",
    summary="HTTP or WebSocket API stage has no access logging",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.V2_STAGE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "APIGateway.9"),
        ("config", "api-gwv2-access-logs-enabled"),
        ("checkov", "CKV_AWS_76 (terraform), CKV_AWS_95 (cloudformation)"),
        ("trivy", "AVD-AWS-0001"),
        ("kics", "1b6799eb-4a7a-4b04-9001-8cceb9999326 (terraform), 80d45af4-4920-4236-a56e-b7ef419d1941 (cloudformation)"),
    ),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.V2_STAGE):
        if gap := access_log_gap(stage):
            yield RULE.finding(stage, *gap)


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}
''',
        compliant='''
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.http_access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
''',
    ),
    Example(
        "cloudformation",
        noncompliant='''
Resources:
  DefaultStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref HttpApi
      StageName: $default
      AutoDeploy: true
''',
        compliant='''
Resources:
  DefaultStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref HttpApi
      StageName: $default
      AutoDeploy: true
      AccessLogSettings:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId","status":"$context.status"}'
''',
    ),
    Example(
        "sam",
        noncompliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      AccessLogSettings:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
    ),
)
