"""Static evaluation of Terraform expressions: what can be known without running terraform.

Anything that depends on a value only a plan or an apply would know (a variable without a
default, a resource attribute, a data source, a function we do not model) is UNKNOWN, and
UNKNOWN spreads through every expression that uses it.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from iaclint.loaders.hcl import (
    Call,
    Conditional,
    Literal,
    ObjectExpr,
    Operation,
    Template,
    Traversal,
    TupleExpr,
)
from iaclint.model import UNKNOWN


def _known(*values: Any) -> bool:
    return all(value is not UNKNOWN for value in values)


def _to_string(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return UNKNOWN


def _jsonencode(value: Any) -> Any:
    if not _fully_known(value):
        return UNKNOWN
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _fully_known(value: Any) -> bool:
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(_fully_known(item) for item in value.values())
    if isinstance(value, list):
        return all(_fully_known(item) for item in value)
    return True


def _to_number(value: Any) -> Any:
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, (int, float)):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return UNKNOWN
    return int(number) if number.is_integer() else number


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "tostring": _to_string,
    "tonumber": _to_number,
    "jsonencode": _jsonencode,
    "lower": lambda s: s.lower() if isinstance(s, str) else UNKNOWN,
    "upper": lambda s: s.upper() if isinstance(s, str) else UNKNOWN,
}


class Scope:
    """The values a module's expressions can see: its variables and locals."""

    def __init__(self, variables: dict[str, Any], local_exprs: dict[str, Any]) -> None:
        self.variables = variables
        self.local_exprs = local_exprs
        self._locals: dict[str, Any] = {}
        self._evaluating: set[str] = set()

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self.local_exprs or name in self._evaluating:
            return UNKNOWN  # undeclared, or a cycle terraform itself would reject
        self._evaluating.add(name)
        try:
            value = self.evaluate(self.local_exprs[name])
        finally:
            self._evaluating.discard(name)
        self._locals[name] = value
        return value

    def evaluate(self, expr: Any) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Template):
            if len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
                return self.evaluate(expr.parts[0])  # HCL: "${x}" alone is x, not a string
            parts = [part if isinstance(part, str) else _to_string(self.evaluate(part)) for part in expr.parts]
            return "".join(parts) if _known(*parts) else UNKNOWN
        if isinstance(expr, TupleExpr):
            return [self.evaluate(item) for item in expr.items]
        if isinstance(expr, ObjectExpr):
            result = {}
            for key_expr, value_expr in expr.items:
                key = self.evaluate(key_expr)
                if not isinstance(key, str):
                    return UNKNOWN
                result[key] = self.evaluate(value_expr)
            return result
        if isinstance(expr, Traversal):
            return self._traverse(expr)
        if isinstance(expr, Conditional):
            condition = self.evaluate(expr.condition)
            if not isinstance(condition, bool):
                return UNKNOWN
            return self.evaluate(expr.if_true if condition else expr.if_false)
        if isinstance(expr, Call):
            function = FUNCTIONS.get(expr.name)
            args = [self.evaluate(arg) for arg in expr.args]
            if function is None or len(args) != 1 or (args[0] is UNKNOWN and expr.name != "jsonencode"):
                return UNKNOWN
            return function(args[0])
        if isinstance(expr, Operation):
            return self._operation(expr)
        return UNKNOWN

    def _traverse(self, expr: Traversal) -> Any:
        if expr.root == "var" and expr.steps and isinstance(expr.steps[0], str):
            value = self.variables.get(expr.steps[0], UNKNOWN)
        elif expr.root == "local" and expr.steps and isinstance(expr.steps[0], str):
            value = self.local(expr.steps[0])
        else:
            return UNKNOWN  # resources, data sources, modules: known only after apply
        for step in expr.steps[1:]:
            key = step[0] if isinstance(step, tuple) else step
            if isinstance(value, dict) and isinstance(key, str):
                value = value.get(key, UNKNOWN)
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                return UNKNOWN
        return value

    def _operation(self, expr: Operation) -> Any:
        values = [self.evaluate(operand) for operand in expr.operands]
        if not _known(*values):
            return UNKNOWN
        if expr.operator == "!" and isinstance(values[0], bool):
            return not values[0]
        if expr.operator == "-" and len(values) == 1 and isinstance(values[0], (int, float)):
            return -values[0]
        if len(values) == 2 and expr.operator in ("==", "!="):
            return (values[0] == values[1]) == (expr.operator == "==")
        return UNKNOWN
