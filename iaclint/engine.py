"""Runs a scan: discovers files, loads each unit once, builds its graph, runs the rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from iaclint.discovery import Targets, discover
from iaclint.loaders import LoadedUnit, SourceError, lossy_text, read_source
from iaclint.loaders.terraform_inputs import Inputs
from iaclint.model import Finding, LoadError, Location, Rule, Severity
from iaclint.registry import LoadedRule

# Findings the engine itself reports; listed and explained like any rule.
PARSE_ERROR = Rule(
    id="IAC001",
    slug="unparsable-file",
    summary="a file could not be parsed, so nothing in it was checked",
    severity=Severity.HIGH,
    kinds=frozenset(),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
)
INTERNAL_ERROR = Rule(
    id="IAC002",
    slug="rule-failed",
    summary="a rule failed on this input; its checks here are incomplete",
    severity=Severity.HIGH,
    kinds=frozenset(),
    formats=frozenset({"terraform", "cloudformation", "sam"}),
)
ENGINE_RULES = (PARSE_ERROR, INTERNAL_ERROR)
ENGINE_RULE_DOCS = {
    "IAC001": """A file could not be parsed, so nothing in it was checked.

What it flags:
    A Terraform file (.tf, .tofu, .tf.json) or a CloudFormation/SAM template that is not valid
    HCL, YAML or JSON, is not UTF-8 text, or whose structure is not a template's (Resources that
    is not a mapping, a resource without Type). The message gives the parser's reason; the
    location is where parsing stopped.
Why it matters:
    A gate that skips what it cannot read lets everything in it through. Terraform and
    CloudFormation would reject the file too.
How to fix:
    Correct the syntax at the reported line (`terraform validate`, `cfn-lint`). YAML and JSON
    files that are not templates are never reported.
Formats:
    Terraform, CloudFormation, SAM
References:
    https://developer.hashicorp.com/terraform/language/syntax/configuration
""",
    "IAC002": """A rule failed on this input, so its checks here are incomplete.

What it flags:
    An internal error of one rule on one scan unit. The other rules and files are still checked.
Why it matters:
    The rule's verdict on this unit is missing; treat the unit as not checked by that rule.
How to fix:
    Report it with the input that triggers it; `--ignore` the rule meanwhile.
Formats:
    Terraform, CloudFormation, SAM
References:
    iaclint's issue tracker
""",
}

# A document that fails to parse is reported only if it looks like a template: other YAML and
# JSON (workflows, manifests, package.json) is none of our business, broken or not.
_TEMPLATE_HINT = re.compile(
    r"AWSTemplateFormatVersion|AWS::Serverless-2016-10-31|[\"']?Type[\"']?\s*:\s*[\"']?AWS::[A-Za-z0-9]+::"
)
_MAYBE_IAC = re.compile(r"Resources|AWSTemplateFormatVersion|planned_values")


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    files: int = 0
    resources: int = 0


def selected(rule_id: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Ruff's convention: ids or prefixes; the most specific match wins, ignore wins a tie."""
    select, ignore = list(select), list(ignore)
    chosen = max((len(p) for p in select if rule_id.startswith(p)), default=None) if select else 0
    if chosen is None:
        return False
    ignored = max((len(p) for p in ignore if rule_id.startswith(p)), default=None)
    return ignored is None or chosen > ignored


def scan(
    paths: list[str],
    rules: list[LoadedRule],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    excludes: Iterable[str] = (),
    options: dict[str, dict[str, Any]] | None = None,
    inputs: Inputs | None = None,
) -> ScanResult:
    return check_targets(discover(paths, list(excludes)), rules, select, ignore, options, inputs)


def check_targets(
    targets: Targets,
    rules: list[LoadedRule],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    options: dict[str, dict[str, Any]] | None = None,
    inputs: Inputs | None = None,
) -> ScanResult:
    """Load every unit once, run the selected rules on it, and collect sorted findings."""
    select, ignore = list(select), list(ignore)
    active = [rule for rule in rules if selected(rule.id, select, ignore)]
    result = ScanResult(missing=targets.missing)
    for unit in load_units(targets, result, inputs):
        result.errors.extend(unit.errors)
        result.resources += sum(1 for r in unit.resources if not r.implicit)
        if unit.resources:
            result.findings.extend(check_unit(unit, active, options))
    if selected(PARSE_ERROR.id, select, ignore):
        result.findings.extend(_parse_error_finding(error) for error in result.errors)
    result.errors.sort(key=lambda e: (e.file, e.line, e.column, e.message))
    result.findings = sorted(set(result.findings), key=Finding.sort_key)
    return result


def load_units(targets: Targets, result: ScanResult, inputs: Inputs | None = None) -> Iterator[LoadedUnit]:
    if targets.modules:
        from iaclint.loaders.terraform import load_module

        modules = [load_module(directory, files, inputs) for directory, files in targets.modules.items()]
        # A directory another module calls is checked through its callers, with their arguments
        # and under their addresses, not again on its own.
        called = set().union(*(unit.module_dirs for unit in modules))
        for unit in modules:
            if unit.name in called:
                continue
            result.files += len(unit.files)
            yield unit
    parameters = dict(inputs.template_parameters) if inputs else {}
    yield from _load_templates(targets.documents, result, parameters)


