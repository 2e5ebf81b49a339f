"""The one error tree of reelgraph.

Every failure a user can cause is a :class:`ReelgraphError` with a stable ``code``,
an English ``message`` for logs, ``params`` (the facts that explain it) and a ``hint``.
Where a builtin exception means the same thing, the error is also that builtin, so
``except FileNotFoundError`` keeps working::

    ReelgraphError                       reelgraph.error
    ├── UsageError                       cli.usage
    ├── TimeFormatError (ValueError)     time.invalid
    ├── ProjectError                     project.*
    │   ├── ProjectNotFoundError (FileNotFoundError)   project.not_found
    │   ├── ProjectSyntaxError           project.syntax
    │   ├── ProjectValidationError       project.invalid
    │   ├── UnknownSchemaError           project.unknown_schema
    │   │   └── SchemaTooNewError        project.too_new
    │   ├── MigrationError               project.migration
    │   ├── EditLogError                 project.edit_log
    │   ├── EditFormatError              edit.invalid  (an edit's JSON form)
    │   ├── MacroError                   macro.invalid
    │   └── SnapshotNotFoundError (LookupError)        project.snapshot_not_found
    ├── TimelineError                    timeline.*
    │   ├── ZeroLengthClipError          timeline.zero_length
    │   ├── OverlapError                 timeline.overlap
    │   ├── TimeRangeError               timeline.out_of_range
    │   ├── UnknownReferenceError        timeline.unknown_reference
    │   ├── NestingCycleError            timeline.nesting_cycle
    │   └── EditRefusedError             edit.refused
    ├── MediaError                       media.*
    │   ├── MediaNotFoundError (FileNotFoundError)     media.not_found
    │   ├── DecodeError                  media.decode
    │   ├── UnsupportedCodecError        media.unsupported_codec
    │   ├── DecodeDeviceError            media.decode_device
    │   ├── NoStreamError                media.no_stream
    │   ├── EncodeError                  media.encode
    │   └── ProxyCorruptError            media.proxy_corrupt  (rebuilt, never shown as a frame)
    ├── OutputError (OSError)            output.*
    │   └── OutputWriteError             output.write_failed
    │       ├── DiskFullError            output.disk_full
    │       └── OutputNotWritableError (PermissionError)   output.not_writable
    ├── ScheduleError                    schedule.*  (a plugin or system mis-declared)
    │   ├── ScheduleCycleError           schedule.cycle
    │   ├── UnknownSystemSetError        schedule.unknown_set
    │   ├── UnknownSystemError           schedule.unknown_system
    │   ├── DuplicateSystemError         schedule.duplicate_system
    │   └── StageOrderError              schedule.stage_order
    ├── JobError                         jobs.*
    │   ├── JobCancelledError            jobs.cancelled  (exit status 130, as for Ctrl-C)
    │   ├── JobTimeoutError (TimeoutError)   jobs.timeout
    │   ├── QueueFullError               jobs.queue_full
    │   └── JobSystemClosedError         jobs.closed
    ├── PluginError                      plugin.*
    │   ├── PluginManifestError          plugin.manifest
    │   ├── PluginNotFoundError (LookupError)          plugin.not_found
    │   ├── PluginLoadError              plugin.load_failed
    │   ├── PluginVersionError           plugin.engine_version
    │   ├── PluginFeatureError           plugin.feature_missing
    │   ├── PluginConflictError          plugin.conflict
    │   ├── PluginLockError              plugin.lock
    │   ├── PluginCapabilityError (PermissionError)    plugin.capability_denied
    │   ├── PluginTimeoutError (TimeoutError)          plugin.timeout
    │   ├── PluginCrashError             plugin.crashed
    │   └── PluginNodeError              plugin.node_failed
    ├── WatchdogError                    watchdog.*  (a node or an operation misbehaved)
    │   ├── NodeFailedError              watchdog.node_failed
    │   ├── NodeTimeoutError (TimeoutError)    watchdog.node_timeout
    │   ├── BadNodeOutputError           watchdog.bad_output
    │   └── OperationTimeoutError (TimeoutError)   watchdog.operation_timeout
    └── InternalError                    internal.bug (a bug of ours, never the user's)
        ├── UnknownEntityError (KeyError)      internal.unknown_entity
        ├── MissingComponentError (KeyError)   internal.missing_component
        └── MissingResourceError (KeyError)    internal.missing_resource

The CLI maps each branch to an exit status (:data:`EXIT_CODES`) and each code to
localized text (:mod:`reelgraph.i18n`; a test fails if a code lacks an English or a
Japanese entry). The English ``hint`` of a class is the source its translations follow.
"""

