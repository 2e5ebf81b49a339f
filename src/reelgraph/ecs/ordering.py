"""A deterministic topological sort: the order of the systems inside one stage.

Nodes are ranked: among the nodes whose predecessors have all been placed, the one with the
lowest rank goes first (the schedule ranks systems by registration order). The result thus
depends only on the nodes, their ranks and the edges, never on set or dict iteration
accidents. A cycle is reported as one concrete loop of nodes, so the error can name it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

__all__ = ["CycleFound", "find_cycle", "toposort"]


class CycleFound(Exception):
    """Raised by :func:`toposort` when the edges form a cycle; ``cycle`` lists one loop."""

    def __init__(self, cycle: Sequence[str]) -> None:
        """Record the loop.

        Args:
            cycle: The nodes of one loop, each followed by its successor; the first node is
                not repeated at the end.
        """
        super().__init__(" -> ".join([*cycle, cycle[0]]))
        self.cycle = tuple(cycle)


def toposort(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """Order ``nodes`` so that every edge ``(first, then)`` has ``first`` before ``then``.

    Args:
        nodes: The nodes; their position in this sequence is their rank, which breaks ties.
        edges: ``(first, then)`` pairs between members of ``nodes``; repeats are harmless.

    Returns:
        All nodes in an order that respects every edge, ties going to the lowest rank.

    Raises:
        CycleFound: The edges form a cycle.
    """
    rank = {node: index for index, node in enumerate(nodes)}
    successors: dict[str, set[str]] = {node: set() for node in nodes}
    indegree = dict.fromkeys(nodes, 0)
    for first, then in edges:
        if then not in successors[first]:
            successors[first].add(then)
            indegree[then] += 1
    ready = [rank[node] for node in nodes if indegree[node] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node = nodes[heapq.heappop(ready)]
        order.append(node)
        # Sorted so the heap sees the same pushes on every run (it would not matter for the
        # result, but keeps the algorithm free of set order entirely).
        for then in sorted(successors[node], key=rank.__getitem__):
            indegree[then] -= 1
            if indegree[then] == 0:
                heapq.heappush(ready, rank[then])
    if len(order) < len(nodes):
        left = [node for node in nodes if indegree[node] > 0]
        raise CycleFound(find_cycle(left, successors, rank))
    return order


def find_cycle(
    nodes: Sequence[str], successors: dict[str, set[str]], rank: dict[str, int]
) -> list[str]:
    """One loop among ``nodes``, found by a walk that always takes the lowest-ranked step.

    Args:
        nodes: Nodes left over by a sort that stalled; every one has a predecessor among
            them, so walking backwards (or forwards through them) must loop.
        successors: The successors of each node.
        rank: The tie-breaking rank of each node.

    Returns:
        The nodes of one loop, starting at the first node of the loop met on the walk.
    """
    left = set(nodes)
    predecessors: dict[str, list[str]] = {node: [] for node in nodes}
    for node in nodes:
        for then in successors[node]:
            if then in left:
                predecessors[then].append(node)
    # Walk backwards: every stalled node has a stalled predecessor, so the walk never ends
    # and must revisit a node; the part from that node on is a loop (reversed).
    walk: list[str] = []
    seen: dict[str, int] = {}
    node = min(nodes, key=rank.__getitem__)
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = min(predecessors[node], key=rank.__getitem__)
    loop = walk[seen[node] :]
    loop.reverse()
    start = min(range(len(loop)), key=lambda i: rank[loop[i]])
    return loop[start:] + loop[:start]
