"""CloudFormation and SAM templates -> nodes, edges and facts; YAML and JSON alike."""

from __future__ import annotations

import json

import pytest

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.loaders.cloudformation import load_template, template_format
from iaclint.loaders.documents import DocumentError, load_json, load_yaml
from iaclint.model import UNKNOWN

YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Retention:
    Type: Number
    Default: 30
  Destination:
    Type: String
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
  Stage:
    Type: AWS::ApiGateway::Stage
    DependsOn: [Account]
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt Logs.Arn
        Format: !Sub "${AWS::StackName} $context.requestId ${Other.Arn}"
  Other:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: x
      StageName: y
      AccessLogSettings:
        DestinationArn: !Ref Destination
"""


def graph_of(text: str, loader=load_yaml) -> ResourceGraph:  # type: ignore[no-untyped-def]
    document = loader(text)
    unit = load_template("t.yaml", document, template_format(document))
    assert not unit.errors, unit.errors
    return ResourceGraph(unit)


def yaml_to_json(text: str) -> str:
    """The same template in JSON syntax, as CloudFormation would accept it."""
    return json.dumps(load_yaml(text), indent=2)


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_same_graph_from_yaml_and_json(syntax: str) -> None:
    text = YAML if syntax == "yaml" else yaml_to_json(YAML)
    graph = graph_of(text, load_yaml if syntax == "yaml" else load_json)
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert stage.fact("stage_name").value == "prod"
    assert stage.fact("access_log.destination").unknown  # GetAtt: known only at deploy time
    assert {r.address: r.external for r in graph.references(stage)} == {"Account": True, "Api": True, "Logs": False, "Other": False}
    (logs,) = graph.resources(Kind.LOG_GROUP)
    assert logs.fact("retention_days").value == 30  # the parameter's Default
    (v2,) = graph.resources(Kind.V2_STAGE)
    assert v2.fact("access_log.destination").value is UNKNOWN  # a parameter without Default


def test_positions_point_at_keys() -> None:
    graph = graph_of(YAML)
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert (stage.location.line, stage.location.column) == (13, 3)
    assert stage.fact("access_log.destination").location.line == 20
    assert stage.fact("access_log").location.line == 19


def test_sub_references_and_depends_on_are_labelled() -> None:
    graph = graph_of(YAML)
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert [r.address for r in graph.references(stage, "AccessLogSetting.Format")] == ["Other"]
    assert [r.address for r in graph.references(stage, "DependsOn")] == ["Account"]


def test_sam_api_generates_a_stage_reported_under_the_api() -> None:
    graph = graph_of(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n  Api:\n    OpenApiVersion: '3.0.1'\n"
        "    AccessLogSetting:\n      DestinationArn: arn:aws:logs:us-east-1:1:log-group:a\n"
        "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n"
    )
    (api,) = graph.resources(Kind.REST_API)
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert (stage.address, stage.implicit, stage.node_id) == ("Api", True, "Api.Stage")
    assert stage.fact("access_log.destination").value == "arn:aws:logs:us-east-1:1:log-group:a"  # from Globals
    assert stage.fact("access_log.destination").location.line == 6
    assert graph.references(stage) == [api]


def test_sam_api_without_openapi_version_also_deploys_a_stage_named_stage() -> None:
    graph = graph_of("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n")
    stages = graph.resources(Kind.REST_STAGE)
    assert [(s.node_id, s.fact("stage_name").value) for s in stages] == [("Api.DeploymentStage", "Stage"), ("Api.Stage", "prod")]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}, "cloudformation"),
        ({"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}, "cloudformation"),
        ({"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {}}, "sam"),
        ({"on": {"push": None}, "jobs": {}}, None),  # a GitHub workflow
        ({"apiVersion": "v1", "kind": "Pod"}, None),
        ({"Resources": {"A": {"Type": "Some::Thing"}}}, None),
        (["a list"], None),
    ],
)
def test_template_sniffing(document: object, expected: str | None) -> None:
    assert template_format(document) == expected


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "Resources:\n  A:\n    Type: [unclosed\n",
            4,
            "did not find expected ',' or ']' (while parsing a flow sequence started at line 3)",
        ),
        ("a: !!python/object/apply:os.system [echo]\n", 1, "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ],
)
def test_yaml_errors_say_where(text: str, line: int, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        load_yaml(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_json_errors_are_judged_by_json() -> None:
    with pytest.raises(DocumentError) as caught:
        load_json('{\n  "Resources": {\n    "A": }\n}')  # valid YAML, invalid JSON
    assert (caught.value.line, caught.value.message) == (3, "expecting value")


def test_resources_of_the_wrong_shape_are_errors_and_the_rest_loads() -> None:
    document = load_yaml("Resources:\n  A: text\n  B:\n    Properties: {}\n  C:\n    Type: AWS::Logs::LogGroup\n")
    unit = load_template("t.yaml", document, "cloudformation")
    assert [(e.line, e.message) for e in unit.errors] == [(2, "resource A has no Type"), (3, "resource B has no Type")]
    assert [r.address for r in unit.resources] == ["C"]


def test_references_inside_functions_keep_the_property_path() -> None:
    graph = graph_of(
        "Resources:\n  S:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n"
        "      AccessLogSetting:\n        DestinationArn: !Join [':', [!GetAtt L.Arn, '*']]\n"
        "  L:\n    Type: AWS::Logs::LogGroup\n"
    )
    (stage,) = graph.resources(Kind.REST_STAGE)
    assert [r.address for r in graph.references(stage, "AccessLogSetting.DestinationArn")] == ["L"]


def test_a_preprocessor_tag_is_an_unknown_value_and_the_rest_is_checked() -> None:
    graph = graph_of(
        "Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: !Rain::Env DAYS\n"
        "  Stage:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: a\n      StageName: s\n"
    )
    (logs,) = graph.resources(Kind.LOG_GROUP)
    assert logs.fact("retention_days").unknown
    (stage,) = graph.resources(Kind.V2_STAGE)
    assert not stage.fact("access_log").present


def test_serverless_types_without_the_transform_are_read_as_sam() -> None:
    assert template_format({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"A": {"Type": "AWS::Serverless::Api"}}}) == "sam"


@pytest.mark.parametrize("loader", [load_yaml, load_json])
def test_duplicate_keys_are_an_error(loader) -> None:  # type: ignore[no-untyped-def]
    text = '{\n "Resources": {\n  "A": {"Type": "AWS::SNS::Topic"},\n  "A": {"Type": "AWS::SQS::Queue"}\n }\n}'
    with pytest.raises(DocumentError) as caught:
        loader(text)
    assert (caught.value.line, caught.value.message) == (4, "duplicate key 'A' (first at line 3)")


def test_yaml_merge_keys_may_be_overridden() -> None:
    document = load_yaml("base: &b {a: 1, b: 2}\nderived:\n  <<: *b\n  b: 3\n")
    assert document["derived"] == {"a": 1, "b": 3}
