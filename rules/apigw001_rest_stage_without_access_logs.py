"""REST API stage without access logging.

What it flags:
    A REST API (v1) stage with no access log settings, or whose settings name no destination
    (a missing or empty destination ARN). API Gateway then writes no access log for it.
    Stages created as a side effect count too:
    - Terraform `aws_api_gateway_deployment.stage_name` creates a stage that cannot have access
      logs (the argument is deprecated in AWS provider 5.x and removed in 6.0); reported on the
      deployment, at stage_name.
    - CloudFormation `AWS::ApiGateway::Deployment.StageName` creates a stage configured only by
      `StageDescription`; without `StageDescription.AccessLogSetting` it has no access logs.
    SAM's extra stage named "Stage" (an API without OpenApiVersion) is APIGW020's finding.
Why it matters:
    Access logs are the one record of who called the API, when, from where and with what
    result. Without them an incident cannot be investigated and abuse goes unseen. No error
    is raised anywhere: the stage simply logs nothing.
How to fix:
    Give the stage access log settings whose destination is a CloudWatch Logs log group (or a
    Firehose stream named amazon-apigateway-*) and a format that includes $context.requestId.
    Referencing the log group's ARN, rather than writing it out, also orders the deployment.
Formats:
    Terraform       aws_api_gateway_stage.access_log_settings.destination_arn
    CloudFormation  AWS::ApiGateway::Stage.AccessLogSetting.DestinationArn
    SAM             AWS::Serverless::Api.AccessLogSetting.DestinationArn (Globals.Api too)
Unknown values:
    Settings in a `dynamic` block, under a CloudFormation condition, or a destination that comes
    from a variable without a value are unknown until deployment and never reported.
References:
    Deprecation of aws_api_gateway_deployment.stage_name: terraform-provider-aws #39957, #42249.
    API Gateway developer guide, "Set up CloudWatch logging for REST APIs in API Gateway":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    API Gateway API reference, AccessLogSettings:
    https://docs.aws.amazon.com/apigateway/latest/api/API_AccessLogSettings.html
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Rule, Severity
from iaclint.queries import access_log_gap

RULE = Rule(
    id="APIGW001",
    slug="rest-stage-without-access-logs",
    summary="REST API stage has no access logging",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.REST_STAGE}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "none (APIGateway.9 covers v2 stages only)"),
        ("config", "none (api-gwv2-access-logs-enabled covers v2 stages only)"),
        ("checkov", "CKV_AWS_76"),
        ("trivy", "AVD-AWS-0001"),
        ("kics", "1b6799eb-4a7a-4b04-9001-8cceb9999326 (terraform), 80d45af4-4920-4236-a56e-b7ef419d1941 (cloudformation)"),
    ),
)


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.REST_STAGE):
        if gap := access_log_gap(stage):
            yield RULE.finding(stage, *gap)


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}
''',
        compliant='''
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
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
''',
        compliant='''
Resources:
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
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      OpenApiVersion: "3.0.1"
      AccessLogSetting:
        DestinationArn: !GetAtt AccessLogs.Arn
        Format: '{"requestId":"$context.requestId"}'
''',
    ),
)
