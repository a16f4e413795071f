"""Finds rule packs and validates their rules.

A pack is a module named by an entry point in group `iaclint.rules`; it exports RULE_MODULES,
a tuple of rule modules (flake8's model). The built-in pack registers the same way. A team's own
rules can also be loaded from a folder of modules with --rules-dir.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Iterable

from iaclint.model import Example, Finding, Rule

ENTRY_POINT_GROUP = "iaclint.rules"
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*[0-9]{3}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it flags:", "Why it matters:", "How to fix:", "Formats:", "References:")
KNOWN_FORMATS = frozenset({"terraform", "cloudformation", "sam"})


class RegistryError(Exception):
    """A rule pack that cannot be used: reported with exit code 2."""


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    check: Callable[[Any], Iterable[Finding]]
    doc: str
    examples: tuple[Example, ...]
    origin: str  # the pack or file it came from, for error messages

    @property
    def id(self) -> str:
        return self.rule.id


def load_rules(rules_dirs: Iterable[str] = ()) -> list[LoadedRule]:
    modules: list[tuple[ModuleType, str]] = []
    for pack_name, pack in _entry_point_packs():
        rule_modules = getattr(pack, "RULE_MODULES", None)
        if not isinstance(rule_modules, (tuple, list)):
            raise RegistryError(f"rule pack {pack_name!r} does not export RULE_MODULES")
        modules.extend((module, f"pack {pack_name}") for module in rule_modules)
    for directory in rules_dirs:
        modules.extend((module, module.__file__ or directory) for module in _modules_in(directory))
    if not modules:
        raise RegistryError("no rule packs found; is iaclint installed (pip install .)?")
    loaded: dict[str, LoadedRule] = {}
    slugs: dict[str, str] = {}
    for module, origin in modules:
        rule = validate(module, origin)
        if rule.id in loaded:
            raise RegistryError(f"duplicate rule id {rule.id}: in {loaded[rule.id].origin} and {origin}")
        if rule.rule.slug in slugs:
            raise RegistryError(f"duplicate rule slug {rule.rule.slug!r}: {slugs[rule.rule.slug]} and {rule.id}")
        loaded[rule.id] = rule
        slugs[rule.rule.slug] = rule.id
    return sorted(loaded.values(), key=lambda r: r.id)


def validate(module: ModuleType, origin: str) -> LoadedRule:
    name = module.__name__
    rule = getattr(module, "RULE", None)
    check = getattr(module, "check", None)
    if not isinstance(rule, Rule) or not callable(check):
        raise RegistryError(f"{origin}: rule module {name} needs a RULE (iaclint.model.Rule) and a check(graph)")
    problems = []
    if not RULE_ID.match(rule.id):
        problems.append(f"id {rule.id!r} is not a prefix and three digits, like APIGW001")
    if not SLUG.match(rule.slug):
        problems.append(f"slug {rule.slug!r} is not kebab-case")
    if not rule.formats or not rule.formats <= KNOWN_FORMATS:
        problems.append(f"formats must be some of {sorted(KNOWN_FORMATS)}")
    doc = (module.__doc__ or "").strip()
    missing = [section for section in DOC_SECTIONS if section not in doc]
    if missing:
        problems.append(f"docstring lacks {', '.join(missing)}")
    if problems:
        raise RegistryError(f"{origin}: rule {rule.id} ({name}): " + "; ".join(problems))
    examples = tuple(getattr(module, "EXAMPLES", ()))
    return LoadedRule(rule=rule, check=check, doc=doc, examples=examples, origin=origin)


def _entry_point_packs() -> list[tuple[str, ModuleType]]:
    from importlib.metadata import entry_points

    packs = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        try:
            packs.append((entry_point.name, entry_point.load()))
        except Exception as error:  # a broken third-party pack must say so, not crash
            raise RegistryError(f"rule pack {entry_point.name!r} failed to load: {error}") from None
    return packs


def _modules_in(directory: str) -> list[ModuleType]:
    if not os.path.isdir(directory):
        raise RegistryError(f"--rules-dir {directory}: not a directory")
    modules = []
    for file_name in sorted(os.listdir(directory)):
        if not file_name.endswith(".py") or file_name.startswith("_"):
            continue
        path = os.path.join(directory, file_name)
        module_name = f"iaclint_local_rules.{os.path.basename(os.path.abspath(directory))}.{file_name[:-3]}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise RegistryError(f"{path}: cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as error:
            raise RegistryError(f"{path}: failed to import: {type(error).__name__}: {error}") from None
        modules.append(module)
    return modules
