"""The installed package: the console script, `python -m iaclint`, and the built-in pack found
through its entry point, from a directory far from the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import iaclint

ROOT = Path(__file__).resolve().parent.parent


def test_builtin_pack_registers_through_the_entry_point() -> None:
    (builtin,) = [ep for ep in entry_points(group="iaclint.rules") if ep.name == "builtin"]
    pack = builtin.load()
    assert {module.RULE.id for module in pack.RULE_MODULES} >= {"APIGW001", "APIGW002", "LOGS001"}


@pytest.mark.parametrize("command", [["iaclint"], [sys.executable, "-m", "iaclint"]])
def test_installed_commands_run_outside_the_checkout(command: list[str], tmp_path: Path) -> None:
    if command == ["iaclint"]:
        command = [str(Path(sys.executable).with_name("iaclint"))]
    result = subprocess.run([*command, "rules"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "APIGW001" in result.stdout and "LOGS001" in result.stdout


@pytest.mark.skipif(not os.environ.get("CI"), reason="CI installs iaclint non-editable; a dev checkout may not")
def test_ci_tests_the_installed_package_not_the_checkout() -> None:
    import sysconfig

    import iaclint_rules

    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    for module in (iaclint, iaclint_rules):
        assert site_packages in Path(module.__file__).resolve().parents, module.__file__
