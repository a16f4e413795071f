"""The resource graph of one scan unit, and the small query API rules read it through."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from iaclint.loaders import LoadedUnit
from iaclint.model import Location, Resource

if TYPE_CHECKING:
    import networkx


class ResourceGraph:
    """A networkx MultiDiGraph: a node per resource, an edge per reference.

    Edges point from the resource that writes a reference to the resource it names, and carry
    `attribute` (where the reference is written) and `kind` ("reference" or "depends_on").
    References to anything not declared in the unit end at an external placeholder node.
    """

    def __init__(self, unit: LoadedUnit) -> None:
        import networkx  # imported here: building a graph is the first thing that needs it

        self.unit = unit
        self.format = unit.format
        self.nx: networkx.MultiDiGraph = networkx.MultiDiGraph()
        for resource in unit.resources:
            self.nx.add_node(resource.node_id, resource=resource)
        for link in unit.links:
            if link.target not in self.nx:
                self.nx.add_node(link.target, resource=_placeholder(link.target, unit))
            self.nx.add_edge(link.source, link.target, attribute=link.attribute, kind=link.kind)

    def get(self, node_id: str) -> Resource | None:
        data = self.nx.nodes.get(node_id)
        return data["resource"] if data else None

    def resources(self, *kinds: str) -> list[Resource]:
        """Declared and implicit resources of the given kinds (all when none), in source order."""
        found = [
            data["resource"]
            for _, data in self.nx.nodes(data=True)
            if not data["resource"].external and (not kinds or data["resource"].kind in kinds)
        ]
        return sorted(found, key=lambda r: (r.location, r.node_id))

    def references(self, resource: Resource, attribute: str | None = None) -> list[Resource]:
        """What `resource` refers to, optionally only from one attribute path."""
        return self._ends(self.nx.out_edges(resource.node_id, data=True), attribute, target=True)

    def referrers(self, resource: Resource, attribute: str | None = None) -> list[Resource]:
        """What refers to `resource`, optionally only through one attribute path."""
        return self._ends(self.nx.in_edges(resource.node_id, data=True), attribute, target=False)

    def depends_on(self, dependent: Resource, dependency: Resource) -> bool:
        """True when `dependent` is ordered after `dependency`, directly or transitively."""
        import networkx

        return networkx.has_path(self.nx, dependent.node_id, dependency.node_id)

    def _ends(self, edges: Iterable[tuple[str, str, dict]], attribute: str | None, target: bool) -> list[Resource]:
        ids = {
            (end if target else start)
            for start, end, data in edges
            if attribute is None or data["attribute"] == attribute
        }
        return sorted((self.get(node_id) for node_id in ids), key=lambda r: r.node_id)  # type: ignore[arg-type, return-value]

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources())


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
