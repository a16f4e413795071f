"""The stable JSON report documented in the README."""

from __future__ import annotations

import json
from typing import Any, TextIO

from iaclint import __version__
from iaclint.engine import ScanResult
from iaclint.model import Finding


def _finding(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.label,
        "message": finding.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line if loc.end_line is not None else loc.line,
        "end_column": loc.end_column if loc.end_column is not None else loc.column,
        "resource": finding.resource,
        "resource_type": finding.resource_type,
        "format": finding.format,
    }


def document(result: ScanResult) -> dict[str, Any]:
    return {
        "version": __version__,
        "findings": [_finding(f) for f in result.findings],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in result.errors],
        "summary": {"files": result.files, "resources": result.resources, "findings": len(result.findings)},
    }


def render(result: ScanResult, out: TextIO, context: object = None) -> None:
    json.dump(document(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
