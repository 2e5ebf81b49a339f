"""Edits in the World: queued requests, the Ingest system that applies them, and its messages.

Producers (the UI, a script, :meth:`reelgraph.engine.engine.Engine.apply`) put
:class:`EditRequest` values into the :class:`PendingEdits` resource. At the start of the
next tick, :func:`apply_pending_edits` (Stage.INGEST, before ``index_timeline``) drains
them in order through the :class:`~reelgraph.timeline.history.History` resource, mirrors
each change onto the timeline's entities (spawn, replace, despawn, through the
:class:`TimelineEntities` id map), replaces the :class:`ProjectDocument` resource, adds
the dirty spans to the :class:`DirtySpans` resource for the cache layer, and sends
``EditApplied`` and ``TimelineChanged`` (so the index is rebuilt in the same tick). A
refused request sends ``EditRefused`` and leaves everything as it was; the next request
still runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from reelgraph.ecs import World, condition
from reelgraph.engine.resources import TimelineChanged
from reelgraph.errors import InternalError, ReelgraphError
from reelgraph.project.document import ProjectDocument
from reelgraph.project.persist import EditJournal
from reelgraph.time import TimeRange
from reelgraph.timeline.changes import Group, Key, key_of
from reelgraph.timeline.components import (
    Clip,
    EffectNode,
    GraphEdge,
    Sequence,
    Track,
    Transition,
)
from reelgraph.timeline.dirty import merge_spans
from reelgraph.timeline.edits import Change, Edit, EditResult
from reelgraph.timeline.history import History
from reelgraph.timeline.index import TimelineIndex

__all__ = [
    "DirtySpans",
    "EditApplied",
    "EditRefused",
    "EditRequest",
    "PendingEdits",
    "TimelineEntities",
    "apply_pending_edits",
    "edits_pending",
    "install_editing",
    "perform_request",
]

Action = Literal["apply", "undo", "redo"]


@dataclass(frozen=True, slots=True)
class EditRequest:
    """A request to apply ``edit``, or to undo or redo one step."""

    action: Action
    edit: Edit | None = None


@dataclass
class PendingEdits:
    """Resource: the requests waiting for the next Ingest, oldest first."""

    requests: list[EditRequest] = field(default_factory=list)

    def push(self, edit: Edit) -> None:
        """Queue ``edit``."""
        self.requests.append(EditRequest("apply", edit))

    def undo(self) -> None:
        """Queue an undo."""
        self.requests.append(EditRequest("undo"))

    def redo(self) -> None:
        """Queue a redo."""
        self.requests.append(EditRequest("redo"))

    def drain(self) -> list[EditRequest]:
        """Take every queued request."""
        taken, self.requests = self.requests, []
        return taken


@dataclass
class TimelineEntities:
    """Resource: the entity of every timeline component, by (group, id or edge ends)."""

    entities: dict[tuple[Group, Key], int] = field(default_factory=dict)

    def entity(self, group: Group, key: Key) -> int | None:
        """The entity holding the component with ``key`` in ``group``, if any."""
        return self.entities.get((group, key))


@dataclass
class DirtySpans:
    """Resource: main-sequence frames changed by edits since the cache layer last took them."""

    spans: tuple[TimeRange, ...] = ()

    def add(self, spans: tuple[TimeRange, ...]) -> None:
        """Merge ``spans`` in."""
        pairs = [(r.start, r.end_time_exclusive) for r in (*self.spans, *spans)]
        self.spans = merge_spans(pairs)

    def take(self) -> tuple[TimeRange, ...]:
        """The spans so far; the resource is empty afterwards."""
        taken, self.spans = self.spans, ()
        return taken


@dataclass(frozen=True, slots=True)
class EditApplied:
    """Event: an edit (or an undo or redo) changed the timeline.

    Attributes:
        action: ``apply``, ``undo`` or ``redo``.
        edit: What was applied to the document (for undo and redo: the patch).
        dirty: The frames of the main sequence it may have changed.
    """

    action: Action
    edit: Edit
    dirty: tuple[TimeRange, ...]


@dataclass(frozen=True, slots=True)
class EditRefused:
    """Event: a queued request was refused; nothing changed. ``code`` is the error's."""

    action: Action
    edit: Edit | None
    code: str
    message: str


_TYPES: tuple[tuple[Group, type], ...] = (
    ("sequences", Sequence),
    ("tracks", Track),
    ("clips", Clip),
    ("transitions", Transition),
    ("effects", EffectNode),
    ("edges", GraphEdge),
)


def install_editing(world: World, document: ProjectDocument) -> None:
    """Insert the editing resources for ``document``, whose timeline is already spawned."""
    entities = TimelineEntities()
    for group, component_type in _TYPES:
        found: Iterator[tuple[int, Any]] = world.query(component_type)
        for entity, component in found:
            entities.entities[(group, key_of(component))] = entity
    world.insert_resource(entities)
    world.insert_resource(document)
    world.insert_resource(History(document))
    world.insert_resource(PendingEdits())
    world.insert_resource(DirtySpans())


def mirror_changes(world: World, changes: tuple[Change, ...]) -> None:
    """Spawn, replace and despawn entities so the World holds what the changes describe."""
    entities = world.resource(TimelineEntities).entities
    for change in changes:
        if change.old is None and change.new is not None:
            entities[(change.group, key_of(change.new))] = world.spawn(change.new)
            continue
        assert change.old is not None
        entity = entities.pop((change.group, key_of(change.old)), None)
        if entity is None:
            raise InternalError(f"no entity holds {change.group} {key_of(change.old)!r}")
        if change.new is None:
            world.despawn(entity)
        else:
            world.add(entity, change.new)
            entities[(change.group, key_of(change.new))] = entity


def perform_request(world: World, request: EditRequest) -> EditResult:
    """Carry out one request now and mirror it in the World.

    Raises:
        ReelgraphError: the request was refused (nothing changed).
    """
    history = world.resource(History)
    if request.action == "undo":
        result = history.undo()
    elif request.action == "redo":
        result = history.redo()
    else:
        assert request.edit is not None
        result = history.apply(request.edit)
    _journal(world, history, request, result)
    mirror_changes(world, result.changes)
    world.insert_resource(result.document)
    world.resource(DirtySpans).add(result.dirty)
    # The index describes the old timeline; it is rebuilt on use or by index_timeline.
    world.remove_resource(TimelineIndex)
    world.send(EditApplied(request.action, result.edit, result.dirty))
    world.send(TimelineChanged("edit"))
    return result


def _journal(world: World, history: History, request: EditRequest, result: EditResult) -> None:
    """Log the change durably before it is acknowledged; on failure take it back.

    What is logged is the edit that was applied to the document (for an undo, the inverse
    patch), so replaying the log is plain application, in order.
    """
    journal = world.get_resource(EditJournal)
    if journal is None:
        return
    try:
        journal.record(result.edit.to_data())
    except BaseException:
        if request.action == "undo":
            history.redo()
        elif request.action == "redo":
            history.undo()
        else:
            history.retract()
        raise


@condition("edits_pending")
def edits_pending(world: World) -> bool:
    """Run condition: edit requests are queued."""
    pending = world.get_resource(PendingEdits)
    return pending is not None and bool(pending.requests)


def apply_pending_edits(world: World) -> None:
    """Ingest: apply the queued edit requests in order (refused ones become EditRefused)."""
    pending = world.get_resource(PendingEdits)
    if pending is None:
        return
    for request in pending.drain():
        try:
            perform_request(world, request)
        except InternalError:
            raise
        except ReelgraphError as exc:
            world.send(EditRefused(request.action, request.edit, exc.code, exc.message))