from __future__ import annotations

import errno
from typing import Any

__all__ = [
    "EXIT_CODES",
    "BadNodeOutputError",
    "DecodeDeviceError",
    "DecodeError",
    "DiskFullError",
    "DuplicateSystemError",
    "EditFormatError",
    "EditLogError",
    "EditRefusedError",
    "EncodeError",
    "InternalError",
    "JobCancelledError",
    "JobError",
    "JobSystemClosedError",
    "JobTimeoutError",
    "MacroError",
    "MediaError",
    "MediaNotFoundError",
    "MigrationError",
    "MissingComponentError",
    "MissingResourceError",
    "NestingCycleError",
    "NoStreamError",
    "NodeFailedError",
    "NodeTimeoutError",
    "OperationTimeoutError",
    "OutputError",
    "OutputNotWritableError",
    "OutputWriteError",
    "OverlapError",
    "PluginCapabilityError",
    "PluginConflictError",
    "PluginCrashError",
    "PluginError",
    "PluginFeatureError",
    "PluginLoadError",
    "PluginLockError",
    "PluginManifestError",
    "PluginNodeError",
    "PluginNotFoundError",
    "PluginTimeoutError",
    "PluginVersionError",
    "ProjectError",
    "ProjectNotFoundError",
    "ProjectSyntaxError",
    "ProjectValidationError",
    "ProxyCorruptError",
    "QueueFullError",
    "ReelgraphError",
    "ScheduleCycleError",
    "ScheduleError",
    "SchemaTooNewError",
    "SnapshotNotFoundError",
    "StageOrderError",
    "TimeFormatError",
    "TimeRangeError",
    "TimelineError",
    "UnknownEntityError",
    "UnknownReferenceError",
    "UnknownSchemaError",
    "UnknownSystemError",
    "UnknownSystemSetError",
    "UnsupportedCodecError",
    "UsageError",
    "WatchdogError",
    "ZeroLengthClipError",
    "exit_code_for",
    "output_error_for",
]


class ReelgraphError(Exception):
    """Base of every error reelgraph raises on purpose."""

    code = "reelgraph.error"
    hint = "See the message for what went wrong."

    def __init__(self, message: str, *, hint: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, Any] = dict(params)
        if hint is not None:
            self.hint = hint

    def with_context(self, **context: Any) -> ReelgraphError:
        """Attach facts known at a boundary (path, clip, frame) without losing earlier ones."""
        for key, value in context.items():
            self.params.setdefault(key, value)
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: code, message, hint and parameters."""
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "params": {k: _jsonable(v) for k, v in sorted(self.params.items())},
        }

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class UsageError(ReelgraphError):
    """The command line was malformed (unknown option, bad value)."""

    code = "cli.usage"
    hint = "Run 'reelgraph --help' for the accepted options."


class TimeFormatError(ReelgraphError, ValueError):
    """A time string could not be read as frames, seconds or timecode."""

    code = "time.invalid"
    hint = "Write a time as frames (120), seconds (4.5s) or timecode (00:00:04:15)."


class ProjectError(ReelgraphError):
    """The project file cannot be used."""

    code = "project.error"
    hint = "Check the project file named in the message."


class ProjectNotFoundError(ProjectError, FileNotFoundError):
    """The project file does not exist."""

    code = "project.not_found"
    hint = "Check the path of the project file."


class ProjectSyntaxError(ProjectError):
    """The project file is not valid JSON."""

    code = "project.syntax"
    hint = "Fix the JSON syntax at the line and column given."


class ProjectValidationError(ProjectError):
    """A field of the project has the wrong type or value; ``params['path']`` names it."""

    code = "project.invalid"
    hint = "Correct the field named by the path."


class UnknownSchemaError(ProjectError):
    """An object is labelled with a schema name or version this engine does not know."""

    code = "project.unknown_schema"
    hint = "The file may come from a newer reelgraph; upgrade, or fix the 'schema' label."


class TimelineError(ReelgraphError):
    """The timeline is inconsistent."""

    code = "timeline.error"
    hint = "Fix the clips, tracks or transitions named in the message."


class ZeroLengthClipError(TimelineError):
    """A clip lasts zero (or fewer) frames."""

    code = "timeline.zero_length"
    hint = "Give the clip a duration of at least one frame, or remove it."


class OverlapError(TimelineError):
    """Two clips of one track overlap where no transition joins them."""

    code = "timeline.overlap"
    hint = "Move one clip, or add a transition between the two."


class TimeRangeError(TimelineError):
    """A time lies outside the range it must fall in."""

    code = "timeline.out_of_range"
    hint = "Choose a time inside the timeline (see 'reelgraph info')."


class UnknownReferenceError(TimelineError):
    """An id names no clip, track, sequence or preset."""

    code = "timeline.unknown_reference"
    hint = "Check the id; 'reelgraph info' lists what exists."


class NestingCycleError(TimelineError):
    """A sequence contains itself, directly or through other sequences."""

    code = "timeline.nesting_cycle"
    hint = "Remove the nested clip that closes the loop."


class MediaError(ReelgraphError):
    """A media file cannot be read or written."""

    code = "media.error"
    hint = "Check the media file named in the message."


class MediaNotFoundError(MediaError, FileNotFoundError):
    """A media file named by the project does not exist."""

    code = "media.not_found"
    hint = "Media paths are relative to the project file; restore or relink the file."


class DecodeError(MediaError):
    """A media file exists but cannot be decoded (corrupt, truncated, not media)."""

    code = "media.decode"
    hint = "Check the file plays in another player; re-export or replace it."


class UnsupportedCodecError(MediaError):
    """The codec, container or pixel format asked for is not available."""

    code = "media.unsupported_codec"
    hint = "Choose another codec or preset ('reelgraph render --help' lists them)."


class DecodeDeviceError(MediaError):
    """The decode device asked for (``--decode-device cuda``) is not available here."""

    code = "media.decode_device"
    hint = "Decode on the CPU ('--decode-device cpu'), or 'auto' to use a GPU where one opens."


class NoStreamError(MediaError):
    """The file has no stream of the kind the clip needs (e.g. no audio)."""

    code = "media.no_stream"
    hint = "Use a file with the needed stream, or put the clip on the other track kind."


class EncodeError(MediaError):
    """The encoder or muxer failed."""

    code = "media.encode"
    hint = "Check the export settings (size, pixel format, codec options)."


class OutputError(ReelgraphError, OSError):
    """The output cannot be written."""

    code = "output.error"
    hint = "Check the output path named in the message."


class OutputWriteError(OutputError):
    """Writing the output file or folder failed (permissions, full disk)."""

    code = "output.write_failed"
    hint = "Check the output folder exists, is writable and has free space."


class ScheduleError(ReelgraphError):
    """A system schedule is mis-declared (cycle, unknown set or system)."""

    code = "schedule.invalid"
    hint = "Fix the ordering constraints of the systems named."


class InternalError(ReelgraphError):
    """A bug in reelgraph itself; the trace goes to the log, never to the user's screen."""

    code = "internal.bug"
    hint = "Please report this with the log file."


