"""REST API stage with execution logging off.

What it flags:
    A REST API (v1) stage whose method settings for every method ("*/*") do not set the logging
    level to ERROR or INFO: there are no "*/*" method settings at all, they set no logging level
    (metrics alone do not log), or they set it to OFF. Method settings count when they are
    linked to the stage by reference or by its literal name and API; CloudFormation's
    Deployment.StageDescription.LoggingLevel counts as a "*/*" entry. The stage a Terraform
    deployment's stage_name creates is checked too (method settings can name it).
    Metrics are not required: they are another control, not logging.
Why it matters:
    Execution logs are API Gateway's own record of each request: authorizer and integration
    results, mapping errors, throttling, the backend's status. Without them a 5xx from the
    gateway cannot be explained. Execution logging is OFF until method settings turn it on, and
    settings for one path ("users/GET") leave every other method off (see APIGW004).
How to fix:
    Add method settings for every method ("*/*") with the logging level ERROR (failures only)
    or INFO (every request). Terraform: an aws_api_gateway_method_settings with
    method_path = "*/*" for the stage. CloudFormation and SAM: a MethodSettings entry with
    HttpMethod "*" and ResourcePath "/*" (SAM: in Globals.Api to cover every API), or, on a
    Deployment that creates its stage, StageDescription.LoggingLevel. The account also needs a
    CloudWatch role for API Gateway (APIGW008).
Formats:
    Terraform       aws_api_gateway_method_settings.settings.logging_level (method_path "*/*")
                    for an aws_api_gateway_stage, or for aws_api_gateway_deployment.stage_name
    CloudFormation  AWS::ApiGateway::Stage.MethodSettings[].LoggingLevel (HttpMethod "*",
                    ResourcePath "/*"); AWS::ApiGateway::Deployment.StageDescription.LoggingLevel
                    or .StageDescription.MethodSettings
    SAM             AWS::Serverless::Api.MethodSettings (Globals.Api too). The extra stage named
                    "Stage" that SAM deploys without OpenApiVersion is APIGW020's finding.
Unknown values:
    A logging level from a variable or parameter without a value, method settings whose stage
    or path cannot be told (for_each, a variable stage name), or MethodSettings under a
    condition are never reported as missing.
References:
    API Gateway developer guide, "Set up CloudWatch logging for REST APIs in API Gateway":
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    API Gateway API reference, MethodSetting (loggingLevel OFF, ERROR or INFO):
    https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
    Terraform aws_api_gateway_method_settings (method_path "*/*" or "{resource_path}/{http_method}"):
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_method_settings
    CloudFormation AWS::ApiGateway::Stage MethodSetting ("*" and "/*" for every method):
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
    AWS Config api-gw-execution-logging-enabled; AWS Control Tower CT.APIGATEWAY.PR.1, which
    asks for the HttpMethod "*" / ResourcePath "/*" entry at ERROR or INFO:
    https://docs.aws.amazon.com/controltower/latest/controlreference/api-gateway-rules.html
"""

from __future__ import annotations

from typing import Iterator

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.model import Example, Finding, Resource, Rule, Severity
from iaclint.queries import MethodSetting, logging_level, method_settings_of

RULE = Rule(
    id="APIGW003",
    slug="rest-stage-without-execution-logs",
    summary="REST API stage has execution logging off",
    severity=Severity.MEDIUM,
    kinds=frozenset({Kind.REST_STAGE, Kind.REST_METHOD_SETTINGS}),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
    related=(
        ("securityhub", "APIGateway.1"),
        ("config", "api-gw-execution-logging-enabled"),
        ("checkov", "CKV2_AWS_4 (terraform; also demands metrics_enabled)"),
        ("trivy", "none"),
        (
            "kics",
            "1b6799eb-4a7a-4b04-9001-8cceb9999326 (terraform), 982aa526-6970-4c59-8b9b-2ce7e019fe36 (terraform), "
            "80d45af4-4920-4236-a56e-b7ef419d1941 (cloudformation)",
        ),
    ),
)

ALL_METHODS = "*/*"
LOGGING_ON = frozenset({"ERROR", "INFO"})


def check(graph: ResourceGraph) -> Iterator[Finding]:
    for stage in graph.resources(Kind.REST_STAGE):
        if stage.fact("created_by").value == "sam_without_openapi_version":
            continue  # SAM's extra "Stage" stage: APIGW020 reports it; one problem, one finding
        settings, uncertain = method_settings_of(graph, stage)
        every = [s for s in settings if s.method_path == ALL_METHODS]
        # An entry whose path cannot be told may be the "*/*" one.
        maybe_every = [s for s in settings if s.method_path is None]
        if any(logging_level(s) in LOGGING_ON or s.logging_level.unknown for s in every + maybe_every):
            continue
        uncertain = uncertain or bool(maybe_every)
        off = next((s for s in every if s.logging_level.present), None)
        if off is not None:
            level = off.logging_level
            yield RULE.finding(
                stage,
                level,
                f"execution logging is off: {level.leaf} is {level.value!r} for every method ('*/*')"
                f"{_in(off, stage)}; set it to ERROR or INFO",
            )
        elif uncertain:
            continue  # method settings we cannot link may turn it on
        elif every:
            level = every[0].logging_level
            metrics = every[0].metrics
            why = f" ({metrics.leaf} turns on metrics, not logs)" if metrics.present else ""
            yield RULE.finding(
                stage,
                level,
                f"execution logging is off: the '*/*' method settings{_in(every[0], stage)} set no {level.leaf}{why}; "
                f"set {level.leaf} to ERROR or INFO",
            )
        else:
            at = stage.fact("logging_level") if stage.fact("created_by").value == "deployment_stage_name" else None
            yield RULE.finding(
                stage, at, f"execution logging is off: no method settings for every method ('*/*'); {_remedy(stage)}"
            )


def _in(setting: MethodSetting, stage: Resource) -> str:
    """Names the method settings resource when it is not the stage the finding is about."""
    return "" if setting.owner is stage else f" in {setting.owner.address}"


def _remedy(stage: Resource) -> str:
    if stage.format == "terraform":
        return 'add an aws_api_gateway_method_settings with method_path "*/*" and logging_level "ERROR" or "INFO"'
    if stage.fact("created_by").value == "deployment_stage_name":
        return f"set {stage.fact('logging_level').path} to ERROR or INFO"
    entries = stage.fact("method_settings").leaf
    where = " (in Globals.Api for every API)" if stage.format == "sam" else ""
    return f"add a {entries} entry with HttpMethod '*', ResourcePath '/*' and LoggingLevel ERROR or INFO{where}"


EXAMPLES = (
    Example(
        "terraform",
        noncompliant='''
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
    metrics_enabled = true
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
    metrics_enabled = true
    logging_level   = "ERROR"
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
''',
        compliant='''
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    OpenApiVersion: "3.0.1"
    MethodSettings:
      - HttpMethod: "*"
        ResourcePath: /*
        LoggingLevel: INFO
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
''',
    ),
)
