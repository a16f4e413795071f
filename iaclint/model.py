"""The small value types every part of iaclint shares: locations, facts, resources, findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


class _Unknown:
    """A value that cannot be known without deploying: an unset variable, a computed attribute."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; test fact.known first")


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A span in a scanned file; `file` is the path as the user would type it, with `/`."""

    file: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class Symbol:
    """A reference inside a value: the node it names and the attribute read from it
    ("arn", "id", "stage_name" in Terraform; "Ref", "Arn" in CloudFormation)."""

    node_id: str
    attribute: str


@dataclass(frozen=True, slots=True)
class Fact:
    """One canonical attribute of a resource, as the code declares it.

    `present` says whether the code writes it at all; `value` is UNKNOWN when it is written but
    cannot be evaluated statically. `location` is the attribute's, or the resource's when absent.
    """

    name: str
    value: Any
    present: bool
    location: Location
    path: str = ""  # where the format writes it: "access_log_settings", "AccessLogSetting"
    # For a string built from references ("${aws_api_gateway_rest_api.x.id}/prod", !Sub ...):
    # its parts, each a str, a Symbol or UNKNOWN. None when the value is known or not a string.
    symbolic: tuple[Any, ...] | None = None

    @property
    def parts(self) -> tuple[Any, ...]:
        """The value as string parts: (value,) when known, the symbolic parts, or (UNKNOWN,)."""
        if self.known:
            return (self.value,)
        return self.symbolic or (UNKNOWN,)

    @property
    def leaf(self) -> str:
        """The last name of the path, as a message would quote it."""
        return (self.path or self.name).rsplit(".", 1)[-1]

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN

    @property
    def unknown(self) -> bool:
        return self.value is UNKNOWN


@dataclass(frozen=True, slots=True)
class Section:
    """One entry of a repeated block or list (a method setting, a route setting): its fields as
    facts. A repeated fact's value is a tuple of these."""

    location: Location
    fields: dict[str, Fact]

    def fact(self, name: str) -> Fact:
        found = self.fields.get(name)
        return found if found is not None else Fact(name, None, False, self.location, name)


@dataclass(slots=True, eq=False)
class Resource:
    """A node of the resource graph.

    `address` is what users read (a Terraform address or a CloudFormation logical id); `node_id`
    is unique in the graph, and differs from the address only for implicit resources, such as
    the stage a SAM API generates, which findings report under the resource that creates them.
    """

    address: str
    type: str
    kind: str | None
    format: str
    location: Location
    facts: dict[str, Fact] = field(default_factory=dict)
    raw: Any = None
    implicit: bool = False
    external: bool = False
    node_id: str = ""

    def __post_init__(self) -> None:
        if not self.node_id:
            self.node_id = self.address

    def fact(self, name: str) -> Fact:
        found = self.facts.get(name)
        if found is None:
            return Fact(name, None, False, self.location, name)
        return found


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    location: Location
    resource: str = ""
    resource_type: str = ""
    format: str = ""
    # The reason a suppression gave (an inline comment, template Metadata, a config entry): the
    # finding is still reported in JSON and counted, but does not fail the run.
    suppressed: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.file, loc.line, self.rule_id, loc.column, self.resource, self.message)

    @property
    def fingerprint(self) -> str:
        """Identifies a finding across edits: rule, file and resource, not the line (which moves
        when code above changes). Baselines and SARIF's partialFingerprints use it."""
        import hashlib

        anchor = self.resource or self.message  # IAC001 has no resource: its message tells files apart
        key = "\x1f".join((self.rule_id, self.location.file.replace("\\", "/"), anchor))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class LoadError:
    """A file iaclint could not read; reported in `errors` and as an IAC001 finding."""

    file: str
    line: int
    message: str
    column: int = 1


@dataclass(frozen=True, slots=True)
class Example:
    """A compliant and a non-compliant snippet in one format; tests run both through the rule."""

    format: str
    compliant: str
    noncompliant: str

    @property
    def file_name(self) -> str:
        return "main.tf" if self.format == "terraform" else "template.yaml"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's metadata; its module holds the `check(graph)` that yields findings.

    `related` maps a peer tool (securityhub, config, checkov, trivy, kics) to the ids of the same
    control there, so users can map their existing suppressions and reports.
    """

    id: str
    slug: str
    summary: str
    severity: Severity
    kinds: frozenset[str]
    formats: frozenset[str]
    related: tuple[tuple[str, str], ...] = ()
    # Settings a user may change, (name, type, default): `--option LOGS001.min_retention_days=365`.
    options: tuple[tuple[str, type, Any], ...] = ()

    def option(self, graph: Any, name: str) -> Any:
        """This rule's setting for the scan, or its default."""
        defaults = {option: default for option, _, default in self.options}
        if name not in defaults:
            raise KeyError(f"{self.id} has no option {name!r}")
        return graph.options.get(self.id, {}).get(name, defaults[name])

    def finding(
        self,
        resource: Resource,
        at: Fact | Location | None,
        message: str,
        severity: Severity | None = None,
    ) -> Finding:
        if isinstance(at, Fact):
            location = at.location
        else:
            location = at or resource.location
        return Finding(
            rule_id=self.id,
            severity=severity or self.severity,
            message=message,
            location=location,
            resource=resource.address,
            resource_type=resource.type,
            format=resource.format,
        )
