"""The deployments a template's undecided conditions allow.

A condition that reads a parameter with no value (or a pseudo parameter such as AWS::Region) is
undecided: the template deploys one way or another depending on it. Rather than treat every
`Fn::If` and conditional resource under it as unknown, the template is loaded once per
deployment its conditions allow, and findings say in which deployments they hold.

The deployments are found from the parameters, not by flipping each condition on its own, so
conditions that read the same parameter (IsProd and IsDev on Environment) stay consistent. A
parameter's possible values are its AllowedValues, or else the constants the conditions compare
it with plus "any other value". A parameter with a Default is the default deployment's value;
the others are what a deployment that overrides it gets, so a finding is reported only when it
holds with the defaults, while its message can still say which condition it depends on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iaclint.model import UNKNOWN

if TYPE_CHECKING:
    from iaclint.loaders.cloudformation import Parameters

# More deployments than this and the conditions stay unknown: loading and checking a template
# per deployment must stay cheap.
MAX_DEPLOYMENTS = 32

# A value equal to none of the constants a condition compares with ("any other value").
_OTHER = "\x00other"


@dataclass(frozen=True, slots=True)
class Deployment:
    """One way the template deploys: the conditions it decides, and the parameter values."""

    conditions: tuple[tuple[str, bool], ...]  # the conditions the resources use, sorted by name
    values: tuple[tuple[str, Any], ...]  # parameter values; UNKNOWN for "any other value"
    default: bool  # every parameter with a Default (and not given) keeps it

    def holds(self, condition: str) -> bool | None:
        return dict(self.conditions).get(condition)


def deployments(document: dict[str, Any], parameters: Parameters, given: set[str]) -> list[Deployment]:
    """Every deployment the undecided conditions allow; [] when they are decided (or too many)."""
    conditions = parameters.condition_exprs
    used = sorted({name for name in _conditions_used(document) if name in conditions})
    varying = _varying_parameters(used, parameters, given)
    if not varying:
        return []
    domains = [_domain(name, parameters, document) for name in varying]
    combinations = 1
    for domain in domains:
        combinations *= len(domain)
    if combinations > MAX_DEPLOYMENTS:
        return []
    found: dict[tuple[Any, ...], Deployment] = {}
    for choice in itertools.product(*domains):
        world = parameters.with_values(dict(zip(varying, choice)))
        decided = tuple((name, world.condition(name)) for name in used)
        if any(value is UNKNOWN for _, value in decided):
            return []  # something other than a parameter decides it (a mapping of pseudo values...)
        values = tuple((name, UNKNOWN if value == _OTHER else value) for name, value in zip(varying, choice))
        default = all(
            value == str(parameters[name]) for name, value in zip(varying, choice) if parameters.get(name, UNKNOWN) is not UNKNOWN
        )
        key = (decided, values)
        previous = found.get(key)
        found[key] = Deployment(decided, values, default or (previous is not None and previous.default))
    if len({deployment.conditions for deployment in found.values()}) < 2:
        return []  # every deployment decides the conditions alike: nothing to tell apart
    return sorted(found.values(), key=lambda d: (not d.default, d.conditions, repr(d.values)))


def _conditions_used(document: dict[str, Any]) -> Iterator[str]:
    """Condition names the resources use: a resource's Condition, and every Fn::If."""
    pending: list[Any] = [document.get("Resources"), document.get("Globals")]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "Fn::If" and isinstance(item, list) and item and isinstance(item[0], str):
                    yield item[0]
                elif key == "Condition" and isinstance(item, str):
                    yield item
                pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)


def _varying_parameters(used: list[str], parameters: Parameters, given: set[str]) -> list[str]:
    """Parameters (and pseudo parameters) the used conditions read, that the user did not give."""
    names: set[str] = set()
    seen: set[str] = set()
    pending = list(used)
    while pending:
        condition = pending.pop()
        if condition in seen:
            continue
        seen.add(condition)
        for kind, name in _reads(parameters.condition_exprs.get(condition)):
            if kind == "Condition":
                pending.append(name)
            elif name not in given and (name in parameters or name.startswith("AWS::")):
                names.add(name)
    return sorted(names)


def _reads(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("Ref", "Condition") and isinstance(item, str):
                yield key, item
            else:
                yield from _reads(item)
    elif isinstance(value, list):
        for item in value:
            yield from _reads(item)


def _domain(name: str, parameters: Parameters, document: dict[str, Any]) -> list[Any]:
    """The values worth trying for a parameter: its AllowedValues, else what conditions compare it
    with plus any other value; a Default is always among them."""
    spec = (document.get("Parameters") or {}).get(name)
    allowed = spec.get("AllowedValues") if isinstance(spec, dict) else None
    current = parameters.get(name, UNKNOWN)
    if isinstance(allowed, list) and allowed and all(isinstance(v, (str, int, float)) for v in allowed):
        values = [str(v) for v in allowed]
    else:
        values = sorted(_compared_with(name, parameters.condition_exprs)) + [_OTHER]
    if current is not UNKNOWN and str(current) not in values:
        values.insert(0, str(current))
    return list(dict.fromkeys(values))


def _compared_with(name: str, conditions: dict[str, Any]) -> set[str]:
    constants: set[str] = set()
    pending: list[Any] = list(conditions.values())
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            arguments = value.get("Fn::Equals")
            if isinstance(arguments, list) and len(arguments) == 2:
                for this, other in (arguments, arguments[::-1]):
                    if this == {"Ref": name} and isinstance(other, (str, int, float)) and not isinstance(other, bool):
                        constants.add(str(other))
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return constants
