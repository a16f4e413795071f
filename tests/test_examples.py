"""Whole projects and their exact JSON report: fixtures/examples/ (realistic projects with
deliberate problems) and fixtures/scenarios/ (one capability each: modules, tfvars, count...).

Each folder is scanned as given on the command line; an optional command.json adds Terraform
inputs ({"inputs": [["var", "NAME=VALUE"], ["var-file", "FILE"]]}, paths relative to the folder)
and CloudFormation parameters ({"parameters": {"Name": "value"}}).
The report is compared with the folder's expected.json (`pytest --update-expected` rewrites it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, builtin_rules

from iaclint.engine import scan
from iaclint.loaders.terraform_inputs import Inputs
from iaclint.report.json import document

PROJECTS = sorted(p for group in ("examples", "scenarios") for p in (FIXTURES / group).iterdir() if p.is_dir())


def _inputs(project: Path) -> Inputs:
    command = project / "command.json"
    if not command.exists():
        return Inputs()
    command_data = json.loads(command.read_text())
    entries = command_data.get("inputs", [])
    relative = str(project.relative_to(ROOT))
    return Inputs(
        command_line=tuple((kind, f"{relative}/{text}" if kind == "var-file" else text) for kind, text in entries),
        template_parameters=tuple(command_data.get("parameters", {}).items()),
    )


@pytest.mark.parametrize("project", PROJECTS, ids=[f"{p.parent.name}/{p.name}" for p in PROJECTS])
def test_project_report(project: Path, request: pytest.FixtureRequest) -> None:
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        report = document(scan([str(project.relative_to(ROOT))], list(builtin_rules()), inputs=_inputs(project)))
    finally:
        os.chdir(previous)
    report["version"] = "<version>"
    expected = project / "expected.json"
    if request.config.getoption("--update-expected"):
        expected.write_text(json.dumps(report, indent=2) + "\n")
    assert report == json.loads(expected.read_text())
