"""Trim `terraform providers schema -json` to the argument names of the API Gateway resources.

iaclint/data/terraform_apigateway_schema.json is this script's output. It lets a rule tell an
argument of the other API Gateway family (`route_settings` on a REST stage) from a typo, without
terraform or the provider at lint time. Regenerate it when the AWS provider pin moves:

    cd "$(mktemp -d)"
    printf 'terraform {\\n  required_providers {\\n    aws = { source = "hashicorp/aws" }\\n  }\\n}\\n' > main.tf
    terraform init -backend=false -input=false >/dev/null
    terraform providers schema -json > schema.json
    terraform version -json > version.json
    python scripts/trim_provider_schema.py schema.json version.json > iaclint/data/terraform_apigateway_schema.json

Only names are kept: an argument maps to null, a nested block to the names inside it. Arguments
the provider computes and the user cannot set are left out, as are `id` and `tags_all`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

PROVIDER = "registry.terraform.io/hashicorp/aws"
PREFIXES = ("aws_api_gateway_", "aws_apigatewayv2_")
NOT_ARGUMENTS = {"id", "tags_all"}


def names(block: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, attribute in sorted(block.get("attributes", {}).items()):
        settable = attribute.get("optional") or attribute.get("required")
        if settable and name not in NOT_ARGUMENTS:
            out[name] = None
    for name, nested in sorted(block.get("block_types", {}).items()):
        out[name] = names(nested.get("block", {}))
    return out


def trim(schema: dict[str, Any], version: str) -> dict[str, Any]:
    resources = schema["provider_schemas"][PROVIDER]["resource_schemas"]
    return {
        "provider": f"hashicorp/aws {version}",
        "generated_by": "scripts/trim_provider_schema.py from `terraform providers schema -json`",
        "resources": {
            name: names(spec["block"]) for name, spec in sorted(resources.items()) if name.startswith(PREFIXES)
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(argv[2], encoding="utf-8") as handle:
        selections = json.load(handle).get("provider_selections", {})
    version = selections.get(PROVIDER, "unknown")
    json.dump(trim(schema, version), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
