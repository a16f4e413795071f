"""CloudFormation resource schemas, read from cfn-lint's bundled data files.

cfn-lint ships the registry schemas of every resource type; reading them as JSON gives us the
service's own constraints (accepted values, ranges) without importing cfn-lint, which would
cost half a second of start-up.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from typing import Any

# The index from type name to schema file; its name changed across cfn-lint 1.x releases,
# its `"Type": "hash"` lines did not.
_INDEXES = ("us-east-1.json", "us_east_1.py")


class SchemaUnavailable(Exception):
    pass


@functools.lru_cache(maxsize=None)
def resource_schema(type_name: str) -> dict[str, Any]:
    spec = importlib.util.find_spec("cfnlint")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise SchemaUnavailable("cfn-lint is not installed")
    schemas = os.path.join(list(spec.submodule_search_locations)[0], "data", "schemas")
    try:
        index = _read_index(os.path.join(schemas, "providers"))
        match = re.search(rf'"{re.escape(type_name)}":\s*"([0-9a-f]+)"', index)
        if match is None:
            raise SchemaUnavailable(f"no schema for {type_name} in cfn-lint")
        with open(os.path.join(schemas, "resources", f"{match.group(1)}.json"), encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        raise SchemaUnavailable(f"cfn-lint schema files not found: {error}") from None


def property_enum(type_name: str, property_name: str) -> tuple[Any, ...]:
    """The values a property accepts, per the resource type's schema."""
    prop = resource_schema(type_name).get("properties", {}).get(property_name, {})
    if "enum" not in prop:
        raise SchemaUnavailable(f"{type_name}.{property_name} has no enum in cfn-lint's schema")
    return tuple(prop["enum"])


def _read_index(providers: str) -> str:
    for name in _INDEXES:
        path = os.path.join(providers, name)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()
    raise SchemaUnavailable(f"no schema index in {providers}")
