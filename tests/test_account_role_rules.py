"""APIGW008 and APIGW009 on whole Terraform modules.

Their judgements are about a scan unit as a whole (is there an account setting at all, is there a
second one), and every .tf file of a fixture folder loads into one module, so these cases cannot
share a fixture folder with the others: each is a module of its own here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import builtin_rules

from iaclint.engine import parse_options, scan

REST_API = """
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}
resource "aws_cloudwatch_log_group" "access" {
  name = "/aws/apigateway/orders"
}
"""

STAGE_WITH_ACCESS_LOGS = """
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId"
  }
  DEPENDS
}
"""

GOOD_ROLE = """
resource "aws_iam_role" "cloudwatch" {
  name = "api-gateway-cloudwatch"
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}
"""


def account(name: str, extra: str = "", role: str = "aws_iam_role.cloudwatch.arn") -> str:
    return f'resource "aws_api_gateway_account" "{name}" {{\n  cloudwatch_role_arn = {role}\n  {extra}\n}}\n'


def stage(depends: str = "") -> str:
    return STAGE_WITH_ACCESS_LOGS.replace("DEPENDS", f"depends_on = [{depends}]" if depends else "")


CASES = [
    # APIGW008 ---------------------------------------------------------------------------------
    ("no account setting", "APIGW008", REST_API + stage(), [], ["aws_api_gateway_stage.prod"]),
    (
        "no account setting, option set",
        "APIGW008",
        REST_API + stage(),
        ["APIGW008.account_role_managed_elsewhere=true"],
        [],
    ),
    ("account and role present", "APIGW008", REST_API + GOOD_ROLE + account("main") + stage("aws_api_gateway_account.main"), [], []),
    (
        "two account settings",
        "APIGW008",
        GOOD_ROLE + account("main") + account("copy"),
        [],
        ["aws_api_gateway_account.copy"],
    ),
    (
        "two account settings, option set",
        "APIGW008",
        GOOD_ROLE + account("main") + account("copy"),
        ["APIGW008.account_role_managed_elsewhere=true"],
        [],
    ),
    (
        "two account settings for two provider configurations",
        "APIGW008",
        GOOD_ROLE + account("east") + account("west", "provider = aws.west"),
        [],
        [],
    ),
    (
        "an account setting with count beside another",
        "APIGW008",
        GOOD_ROLE + 'variable "manage" {\n  type = bool\n}\n' + account("main") + account("maybe", "count = var.manage ? 1 : 0"),
        [],
        [],
    ),
    (
        "account setting with a role from a variable",
        "APIGW008",
        REST_API + 'variable "role_arn" {\n  type = string\n}\n' + account("main", role="var.role_arn") + stage(),
        [],
        [],
    ),
    (
        "account setting without a role",
        "APIGW008",
        REST_API + 'resource "aws_api_gateway_account" "main" {\n}\n' + stage(),
        [],
        ["aws_api_gateway_account.main"],
    ),
    (
        "role trusting ec2 through a data source document",
        "APIGW008",
        """
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "cloudwatch" {
  assume_role_policy  = data.aws_iam_policy_document.trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"]
}
"""
        + account("main"),
        [],
        ["aws_iam_role.cloudwatch"],
    ),
    (
        "role with inline_policy granting logs:*",
        "APIGW008",
        """
resource "aws_iam_role" "cloudwatch" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
  inline_policy {
    name   = "logs"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })
  }
}
"""
        + account("main"),
        [],
        [],
    ),
    (
        "role with no logs permissions",
        "APIGW008",
        """
resource "aws_iam_role" "cloudwatch" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}
"""
        + account("main"),
        [],
        ["aws_iam_role.cloudwatch"],
    ),
    (
        "HTTP API with access logs, no account setting",
        "APIGW008",
        """
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_stage" "default" {
  api_id = aws_apigatewayv2_api.http.id
  name   = "$default"
  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/apigateway/orders"
    format          = "$context.requestId"
  }
}
""",
        [],
        [],
    ),
    (
        "REST access logs to Firehose, no account setting",
        "APIGW008",
        REST_API.replace("/aws/apigateway/orders", "unused")
        + """
resource "aws_kinesis_firehose_delivery_stream" "access" {
  name        = "amazon-apigateway-orders"
  destination = "extended_s3"
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_kinesis_firehose_delivery_stream.access.arn
    format          = "$context.requestId"
  }
}
""",
        [],
        [],
    ),
    (
        "method settings of a stage outside the module, no account setting",
        "APIGW008",
        """
variable "rest_api_id" {
  type = string
}
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = var.rest_api_id
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
""",
        [],
        ["aws_api_gateway_method_settings.all"],
    ),
    # APIGW009 ---------------------------------------------------------------------------------
    ("no account setting: nothing to order after", "APIGW009", REST_API + stage(), [], []),
    (
        "stage and its method settings both unordered: the stage is reported",
        "APIGW009",
        REST_API
        + GOOD_ROLE
        + account("main")
        + stage()
        + """
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level = "ERROR"
  }
}
""",
        [],
        ["aws_api_gateway_stage.prod"],
    ),
    (
        "account setting ordered through a transitive path",
        "APIGW009",
        REST_API
        + GOOD_ROLE
        + account("main")
        + 'resource "terraform_data" "after_account" {\n  depends_on = [aws_api_gateway_account.main]\n}\n'
        + stage("terraform_data.after_account"),
        [],
        [],
    ),
]


@pytest.mark.parametrize(("case", "rule", "module", "options", "expected"), CASES, ids=[c[0] for c in CASES])
def test_module(tmp_path: Path, case: str, rule: str, module: str, options: list[str], expected: list[str]) -> None:
    (tmp_path / "main.tf").write_text(module)
    rules = list(builtin_rules())
    result = scan([str(tmp_path)], rules, select=[rule], options=parse_options(options, rules))
    assert result.errors == []
    assert [f.resource for f in result.findings if f.rule_id == rule] == expected
