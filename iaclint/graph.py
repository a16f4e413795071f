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
    queries rules make on every save (what a node references, what references it, whether one
    is ordered after another) are answered from adjacency lists. The same graph as a networkx
    MultiDiGraph, with the same nodes and labelled edges, is `graph.nx`, built on first use for
    rules that need networkx's algorithms; a scan that never asks for it does not pay networkx's
    import (75 ms, a third of a cold run).
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
        # Rules ask for resources by kind many times per unit: sort and index them once.
        self._declared = sorted((r for r in self._nodes.values() if not r.external), key=lambda r: (r.location, r.node_id))
        self._by_kind: dict[str | None, list[Resource]] = {}
        for resource in self._declared:
            self._by_kind.setdefault(resource.kind, []).append(resource)

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
        if not kinds:
            return list(self._declared)
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], ()))
        return [r for r in self._declared if r.kind in kinds]

    def references(self, resource: Resource, attribute: str | None = None) -> list[Resource]:
        """What `resource` refers to, optionally only from one attribute path."""
        edges = self._out.get(resource.node_id, [])
        return self._distinct(e.target for e in edges if attribute is None or e.attribute == attribute)

    def referrers(self, resource: Resource, attribute: str | None = None) -> list[Resource]:
        """What refers to `resource`, optionally only through one attribute path."""
        edges = self._in.get(resource.node_id, [])
        return self._distinct(e.source for e in edges if attribute is None or e.attribute == attribute)

    def depends_on(self, dependent: Resource, dependency: Resource) -> bool:
        """True when `dependent` is ordered after `dependency`, directly or transitively: a path
        of references and depends_on edges, each of which orders a deployment.

        A breadth-first walk of the adjacency lists: the same answer as networkx.has_path on
        `self.nx` (tests check they agree), without the 75 ms networkx import that save-time
        lint would pay for a graph of a few dozen nodes.
        """
        start, goal = dependent.node_id, dependency.node_id
        seen, frontier = {start}, [start]
        while frontier:
            if goal in frontier:
                return True
            frontier = [e.target for n in frontier for e in self._out.get(n, ()) if e.target not in seen]
            seen.update(frontier)
        return False

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
