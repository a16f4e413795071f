"""Merges the findings of a template checked once per deployment its conditions allow.

A finding that holds in every deployment is reported as is. One that holds in some is reported
with the condition that decides it: "(when condition IsProd is false)". Deployments that
override a parameter's Default only name conditions; a finding is reported only when it holds in
a deployment that keeps the defaults, as the template deploys when nobody overrides them.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from typing import Any

from iaclint.model import Finding


def merge(checked: Iterable[tuple[Any, list[Finding]]]) -> list[Finding]:
    """`checked`: (Deployment, its findings) for every deployment of one template."""
    deployments: list[Any] = []
    holds_in: dict[Finding, list[int]] = {}
    for index, (deployment, findings) in enumerate(checked):
        deployments.append(deployment)
        for finding in findings:
            holds_in.setdefault(finding, []).append(index)
    merged = []
    for finding, indexes in holds_in.items():
        if not any(deployments[i].default for i in indexes):
            continue
        if len(indexes) < len(deployments):
            when = describe(deployments, set(indexes))
            finding = dataclasses.replace(finding, message=f"{finding.message} ({when})")
        merged.append(finding)
    return merged


def describe(deployments: list[Any], where: set[int]) -> str:
    """The conditions that hold exactly in the deployments `where`, as words."""
    names = sorted({name for deployment in deployments for name, _ in deployment.conditions})
    for size in (1, 2):
        for chosen in itertools.combinations(names, size):
            values = {tuple(deployments[i].holds(name) for name in chosen) for i in where}
            if len(values) != 1:
                continue
            (wanted,) = values
            matching = {i for i, d in enumerate(deployments) if tuple(d.holds(name) for name in chosen) == wanted}
            if matching == where:
                parts = [f"condition {name} is {str(value).lower()}" for name, value in zip(chosen, wanted)]
                return "when " + " and ".join(parts)
    varying = [name for name in names if len({d.holds(name) for d in deployments}) > 1]
    return "in some deployments, depending on conditions " + ", ".join(varying)
