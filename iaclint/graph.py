"""The resource graph of one scan unit, and the small query API rules read it through."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple

from iaclint.loaders import LoadedUnit
from iaclint.model import Location, Resource

if TYPE_CHECKING:
    import networkx


class Edge(NamedTuple):
    source: str
    target: str
    attribute: str  # where in the source the reference is written
    kind: str  # "reference" or "depends_on"


class ResourceGraph:
    """A node per resource, an edge per reference, from the resource that writes it.

    References to anything not declared in the unit end at an external placeholder node. The
    simple queries rules make on every save (what a node references, what references it) are
    answered from adjacency lists; the networkx MultiDiGraph, with the same nodes and labelled
    edges, is built on first use by the queries that need graph algorithms (paths), so a scan
    whose rules never ask for one does not pay networkx's import.
    """

    def __init__(self, unit: LoadedUnit, options: dict[str, dict[str, Any]] | None = None) -> None:
        self.unit = unit
        self.format = unit.format
        self.options = options or {}  # rule id -> option name -> value, as the user set them
        self._nodes: dict[str, Resource] = {r.node_id: r for r in unit.resources}
        self._out: dict[str, list[Edge]] = {}
        self._in: dict[str, list[Edge]] = {}
        for link in unit.links:
            if link.target not in self._nodes:
                self._nodes[link.target] = _placeholder(link.target, unit)
            edge = Edge(link.source, link.target, link.attribute, link.kind)
            self._out.setdefault(edge.source, []).append(edge)
            self._in.setdefault(edge.target, []).append(edge)

    @functools.cached_property
    def nx(self) -> networkx.MultiDiGraph:
        import networkx

        graph = networkx.MultiDiGraph()
        for node_id, resource in self._nodes.items():
            graph.add_node(node_id, resource=resource)
        for edges in self._out.values():
            for edge in edges:
                graph.add_edge(edge.source, edge.target, attribute=edge.attribute, kind=edge.kind)
        return graph

    def get(self, node_id: str) -> Resource | None:
        return self._nodes.get(node_id)

    def resources(self, *kinds: str) -> list[Resource]:
        """Declared and implicit resources of the given kinds (all when none), in source order."""
        found = [r for r in self._nodes.values() if not r.external and (not kinds or r.kind in kinds)]
        return sorted(found, key=lambda r: (r.location, r.node_id))

    def references(self, resource: Resource, attribute: str | None = None) -> list[Resource]:
        """What `resource` refers to, optionally only from one attribute path."""
        edges = self._out.get(resource.node_id, [])
        return self._distinct(e.target for e in edges if attribute is None or e.attribute == attribute)

    def referrers(self, resource: Resource, attribute: str | None = None) -> list[Resource]:
        """What refers to `resource`, optionally only through one attribute path."""
        edges = self._in.get(resource.node_id, [])
        return self._distinct(e.source for e in edges if attribute is None or e.attribute == attribute)

    def depends_on(self, dependent: Resource, dependency: Resource) -> bool:
        """True when `dependent` is ordered after `dependency`, directly or transitively."""
        import networkx

        return networkx.has_path(self.nx, dependent.node_id, dependency.node_id)

    def _distinct(self, node_ids: Iterator[str]) -> list[Resource]:
        return [self._nodes[node_id] for node_id in sorted(set(node_ids))]


def _placeholder(node_id: str, unit: LoadedUnit) -> Resource:
    """A node for a reference to something outside the unit: a module, a remote state, a typo."""
    return Resource(
        address=node_id,
        type="external",
        kind=None,
        format=unit.format,
        location=Location(unit.name, 1),
        external=True,
    )
