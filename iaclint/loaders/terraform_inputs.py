"""Values of a root module's variables from outside its .tf files, as terraform assigns them.

Precedence, lowest first (https://developer.hashicorp.com/terraform/language/values/variables):
TF_VAR_ environment variables, terraform.tfvars, terraform.tfvars.json, *.auto.tfvars and
*.auto.tfvars.json in lexical order, then -var and -var-file in command-line order.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from iaclint.model import LoadError


@dataclass(frozen=True)
class Inputs:
    """Values for the root module's variables from outside the code, in Terraform's precedence
    order (later wins): TF_VAR_ environment variables, terraform.tfvars, terraform.tfvars.json,
    *.auto.tfvars(.json) in name order, then -var-file / -var as given on the command line."""

    # ("var-file", path) or ("var", "NAME=VALUE"), in command-line order.
    command_line: tuple[tuple[str, str], ...] = ()
    environment: tuple[tuple[str, str], ...] = ()  # (name, raw text) from TF_VAR_name
    # CloudFormation parameter values (--parameter, --parameters-file), for every template.
    template_parameters: tuple[tuple[str, str], ...] = ()


def root_variable_values(directory: str, inputs: Inputs) -> tuple[dict[str, Any], list[LoadError]]:
    values: dict[str, Any] = {}
    errors: list[LoadError] = []
    for name, text in inputs.environment:
        values[name] = _cli_value(text)
    for path in _automatic_files(directory):
        _merge_file(path, values, errors)
    for kind, text in inputs.command_line:
        if kind == "var-file":
            _merge_file(text, values, errors)
        else:
            name, _, raw = text.partition("=")
            values[name.strip()] = _cli_value(raw)
    return values, errors


def _automatic_files(directory: str) -> list[str]:
    try:
        names = set(os.listdir(directory))
    except OSError:
        return []
    fixed = [name for name in ("terraform.tfvars", "terraform.tfvars.json") if name in names]
    automatic = sorted(n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [os.path.join(directory, name) for name in fixed + automatic]


def _merge_file(path: str, values: dict[str, Any], errors: list[LoadError]) -> None:
    from iaclint.discovery import display_path
    from iaclint.loaders import SourceError, read_source

    shown = display_path(path)
    try:
        text = read_source(path)
        values.update(_json_values(text) if path.endswith(".json") else _hcl_values(text))
    except SourceError as error:
        errors.append(LoadError(shown, error.line, error.message, error.column))
    except ValueError as error:  # HclSyntaxError and JSON errors carry a line
        errors.append(LoadError(shown, getattr(error, "line", 1), getattr(error, "message", str(error))))


def _hcl_values(text: str) -> dict[str, Any]:
    from iaclint.loaders.hcl import HclSyntaxError, parse
    from iaclint.loaders.terraform_values import Scope

    try:
        body = parse(text)
    except HclSyntaxError as error:
        raise _InputError(error.message, error.line) from None
    plain = Scope({}, {})
    return {name: plain.evaluate(attribute.expr) for name, attribute in body.attributes.items()}


def _json_values(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _InputError(error.msg.lower(), error.lineno) from None
    if not isinstance(document, dict):
        raise _InputError("a .tfvars.json file must hold an object", 1)
    return document


def _cli_value(text: str) -> Any:
    """-var and TF_VAR_ values: HCL for lists, maps and numbers, else the literal string."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{", '"') or _is_number(stripped) or stripped in ("true", "false"):
        try:
            return _hcl_values(f"value = {stripped}\n")["value"]
        except _InputError:
            pass
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _InputError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
