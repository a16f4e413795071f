"""Judgements several rules share, so each rule stays a few lines and no rule imports another."""

from __future__ import annotations

from iaclint.model import Fact, Resource


def access_log_gap(stage: Resource) -> tuple[Fact | None, str] | None:
    """Why a stage writes no access log: (the fact to point at, the message), or None.

    None also when it cannot be known: settings behind a dynamic block, a condition, or a
    destination from a variable without a value are unknown, and unknown is not a finding.
    """
    settings = stage.fact("access_log")
    if settings.unknown:
        return None
    destination = stage.fact("access_log.destination")
    if not settings.present:
        return None, f"access logging is off: no {settings.path}; add it with a {destination.leaf}"
    if destination.unknown:
        return None
    if not destination.present:
        # Points at the attribute when it is written as null, else at the settings block.
        return destination, f"access logging is off: {settings.path} has no {destination.leaf}; set it to a log group ARN"
    if isinstance(destination.value, str) and not destination.value.strip():
        return destination, f"access logging is off: {destination.leaf} is {destination.value!r}; set it to a log group ARN"
    return None
