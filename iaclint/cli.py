"""Command line: arguments, output format, exit codes (0 clean, 1 findings, 2 error)."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import TYPE_CHECKING, Sequence, TextIO

from iaclint import __version__
from iaclint.model import Example, Rule, Severity
from iaclint.report import FORMATS

if TYPE_CHECKING:
    from iaclint.loaders.terraform_inputs import Inputs
    from iaclint.registry import LoadedRule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
COMMANDS = ("check", "rules", "explain", "lsp")


class UsageError(Exception):
    """Bad arguments or configuration: reported in one line, exit code 2."""


def _split_ids(values: list[str] | None) -> list[str]:
    return [part.strip().upper() for value in values or [] for part in value.split(",") if part.strip()]


def _fail_on(text: str) -> Severity | None:
    if text.strip().lower() == "none":
        return None
    try:
        return Severity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iaclint",
        description="Static checks for API Gateway logging in Terraform, CloudFormation and SAM.",
    )
    parser.add_argument("--version", action="version", version=f"iaclint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="scan files and directories (the default command)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--select", action="append", metavar="IDS", help="only these rule ids or prefixes (comma-separated)")
    check.add_argument("--ignore", action="append", metavar="IDS", help="skip these rule ids or prefixes (comma-separated)")
    check.add_argument(
        "--fail-on", type=_fail_on, default=Severity.LOW, metavar="SEVERITY",
        help="exit 1 when a finding at or above this severity is found: low, medium, high, critical or none (default: low)",
    )
    check.add_argument("--format", choices=tuple(FORMATS), default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB (repeatable)")
    check.add_argument("--rules-dir", action="append", default=[], metavar="DIR", help="also load rule modules from DIR")
    check.add_argument(
        "--var", dest="terraform_inputs", action="append", type=lambda text: ("var", text), metavar="NAME=VALUE",
        help="set a Terraform root variable, as `terraform plan -var` does (repeatable)",
    )
    check.add_argument(
        "--var-file", dest="terraform_inputs", action="append", type=lambda path: ("var-file", path), metavar="FILE",
        help="read Terraform root variables from a .tfvars or .tfvars.json file (repeatable, in order with --var)",
    )
    check.add_argument(
        "--parameter", action="append", default=[], metavar="NAME=VALUE",
        help="a CloudFormation parameter value for every template (repeatable)",
    )
    check.add_argument(
        "--parameters-file", action="append", default=[], metavar="FILE",
        help='CloudFormation parameter values: the AWS CLI\'s [{"ParameterKey": ..., "ParameterValue": ...}] or {"Name": "value"}',
    )
    check.add_argument(
        "--option", action="append", default=[], metavar="RULE.NAME=VALUE",
        help="set a rule option, e.g. LOGS001.min_retention_days=365 (repeatable; `iaclint explain RULE` lists them)",
    )

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--rules-dir", action="append", default=[], metavar="DIR")

    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule_id", metavar="RULE_ID")
    explain.add_argument("--rules-dir", action="append", default=[], metavar="DIR")

    lsp = commands.add_parser("lsp", help="run the language server over standard input and output")
    lsp.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    if not argv:
        return ["check"]
    first = argv[0]
    if first in COMMANDS or first in ("-h", "--help", "--version"):
        return argv
    return ["check", *argv]  # `iaclint PATH` and `iaclint --format json PATH`


def main(argv: Sequence[str] | None = None) -> int:
    args_list = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(args_list)
    try:
        if args.command == "rules":
            return _rules(args, sys.stdout)
        if args.command == "explain":
            return _explain(args, sys.stdout)
        if args.command == "lsp":
            from iaclint.lsp import serve

            return serve(_load_rules(args.rules_dir))
        return _check(args)
    except UsageError as error:
        print(f"iaclint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("iaclint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `iaclint check | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as error:  # never a traceback to the user, unless asked for
        if os.environ.get("IACLINT_DEBUG"):
            raise
        print(f"iaclint: internal error: {type(error).__name__}: {error} (set IACLINT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_ERROR


def _load_rules(rules_dirs: list[str]) -> list[LoadedRule]:
    from iaclint.registry import RegistryError, load_rules

    try:
        return load_rules(rules_dirs)
    except RegistryError as error:
        raise UsageError(str(error)) from None


def _check(args: argparse.Namespace) -> int:
    from iaclint.engine import parse_options, scan

    rules = _load_rules(args.rules_dir)
    try:
        options = parse_options(args.option, rules)
    except ValueError as error:
        raise UsageError(str(error)) from None
    inputs = _terraform_inputs(args.terraform_inputs or [], _template_parameters(args.parameters_file, args.parameter))
    result = scan(args.paths, rules, _split_ids(args.select), _split_ids(args.ignore), args.exclude, options, inputs)
    if result.missing:
        raise UsageError(f"no such file or directory: {', '.join(result.missing)}")
    for notice in result.notices:
        print(f"iaclint: notice: {notice}", file=sys.stderr)
    out: TextIO = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    try:
        from iaclint.report import ReportContext, render

        catalogue = {rule.id: (rule, doc) for rule, doc, _ in _all_rules(args.rules_dir, rules)}
        render(args.format, result, out, ReportContext(rules=catalogue, colour=_use_colour(out)))
    finally:
        if out is not sys.stdout:
            out.close()
    threshold: Severity | None = args.fail_on
    failing = threshold is not None and any(f.severity >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _template_parameters(files: list[str], assignments: list[str]) -> tuple[tuple[str, str], ...]:
    """Parameter values from files (in order), then --parameter, the later winning."""
    import json

    values: dict[str, str] = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise UsageError(f"--parameters-file {path}: {error}") from None
        if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
            data = data["Parameters"]  # CodePipeline's template configuration file
        if isinstance(data, list):
            pairs = [(item.get("ParameterKey"), item.get("ParameterValue")) for item in data if isinstance(item, dict)]
        elif isinstance(data, dict):
            pairs = list(data.items())
        else:
            raise UsageError(f"--parameters-file {path}: expected a list of ParameterKey/ParameterValue or an object")
        values.update((str(key), str(value)) for key, value in pairs if key is not None and value is not None)
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals:
            raise UsageError(f"--parameter {assignment!r} is not NAME=VALUE")
        values[name.strip()] = value
    return tuple(values.items())


def _terraform_inputs(command_line: list[tuple[str, str]], template_parameters: tuple[tuple[str, str], ...] = ()) -> Inputs:
    from iaclint.loaders.terraform_inputs import Inputs

    for kind, text in command_line:
        if kind == "var" and "=" not in text:
            raise UsageError(f"--var {text!r} is not NAME=VALUE")
        if kind == "var-file" and not os.path.isfile(text):
            raise UsageError(f"--var-file {text}: no such file")
    environment = tuple(
        (name[len("TF_VAR_") :], value) for name, value in sorted(os.environ.items()) if name.startswith("TF_VAR_")
    )
    return Inputs(command_line=tuple(command_line), environment=environment, template_parameters=template_parameters)


def _use_colour(out: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(out, "isatty") and out.isatty()


def _all_rules(
    rules_dirs: list[str], loaded_rules: list[LoadedRule] | None = None
) -> list[tuple[Rule, str, tuple[Example, ...]]]:
    """(Rule, doc, examples) for the engine's own findings and every loaded rule, by id."""
    from iaclint.engine import ENGINE_RULE_DOCS, ENGINE_RULES

    rows = [(rule, ENGINE_RULE_DOCS[rule.id], ()) for rule in ENGINE_RULES]
    loaded_rules = _load_rules(rules_dirs) if loaded_rules is None else loaded_rules
    rows += [(loaded.rule, loaded.doc, loaded.examples) for loaded in loaded_rules]
    return sorted(rows, key=lambda row: row[0].id)


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    rows = _all_rules(args.rules_dir)
    if args.format == "json":
        import json

        payload = [
            {
                "id": rule.id, "slug": rule.slug, "severity": rule.severity.label, "summary": rule.summary,
                "formats": sorted(rule.formats), "related": dict(rule.related),
            }
            for rule, _, _ in rows
        ]
        json.dump(payload, out, indent=2)
        out.write("\n")
        return EXIT_CLEAN
    out.write(f"{'ID':<9} {'SEVERITY':<9} {'FORMATS':<29} SUMMARY\n")
    for rule, _, _ in rows:
        formats = ",".join(sorted(rule.formats))
        out.write(f"{rule.id:<9} {rule.severity.label:<9} {formats:<29} {rule.summary}\n")
        if rule.related:
            out.write(f"{'':<49} peers: {', '.join(f'{tool} {ids}' for tool, ids in rule.related)}\n")
    return EXIT_CLEAN


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    wanted = args.rule_id.strip().upper()
    for rule, doc, examples in _all_rules(args.rules_dir):
        if rule.id == wanted or rule.slug == args.rule_id.strip().lower():
            out.write(render_explanation(rule, doc, examples))
            return EXIT_CLEAN
    raise UsageError(f"unknown rule {args.rule_id!r}; `iaclint rules` lists them")


def render_explanation(rule: Rule, doc: str, examples: tuple[Example, ...]) -> str:
    lines = [f"{rule.id} ({rule.slug}) - severity {rule.severity.label}", "", textwrap.dedent(doc).strip(), ""]
    if rule.options:
        lines.append("Options (--option ID.NAME=VALUE):")
        lines += [f"    {rule.id}.{name}: {kind.__name__} (default: {default!r})" for name, kind, default in rule.options]
        lines.append("")
    if rule.related:
        lines.append("Same control elsewhere:")
        lines += [f"    {tool:<15} {ids}" for tool, ids in rule.related]
        lines.append("")
    for example in examples:
        for label, code in (("Non-compliant", example.noncompliant), ("Compliant", example.compliant)):
            lines.append(f"{label} ({example.format}):")
            lines += ["    " + line if line else "" for line in textwrap.dedent(code).strip("\n").splitlines()]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
