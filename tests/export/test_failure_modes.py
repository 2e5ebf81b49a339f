"""Media and disk failures: each is a coded error, and nothing that existed is overwritten.

Bad media is generated here (truncated, garbage, wrong extension); a file vanishes in the
middle of a render; the disk fills up (a file-size limit in a child process everywhere,
a real 4 KiB tmpfs where this machine lets us mount one); the output folder is read-only
(a read-only bind mount when we may mount, a mode-0555 folder when we are not root).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from reelgraph.cli.main import main
from reelgraph.errors import (
    DiskFullError,
    EditLogError,
    MediaNotFoundError,
    OutputNotWritableError,
)
from reelgraph.export.job import export_project
from reelgraph.export.presets import resolve_settings
from reelgraph.project.load import load_project_data
from reelgraph.project.store import ProjectStore
from reelgraph.testing import clip, color, media, project, track
from reelgraph.testing.generated_media import write_numbered_clip, write_solid_png

OLD = b"an earlier render that must survive"


@pytest.fixture(scope="module")
def media_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-media")
    write_numbered_clip(folder / "good.mp4", 30)
    good = (folder / "good.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(good[: len(good) // 2])
    (folder / "garbage.mp4").write_bytes(bytes(range(256)) * 40)
    (folder / "empty.mp4").write_bytes(b"")
    write_solid_png(folder / "red.png", (255, 0, 0, 255), 64, 48)
    shutil.copy(folder / "red.png", folder / "png-named.mp4")
    shutil.copy(folder / "good.mp4", folder / "mp4-named.png")
    return folder


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own cache folder, so probes cached by other tests cannot leak in."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _project_file(folder: Path, source: str, frames: int = 20) -> Path:
    path = folder / f"{source}.json"
    path.write_text(
        json.dumps(project([track("V1", "video", [clip("a", 0, frames, media(source))])]))
    )
    return path


def _render(project_file: Path, output: Path, *extra: str) -> tuple[int, str]:
    command = ["render", str(project_file), "-o", str(output), "--no-progress", "--json"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([*command, "--no-cache", *extra])
    return status, out.getvalue() + err.getvalue()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name or ".tmp-" in p.name)


@pytest.mark.parametrize("name", ["truncated.mp4", "garbage.mp4", "empty.mp4"])
def test_corrupt_media_fails_the_render_with_a_decode_error_and_keeps_the_old_output(
    media_folder, tmp_path, name
):
    output = tmp_path / "out.mp4"
    output.write_bytes(OLD)
    status, text = _render(_project_file(media_folder, name), output)
    assert status == 5, text
    error = json.loads(text[: text.rindex("}") + 1])["error"]
    assert error["code"] == "media.decode"
    assert error["params"]["path"].endswith(name)
    assert output.read_bytes() == OLD and _leftovers(tmp_path) == []


@pytest.mark.parametrize(("name", "red"), [("png-named.mp4", True), ("mp4-named.png", False)])
def test_media_with_the_wrong_extension_is_read_by_its_content(media_folder, tmp_path, name, red):
    output = tmp_path / "out.mp4"
    status, text = _render(_project_file(media_folder, name, frames=3), output)
    assert status == 0, text
    with av.open(str(output)) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24")
    assert (first[..., 0].mean() > 200) == red


def test_an_image_deleted_in_the_middle_of_a_render_is_media_not_found(tmp_path):
    frames = tmp_path / "seq"
    frames.mkdir()
    for index in range(30):
        write_solid_png(frames / f"f{index:03d}.png", (8 * index, 0, 0, 255), 64, 48)
    source = {"schema": "ImageSequenceSource.1", "pattern": "seq/f%03d.png", "rate": 30}
    document = load_project_data(
        project([track("V1", "video", [clip("a", 0, 30, source)])]), tmp_path
    )
    output = tmp_path / "out.mp4"
    output.write_bytes(OLD)

    def delete_the_rest(done: int, total: int) -> None:
        if done == 5:
            for index in range(10, 30):
                (frames / f"f{index:03d}.png").unlink()

    settings = resolve_settings(str(output), None, document.export, {})
    with pytest.raises(MediaNotFoundError) as caught:
        export_project(document, output, settings, progress=delete_the_rest)
    assert caught.value.code == "media.not_found"
    assert caught.value.params["path"].endswith("f010.png")
    assert output.read_bytes() == OLD and _leftovers(tmp_path) == []


def test_a_video_deleted_in_the_middle_of_a_render_is_still_read_through_its_open_file(
    tmp_path,
):
    write_numbered_clip(tmp_path / "v.mp4", 30)
    document = load_project_data(
        project([track("V1", "video", [clip("a", 0, 30, media("v.mp4"))])]), tmp_path
    )
    output = tmp_path / "out.mp4"

    def delete(done: int, total: int) -> None:
        if done == 5:
            (tmp_path / "v.mp4").unlink()

    settings = resolve_settings(str(output), None, document.export, {})
    assert export_project(document, output, settings, progress=delete).frames == 30


# -- a full disk -------------------------------------------------------------------------

LIMITED = """
import resource, signal, sys, runpy
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG, not the process
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv[0] = sys.argv[1]
runpy.run_module(sys.argv.pop(1), run_name="__main__")
"""


def _run_limited(limit: int, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), module, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_render_that_fills_the_disk_is_a_disk_full_error_and_keeps_the_old_output(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(project([track("V1", "video", [clip("a", 0, 60, color("#ff8000"))])]))
    )
    output = tmp_path / "out.mp4"
    output.write_bytes(OLD)
    command = ["render", str(path), "-o", str(output), "--no-progress", "--no-cache", "--json"]
    done = _run_limited(3000, "reelgraph", *command)
    assert done.returncode == 6, done.stderr
    assert json.loads(done.stdout)["error"]["code"] == "output.disk_full"
    assert output.read_bytes() == OLD and _leftovers(tmp_path) == []


STORE_SESSION = """
import json, sys
from reelgraph.project.store import ProjectStore
from reelgraph.errors import EditLogError
store = ProjectStore(sys.argv[1])
for n in range(5):
    print("ack", store.append({"n": n}), flush=True)