class PluginError(ReelgraphError):
    """A plugin cannot be found, loaded, verified or run."""

    code = "plugin.error"
    hint = "Run 'reelgraph plugins check' to see which plugin is at fault and why."


EXIT_CODES: dict[type[ReelgraphError], int] = {
    UsageError: 2,
    TimeFormatError: 2,
    ProjectError: 3,
    TimelineError: 4,
    MediaError: 5,
    OutputError: 6,
    ScheduleError: 7,
    PluginError: 10,
    InternalError: 70,
}


def exit_code_for(error: BaseException) -> int:
    """The process exit status for an error: its branch's code, 1 for unknown ones."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 70 if not isinstance(error, ReelgraphError) else 1


class ScheduleCycleError(ScheduleError):
    """The ordering constraints of one stage form a cycle; ``params['cycle']`` lists it."""

    code = "schedule.cycle"
    hint = "Drop one of the 'after'/'before' constraints on the cycle named."


class UnknownSystemSetError(ScheduleError):
    """A system was added to a set (stage) that does not exist."""

    code = "schedule.unknown_set"
    hint = "Use one of the stages: INGEST, DECODE, GRAPH_EVAL, COMPOSITE, OUTPUT, PERSIST."


class UnknownSystemError(ScheduleError):
    """An ordering constraint names a system that was never added."""

    code = "schedule.unknown_system"
    hint = "Check the spelling of the system name, or add that system first."


class DuplicateSystemError(ScheduleError):
    """Two systems were added under the same name."""

    code = "schedule.duplicate_system"
    hint = "Give the second system another name with 'name='."


class StageOrderError(ScheduleError):
    """A constraint asks a system to run before one of an earlier stage (or after a later one)."""

    code = "schedule.stage_order"
    hint = "Move one of the systems to another stage, or drop the constraint."


class UnknownEntityError(InternalError, KeyError):
    """An entity id was used that was never spawned or is already despawned."""

    code = "internal.unknown_entity"


class MissingComponentError(InternalError, KeyError):
    """An entity has no component of the type asked for."""

    code = "internal.missing_component"


class MissingResourceError(InternalError, KeyError):
    """The world holds no resource of the type asked for."""

    code = "internal.missing_resource"


class JobError(ReelgraphError):
    """A job of the job system could not run to its end (cancelled, late, refused)."""

    code = "jobs.error"
    hint = "See the message for the job that did not finish."


class JobCancelledError(JobError):
    """The job's cancellation token was cancelled (by its owner, a parent, or Ctrl-C)."""

    code = "jobs.cancelled"
    hint = "The work was cancelled on request; run it again to finish it."


