"""The README's two commands are the ones CI and users run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("python3 -m venv")]


def test_ci_runs_the_readme_test_command() -> None:
    readme = _commands((ROOT / "README.md").read_text())
    ci = _commands((ROOT / ".ci/run").read_text())
    assert len(readme) >= 2 and len(ci) == 1
    assert readme[1] == ci[0]


def test_first_command_scans_the_bundled_fixtures() -> None:
    first = _commands((ROOT / "README.md").read_text())[0]
    assert "pip install" in first and "iaclint check fixtures/examples" in first


def test_readme_rules_table_matches_the_rules() -> None:
    import runpy

    table = runpy.run_path(str(ROOT / "scripts" / "rules_table.py"))["table"]()
    assert table in (ROOT / "README.md").read_text(), "regenerate with: python scripts/rules_table.py"
