"""Nested stacks: a local child template is checked with its parent's parameter values, once."""

from __future__ import annotations

from pathlib import Path

from helpers import builtin_rules

from iaclint.engine import scan

PARENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: {url}
      Parameters:
        Retention: {retention}
"""
CHILD = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Retention:
    Type: Number
    Default: 30
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Retention
"""


def _scan(tmp_path: Path, url: str, retention: str = "45", paths: list[str] | None = None):  # type: ignore[no-untyped-def]
    (tmp_path / "child").mkdir(exist_ok=True)
    (tmp_path / "child" / "logs.yaml").write_text(CHILD)
    (tmp_path / "parent.yaml").write_text(PARENT.format(url=url, retention=retention))
    return scan(paths or [str(tmp_path)], list(builtin_rules()), select=["LOGS001"])


def test_child_is_checked_with_the_parameters_its_parent_passes(tmp_path: Path) -> None:
    result = _scan(tmp_path, "child/logs.yaml")
    assert [(Path(f.location.file).resolve(), f.location.line) for f in result.findings] == [
        (tmp_path / "child" / "logs.yaml", 10)
    ]
    assert "'45'" in result.findings[0].message
    assert result.files == 2  # the child once, through its parent, not again on its own


def test_child_is_found_from_the_parent_alone(tmp_path: Path) -> None:
    result = _scan(tmp_path, "./child/../child/logs.yaml", paths=[str(tmp_path / "parent.yaml")])
    assert [Path(f.location.file).resolve() for f in result.findings] == [tmp_path / "child" / "logs.yaml"]


def test_an_unknown_passed_value_is_unknown_not_the_default(tmp_path: Path) -> None:
    assert _scan(tmp_path, "child/logs.yaml", retention="!ImportValue shared-retention").findings == []


def test_remote_templates_are_external_and_missing_ones_a_notice(tmp_path: Path) -> None:
    remote = _scan(tmp_path, "https://example-bucket.s3.amazonaws.com/logs.yaml")
    assert remote.findings == [] and remote.notices == []  # the child is then checked on its own
    missing = _scan(tmp_path, "nowhere/logs.yaml")
    (notice,) = missing.notices
    assert notice.startswith("nested stack template ") and notice.endswith("nowhere/logs.yaml not found; it was not checked")


def test_a_stack_that_nests_itself_is_loaded_once(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").write_text(PARENT.format(url="loop.yaml", retention="1"))
    result = scan([str(tmp_path / "loop.yaml")], list(builtin_rules()))
    assert result.files == 1
