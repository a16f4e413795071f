"""`path:line:col: SEVERITY RULE message [resource]`, the shape editors and CI parsers read."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from iaclint.engine import ScanResult
from iaclint.model import Finding, Severity

if TYPE_CHECKING:
    from iaclint.report import ReportContext

_COLOURS = {Severity.LOW: "36", Severity.MEDIUM: "33", Severity.HIGH: "31", Severity.CRITICAL: "1;31"}


def format_finding(finding: Finding, colour: bool = False) -> str:
    loc = finding.location
    severity = finding.severity.name
    rule_id = finding.rule_id
    if colour:
        severity = f"\033[{_COLOURS[finding.severity]}m{severity}\033[0m"
        rule_id = f"\033[1m{rule_id}\033[0m"
    line = f"{loc.file}:{loc.line}:{loc.column}: {severity} {rule_id} {finding.message}"
    return f"{line} [{finding.resource}]" if finding.resource else line


def summary(result: ScanResult) -> str:
    scanned = f"{result.files} file{'s' if result.files != 1 else ''}, {result.resources} resource{'s' if result.resources != 1 else ''}"
    if not result.findings:
        return f"No problems found ({scanned})."
    counts = {s: 0 for s in sorted(Severity, reverse=True)}
    for finding in result.findings:
        counts[finding.severity] += 1
    detail = ", ".join(f"{n} {s.label}" for s, n in counts.items() if n)
    total = len(result.findings)
    return f"Found {total} problem{'s' if total != 1 else ''} ({detail}) in {scanned}."


def render(result: ScanResult, out: TextIO, context: ReportContext | None = None) -> None:
    colour = context.colour if context else False
    for finding in result.findings:
        out.write(format_finding(finding, colour) + "\n")
    out.write(summary(result) + "\n")
