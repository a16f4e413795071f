"""The end-to-end examples under fixtures/examples/: realistic projects with deliberate problems
and the exact JSON report iaclint must give on each (fixtures/examples/<name>/expected.json)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, builtin_rules

from iaclint.engine import scan
from iaclint.report.json import document

EXAMPLES = sorted(p for p in (FIXTURES / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_report(example: Path, request: pytest.FixtureRequest) -> None:
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        report = document(scan([str(example.relative_to(ROOT))], list(builtin_rules())))
    finally:
        os.chdir(previous)
    report["version"] = "<version>"
    expected = example / "expected.json"
    if request.config.getoption("--update-expected"):
        expected.write_text(json.dumps(report, indent=2) + "\n")
    assert report == json.loads(expected.read_text())
