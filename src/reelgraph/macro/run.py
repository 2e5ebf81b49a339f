"""Running a macro: its steps in order on one project, through one edit history.

Nothing here reads the clock or depends on the machine, so a macro run twice on the
same project gives the same documents and the same output bytes. A step that fails stops
the run with its own coded error, which names the step (``params['step']``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelgraph.errors import MacroError, ReelgraphError
from reelgraph.export.presets import ExportSettings, resolve_settings
from reelgraph.macro.format import COMMAND_KINDS, Macro, substitute
from reelgraph.project.document import ProjectDocument
from reelgraph.project.load import load_project
from reelgraph.project.save import save_project
from reelgraph.time import parse_rate, parse_time_range
from reelgraph.timeline.edit_log import EditLog
from reelgraph.timeline.edits import EDIT_KINDS, Edit, edit_from_data
from reelgraph.timeline.history import History

__all__ = ["MacroResult", "StepOutcome", "run_macro"]


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one step did: its index, kind and facts (dirty spans, files written)."""

    step: int
    kind: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MacroResult:
    """The document a macro left and what each step did."""

    document: ProjectDocument
    steps: tuple[StepOutcome, ...]


@dataclass
class _Run:
    macro: Macro
    project: Path
    history: History
    log: EditLog | None = None

    def path(self, value: Any, where: str) -> Path:
        if not isinstance(value, str) or not value:
            raise MacroError(f"{where}: expected a path", path=where)
        candidate = Path(value)
        return candidate if candidate.is_absolute() else self.macro.folder / candidate


def run_macro(
    macro: Macro,
    *,
    project: str | Path | None = None,
    on_step: Callable[[StepOutcome], None] | None = None,
) -> MacroResult:
    """Run every step of ``macro`` on its project (or ``project``, which takes precedence).

    Raises:
        MacroError: a malformed step, no project, an undefined variable.
        ReelgraphError: a step failed (refused edit, bad media, …); ``params['step']``.
    """
    chosen = project if project is not None else macro.project
    if chosen is None:
        raise MacroError("the macro names no project; give one with --project", path="project")
    base = Path(chosen) if project is not None else macro.folder / str(chosen)
    prepared = [_prepare(macro, number, raw) for number, raw in enumerate(macro.steps)]
    run = _Run(macro, base, History(load_project(base)))
    outcomes = []
    try:
        for number, (step, edit) in enumerate(prepared):
            try:
                detail = _step(run, step, edit, f"steps[{number}]")
            except ReelgraphError as exc:
                exc.with_context(step=number, step_kind=str(step["kind"]))
                raise
            outcome = StepOutcome(number, str(step["kind"]), detail)
            outcomes.append(outcome)
            if on_step is not None:
                on_step(outcome)
    finally:
        if run.log is not None:
            run.log.close()
    return MacroResult(run.history.document, tuple(outcomes))


_COMMAND_FIELDS: dict[str, tuple[str, ...]] = {
    "undo": (),
    "redo": (),
    "save": ("output",),
    "record": ("output",),
    "render": ("output", "range", "preset", "frame_hashes", "settings"),
}


def _prepare(
    macro: Macro, number: int, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], Edit | None]:
    """Substitute a step's variables and read it, before any step runs.

    So a macro with a malformed step anywhere fails before it changes or writes anything.
    """
    where = f"steps[{number}]"
    try:
        step = substitute(dict(raw), macro.variables, where)
        kind = step["kind"]
        if kind in COMMAND_KINDS:
            _only(step, where, _COMMAND_FIELDS[kind])
            return step, None
        if kind not in EDIT_KINDS:
            known = ", ".join([*COMMAND_KINDS, *EDIT_KINDS])
            raise MacroError(f"{where}.kind: unknown step {kind!r}; known: {known}", path=where)
        return step, edit_from_data(step, where)
    except ReelgraphError as exc:
        exc.with_context(step=number, step_kind=str(raw.get("kind")))
        raise


def _step(run: _Run, step: dict[str, Any], edit: Edit | None, where: str) -> dict[str, Any]:
    kind = step["kind"]
    if edit is not None:
        result = run.history.apply(edit)
        return {"dirty": [[r.start, r.end_time_exclusive] for r in result.dirty]}
    if kind in ("undo", "redo"):
        result = run.history.undo() if kind == "undo" else run.history.redo()
        return {"dirty": [[r.start, r.end_time_exclusive] for r in result.dirty]}
    if kind == "save":
        target = run.path(step["output"], f"{where}.output") if "output" in step else run.project
        target.parent.mkdir(parents=True, exist_ok=True)
        save_project(run.history.document, target)
        return {"output": str(target)}
    if kind == "record":
        if run.log is not None:
            run.log.close()
        target = run.path(step.get("output"), f"{where}.output")
        target.parent.mkdir(parents=True, exist_ok=True)
        run.log = EditLog.record(run.history, target)
        return {"output": str(target)}
    return _render(run, step, where)


def _only(step: dict[str, Any], where: str, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(step) - {"kind", *allowed})
    if unknown:
        raise MacroError(f"{where}.{unknown[0]}: unknown field", path=f"{where}.{unknown[0]}")


_SETTINGS = {f.name for f in dataclasses.fields(ExportSettings)} - {"preset"}


def _render(run: _Run, step: dict[str, Any], where: str) -> dict[str, Any]:
    from reelgraph.export.job import export_project

    document = run.history.document
    output = run.path(step.get("output"), f"{where}.output")
    overrides = dict(step.get("settings", {}))
    unknown = sorted(set(overrides) - _SETTINGS)
    if unknown:
        raise MacroError(f"{where}.settings.{unknown[0]}: unknown export setting", path=where)
    if "rate" in overrides:
        overrides["rate"] = parse_rate(overrides["rate"])
    start, end = 0, None
    if "range" in step:
        start, end = parse_time_range(str(step["range"]), document.format.rate)
    hashes = (
        run.path(step["frame_hashes"], f"{where}.frame_hashes") if "frame_hashes" in step else None
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    settings = resolve_settings(str(output), step.get("preset"), document.export, overrides)
    result = export_project(document, output, settings, start=start, end=end, frame_hashes=hashes)
    return {"output": str(output), "frames": result.frames, "preset": settings.preset}
