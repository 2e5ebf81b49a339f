"""What every edit is: a value that turns one document into the next, with an exact inverse.

An :class:`Edit` is a frozen, slotted dataclass with a ``kind`` label and a JSON form
(``{"schema": "Edit.1", "kind": ..., ...}``). :meth:`Edit.apply` never changes the
document it is given: it records the edit's changes through a
:class:`~reelgraph.timeline.edits.builder.PatchBuilder`, checks the parts of the timeline
they touched, and returns an :class:`EditResult` with the new document, the inverse (a
:class:`Patch` of the reversed changes, exact by construction), the dirty spans of the
main sequence and the changes themselves. A refused edit raises a coded
:class:`~reelgraph.errors.TimelineError` and leaves nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from reelgraph.errors import EditFormatError, ReelgraphError
from reelgraph.project.document import ProjectDocument
from reelgraph.time import TimeRange
from reelgraph.timeline.changes import GROUPS, Change
from reelgraph.timeline.dirty import Reach, dirty_spans
from reelgraph.timeline.edits.builder import PatchBuilder
from reelgraph.timeline.edits.check import check_changes
from reelgraph.timeline.edits.component_json import component_from_data, component_to_data
from reelgraph.timeline.edits.fields import Fields

__all__ = ["EDIT_SCHEMA", "Edit", "EditResult", "Patch", "propose"]

#: The schema label of an edit's JSON form.
EDIT_SCHEMA = "Edit.1"


class Edit:
    """Base of every edit; subclasses are frozen, slotted dataclasses."""

    __slots__ = ()
    #: The edit's label in its JSON form.
    kind: ClassVar[str] = ""

    def build(self, builder: PatchBuilder) -> None:
        """Record the edit's changes through ``builder`` (reading the document through it).

        Raises:
            ReelgraphError: a coded refusal (unknown ids, impossible times).
        """
        raise NotImplementedError

    def apply(self, document: ProjectDocument, *, reach: Reach | None = None) -> EditResult:
        """Apply the edit to ``document`` (which is left as it was).

        Args:
            document: The document to start from.
            reach: Effect kind to temporal reach, for the dirty spans (default: the specs').

        Returns:
            The new document, the inverse, the dirty spans and the changes.

        Raises:
            TimelineError: the edit would make the timeline invalid (overlaps, negative or
                zero durations, unknown ids, …) or cannot apply (``edit.refused``).
            ProjectValidationError: a value the project file could not hold either.
        """
        after, changes = propose(self, document)
        try:
            check_changes(after, changes)
        except ReelgraphError as exc:
            exc.with_context(edit=self.kind)
            raise
        inverse = Patch(tuple(change.reversed() for change in reversed(changes)))
        dirty = dirty_spans(document, after, changes, reach=reach)
        return EditResult(after, inverse, dirty, changes, self)

    def to_data(self) -> dict[str, Any]:
        """The JSON form: ``{"schema": "Edit.1", "kind": ..., ...fields}``."""
        return {"schema": EDIT_SCHEMA, "kind": self.kind, **self.fields_to_data()}

    def fields_to_data(self) -> dict[str, Any]:
        """The edit's own fields as JSON."""
        raise NotImplementedError

    @classmethod
    def from_data(cls, data: object, path: str = "$") -> Edit:
        """Read an edit from its JSON form (any kind on :class:`Edit`; this kind on a subclass).

        Raises:
            EditFormatError: malformed, or (on a subclass) an edit of another kind.
        """
        from reelgraph.timeline.edits.registry import edit_from_data

        edit = edit_from_data(data, path)
        if cls is not Edit and not isinstance(edit, cls):
            raise EditFormatError(
                f"{path}.kind: expected {cls.kind!r}, got {edit.kind!r}", path=f"{path}.kind"
            )
        return edit

    @classmethod
    def from_fields(cls, fields: Fields) -> Edit:
        """Build the edit from its JSON fields (``schema`` and ``kind`` already checked).

        Raises:
            EditFormatError: a field is missing, unknown or of the wrong type.
        """
        raise NotImplementedError


def propose(edit: Edit, document: ProjectDocument) -> tuple[ProjectDocument, tuple[Change, ...]]:
    """The document an edit would produce and its changes, *without* the timeline checks.

    :meth:`Edit.apply` is this plus the checks; tests use it to hold the incremental
    checks to the full validation.

    Raises:
        ReelgraphError: the edit cannot even be formed (unknown ids, bad arguments).
    """
    builder = PatchBuilder(document)
    try:
        edit.build(builder)
    except ReelgraphError as exc:
        exc.with_context(edit=edit.kind)
        raise
    return builder.finish(), builder.changes


@dataclass(frozen=True, slots=True)
class EditResult:
    """What applying an edit produced.

    Attributes:
        document: The new document.
        inverse: The edit that turns ``document`` back into the one the edit was applied to.
        dirty: The frames of the main sequence whose output may have changed, sorted and
            merged (the same for the edit and its inverse).
        changes: The component changes, in order (what the World must mirror).
        edit: The edit that was applied.
    """

    document: ProjectDocument
    inverse: Patch
    dirty: tuple[TimeRange, ...]
    changes: tuple[Change, ...]
    edit: Edit


@dataclass(frozen=True, slots=True)
class Patch(Edit):
    """The literal diff: component changes applied in order (the inverse of every edit).

    Applying checks that each change finds the component it expects, so a patch only
    applies to the document it was made for.
    """

    changes: tuple[Change, ...]
    kind: ClassVar[str] = "patch"

    def build(self, builder: PatchBuilder) -> None:
        for change in self.changes:
            builder.apply_change(change)

    def reversed(self) -> Patch:
        """The patch that undoes this one."""
        return Patch(tuple(change.reversed() for change in reversed(self.changes)))

    def fields_to_data(self) -> dict[str, Any]:
        return {
            "changes": [
                {
                    "group": c.group,
                    "index": c.index,
                    "old": component_to_data(c.old),
                    "new": component_to_data(c.new),
                }
                for c in self.changes
            ]
        }

    @classmethod
    def from_fields(cls, fields: Fields) -> Patch:
        changes = []
        for number, item in enumerate(fields.items("changes")):
            at = f"{fields.at('changes')}[{number}]"
            change = Fields(item, at)
            group = change.choice("group", GROUPS)
            index = change.integer("index")
            old = component_from_data(change.raw("old", None), f"{at}.old")
            new = component_from_data(change.raw("new", None), f"{at}.new")
            change.done()
            changes.append(Change(group, index, old, new))
        return cls(tuple(changes))