def _load_templates(paths: list[str], result: ScanResult, parameters: dict[str, str]) -> Iterator[LoadedUnit]:
    """Templates, and the local templates of their nested stacks: a child is checked with the
    parameter values its parent passes, not again on its own (as a called Terraform module)."""
    import os

    tops = [unit for unit in (_load_document(path, result, parameters) for path in paths) if unit is not None]
    children: dict[str, LoadedUnit | None] = {}
    pending = [child for unit in tops for child in unit.children]
    while pending:
        path, passed = pending.pop(0)
        if path in children:
            continue  # the first parent to name a child decides its parameters
        children[path] = None
        if not os.path.isfile(path):
            result.notices.append(f"nested stack template {path} not found; it was not checked")
            continue
        child = _load_document(path, result, {**parameters, **passed})
        children[path] = child
        if child is not None:
            pending.extend(child.children)
    for unit in [*(unit for unit in tops if unit.name not in children), *filter(None, children.values())]:
        result.files += 1
        yield unit


def _load_document(path: str, result: ScanResult, parameters: dict[str, str] | None = None) -> LoadedUnit | None:
    """Load a YAML/JSON file if it is a template; None (silently) if it is anything else."""
    from iaclint.loaders.documents import DocumentError

    try:
        text = read_source(path)
    except SourceError as error:
        # Text in another encoding is reported only if it is a template; binary never is YAML.
        if "binary" in error.message or _TEMPLATE_HINT.search(lossy_text(path)):
            return _failed(path, error.message, error.line, error.column)
        return None
    if not _MAYBE_IAC.search(text):
        return None  # cheap sniff: most YAML/JSON in a repository is not a template
    try:
        document = _decode(path, text)
    except DocumentError as error:
        if _TEMPLATE_HINT.search(text):
            return _failed(path, error.message, error.line, error.column)
        return None
    if isinstance(document, dict) and "format_version" in document and "planned_values" in document:
        from iaclint.loaders.terraform_plan import load_plan

        return load_plan(path, document)
    from iaclint.loaders.cloudformation import load_template, template_format

    fmt = template_format(document)
    if fmt is None:
        return None
    return load_template(path, document, fmt, parameters)


def _decode(path: str, text: str) -> object:
    from iaclint.loaders.documents import load_json, load_yaml

    if path.endswith(".json") or (path.endswith(".template") and text.lstrip().startswith("{")):
        return load_json(text)
    return load_yaml(text)


def _failed(path: str, message: str, line: int, column: int) -> LoadedUnit:
    unit = LoadedUnit(name=path, format="unknown", files=[path])
    unit.errors.append(LoadError(path, line, message, column))
    return unit


def _parse_error_finding(error: LoadError) -> Finding:
    return Finding(
        rule_id=PARSE_ERROR.id,
        severity=PARSE_ERROR.severity,
        message=f"cannot parse: {error.message}",
        location=Location(error.file, error.line, error.column),
    )


def check_unit(
    unit: LoadedUnit, rules: list[LoadedRule], options: dict[str, dict[str, Any]] | None = None
) -> list[Finding]:
    from iaclint.graph import ResourceGraph

    if unit.variants:  # a template whose conditions are undecided: check each deployment
        from iaclint.deployments import merge

        return merge((deployment, check_unit(variant, rules, options)) for deployment, variant in unit.variants)
    graph = ResourceGraph(unit, options)
    findings: list[Finding] = []
    for rule in rules:
        if unit.format not in rule.rule.formats:
            continue
        try:
            findings.extend(_with_condition(graph, finding) for finding in rule.check(graph))
        except Exception as error:  # one broken rule must not stop the others
            findings.append(
                Finding(
                    rule_id=INTERNAL_ERROR.id,
                    severity=INTERNAL_ERROR.severity,
                    message=f"rule {rule.id} failed: {type(error).__name__}: {error}",
                    location=Location(unit.files[0], 1),
                )
            )
    return findings


def parse_options(assignments: Iterable[str], rules: list[LoadedRule]) -> dict[str, dict[str, Any]]:
    """`RULE.name=value` settings, checked against the options each rule declares."""
    import json

    declared = {rule.id: {name: kind for name, kind, _ in rule.rule.options} for rule in rules}
    options: dict[str, dict[str, Any]] = {}
    for assignment in assignments:
        key, equals, text = assignment.partition("=")
        rule_id, dot, name = key.strip().partition(".")
        rule_id = rule_id.upper()
        if not equals or not dot:
            raise ValueError(f"option {assignment!r} is not RULE.name=value")
        if rule_id not in declared or name not in declared[rule_id]:
            known = ", ".join(f"{r}.{n}" for r, names in sorted(declared.items()) for n in names) or "none"
            raise ValueError(f"unknown option {key!r} (known: {known})")
        try:
            value = json.loads(text)
        except ValueError:
            value = text  # a bare string
        kind = declared[rule_id][name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"option {key}: expected {kind.__name__}, got {text!r}")
        options.setdefault(rule_id, {})[name] = value
    return options


def _with_condition(graph: Any, finding: Finding) -> Finding:
    """A resource under a condition exists only in some deployments: the message says which."""
    node = graph.get(finding.resource)
    condition = node.fact("meta.condition") if node is not None else None
    if condition is None or not condition.present:
        return finding
    import dataclasses

    return dataclasses.replace(finding, message=f"{finding.message} (when condition {condition.value} is true)")
