"""Open a project for editing: recovered from its log, every edit durable before it counts.

:func:`open_for_editing` recovers the project through its store (replaying logged edits
newer than the file and saying so), loads it into an :class:`Engine` and installs an
:class:`EditJournal`, so ``session.engine.apply(edit)`` returns only once the edit is in
the write-ahead log (the acknowledgement). Saves keep a ``.bak`` and happen on the
autosave interval, by :meth:`EditingSession.save` and on a clean :meth:`close`.

The engine is a preview engine (:func:`~reelgraph.engine.preview.open_for_preview`): it
serves frames from proxies where they are ready, and builds the missing ones (and the
full content hashes of its sources) in background jobs that its frame requests preempt
and its close cancels; their progress arrives as World events.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgraph.engine.engine import Engine
from reelgraph.engine.preview import open_for_preview
from reelgraph.project.autosave import Autosave
from reelgraph.project.document import ProjectDocument
from reelgraph.project.persist import EditJournal
from reelgraph.project.recovery import OpenedProject, open_project
from reelgraph.project.save import document_to_data
from reelgraph.proxies.quality import Quality
from reelgraph.timeline.edits import edit_from_data

__all__ = ["EditingSession", "open_for_editing"]


def _apply_logged(document: ProjectDocument, data: dict[str, Any]) -> ProjectDocument:
    return edit_from_data(data).apply(document).document


@dataclass
class EditingSession:
    """An engine on a recovered project, its store and what opening it recovered."""

    engine: Engine
    opened: OpenedProject
    autosave: Autosave

    @property
    def notices(self) -> list[str]:
        """What recovery did, for the user (empty when the file was up to date)."""
        return self.opened.notices()

    def save(self) -> None:
        """Save the project file now (atomically, keeping the previous one as ``.bak``)."""
        self.opened.store.save(document_to_data(self.engine.document))

    def close(self) -> None:
        """Save unsaved edits (clean exit), close the store and the engine."""
        try:
            self.autosave.flush()
        finally:
            self.opened.store.close()
            self.engine.close()

    def __enter__(self) -> EditingSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_for_editing(
    path: str | Path,
    *,
    autosave_interval: float = 60.0,
    quality: Quality = Quality.FULL,
    proxies: bool = True,
    **preview_options: Any,
) -> EditingSession:
    """Recover and open ``path`` for editing with a durable edit journal.

    Args:
        path: The project file.
        autosave_interval: Seconds between autosaves.
        quality: The quality frames are previewed at.
        proxies: Build missing proxies and full hashes in the background (False for
            one-shot edits).
        preview_options: Passed on to :func:`open_for_preview` (``jobs``, ``progress``,
            ``media_cache``...).

    Raises:
        ReelgraphError: the project's own errors, or a log that cannot be opened.
    """
    opened = open_project(path, apply_edit=_apply_logged)
    try:
        engine = open_for_preview(
            opened.document, quality=quality, proxies=proxies, **preview_options
        )
    except BaseException:
        opened.store.close()
        raise
    autosave = Autosave(
        opened.store, lambda: document_to_data(engine.document), interval=autosave_interval
    )
    engine.world.insert_resource(
        EditJournal(opened.store, lambda: document_to_data(engine.document), autosave)
    )
    return EditingSession(engine, opened, autosave)
