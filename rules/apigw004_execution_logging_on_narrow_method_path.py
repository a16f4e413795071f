"""Execution logging set on one method path instead of every method ("*/*").

What it flags:
    REST API method settings for one method ("users/GET") that turn execution logging on
    (ERROR or INFO) while the stage has no "*/*" settings that do: every other method of the
    stage stays OFF. Also a one-method entry that sets the level to OFF under "*/*" settings
    that turn logging on: that method is left out of the logs. The finding is on the narrow
    method settings and names its path.
Why it matters:
    A method path entry overrides "*/*" for that method only. Logging configured on the one
    path someone was debugging looks like logging is on, while errors on every other method go
    unrecorded; an OFF override silently removes a method from the stage's logs. Security Hub
    APIGateway.1 (AWS Config api-gw-execution-logging-enabled) fails the stage unless every
    method logs at ERROR or INFO.
How to fix:
    Set the logging level on method settings for every method ("*/*"): Terraform
    method_path = "*/*"; CloudFormation and SAM a MethodSettings entry with HttpMethod "*" and
    ResourcePath "/*" (or StageDescription.LoggingLevel on a Deployment). Keep path entries for
    what must differ (throttling, caching, INFO on one method) and do not set them to OFF; if a
    method must stay out of the logs on purpose, suppress this finding for it.
Formats:
    Terraform       aws_api_gateway_method_settings.method_path and .settings.logging_level
    CloudFormation  AWS::ApiGateway::Stage.MethodSettings[] (HttpMethod, ResourcePath,
                    LoggingLevel); AWS::ApiGateway::Deployment.StageDescription.MethodSettings[]
    SAM             AWS::Serverless::Api.MethodSettings[] (Globals.Api too)
Unknown values:
    A logging level or method path from a variable or parameter without a value, and a stage
    with method settings that cannot be linked to it (for_each, a variable stage name), give
    no "logging only on this path" finding.
References:
    API Gateway API reference, MethodSetting, and the stage's methodSettings map keyed by
    "{resource_path}/{http_method}", "*/*" for every method:
    https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
    https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
    Terraform aws_api_gateway_method_settings, method_path:
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
    CloudFormation AWS::ApiGateway::Stage MethodSetting (ResourcePath encoded as /~1users):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
    Security Hub APIGateway.1 ("fails if logging is not enabled for all methods of a stage"):
    https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html
    AWS Config api-gw-execution-logging-enabled:
    https://docs.aws.amazon.com/config/latest/developerguide/api-gw-execution-logging-enabled.html
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Fact, Finding, Location, Rule, Severity
from iaclint.queries import MethodSetting, logging_level, method_settings_of

RULE = Rule(
    id="APIGW004",
    slug="execution-logging-on-narrow-method-path",
    summary="execution logging is set on one method path, not on every method",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.REST_STAGE, Kind.REST_METHOD_SETTINGS}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "APIGateway.1 (on the stage: fails unless every method logs at ERROR or INFO)"),
        ("config", "api-gw-execution-logging-enabled (on the stage, likewise)"),
        ("checkov", "none"),
        ("trivy", "none"),
        ("kics", "none"),
    ),
)

ALL_METHODS = "*/*"
LOGGING_ON = frozenset({"ERROR", "INFO"})


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.REST_STAGE):
        settings, uncertain = method_settings_of(graph, stage)
        every = [s for s in settings if s.method_path == ALL_METHODS]
        every_on = next((s for s in every if logging_level(s) in LOGGING_ON), None)
        # Settings we cannot link, read or place may be the "*/*" ones that turn logging on.
        doubt = uncertain or any(s.method_path is None for s in settings) or any(s.logging_level.unknown for s in every)
        for narrow in settings:
            if narrow.method_path in (None, ALL_METHODS):
                continue
            level = logging_level(narrow)
            if level in LOGGING_ON and every_on is None and not doubt:
                yield RULE.finding(
                    narrow.owner,
                    _at(narrow, narrow.owner.fact("method_path")),
                    f"execution logging is set only for {narrow.method_path!r}, so every other method logs nothing; "
                    f"{_remedy(narrow)}",
                )
            elif level == "OFF" and every_on is not None:
                wide = every_on.logging_level
                yield RULE.finding(
                    narrow.owner,
                    _at(narrow, narrow.logging_level),
                    f"{narrow.logging_level.leaf} 'OFF' for {narrow.method_path!r} turns off the execution logging "
                    f"'*/*' sets to {wide.value!r}; remove it or set it to ERROR or INFO",
                )


def _at(setting: MethodSetting, fact: Fact) -> Fact | Location:
    """A method settings resource: the attribute to change; an entry of a list: the entry."""
    return fact if setting.owner.kind == Kind.REST_METHOD_SETTINGS else setting.location


def _remedy(setting: MethodSetting) -> str:
    owner = setting.owner
    if owner.kind == Kind.REST_METHOD_SETTINGS:
        return f'set {setting.logging_level.leaf} on method_path "*/*" instead'
    if owner.fact("created_by").value == "deployment_stage_name":
        return f"set {owner.fact('logging_level').path} instead"
    return f"set {setting.logging_level.leaf} on an entry with HttpMethod '*' and ResourcePath '/*' instead"


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "users_get" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "users/GET"

  settings {
    logging_level = "INFO"
  }
}
''',
        compliant='''
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level = "ERROR"
  }
}

resource "aws_api_gateway_method_settings" "users_get" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "users/GET"

  settings {
    logging_level = "INFO"
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
          LoggingLevel: ERROR
        - HttpMethod: GET
          ResourcePath: /~1health
          LoggingLevel: "OFF"
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
          LoggingLevel: ERROR
        - HttpMethod: GET
          ResourcePath: /~1health
          ThrottlingRateLimit: 10
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
        - HttpMethod: POST
          ResourcePath: /~1orders
          LoggingLevel: INFO
''',
        compliant='''
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
          LoggingLevel: INFO
''',
    ),
)