class JobTimeoutError(JobError, TimeoutError):
    """A job ran past its time limit, or a wait for jobs ran out of time.

    ``params['phase']`` says which: ``run`` (the job's own limit), ``wait`` (waiting for
    a result), ``join`` (waiting for the queues to drain).
    """

    code = "jobs.timeout"
    hint = "Raise the time limit, or find out why the work is slow (--trace)."


class QueueFullError(JobError):
    """A job was refused because its priority class's queue stayed full (backpressure)."""

    code = "jobs.queue_full"
    hint = "Submit less at once, wait longer, or raise the class's queue capacity."


class JobSystemClosedError(JobError):
    """A job was submitted to a pool or job system that is shut down."""

    code = "jobs.closed"
    hint = "Submit jobs only while the job system is open."


EXIT_CODES.update({JobError: 8, JobCancelledError: 130})


class PluginManifestError(PluginError):
    """A ``plugin.toml`` is missing, not TOML, or has a bad field; ``params['field']`` names it."""

    code = "plugin.manifest"
    hint = "Fix the field of plugin.toml named in the message."


class PluginNotFoundError(PluginError, LookupError):
    """No installed plugin provides the plugin, effect or generator asked for."""

    code = "plugin.not_found"
    hint = "Install the plugin, or pass its folder with --plugin-path or REELGRAPH_PLUGIN_PATH."


class PluginLoadError(PluginError):
    """A plugin's entry point could not be imported or its factory failed."""

    code = "plugin.load_failed"
    hint = "Check that the plugin is installed for this Python and imports cleanly."


class PluginVersionError(PluginError):
    """A plugin asks for an engine version range this reelgraph is not in."""

    code = "plugin.engine_version"
    hint = "Install a plugin version made for this reelgraph, or another reelgraph."


class PluginFeatureError(PluginError):
    """A plugin claims a feature it does not implement (missing method or wrong signature)."""

    code = "plugin.feature_missing"
    hint = "The plugin was refused: implement the feature's protocol or drop the claim."


class PluginConflictError(PluginError):
    """Two plugins (or a plugin and the engine) claim the same name."""

    code = "plugin.conflict"
    hint = "Remove one of the two plugins, or rename one."


class PluginLockError(PluginError):
    """The plugin lock file cannot be written, or disagrees with what is installed."""

    code = "plugin.lock"
    hint = "Run 'reelgraph plugins lock' to record the plugins as they are now."


class PluginCapabilityError(PluginError, PermissionError):
    """A plugin tried something (network, writing files) it did not declare a capability for."""

    code = "plugin.capability_denied"
    hint = "Declare the capability in the plugin's plugin.toml if the plugin really needs it."


class PluginTimeoutError(PluginError, TimeoutError):
    """A plugin call ran past its time limit; the worker was killed and will be restarted."""

    code = "plugin.timeout"
    hint = "The plugin hung; report it to its author, or raise the time limit."


class PluginCrashError(PluginError):
    """A sandboxed plugin's worker process died; it will be restarted."""

    code = "plugin.crashed"
    hint = "The plugin crashed its worker; the worker log in its scratch folder says more."


class PluginNodeError(PluginError):
    """A plugin raised an error or returned a bad picture while rendering a node."""

    code = "plugin.node_failed"
    hint = "Check the node's parameters; otherwise report it to the plugin's author."


class SchemaTooNewError(UnknownSchemaError):
    """A label's version is newer than this engine reads: the file came from a newer reelgraph.

    ``params``: ``path`` (the object), ``schema`` (its label), ``current`` (ours). The file
    is refused whole, never half-read.
    """

    code = "project.too_new"
    hint = "Upgrade reelgraph to open this file; it was not read, and nothing in it changed."


class MigrationError(ProjectError):
    """An object of an older schema version could not be upgraded to the current one.

    ``params``: ``path`` (the object), ``schema`` (its old label), ``detail``.
    """

    code = "project.migration"
    hint = "The older file is damaged at the path named; fix that object or open a backup."


