"""SAM's implicit ServerlessRestApi / ServerlessHttpApi: created by function events, configured
by Globals, reported at the first event. Whole reports: fixtures/scenarios/sam_implicit_*."""

from __future__ import annotations

import pytest

from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.loaders.cloudformation import load_template, template_format
from iaclint.loaders.documents import load_yaml

HEAD = "Transform: AWS::Serverless-2016-10-31\n"


def graph_of(text: str) -> ResourceGraph:
    document = load_yaml(HEAD + text)
    unit = load_template("t.yaml", document, template_format(document))
    assert not unit.errors, unit.errors
    return ResourceGraph(unit)


def function(name: str, events: str) -> str:
    return f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n{events}"


def event(name: str, kind: str, properties: str = "") -> str:
    text = f"        {name}:\n          Type: {kind}\n"
    return text + (f"          Properties:\n{properties}" if properties else "")


def nodes(graph: ResourceGraph) -> list[tuple[str, str | None, bool, int]]:
    return sorted(
        (n.node_id, n.kind, n.implicit, n.location.line)
        for n in graph.resources()
        if n.address.startswith("Serverless")
    )


def test_api_and_http_api_events_create_one_implicit_api_each_at_the_first_event() -> None:
    graph = graph_of(
        "Resources:\n"
        + function(
            "A", event("First", "Api", "            Path: /a\n            Method: get\n") + event("Second", "Api")
        )
        + function("B", event("Hook", "HttpApi") + event("Other", "HttpApi"))
    )
    assert nodes(graph) == [
        ("ServerlessHttpApi", Kind.V2_API, True, 18),
        ("ServerlessHttpApi.Stage", Kind.V2_STAGE, True, 18),
        ("ServerlessRestApi", Kind.REST_API, True, 7),
        ("ServerlessRestApi.DeploymentStage", Kind.REST_STAGE, True, 7),
        ("ServerlessRestApi.Stage", Kind.REST_STAGE, True, 7),
    ]
    stages = {n.node_id: n for n in graph.resources(Kind.REST_STAGE, Kind.V2_STAGE)}
    assert stages["ServerlessRestApi.Stage"].fact("stage_name").value == "Prod"
    assert stages["ServerlessHttpApi.Stage"].fact("stage_name").value == "$default"
    assert stages["ServerlessRestApi.Stage"].fact("sam_implicit_api").value == "Api"
    assert stages["ServerlessHttpApi.Stage"].fact("sam_implicit_api").value == "HttpApi"
    assert stages["ServerlessRestApi.Stage"].fact("access_log").present is False


def test_globals_configure_the_implicit_apis() -> None:
    graph = graph_of(
        "Globals:\n  Api:\n    OpenApiVersion: 3.0.1\n    AccessLogSetting:\n      DestinationArn: arn:a\n"
        "  HttpApi:\n    AccessLogSettings:\n      DestinationArn: arn:b\n"
        "Resources:\n" + function("A", event("Rest", "Api") + event("Http", "HttpApi"))
    )
    (rest,) = graph.resources(Kind.REST_STAGE)  # OpenApiVersion: no extra "Stage" stage
    (http,) = graph.resources(Kind.V2_STAGE)
    assert (rest.fact("access_log.destination").value, rest.fact("access_log.destination").location.line) == (
        "arn:a",
        6,
    )
    assert http.fact("access_log.destination").value == "arn:b"


@pytest.mark.parametrize(
    "events",
    [
        event("Rest", "Api", "            RestApiId: !Ref Explicit\n")
        + event("Http", "HttpApi", "            ApiId: !Ref Explicit\n"),
        event("Other", "S3", "            Bucket: b\n"),
    ],
    ids=["explicit-api", "no-api-event"],
)
def test_no_implicit_api_without_an_event_that_needs_one(events: str) -> None:
    assert nodes(graph_of("Resources:\n" + function("A", events))) == []


def test_a_declared_serverless_rest_api_is_not_doubled() -> None:
    graph = graph_of(
        "Resources:\n  ServerlessRestApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: x\n"
        + function("A", event("Rest", "Api"))
    )
    assert [n.node_id for n in graph.resources(Kind.REST_API)] == ["ServerlessRestApi"]
    assert not graph.get("ServerlessRestApi").implicit


def test_state_machine_events_count_too() -> None:
    graph = graph_of(
        "Resources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Events:\n"
        + event("Rest", "Api")
    )
    assert [n.node_id for n in graph.resources(Kind.REST_API)] == ["ServerlessRestApi"]


ROUTE = "            RouteSettings:\n              LoggingLevel: INFO\n"


@pytest.mark.parametrize(
    ("properties", "route_key"),
    [
        ("            Path: /hook\n            Method: post\n" + ROUTE, "POST /hook"),
        ("            Path: /hook\n            Method: ANY\n" + ROUTE, "/hook"),
        (ROUTE, "$default"),
    ],
)
def test_http_api_event_route_settings_join_the_stage(properties: str, route_key: str) -> None:
    graph = graph_of(
        "Globals:\n  HttpApi:\n    RouteSettings:\n      'GET /x':\n        DataTraceEnabled: false\n"
        "Resources:\n" + function("A", event("Hook", "HttpApi", properties))
    )
    (stage,) = graph.resources(Kind.V2_STAGE)
    routes = {s.fact("route_key").value: s for s in stage.fact("route_settings").value}
    assert sorted(routes) == sorted(["GET /x", route_key])
    assert routes[route_key].fact("logging_level").value == "INFO"


def test_event_route_settings_merge_into_an_explicit_http_api_event_wins() -> None:
    graph = graph_of(
        "Resources:\n  Http:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      RouteSettings:\n"
        "        'POST /hook':\n          LoggingLevel: ERROR\n          DataTraceEnabled: true\n"
        + function(
            "A",
            event(
                "Hook",
                "HttpApi",
                "            ApiId: !Ref Http\n            Path: /hook\n            Method: post\n" + ROUTE,
            ),
        )
    )
    (stage,) = graph.resources(Kind.V2_STAGE)
    (route,) = stage.fact("route_settings").value
    assert (route.fact("logging_level").value, route.fact("data_trace").value) == ("INFO", True)
    assert nodes(graph) == []
