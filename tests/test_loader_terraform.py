"""Terraform module -> nodes, edges and facts (known, unknown, absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.loaders.terraform import load_module
from iaclint.model import UNKNOWN


def load(tmp_path: Path, **files: str) -> ResourceGraph:
    paths = []
    for name, text in files.items():
        path = tmp_path / name.replace("_json", ".json").replace("__", ".")
        path.write_text(text)
        paths.append(str(path))
    unit = load_module(str(tmp_path), sorted(paths))
    assert not unit.errors, unit.errors
    return ResourceGraph(unit)


STAGE = """
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/orders"
  retention_in_days = var.retention
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = local.stage
  depends_on    = [aws_api_gateway_account.main]

  access_log_settings {
    destination_arn = "${aws_cloudwatch_log_group.access.arn}"
    format          = jsonencode({ requestId = "$context.requestId" })
  }
}

variable "retention" {}

locals {
  stage = "prod"
}
"""


def test_nodes_kinds_and_addresses(tmp_path: Path) -> None:
    graph = load(tmp_path, main__tf=STAGE)
    assert [r.address for r in graph.resources()] == [
        "aws_api_gateway_rest_api.api",
        "aws_cloudwatch_log_group.access",
        "aws_api_gateway_stage.prod",
    ]
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert stage.location.line == 11 and stage.location.end_line == 21


def test_facts_known_unknown_and_located(tmp_path: Path) -> None:
    graph = load(tmp_path, main__tf=STAGE)
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert stage.fact("stage_name").value == "prod"  # through a local
    assert stage.fact("access_log").present and stage.fact("access_log").location.line == 17
    destination = stage.fact("access_log.destination")
    assert destination.unknown and destination.location.line == 18
    assert stage.fact("access_log.format").value == '{"requestId":"$context.requestId"}'
    (group,) = graph.resources(Kind.LOG_GROUP)
    assert group.fact("retention_days").value is UNKNOWN  # a variable with no default


def test_edges_references_depends_on_and_placeholders(tmp_path: Path) -> None:
    graph = load(tmp_path, main__tf=STAGE)
    (stage,) = graph.resources(Kind.REST_STAGE)
    targets = {r.address: r.external for r in graph.references(stage)}
    assert targets == {
        "aws_api_gateway_rest_api.api": False,
        "aws_cloudwatch_log_group.access": False,
        "aws_api_gateway_deployment.api": True,  # not declared here: a placeholder, not a drop
        "aws_api_gateway_account.main": True,
    }
    (group,) = graph.resources(Kind.LOG_GROUP)
    assert graph.referrers(group, "access_log_settings.destination_arn") == [stage]
    assert [r.address for r in graph.references(stage, "depends_on")] == ["aws_api_gateway_account.main"]


def test_files_of_a_module_share_variables_and_references(tmp_path: Path) -> None:
    graph = load(
        tmp_path,
        variables__tf='variable "days" {\n  default = 14\n}\n',
        logs__tf_json='{"resource": {"aws_cloudwatch_log_group": {"g": {"retention_in_days": "${var.days}"}}}}',
    )
    (group,) = graph.resources(Kind.LOG_GROUP)
    assert group.fact("retention_days").value == 14
    assert group.location.file.endswith("logs.tf.json")


@pytest.mark.parametrize(
    ("settings", "present", "known"),
    [
        ("", False, True),
        ('dynamic "access_log_settings" {\n for_each = var.logs\n content {\n destination_arn = each.value\n }\n }', True, False),
    ],
)
def test_missing_and_dynamic_blocks(tmp_path: Path, settings: str, present: bool, known: bool) -> None:
    graph = load(tmp_path, main__tf=f'resource "aws_apigatewayv2_stage" "s" {{\n api_id = "a"\n name = "b"\n {settings}\n}}\n')
    (stage,) = graph.resources(Kind.V2_STAGE)
    fact = stage.fact("access_log")
    assert (fact.present, fact.known) == (present, known)


def test_references_through_locals_become_edges(tmp_path: Path) -> None:
    graph = load(
        tmp_path,
        main__tf=(
            'locals {\n  api = aws_api_gateway_rest_api.api.id\n}\n'
            'resource "aws_api_gateway_rest_api" "api" {\n  name = "a"\n}\n'
            'resource "aws_api_gateway_stage" "s" {\n  rest_api_id = local.api\n  stage_name = "s"\n  deployment_id = "d"\n}\n'
        ),
    )
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert [r.address for r in graph.references(stage, "rest_api_id")] == ["aws_api_gateway_rest_api.api"]


def test_broken_file_is_an_error_and_siblings_still_load(tmp_path: Path) -> None:
    (tmp_path / "bad.tf").write_text('resource "aws_cloudwatch_log_group" "x" {\n  name = \n}\n')
    (tmp_path / "good.tf").write_text('resource "aws_cloudwatch_log_group" "y" {\n  name = "y"\n}\n')
    unit = load_module(str(tmp_path), [str(tmp_path / "bad.tf"), str(tmp_path / "good.tf")])
    assert [(e.line, e.message) for e in unit.errors] == [(3, "unexpected '}'")]
    assert [r.address for r in unit.resources] == ["aws_cloudwatch_log_group.y"]


def test_override_files_patch_the_base_block(tmp_path: Path) -> None:
    graph = load(
        tmp_path,
        main__tf='resource "aws_cloudwatch_log_group" "g" {\n  name = "g"\n}\n',
        main_override__tf='resource "aws_cloudwatch_log_group" "g" {\n  retention_in_days = 30\n}\n',
    )
    (group,) = graph.resources(Kind.LOG_GROUP)
    retention = group.fact("retention_days")
    assert retention.value == 30
    assert (retention.location.file.rsplit("/", 1)[-1], retention.location.line) == ("main_override.tf", 2)


def test_tofu_file_takes_precedence_over_its_tf_twin(tmp_path: Path) -> None:
    graph = load(
        tmp_path,
        logs__tf='resource "aws_cloudwatch_log_group" "g" {\n  retention_in_days = 0\n}\n',
        logs__tofu='resource "aws_cloudwatch_log_group" "g" {\n  retention_in_days = 7\n}\n',
    )
    (group,) = graph.resources(Kind.LOG_GROUP)
    assert group.fact("retention_days").value == 7


@pytest.mark.parametrize(
    ("constraint", "says"),
    [("~> 5.0", "is deprecated in AWS provider 5.x"), ("~> 6.0", "was removed in AWS provider 6.0"), (None, "is deprecated")],
)
def test_deployment_stage_name_message_follows_the_provider_constraint(tmp_path: Path, constraint: str | None, says: str) -> None:
    from helpers import builtin_rules

    from iaclint.engine import scan

    required = f'terraform {{\n  required_providers {{\n    aws = {{ source = "hashicorp/aws", version = "{constraint}" }}\n  }}\n}}\n' if constraint else ""
    (tmp_path / "main.tf").write_text(
        required + 'resource "aws_api_gateway_deployment" "d" {\n  rest_api_id = "abc"\n  stage_name  = "prod"\n}\n'
    )
    (finding,) = scan([str(tmp_path)], list(builtin_rules()), select=["APIGW001"]).findings
    assert says in finding.message
