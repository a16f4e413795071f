#!/usr/bin/env python3
"""Print the README's rules table from the rules' own metadata (tests/test_readme.py keeps them equal).

Usage: python scripts/rules_table.py   (with iaclint installed)
"""

from __future__ import annotations

from iaclint.engine import ENGINE_RULES
from iaclint.registry import load_rules

TOOLS = {"securityhub": "Security Hub", "config": "AWS Config", "checkov": "Checkov", "trivy": "Trivy", "kics": "KICS"}


def peers(related: tuple[tuple[str, str], ...]) -> str:
    found = [f"{TOOLS.get(tool, tool)} {ids}" for tool, ids in related if not ids.startswith("none")]
    return "; ".join(found) or "none"


def table() -> str:
    rows = [(r.rule, peers(r.rule.related)) for r in load_rules()] + [(r, "") for r in ENGINE_RULES]
    lines = ["| ID | Severity | Formats | What it finds | Same control in peers |", "|---|---|---|---|---|"]
    for rule, peer_text in sorted(rows, key=lambda row: row[0].id):
        formats = ", ".join(sorted(rule.formats))
        lines.append(f"| {rule.id} | {rule.severity.label} | {formats} | {rule.summary} | {peer_text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
