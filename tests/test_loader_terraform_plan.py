"""Terraform plan JSON -> nodes, edges and facts (known, unknown, absent, hidden), and the exact
report iaclint gives on each real plan under fixtures/plans/.

The small plans below are written by hand in the shape `terraform show -json` gives (format 1.2);
the fixture plans are real ones, made by scripts/regenerate_plans.sh with terraform and the AWS
provider.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, ROOT, builtin_rules

from iaclint.engine import ScanResult, check_unit
from iaclint.graph import ResourceGraph
from iaclint.kinds import Kind
from iaclint.loaders import LoadedUnit, read_source
from iaclint.loaders.documents import load_json
from iaclint.loaders.terraform_plan import Key, load_plan, steps
from iaclint.model import UNKNOWN, Finding, Symbol
from iaclint.report.json import document

PLANS = sorted(p for p in (FIXTURES / "plans").iterdir() if p.is_dir())


# --- building small plans ------------------------------------------------------------------------


def resource(
    address: str,
    values: dict[str, Any],
    *,
    expressions: dict[str, Any] | None = None,
    unknown: dict[str, Any] | None = None,
    sensitive: dict[str, Any] | None = None,
    index: int | str | None = None,
    **config: Any,
) -> dict[str, Any]:
    """One planned instance with its resource_changes entry and its configuration."""
    base = address.split("[", 1)[0]
    mode = "data" if base.startswith("data.") else "managed"
    kind, name = base.removeprefix("data.").split(".")
    planned = {"address": address, "mode": mode, "type": kind, "name": name}
    if index is not None:
        planned["index"] = index
    planned |= {"provider_name": "registry.terraform.io/hashicorp/aws", "values": values}
    planned["sensitive_values"] = sensitive or {}
    change = {"address": address, "mode": mode, "type": kind, "name": name}
    change["change"] = {"actions": ["create"], "before": None, "after": values, "after_unknown": unknown or {}}
    configured = {"address": base, "mode": mode, "type": kind, "name": name, "provider_config_key": "aws"}
    configured |= {"expressions": expressions if expressions is not None else constants(values), **config}
    return {"planned": planned, "change": change, "config": configured}


def constants(values: dict[str, Any]) -> dict[str, Any]:
    """Expressions for values written as literals (null and empty blocks are not written)."""
    return {name: {"constant_value": value} for name, value in values.items() if value not in (None, [])}


def ref(*references: str) -> dict[str, Any]:
    return {"references": list(references)}


def plan_text(*resources: dict[str, Any], module_calls: dict[str, Any] | None = None) -> str:
    configs: dict[str, Any] = {}
    for item in resources:
        configs.setdefault(item["config"]["address"], item["config"])
    root: dict[str, Any] = {"resources": list(configs.values())}
    if module_calls:
        root["module_calls"] = module_calls
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": [item["planned"] for item in resources]}},
        "resource_changes": [item["change"] for item in resources],
        "configuration": {"root_module": root},
    }
    return json.dumps(plan, indent=2)


def load_text(text: str) -> ResourceGraph:
    unit = load_plan("plan.json", load_json(text))
    assert not unit.errors, unit.errors
    return ResourceGraph(unit)


def load(*resources: dict[str, Any], module_calls: dict[str, Any] | None = None) -> ResourceGraph:
    return load_text(plan_text(*resources, module_calls=module_calls))


def load_fixture(case: str) -> LoadedUnit:
    path = FIXTURES / "plans" / case / "plan.json"
    return load_plan(str(path), load_json(read_source(str(path))))


def node(graph: ResourceGraph, node_id: str):  # type: ignore[no-untyped-def]
    found = graph.get(node_id)
    assert found is not None, node_id
    return found


# --- addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aws_x.y", ["aws_x", "y"]),
        ("aws_x.y[0].arn", ["aws_x", "y", Key(0), "arn"]),
        ('module.a["k.1"].aws_x.y["prod"]', ["module", "a", Key("k.1"), "aws_x", "y", Key("prod")]),
        ("data.aws_iam_policy_document.p.json", ["data", "aws_iam_policy_document", "p", "json"]),
    ],
)
def test_address_steps(text: str, expected: list[Any]) -> None:
    assert steps(text) == expected


# --- facts ----------------------------------------------------------------------------------------

LOG_GROUP = "aws_cloudwatch_log_group.logs"
STAGE = "aws_apigatewayv2_stage.s"
STAGE_VALUES = {"api_id": "abc", "name": "prod", "access_log_settings": [], "default_route_settings": []}


FACT_CASES = [
    (
        "written literal",
        resource(LOG_GROUP, {"name": "g", "retention_in_days": 30}),
        LOG_GROUP,
        "retention_days",
        (30, True),
    ),
    (
        "provider default the code does not write",
        resource(LOG_GROUP, {"name": "g", "retention_in_days": 0}, expressions={"name": {"constant_value": "g"}}),
        LOG_GROUP,
        "retention_days",
        (None, False),
    ),
    (
        "written as 0",
        resource(LOG_GROUP, {"name": "g", "retention_in_days": 0}),
        LOG_GROUP,
        "retention_days",
        (0, True),
    ),
    (
        "computed, not written",
        resource(LOG_GROUP, {"name": "g"}, unknown={"log_group_class": True}),
        LOG_GROUP,
        "class",
        (None, False),
    ),
    (
        "written, known after apply",
        resource(LOG_GROUP, {}, unknown={"name": True}, expressions={"name": ref("var.x")}),
        LOG_GROUP,
        "name",
        (UNKNOWN, True),
    ),
    (
        "sensitive",
        resource(LOG_GROUP, {"name": "secret"}, sensitive={"name": True}, expressions={"name": {}}),
        LOG_GROUP,
        "name",
        (UNKNOWN, True),
    ),
    (
        "empty block",
        resource(STAGE, STAGE_VALUES),
        STAGE,
        "access_log",
        (None, False),
    ),
    (
        "block from a dynamic block (left out of the plan's configuration)",
        resource(
            STAGE,
            {**STAGE_VALUES, "access_log_settings": [{"destination_arn": "arn:aws:logs:x", "format": "f"}]},
            expressions=constants(STAGE_VALUES),
        ),
        STAGE,
        "access_log.destination",
        ("arn:aws:logs:x", True),
    ),
    (
        "block known after apply, maybe from a dynamic block",
        resource(STAGE, {"api_id": "abc", "name": "prod"}, unknown={"access_log_settings": True}),
        STAGE,
        "access_log",
        (UNKNOWN, True),
    ),
    (
        "block entry known after apply",
        resource(
            STAGE,
            {**STAGE_VALUES, "access_log_settings": [None]},
            unknown={"access_log_settings": [True]},
            expressions={**constants(STAGE_VALUES), "access_log_settings": [{"destination_arn": ref("var.x")}]},
        ),
        STAGE,
        "access_log.destination",
        (UNKNOWN, True),
    ),
    (
        "attribute the block does not write",
        resource(
            STAGE,
            {**STAGE_VALUES, "default_route_settings": [{"logging_level": "OFF", "data_trace_enabled": False}]},
            expressions={
                **constants(STAGE_VALUES),
                "default_route_settings": [{"logging_level": {"constant_value": "OFF"}}],
            },
        ),
        STAGE,
        "default_route.data_trace",
        (None, False),
    ),
]


@pytest.mark.parametrize(("case", "item", "node_id", "fact", "expected"), FACT_CASES, ids=[c[0] for c in FACT_CASES])
def test_facts(case: str, item: dict[str, Any], node_id: str, fact: str, expected: tuple[Any, bool]) -> None:
    found = node(load(item), node_id).fact(fact)
    assert (found.value, found.present) == expected, case


def test_unknown_reference_is_symbolic_but_never_a_bare_value() -> None:
    """The plan does not tell `x.arn` from `"${x.arn}:*"`: the Symbol comes framed by unknown parts."""
    graph = load(
        resource(LOG_GROUP, {"name": "g"}, unknown={"arn": True}),
        resource(
            STAGE,
            {**STAGE_VALUES, "access_log_settings": [{"format": "f"}]},
            unknown={"access_log_settings": [{"destination_arn": True}]},
            expressions={
                **constants(STAGE_VALUES),
                "access_log_settings": [{"destination_arn": ref(f"{LOG_GROUP}.arn", LOG_GROUP), "format": {}}],
            },
        ),
    )
    destination = node(graph, STAGE).fact("access_log.destination")
    assert destination.unknown
    assert destination.symbolic == (UNKNOWN, Symbol(LOG_GROUP, "arn"), UNKNOWN)
    assert graph.referrers(node(graph, LOG_GROUP), "access_log_settings.destination_arn") == [node(graph, STAGE)]


def test_set_entries_are_matched_to_their_configuration() -> None:
    """route_settings is a set: the plan orders it its own way, and fills in what is not written."""
    routes = [
        {"route_key": "GET /b", "data_trace_enabled": True},
        {"route_key": "GET /a", "logging_level": "ERROR", "data_trace_enabled": False},
    ]
    graph = load(
        resource(
            STAGE,
            {**STAGE_VALUES, "route_settings": routes},
            unknown={"route_settings": [{"logging_level": True}, {}]},
            expressions={
                **constants(STAGE_VALUES),
                "route_settings": [
                    {"route_key": {"constant_value": "GET /a"}, "logging_level": {"constant_value": "ERROR"}},
                    {"route_key": {"constant_value": "GET /b"}, "data_trace_enabled": {"constant_value": True}},
                ],
            },
        )
    )
    sections = node(graph, STAGE).fact("route_settings").value
    seen = [(s.fact("route_key").value, s.fact("logging_level").present, s.fact("data_trace").value) for s in sections]
    assert seen == [("GET /b", False, True), ("GET /a", True, None)]


def test_meta_facts_count_for_each_and_provider() -> None:
    graph = load(
        resource(f"{LOG_GROUP}[0]", {"name": "a"}, index=0, count_expression={"constant_value": 2}),
        resource(f"{LOG_GROUP}[1]", {"name": "b"}, index=1),
        resource('aws_cloudwatch_log_group.keyed["x"]', {"name": "x"}, index="x", provider_config_key="aws.west"),
    )
    first = node(graph, f"{LOG_GROUP}[0]")
    assert (first.fact("meta.count").value, first.fact("meta.for_each").present) == (2, False)
    assert not first.fact("meta.provider").present
    keyed = node(graph, 'aws_cloudwatch_log_group.keyed["x"]')
    assert (keyed.fact("meta.for_each").value, keyed.fact("meta.provider").value) == (["x"], "aws.west")


def test_implicit_stages_as_in_hcl() -> None:
    graph = load(
        resource("aws_api_gateway_deployment.d", {"stage_name": "prod"}),
        resource("aws_apigatewayv2_api.quick", {"name": "q", "protocol_type": "HTTP", "target": "arn:aws:lambda:x"}),
    )
    stages = {r.node_id: r.fact("created_by").value for r in graph.resources(Kind.REST_STAGE, Kind.V2_STAGE)}
    assert stages == {
        "aws_api_gateway_deployment.d.stage": "deprecated_deployment_stage_name",
        "aws_apigatewayv2_api.quick.$default": "quick_create",
    }


def test_data_sources_are_plain_nodes() -> None:
    graph = load(resource("data.aws_iam_policy_document.p", {"json": "{}"}))
    assert node(graph, "data.aws_iam_policy_document.p").kind is None


# --- edges ----------------------------------------------------------------------------------------


def test_references_depends_on_and_placeholders() -> None:
    graph = load(
        resource(f"{LOG_GROUP}[0]", {"name": "a"}, index=0),
        resource(f"{LOG_GROUP}[1]", {"name": "b"}, index=1),
        resource(
            STAGE,
            STAGE_VALUES,
            unknown={"api_id": True},
            expressions={
                "api_id": ref("aws_apigatewayv2_api.h.id", "aws_apigatewayv2_api.h"),
                "name": ref(f"{LOG_GROUP}[1].name", f"{LOG_GROUP}[1]", LOG_GROUP),
                "stage_variables": ref("var.x", "local.y", "path.module"),
            },
            depends_on=[LOG_GROUP],
        ),
    )
    stage = node(graph, STAGE)
    assert {r.node_id: r.external for r in graph.references(stage)} == {
        "aws_apigatewayv2_api.h": True,  # not in the plan: a placeholder, not a drop
        f"{LOG_GROUP}[0]": False,
        f"{LOG_GROUP}[1]": False,
    }
    assert [r.node_id for r in graph.references(stage, "name")] == [f"{LOG_GROUP}[1]"]
    assert [r.node_id for r in graph.references(stage, "depends_on")] == [f"{LOG_GROUP}[0]", f"{LOG_GROUP}[1]"]


def test_each_key_reference_links_the_instance_of_the_same_key() -> None:
    graph = ResourceGraph(load_fixture("for_each_stages"))
    settings = node(graph, 'aws_api_gateway_method_settings.all["sandbox"]')
    assert [r.node_id for r in graph.references(settings, "stage_name")] == ['aws_api_gateway_stage.stages["sandbox"]']


def test_modules_inputs_outputs_and_depends_on() -> None:
    graph = ResourceGraph(load_fixture("module_called_twice"))
    stage = node(graph, "module.prod.aws_api_gateway_stage.this")
    # var.rest_api_id -> what module "prod" is given
    assert [r.node_id for r in graph.references(stage, "rest_api_id")] == ["aws_api_gateway_rest_api.orders"]
    # module "prod" { depends_on = [aws_api_gateway_account.this] } orders everything inside it
    assert [r.node_id for r in graph.references(stage, "depends_on")] == ["aws_api_gateway_account.this"]
    # module.prod.invoke_url -> the output's own reference
    parameter = node(graph, "aws_ssm_parameter.good_prod_url")
    assert graph.references(parameter, "value") == [stage]
    destination = stage.fact("access_log.destination")
    assert destination.symbolic == (UNKNOWN, Symbol("module.prod.aws_cloudwatch_log_group.bad_access", "arn"), UNKNOWN)


def test_module_output_that_cannot_be_followed_links_the_module() -> None:
    graph = load(
        resource("aws_ssm_parameter.p", {"name": "p"}, expressions={"value": ref("module.gone.url", "module.gone")}),
        module_calls={"gone": {"source": "./gone", "module": {}}},
    )
    target = graph.references(node(graph, "aws_ssm_parameter.p"), "value")
    assert [(r.node_id, r.external) for r in target] == [("module.gone", True)]


# --- locations ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", PLANS, ids=[p.name for p in PLANS])
def test_locations_point_into_the_plan(case: Path) -> None:
    unit = load_fixture(case.name)
    lines = (case / "plan.json").read_text().splitlines()
    for resource_node in unit.resources:
        assert f'"address": {json.dumps(resource_node.address)}' in lines[resource_node.location.line - 1]
        for fact in resource_node.facts.values():
            # A value known only after apply is not in `values`: it points at its block, as absent ones do.
            if fact.present and fact.known and not fact.name.startswith("meta."):
                assert f'"{fact.leaf}":' in lines[fact.location.line - 1], (resource_node.node_id, fact.name)


# --- the fixture plans' reports -------------------------------------------------------------------


def plan_report(case: Path) -> dict[str, Any]:
    """The JSON report of `iaclint --format json fixtures/plans/<case>/plan.json`, from the
    repository root, as the engine gives it once it loads plans with load_plan."""
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        path = str((case / "plan.json").relative_to(ROOT))
        unit = load_plan(path, load_json(read_source(path)))
        result = ScanResult(files=1, errors=list(unit.errors))
        result.resources = sum(1 for r in unit.resources if not r.implicit)
        result.findings = sorted(set(check_unit(unit, list(builtin_rules()))), key=Finding.sort_key)
    finally:
        os.chdir(previous)
    report = document(result)
    report["version"] = "<version>"
    return report


@pytest.mark.parametrize("case", PLANS, ids=[p.name for p in PLANS])
def test_plan_report(case: Path, request: pytest.FixtureRequest) -> None:
    report = plan_report(case)
    expected = case / "expected.json"
    if request.config.getoption("--update-expected"):
        expected.write_text(json.dumps(report, indent=2) + "\n")
    assert report == json.loads(expected.read_text())
    assert report["findings"], "every plan case shows at least one problem"