try:
    store.append({"n": 5, "pad": "x" * 2_000_000})
except EditLogError as exc:
    print("refused", exc.code, flush=True)
"""


def test_a_full_disk_refuses_the_edit_and_keeps_every_acknowledged_one(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(project([track("V1", "video", [])])))
    ProjectStore(path).close()  # the log exists before the limit applies
    script = tmp_path / "session.py"
    script.write_text(STORE_SESSION)
    done = subprocess.run(
        [sys.executable, "-c", LIMITED.replace("runpy.run_module", "runpy.run_path"),
         "1000000", str(script), str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[:5] == [f"ack {n}" for n in range(1, 6)], done.stderr
    assert lines[5] == "refused project.edit_log"
    with ProjectStore(path) as store:
        assert [e.data["n"] for e in store.edits_after(0)] == [0, 1, 2, 3, 4]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 KiB tmpfs, when this machine lets the tests mount one."""
    folder = tmp_path / f"tiny-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_real_full_disk_is_a_disk_full_error_and_keeps_the_old_output(tiny_disk, media_folder):
    output = tiny_disk / "out.mp4"
    output.write_bytes(OLD)
    command = ["render", str(_project_file(media_folder, "good.mp4", 12)), "-o", str(output)]
    # In a child process: the muxer keeps its partial file open after ENOSPC (a PyAV
    # close that failed midway), which would keep the tmpfs busy in this process.
    done = subprocess.run(
        [sys.executable, "-m", "reelgraph", *command, "--size", "320x240", "--no-cache", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 6, done.stdout + done.stderr
    assert json.loads(done.stdout)["error"]["code"] == "output.disk_full"
    assert output.read_bytes() == OLD and _leftovers(tiny_disk) == []


# -- a read-only output folder -------------------------------------------------------------


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder no one may write to: a read-only bind mount, or mode 0555 for non-root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "out.mp4").write_bytes(OLD)
    (folder / "p.json").write_text(json.dumps(project([track("V1", "video", [])])))
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    bound = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True
    )
    if bound.returncode != 0:
        pytest.skip("running as root without mount: permissions cannot stop root here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_read_only_output_folder_is_not_writable_and_its_files_are_kept(
    read_only_folder, media_folder
):
    output = read_only_folder / "out.mp4"
    status, text = _render(_project_file(media_folder, "good.mp4"), output)
    assert status == 6, text
    error = json.loads(text[: text.rindex("}") + 1])["error"]
    assert error["code"] == "output.not_writable"
    assert output.read_bytes() == OLD


def test_a_frame_into_a_read_only_folder_is_a_coded_error(read_only_folder, tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(project([track("V1", "video", [clip("a", 0, 5, color("#ffffff"))])]))
    )
    status = main(["frame", str(path), "--at", "0", "-o", str(read_only_folder / "f.png")])
    assert status == 6
    assert "error[output." in capsys.readouterr().err


def test_a_project_in_a_read_only_folder_cannot_start_an_edit_log(read_only_folder):
    with pytest.raises(EditLogError) as caught:
        ProjectStore(read_only_folder / "p.json")
    assert caught.value.code == "project.edit_log"


def test_the_output_error_classes_are_also_the_matching_builtins():
    assert issubclass(OutputNotWritableError, PermissionError)
    assert issubclass(DiskFullError, OSError)
