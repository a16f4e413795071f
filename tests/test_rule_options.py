"""Rule options set on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import builtin_rules

from iaclint.engine import parse_options, scan


def test_min_retention_days(tmp_path: Path) -> None:
    (tmp_path / "logs.tf").write_text(
        'resource "aws_cloudwatch_log_group" "short" {\n  retention_in_days = 30\n}\n'
        'resource "aws_cloudwatch_log_group" "long" {\n  retention_in_days = 400\n}\n'
    )
    rules = list(builtin_rules())
    assert scan([str(tmp_path)], rules).findings == []
    options = parse_options(["LOGS001.min_retention_days=365"], rules)
    (finding,) = scan([str(tmp_path)], rules, options=options).findings
    assert (finding.resource, finding.location.line) == ("aws_cloudwatch_log_group.short", 2)
    assert finding.message == "retention_in_days is 30, below the required 365 days; raise it"


@pytest.mark.parametrize(
    ("assignment", "error"),
    [
        ("LOGS001.min_retention_days", "option 'LOGS001.min_retention_days' is not RULE.name=value"),
        ("LOGS001.nope=1", "unknown option 'LOGS001.nope'"),
        ("NOPE001.x=1", "unknown option 'NOPE001.x'"),
        ("LOGS001.min_retention_days=a year", "option LOGS001.min_retention_days: expected int, got 'a year'"),
    ],
)
def test_bad_options_are_refused(assignment: str, error: str) -> None:
    with pytest.raises(ValueError, match=error.replace("(", r"\(").replace(".", r"\.")):
        parse_options([assignment], list(builtin_rules()))
