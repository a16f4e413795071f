"""The command line, end to end: scenario folders under tests/cli/ with golden snapshots.

Each scenario holds `args` (the command line after `iaclint`) and `snapshot.txt`: the exit code,
stdout and stderr together, as ruff's CLI tests do. Run from the scenario folder, so paths in
the output are relative. `pytest --update-expected` rewrites the snapshots; read the diff.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from iaclint import __version__
from iaclint.cli import main

CLI = Path(__file__).parent / "cli"
SCENARIOS = sorted(p for p in CLI.iterdir() if (p / "args").exists())


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "iaclint", *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


def snapshot(result: subprocess.CompletedProcess[str]) -> str:
    text = f"exit code: {result.returncode}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    return text.replace(f'"version": "{__version__}"', '"version": "<version>"')


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_scenario(scenario: Path, request: pytest.FixtureRequest) -> None:
    result = run(shlex.split((scenario / "args").read_text()), cwd=scenario)
    expected = scenario / "snapshot.txt"
    if request.config.getoption("--update-expected"):
        expected.write_text(snapshot(result))
    assert snapshot(result) == expected.read_text()


def test_output_is_byte_identical_across_runs() -> None:
    first = run(["--format", "json", "../_inputs/mixed"], cwd=CLI / "mixed_json")
    second = run(["--format", "json", "../_inputs/mixed"], cwd=CLI / "mixed_json")
    assert first.stdout == second.stdout and first.stdout


def test_json_report_shape() -> None:
    result = run(["--format", "json", "_inputs/mixed"], cwd=CLI)
    report = json.loads(result.stdout)
    assert set(report) == {"version", "findings", "errors", "summary"}
    assert set(report["summary"]) == {"files", "resources", "findings"}
    keys = {"rule_id", "severity", "message", "file", "line", "column", "end_line", "end_column", "resource", "resource_type", "format"}
    assert report["findings"] and all(set(f) == keys for f in report["findings"])
    assert {f["format"] for f in report["findings"]} == {"terraform", "cloudformation", "sam"}


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run(["check", "--format", "json", "--output", str(out), "_inputs/mixed"], cwd=CLI)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(out.read_text())["summary"]["findings"] == 8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "no/such/dir"], "iaclint: error: no such file or directory: no/such/dir\n"),
        (["check", "--rules-dir", "no/such/dir", "."], "iaclint: error: --rules-dir no/such/dir: not a directory\n"),
        (["explain", "NOPE001"], "iaclint: error: unknown rule 'NOPE001'; `iaclint rules` lists them\n"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run(args, cwd=CLI)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_bad_fail_on_exits_2() -> None:
    result = run(["check", "--fail-on", "severe", "."], cwd=CLI)
    assert result.returncode == 2 and "unknown severity 'severe'" in result.stderr


def test_rules_dir_adds_a_team_rule(tmp_path: Path) -> None:
    (tmp_path / "team001_no_dev_stage.py").write_text(TEAM_RULE)
    result = run(["check", "--rules-dir", str(tmp_path), "--select", "TEAM", "_inputs/mixed/infra"], cwd=CLI)
    assert result.returncode == 1
    assert "infra/api/main.tf:9:1: MEDIUM TEAM001 stage is named 'prod' [aws_api_gateway_stage.prod]" in result.stdout


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "copy.py").write_text(TEAM_RULE.replace("TEAM001", "APIGW001"))
    result = run(["rules", "--rules-dir", str(tmp_path)], cwd=CLI)
    assert result.returncode == 2
    assert "duplicate rule id APIGW001: in pack builtin and" in result.stderr


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from iaclint.cli import _use_colour

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _use_colour(Terminal())  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _use_colour(Terminal())  # type: ignore[arg-type]
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.chdir(CLI)
    main(["_inputs/mixed"])  # captured output is not a terminal
    assert "\033[" not in capsys.readouterr().out


def test_internal_errors_never_show_a_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import iaclint.engine

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(iaclint.engine, "scan", explode)
    assert main(["check", str(CLI / "_inputs/mixed")]) == 2
    assert capsys.readouterr().err == "iaclint: internal error: RuntimeError: boom (set IACLINT_DEBUG=1 for details)\n"


def test_a_failing_rule_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    (tmp_path / "crash001_always_fails.py").write_text(TEAM_RULE.replace("TEAM001", "CRASH001").replace("team-", "crash-").replace("    for stage", "    raise KeyError('x')\n    for stage"))
    result = run(["check", "--rules-dir", str(tmp_path), "_inputs/mixed/infra"], cwd=CLI)
    assert "HIGH IAC002 rule CRASH001 failed: KeyError: 'x'" in result.stdout
    assert "APIGW001" in result.stdout and result.returncode == 1


TEAM_RULE = '''"""Stages named prod in the team's sandbox account.

What it flags:
    A stage named prod.
Why it matters:
    The sandbox has no prod.
How to fix:
    Rename it.
Formats:
    Terraform aws_api_gateway_stage.stage_name
References:
    Team wiki.
"""
from iaclint.kinds import Kind
from iaclint.model import Rule, Severity

RULE = Rule(id="TEAM001", slug="team-prod-stage-in-sandbox", summary="no prod in sandbox",
            severity=Severity.MEDIUM, kinds=frozenset({Kind.REST_STAGE}), formats=frozenset({"terraform"}))


def check(graph):
    for stage in graph.resources(Kind.REST_STAGE):
        name = stage.fact("stage_name")
        if name.known and name.value == "prod":
            yield RULE.finding(stage, None, f"stage is named {name.value!r}")
'''
