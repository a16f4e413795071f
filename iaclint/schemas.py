"""Argument names of the Terraform API Gateway resources, from the AWS provider's own schema.

Read from iaclint/data/terraform_apigateway_schema.json, which scripts/trim_provider_schema.py
cuts out of `terraform providers schema -json`: per resource type, its arguments (null) and its
nested blocks (the names inside them). Rules about syntax use it to tell which names a resource
type really has, with neither terraform nor the provider installed at lint time. Only names are
kept, no types or descriptions, so the file stays small and reads in well under a millisecond.

The CloudFormation counterpart is iaclint.cfn_schema, which reads cfn-lint's resource schemas.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "terraform_apigateway_schema.json")


class SchemaUnavailable(Exception):
    """The schema file is missing or unreadable (a packaging mistake): callers skip the check."""


@functools.lru_cache(maxsize=None)
def _data() -> dict[str, Any]:
    try:
        with open(DATA_FILE, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise SchemaUnavailable(f"Terraform schema data not readable: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), dict):
        raise SchemaUnavailable(f"{DATA_FILE} has no resources")
    return data


def provider_version() -> str:
    """The provider the names come from, e.g. "hashicorp/aws 5.100.0"."""
    return str(_data().get("provider", "hashicorp/aws"))


def terraform_types() -> frozenset[str]:
    """Every resource type the file describes (all aws_api_gateway_* and aws_apigatewayv2_*)."""
    return frozenset(_data()["resources"])


def terraform_arguments(resource_type: str) -> dict[str, Any] | None:
    """A resource type's names: argument -> None, nested block -> its own names; None when the
    type is not one the file describes."""
    found = _data()["resources"].get(resource_type)
    return found if isinstance(found, dict) else None


def blocks_holding(resource_type: str, *inner: str) -> frozenset[str]:
    """The top-level blocks of a type that hold any of the given names ("logging_level")."""
    arguments = terraform_arguments(resource_type) or {}
    return frozenset(
        name for name, nested in arguments.items() if isinstance(nested, dict) and any(n in nested for n in inner)
    )
