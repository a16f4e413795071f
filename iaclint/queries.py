"""Judgements several rules share, so each rule stays a few lines and no rule imports another."""

from __future__ import annotations

from iaclint.model import Fact, Resource


def access_log_gap(stage: Resource) -> tuple[Fact | None, str] | None:
    """Why a stage writes no access log: (the fact to point at, the message), or None.

    None also when it cannot be known: settings behind a dynamic block, a condition, or a
    destination from a variable without a value are unknown, and unknown is not a finding.
    """
    implicit = _implicit_stage_gap(stage)
    if implicit:
        return implicit
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


def _implicit_stage_gap(stage: Resource) -> tuple[Fact | None, str] | None:
    """Stages that exist only as a side effect, which no access log setting can reach."""
    origin = stage.fact("created_by").value
    if origin == "quick_create":
        target = stage.fact("quick_create_target")
        return target, (
            f"quick create ({target.leaf}) makes a $default stage that cannot have access logs; "
            f"remove {target.leaf} and declare a stage with access log settings"
        )
    if origin == "sam_without_openapi_version":
        return None, (
            "SAM also deploys a stage named 'Stage' that gets none of this API's logging settings; "
            "set OpenApiVersion (e.g. '3.0.1', in Globals.Api for every API) to remove it"
        )
    if origin == "deprecated_deployment_stage_name":
        name = stage.fact("stage_name")
        return name, (
            f"{name.leaf} {name.value!r} creates a stage that cannot have access logs "
            "(and is deprecated in AWS provider 5.x, removed in 6.0); declare a stage resource with access log settings"
        )
    return None
