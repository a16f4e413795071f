"""Loaders: the only code that knows file syntax. Each turns files into a LoadedUnit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from iaclint.model import Fact, LoadError, Location, Resource, Symbol


@dataclass(frozen=True, slots=True)
class Span:
    """Where a syntax element starts and ends in its file (1-based lines and columns)."""

    line: int
    column: int
    end_line: int
    end_column: int
    file: str | None = None  # set only where a span left its file (a Terraform override)


@dataclass(frozen=True, slots=True)
class Link:
    """A reference from one node to another, as the code writes it.

    `attribute` is where in the source resource the reference sits (a dotted path), or
    "depends_on"/"DependsOn" for explicit ordering; `kind` is "reference" or "depends_on".
    """

    source: str
    target: str
    attribute: str
    kind: str


@dataclass(slots=True)
class LoadedUnit:
    """One scan unit: a Terraform module directory or one template."""

    name: str
    format: str
    files: list[str]
    resources: list[Resource] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    # Directories loaded as modules called by this unit (Terraform): not roots of their own.
    module_dirs: set[str] = field(default_factory=set)
    # Module blocks loaded (Terraform): where each is written, and the address prefix of the
    # resources under it ("module.api"), so a suppression on the block covers them.
    module_calls: list[tuple[Location, str]] = field(default_factory=list)
    # A template whose undecided conditions change what it deploys: the unit once per deployment
    # (a loaders.cfn_deployments.Deployment), checked each and merged (iaclint/deployments.py).
    variants: list[tuple[Any, LoadedUnit]] = field(default_factory=list)
    # Nested stacks with a local template (CloudFormation::Stack TemplateURL, SAM Application
    # Location): the child's path and the parameter values the parent passes it, where known.
    children: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def location(file: str, span: Span) -> Location:
    return Location(span.file or file, span.line, span.column, span.end_line, span.end_column)


class SourceError(Exception):
    """A file that cannot be read as text; carries the position where it went wrong."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# Unsaved editor buffers by path (the language server sets them): read instead of the disk.
OVERLAYS: dict[str, str] = {}


def read_source(path: str) -> str:
    """Read a file as UTF-8 text (a BOM is allowed); refuse anything else with a clear reason."""
    overlay = OVERLAYS.get(path)
    if overlay is not None:
        return overlay
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("UTF-16 encoded; save it as UTF-8, the encoding Terraform and CloudFormation read")
    if b"\x00" in data:
        raise SourceError("binary content (NUL bytes), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceError(f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8", line, column) from None


def lossy_text(path: str) -> str:
    """Best-effort text of an unreadable file, only to guess what it was meant to be."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("latin-1")


def build_nodes(
    shapes: tuple[object, ...],
    *,
    address: str,
    resource_type: str,
    fmt: str,
    where: Location,
    raw: object,
    read: Callable[[str, object], Fact],
) -> list[Resource]:
    """The nodes one declared resource becomes, per its catalog shapes (none: one plain node).

    `read(fact_name, path)` is the loader's own lookup of a fact in the resource's source.
    """
    from iaclint.loaders.catalog import NodeShape

    if not shapes:
        return [Resource(address=address, type=resource_type, kind=None, format=fmt, location=where, raw=raw)]
    nodes = []
    for shape in shapes:
        assert isinstance(shape, NodeShape)
        if shape.when and not _certainly_set(read(shape.when, shape.when)):
            continue  # the implicit resource may not exist, so there is nothing to say about it
        if shape.unless and read(shape.unless, shape.unless).present:
            continue
        node = Resource(
            address=address,
            type=resource_type,
            kind=shape.kind,
            format=fmt,
            location=where,
            raw=raw,
            implicit=bool(shape.implicit),
            node_id=f"{address}.{shape.implicit}" if shape.implicit else address,
        )
        for name, path in shape.facts.items():
            node.facts[name] = read(name, path)
        for name, value in shape.fixed.items():
            node.facts[name] = Fact(name, value, value is not None, where, name)
        nodes.append(node)
    return nodes


def _certainly_set(fact: Fact) -> bool:
    """Written with a non-empty value: a known one, or a resource attribute (never empty)."""
    if not fact.present:
        return False
    if fact.known:
        return fact.value not in ("", False)
    return any(isinstance(part, Symbol) for part in fact.symbolic or ())
