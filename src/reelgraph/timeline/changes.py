"""One change of a document: a component inserted, removed or replaced at a position.

A document keeps its components in six tuples (its *groups*). A :class:`Change` names
the group, the position, and the component before and after (``None`` for "absent"), so
it can be applied and exactly reversed. A sequence of changes applies in order, each
position counted in the group as the earlier changes left it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from reelgraph.timeline.components import Clip, EffectNode, GraphEdge, Sequence, Track, Transition

__all__ = ["GROUPS", "Change", "Component", "Group", "Key", "group_of", "key_of"]

Component: TypeAlias = Sequence | Track | Clip | Transition | EffectNode | GraphEdge
Group: TypeAlias = Literal["sequences", "tracks", "clips", "transitions", "effects", "edges"]
#: What identifies a component inside its group: its id, or (source, target) for edges.
Key: TypeAlias = str | tuple[str, str]

#: The document's component groups, in the order they are applied and written.
GROUPS: tuple[Group, ...] = ("sequences", "tracks", "clips", "transitions", "effects", "edges")

_GROUP_OF: dict[type, Group] = {
    Sequence: "sequences",
    Track: "tracks",
    Clip: "clips",
    Transition: "transitions",
    EffectNode: "effects",
    GraphEdge: "edges",
}


def group_of(component: Component) -> Group:
    """The document group that holds components of this type."""
    return _GROUP_OF[type(component)]


def key_of(component: Component) -> Key:
    """The component's key: its id, or ``(source, target)`` for a graph edge."""
    if isinstance(component, GraphEdge):
        return (component.source, component.target)
    return component.id


@dataclass(frozen=True, slots=True)
class Change:
    """``group[index]`` goes from ``old`` to ``new``; None on one side inserts or removes.

    Attributes:
        group: The document tuple changed.
        index: The position, in the group as the earlier changes of a patch left it.
        old: The component there before (None: ``new`` is inserted at ``index``).
        new: The component there after (None: ``old`` is removed from ``index``).
    """

    group: Group
    index: int
    old: Component | None
    new: Component | None

    def reversed(self) -> Change:
        """The change that undoes this one."""
        return Change(self.group, self.index, self.new, self.old)
