"""Unlimited undo and redo over a document, with groups of edits as one step.

:class:`History` owns the current document. :meth:`History.apply` applies an edit and
pushes one step (the edit, the patch that redoes it and the patch that undoes it);
:meth:`History.undo` and :meth:`History.redo` move along the steps by applying those
patches, which restore the documents exactly. Inside ``with history.group("name"):``
every edit applies at once, and the whole group becomes one step when the block ends; if
the block raises, the group's edits are undone and the error propagates.

Observers (:meth:`History.observe`) are told of every operation after it succeeded, as a
:class:`HistoryEvent`; the edit log (:mod:`reelgraph.timeline.edit_log`) is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from reelgraph.errors import EditRefusedError
from reelgraph.project.document import ProjectDocument
from reelgraph.time import TimeRange
from reelgraph.timeline.changes import Change
from reelgraph.timeline.dirty import Reach, merge_spans
from reelgraph.timeline.edits.base import Edit, EditResult, Patch
from reelgraph.timeline.edits.group import Group

__all__ = ["History", "HistoryEvent", "Step"]

Operation = Literal["apply", "undo", "redo", "begin", "end", "abort"]


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One operation on a history, as observers see it.

    Attributes:
        op: ``apply``, ``undo``, ``redo``, or ``begin``/``end``/``abort`` of a group.
        edit: The edit applied (``apply`` only).
        name: The group's name (``begin`` only).
        result: What the operation did to the document (``apply``/``undo``/``redo``).
    """

    op: Operation
    edit: Edit | None = None
    name: str = ""
    result: EditResult | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One undoable step: what was applied, and the patches that redo and undo it."""

    edit: Edit
    forward: Patch
    inverse: Patch
    dirty: tuple[TimeRange, ...]


@dataclass
class _OpenGroup:
    name: str
    edits: list[Edit] = field(default_factory=list)
    forward: list[Change] = field(default_factory=list)
    inverse: list[Change] = field(default_factory=list)
    dirty: list[TimeRange] = field(default_factory=list)

    def add(self, edit: Edit, result: EditResult) -> None:
        self.edits.append(edit)
        self.forward.extend(result.changes)
        self.inverse[:0] = result.inverse.changes
        self.dirty.extend(result.dirty)

    def step(self) -> Step:
        dirty = merge_spans((r.start, r.end_time_exclusive) for r in self.dirty)
        edit = Group(tuple(self.edits), self.name)
        return Step(edit, Patch(tuple(self.forward)), Patch(tuple(self.inverse)), dirty)


class History:
    """A document with unlimited undo/redo; every change goes through :meth:`apply`."""

    def __init__(self, document: ProjectDocument, *, reach: Reach | None = None) -> None:
        """Start from ``document`` with empty stacks.

        Args:
            document: The document to edit.
            reach: Effect kind to temporal reach, for dirty spans (default: the specs').
        """
        self._document = document
        self._reach = reach
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._open: list[_OpenGroup] = []
        self._observers: list[Callable[[HistoryEvent], None]] = []

    @property
    def document(self) -> ProjectDocument:
        """The current document."""
        return self._document

    @property
    def undo_steps(self) -> tuple[Step, ...]:
        """The steps that :meth:`undo` would undo, oldest first."""
        return tuple(self._undo)

    @property
    def redo_steps(self) -> tuple[Step, ...]:
        """The steps that :meth:`redo` would redo, next one last."""
        return tuple(self._redo)

    @property
    def group_depth(self) -> int:
        """How many groups are open."""
        return len(self._open)

    def can_undo(self) -> bool:
        """Whether there is a step to undo (and no group is open)."""
        return bool(self._undo) and not self._open

    def can_redo(self) -> bool:
        """Whether there is a step to redo (and no group is open)."""
        return bool(self._redo) and not self._open

    def observe(self, observer: Callable[[HistoryEvent], None]) -> None:
        """Call ``observer`` after every successful operation, in order."""
        self._observers.append(observer)

    def _tell(self, event: HistoryEvent) -> None:
        for observer in self._observers:
            observer(event)

    def apply(self, edit: Edit) -> EditResult:
        """Apply ``edit`` to the current document and make it one undoable step.

        Raises:
            TimelineError: the edit was refused; the document and the stacks are unchanged.
        """
        result = edit.apply(self._document, reach=self._reach)
        self._document = result.document
        if self._open:
            self._open[-1].add(edit, result)
        else:
            self._undo.append(Step(edit, _forward(result), result.inverse, result.dirty))
            self._redo.clear()
        self._tell(HistoryEvent("apply", edit=edit, result=result))
        return result

    def retract(self) -> EditResult:
        """Take back the last applied step for good (undo it, and keep no redo of it).

        Used when an applied edit could not be made durable, so it was never acknowledged.
        """
        result = self.undo()
        self._redo.pop()
        return result

    def undo(self) -> EditResult:
        """Undo the last step.

        Raises:
            EditRefusedError: nothing to undo, or a group is open.
        """
        step = self._pop(self._undo, "undo")
        result = step.inverse.apply(self._document, reach=self._reach)
        self._document = result.document
        self._redo.append(step)
        self._tell(HistoryEvent("undo", result=result))
        return result

    def redo(self) -> EditResult:
        """Redo the last undone step.

        Raises:
            EditRefusedError: nothing to redo, or a group is open.
        """
        step = self._pop(self._redo, "redo")
        result = step.forward.apply(self._document, reach=self._reach)
        self._document = result.document
        self._undo.append(step)
        self._tell(HistoryEvent("redo", result=result))
        return result

    def _pop(self, stack: list[Step], what: str) -> Step:
        if self._open:
            raise EditRefusedError(
                f"cannot {what} while the group {self._open[-1].name!r} is open",
                reason="group_open",
            )
        if not stack:
            raise EditRefusedError(f"nothing to {what}", reason=f"nothing_to_{what}")
        return stack.pop()

    def begin_group(self, name: str = "") -> None:
        """Open a group: the edits until :meth:`end_group` become one step."""
        self._open.append(_OpenGroup(name))
        self._tell(HistoryEvent("begin", name=name))

    def end_group(self) -> Step | None:
        """Close the innermost group; returns its step (None when it applied nothing).

        Raises:
            EditRefusedError: no group is open.
        """
        group = self._close()
        step = group.step() if group.edits else None
        if step is not None and self._open:
            outer = self._open[-1]
            outer.edits.append(step.edit)
            outer.forward.extend(step.forward.changes)
            outer.inverse[:0] = step.inverse.changes
            outer.dirty.extend(step.dirty)
        elif step is not None:
            self._undo.append(step)
            self._redo.clear()
        self._tell(HistoryEvent("end"))
        return step

    def abort_group(self) -> None:
        """Close the innermost group and undo what it applied (nothing becomes a step).

        Raises:
            EditRefusedError: no group is open.
        """
        group = self._close()
        if group.edits:
            self._document = Patch(tuple(group.inverse)).apply(self._document).document
        self._tell(HistoryEvent("abort"))

    def _close(self) -> _OpenGroup:
        if not self._open:
            raise EditRefusedError("no group is open", reason="no_group")
        return self._open.pop()

    @contextmanager
    def group(self, name: str = "") -> Iterator[None]:
        """``with history.group("name"):`` makes the edits inside one undoable step.

        If the block raises, the group's edits are undone and the error propagates.
        """
        self.begin_group(name)
        try:
            yield
        except BaseException:
            self.abort_group()
            raise
        self.end_group()


def _forward(result: EditResult) -> Patch:
    return Patch(result.changes)
