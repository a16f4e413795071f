"""Shared by the tests: the loaded rules, and running them on one fixture file as its own unit."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from iaclint.discovery import Targets, display_path, is_terraform
from iaclint.engine import ScanResult, check_targets
from iaclint.registry import LoadedRule, load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@functools.lru_cache(maxsize=None)
def builtin_rules() -> tuple[LoadedRule, ...]:
    return tuple(load_rules())


def scan_file(path: Path, select: tuple[str, ...] = ()) -> ScanResult:
    """Scan one file alone (a .tf file as a one-file module), from the repository root."""
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        shown = display_path(str(path))
        if is_terraform(path.name):
            targets = Targets(modules={display_path(str(path.parent)): [shown]})
        else:
            targets = Targets(documents=[shown])
        return check_targets(targets, list(builtin_rules()), select=select)
    finally:
        os.chdir(previous)
