"""Every fixture file, one test each: pass files give no finding of their rule, fail files give
exactly the findings listed in their sibling .expected.json (rule, resource, line, file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import FIXTURES, scan_file

from iaclint.discovery import is_document, is_terraform

EXPECTED_SUFFIX = ".expected.json"


def _fixture_files() -> list[Path]:
    found = []
    for path in sorted(FIXTURES.glob("*/*/*/*")):
        rule_dir, verdict = path.parents[2].name, path.parents[1].name
        if verdict not in ("pass", "fail") or rule_dir == "examples":
            continue
        if path.name.endswith(EXPECTED_SUFFIX) or not (is_terraform(path.name) or is_document(path.name)):
            continue
        found.append(path)
    return found


def _expected_path(path: Path) -> Path:
    return path.with_name(path.name.split(".")[0] + EXPECTED_SUFFIX)


def _own_findings(path: Path) -> list[dict[str, object]]:
    rule_id = path.parents[2].name
    result = scan_file(path, select=(rule_id,))
    return sorted(
        (
            {"rule": f.rule_id, "resource": f.resource, "line": f.location.line, "path": path.name}
            for f in result.findings
            if f.rule_id == rule_id
        ),
        key=lambda f: (f["line"], f["rule"], f["resource"]),
    )


FIXTURE_FILES = _fixture_files()


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[str(p.relative_to(FIXTURES)) for p in FIXTURE_FILES])
def test_fixture(path: Path, request: pytest.FixtureRequest) -> None:
    result = scan_file(path)
    assert not result.errors, f"fixture does not load: {result.errors}"
    found = _own_findings(path)
    verdict = path.parents[1].name
    if verdict == "pass":
        assert found == [], "a pass fixture must give no finding of its rule"
        return
    expected_path = _expected_path(path)
    if request.config.getoption("--update-expected"):
        expected_path.write_text(json.dumps(found, indent=2) + "\n")
    assert expected_path.exists(), f"{expected_path.name} is missing (run pytest --update-expected)"
    expected = json.loads(expected_path.read_text())
    assert found == expected
    assert found, "a fail fixture must give at least one finding"


def test_every_expected_file_has_its_fixture() -> None:
    stems = {(p.parent, p.name.split(".")[0]) for p in FIXTURE_FILES}
    orphans = [p for p in FIXTURES.glob(f"*/fail/*/*{EXPECTED_SUFFIX}") if (p.parent, p.name.split(".")[0]) not in stems]
    assert orphans == []


def test_case_names_are_unique_per_folder() -> None:
    """`x.yaml` and `x.json` in one folder would share `x.expected.json`."""
    stems = [(p.parent, p.name.split(".")[0]) for p in FIXTURE_FILES if p.parents[1].name == "fail"]
    assert sorted({s for s in stems if stems.count(s) > 1}) == []
