"""The shared queries rules use: linking stages to APIs and method settings, execution log groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.loaders.cloudformation import load_template, template_format
from iaclint.loaders.documents import load_yaml
from iaclint.loaders.terraform import load_module
from iaclint.queries import api_of, method_settings_of, names_stage_execution_log_group, protocol_of

REST_TF = """
resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}
resource "aws_api_gateway_rest_api" "other" {
  name = "b"
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d"
  stage_name    = "prod"
}
resource "aws_api_gateway_stage" "dev" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d"
  stage_name    = "dev"
}
resource "aws_api_gateway_method_settings" "by_reference" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
resource "aws_api_gateway_method_settings" "by_literal" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "users/GET"
  settings {
    logging_level = "OFF"
  }
}
resource "aws_api_gateway_method_settings" "other_api" {
  rest_api_id = aws_api_gateway_rest_api.other.id
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    logging_level = "ERROR"
  }
}
resource "aws_cloudwatch_log_group" "execution" {
  name = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/prod"
}
resource "aws_cloudwatch_log_group" "execution_by_reference" {
  name = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/${aws_api_gateway_stage.prod.stage_name}"
}
resource "aws_cloudwatch_log_group" "other_stage" {
  name = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/dev"
}
resource "aws_cloudwatch_log_group" "access" {
  name = "/aws/apigateway/a"
}
"""


def tf_graph(tmp_path: Path, text: str) -> ResourceGraph:
    (tmp_path / "main.tf").write_text(text)
    unit = load_module(str(tmp_path), [str(tmp_path / "main.tf")])
    assert not unit.errors
    return ResourceGraph(unit)


def cfn_graph(text: str) -> ResourceGraph:
    document = load_yaml(text)
    return ResourceGraph(load_template("t.yaml", document, template_format(document)))


def test_terraform_method_settings_link_by_reference_and_by_literal(tmp_path: Path) -> None:
    graph = tf_graph(tmp_path, REST_TF)
    stage, dev = (graph.get(f"aws_api_gateway_stage.{name}") for name in ("prod", "dev"))
    assert api_of(graph, stage).address == "aws_api_gateway_rest_api.api"
    assert method_settings_of(graph, dev) == ([], False)  # settings naming prod do not leave dev in doubt
    settings, uncertain = method_settings_of(graph, stage)
    assert not uncertain
    assert [(s.owner.address, s.method_path) for s in settings] == [
        ("aws_api_gateway_method_settings.by_reference", "*/*"),
        ("aws_api_gateway_method_settings.by_literal", "users/GET"),
    ]


def test_execution_log_group_names(tmp_path: Path) -> None:
    graph = tf_graph(tmp_path, REST_TF)
    stage = graph.get("aws_api_gateway_stage.prod")
    verdicts = {g.address.split(".")[1]: names_stage_execution_log_group(graph, g, stage) for g in graph.resources(Kind.LOG_GROUP)}
    assert verdicts == {"execution": True, "execution_by_reference": True, "other_stage": False, "access": False}


CFN = """
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: "/*"
          LoggingLevel: ERROR
        - HttpMethod: GET
          ResourcePath: /~1users~1{id}
          LoggingLevel: "OFF"
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: v1
      StageDescription:
        LoggingLevel: INFO
  ExecutionLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub API-Gateway-Execution-Logs_${Api}/prod
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
      Target: arn:aws:lambda:us-east-1:1:function:f
  HttpStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: live
"""


def test_cloudformation_method_settings_and_deployment_stage() -> None:
    graph = cfn_graph(CFN)
    stages = {s.node_id: s for s in graph.resources(Kind.REST_STAGE)}
    assert set(stages) == {"Stage", "Deployment.Stage"}
    settings, _ = method_settings_of(graph, stages["Stage"])
    assert [(s.method_path, s.logging_level.value) for s in settings] == [("*/*", "ERROR"), ("users/{id}/GET", "OFF")]
    deployment_settings, _ = method_settings_of(graph, stages["Deployment.Stage"])
    assert [(s.method_path, s.logging_level.value) for s in deployment_settings] == [("*/*", "INFO")]
    assert api_of(graph, stages["Deployment.Stage"]).address == "Api"
    (group,) = graph.resources(Kind.LOG_GROUP)
    assert names_stage_execution_log_group(graph, group, stages["Stage"]) is True
    assert names_stage_execution_log_group(graph, group, stages["Deployment.Stage"]) is False


def test_quick_create_stage_and_protocols() -> None:
    graph = cfn_graph(CFN)
    stages = {s.node_id: s for s in graph.resources(Kind.V2_STAGE)}
    assert set(stages) == {"Http.$default", "HttpStage"}
    assert stages["Http.$default"].fact("created_by").value == "quick_create"
    assert [protocol_of(graph, s) for s in stages.values()] == ["HTTP", "HTTP"]


@pytest.mark.parametrize(
    ("api", "expected"),
    [("", None), ("      ApiId: !ImportValue shared-api\n", None), ("      ApiId: !Ref Ws\n", "WEBSOCKET")],
)
def test_protocol_unknown_when_the_api_is_not_in_the_scan(api: str, expected: str | None) -> None:
    graph = cfn_graph(
        "Resources:\n  Ws:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      ProtocolType: WEBSOCKET\n"
        f"  S:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      StageName: s\n{api}"
    )
    (stage,) = graph.resources(Kind.V2_STAGE)
    assert protocol_of(graph, stage) == expected


def test_depends_on_agrees_with_networkx_on_every_fixture() -> None:
    """The adjacency walk behind graph.depends_on gives networkx.has_path's answer."""
    import os

    import networkx
    from helpers import FIXTURES, ROOT

    from iaclint.discovery import discover
    from iaclint.engine import ScanResult, load_units

    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        units = list(load_units(discover([str(FIXTURES.relative_to(ROOT))], []), ScanResult()))
    finally:
        os.chdir(previous)
    pairs = 0
    for unit in units:
        graph = ResourceGraph(unit)
        nodes = graph.resources()
        for a in nodes:
            for b in nodes:
                assert graph.depends_on(a, b) == networkx.has_path(graph.nx, a.node_id, b.node_id)
                pairs += 1
    assert pairs > 10_000