class EditLogError(ProjectError):
    """The edit log next to the project (``<name>.rglog``) cannot be opened, read or written.

    An edit whose append raised this was *not* acknowledged. ``params``: ``path`` (the
    log), ``detail`` (what SQLite or the OS said).
    """

    code = "project.edit_log"
    hint = (
        "Check that the project's folder is writable and has free space; "
        "'reelgraph recover PROJECT' shows what the log holds."
    )


class SnapshotNotFoundError(ProjectError, LookupError):
    """No snapshot with the id asked for is in the edit log; ``params['snapshot']``."""

    code = "project.snapshot_not_found"
    hint = "List the snapshots with 'reelgraph recover PROJECT --list'."


class DiskFullError(OutputWriteError):
    """The disk (or the file-size limit) is full; nothing that existed was overwritten."""

    code = "output.disk_full"
    hint = "Free some space on the disk, or write to another one."


class OutputNotWritableError(OutputWriteError, PermissionError):
    """The output folder or file may not be written (permissions, a read-only disk)."""

    code = "output.not_writable"
    hint = "Choose a folder you may write to, or change its permissions."


class WatchdogError(ReelgraphError):
    """A render-graph node or a watched operation misbehaved and the policy said to stop.

    ``params``: ``node`` (its index), ``kind`` (its class), ``frame``, and for operations
    ``operation``. The same codes label the incidents recorded when the policy goes on.
    """

    code = "watchdog.error"
    hint = "Render with '--on-error bypass' or '--on-error placeholder' to go on past it."


class NodeFailedError(WatchdogError):
    """A node raised an exception instead of returning a picture; the trace is in the log."""

    code = "watchdog.node_failed"
    hint = "Render with '--on-error bypass' to skip the node, or fix or remove its effect."


class NodeTimeoutError(WatchdogError, TimeoutError):
    """A node did not finish within its time limit (``params['timeout']`` seconds)."""

    code = "watchdog.node_timeout"
    hint = "Raise the limit with '--node-timeout', or render with '--on-error bypass'."


class BadNodeOutputError(WatchdogError):
    """A node returned garbage: the wrong shape or type, or NaN/infinite values."""

    code = "watchdog.bad_output"
    hint = "Render with '--on-error bypass' to skip the node, or fix or remove its effect."


class OperationTimeoutError(WatchdogError, TimeoutError):
    """A watched operation (decoding a frame, say) ran past its limit; ``params['operation']``."""

    code = "watchdog.operation_timeout"
    hint = "Raise the limit with '--operation-timeout', or check the file or disk involved."


EXIT_CODES.update({WatchdogError: 9})

_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_NOT_WRITABLE_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def output_error_for(path: str, exc: OSError, *, detail: str | None = None) -> OutputWriteError:
    """The coded error for an OS refusal to write ``path``: full disk, not writable, other.

    Args:
        path: The file or folder being written; becomes ``params['path']``.
        exc: The OS error (its ``errno`` picks the class).
        detail: What to say instead of the OS's ``strerror``.
    """
    reason = detail or exc.strerror or str(exc) or type(exc).__name__
    number = exc.errno
    cls: type[OutputWriteError] = OutputWriteError
    if number in _DISK_FULL_ERRNOS:
        cls = DiskFullError
    elif number in _NOT_WRITABLE_ERRNOS:
        cls = OutputNotWritableError
    return cls(f"cannot write {path}: {reason}", path=path, detail=reason)


class EditFormatError(ProjectError):
    """An edit's JSON form (``"schema": "Edit.1"``) is malformed; ``params['path']`` names it."""

    code = "edit.invalid"
    hint = "Correct the field named by the path; every edit needs a known 'kind'."


class EditRefusedError(TimelineError):
    """An edit cannot apply to the project as it is; the project is left unchanged.

    Refusals that a timeline check already names keep that check's code (overlaps,
    zero-length clips, unknown ids); this one covers the rest (nothing to undo, a split
    outside the clip, a keyframe that is not there). ``params['edit']`` names the kind.
    """

    code = "edit.refused"
    hint = "The project is unchanged; check the edit's ids and times against 'reelgraph info'."


class MacroError(ProjectError):
    """A macro file cannot be read or run; ``params['step']`` names the step when known."""

    code = "macro.invalid"
    hint = "Fix the macro at the step named; variables are written ${name}."


class ProxyCorruptError(MediaError):
    """A proxy file is incomplete or damaged (half-written, truncated, checksum mismatch).

    The engine never shows such a frame: it deletes the proxy, serves the original and
    the proxy is built again; ``params['path']`` names the proxy file.
    """

    code = "media.proxy_corrupt"
    hint = "Nothing to do: the proxy is rebuilt ('reelgraph proxies PROJECT build')."
