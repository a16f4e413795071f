"""Reporters: one module per output format, each with `render(result, out, context)`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from iaclint.engine import ScanResult
    from iaclint.model import Rule

# --format name -> module under iaclint.report (imported only when chosen).
FORMATS = {
    "text": "text",
    "json": "json",
}


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need besides the findings."""

    # Every rule that can appear (the engine's and the loaded packs'), by id, with its doc.
    rules: dict[str, tuple[Rule, str]] = field(default_factory=dict)
    colour: bool = False


def render(name: str, result: ScanResult, out: TextIO, context: ReportContext) -> None:
    module = importlib.import_module(f"iaclint.report.{FORMATS[name]}")
    module.render(result, out, context)
