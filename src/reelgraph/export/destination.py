"""Output files that appear only when complete.

An export writes into a hidden temporary sibling of the final path (same folder, so the
rename is atomic), fsyncs it, renames it over the final path and fsyncs the folder. An
aborted or failed export removes its temporary file and leaves any existing output as it
was. Image sequences are written into a temporary folder swapped in the same way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from reelgraph.errors import OutputNotWritableError, OutputWriteError, output_error_for
from reelgraph.processes import process_alive

__all__ = ["Destination"]


class Destination:
    """A final output path and the temporary path written until the export finishes."""

    def __init__(self, final: str | Path, *, is_sequence: bool = False) -> None:
        self.final = Path(final)
        self.is_sequence = is_sequence
        folder = self._folder_of_final()
        if not folder.is_dir():
            raise OutputWriteError(
                f"output folder {folder} does not exist",
                path=str(folder),
                detail="the folder does not exist",
            )
        if not os.access(folder, os.W_OK):
            raise OutputNotWritableError(
                f"output folder {folder} is not writable",
                path=str(folder),
                detail="the folder is not writable",
            )
        name = self._final_entry().name
        _remove_abandoned(folder, name)
        self.temporary = folder / f".{name}.partial-{os.getpid()}"
        if is_sequence:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary.mkdir()

    def _final_entry(self) -> Path:
        """The file, or for sequences the folder, that appears at the end."""
        if self.is_sequence and "%" in self.final.name:
            return self.final.parent
        return self.final

    def _folder_of_final(self) -> Path:
        return self._final_entry().parent.resolve()

    def sequence_pattern(self) -> str:
        """For image sequences: the printf pattern inside the temporary folder."""
        name = self.final.name if "%" in self.final.name else "%06d.png"
        return str(self.temporary / name)

    def commit(self) -> None:
        """Make the finished output visible at the final path, atomically.

        Raises:
            OutputWriteError: the rename or sync failed.
        """
        target = self._final_entry()
        try:
            if self.is_sequence:
                _fsync_tree(self.temporary)
                self._swap_folder(target)
            else:
                _fsync_file(self.temporary)
                os.replace(self.temporary, target)
            _fsync_file(target.parent.resolve())
        except OSError as exc:
            raise output_error_for(str(target), exc) from exc

    def _swap_folder(self, target: Path) -> None:
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            os.replace(target, old)
            os.replace(self.temporary, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self.temporary, target)

    def discard(self) -> None:
        """Remove the temporary output; never raises."""
        try:
            if self.temporary.is_dir():
                shutil.rmtree(self.temporary, ignore_errors=True)
            else:
                self.temporary.unlink(missing_ok=True)
        except OSError:
            pass


def _remove_abandoned(folder: Path, name: str) -> None:
    """Delete temporary outputs left by exports that were killed (their process is gone)."""
    for leftover in folder.glob(f".{name}.partial-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or process_alive(int(pid)):
            continue
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for entry in sorted(folder.iterdir()):
        _fsync_file(entry)
    _fsync_file(folder)
