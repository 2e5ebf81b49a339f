"""``reelgraph plugins list|check|lock`` and the generated lock file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reelgraph.cli.main import main
from reelgraph.errors import EXIT_CODES, PluginError
from reelgraph.plugins.lock import LOCK_SCHEMA

BAD_PLUGINS = Path(__file__).parent / "bad_plugins"
REFUSED = EXIT_CODES[PluginError]


@pytest.fixture
def good_and_liar(tmp_path: Path) -> Path:
    """A plugin folder with one good risky plugin (scribbler) and the liar."""
    folder = tmp_path / "plugins"
    for package in ("rg_scribbler", "rg_liar"):
        shutil.copytree(BAD_PLUGINS / package, folder / package)
    return folder


def run(capsys, *argv: str) -> tuple[int, dict]:
    status = main([*argv, "--json", "--no-entry-points"])
    return status, json.loads(capsys.readouterr().out)


def test_list_shows_manifests_without_running_plugin_code(good_and_liar, tmp_path, capsys):
    (good_and_liar / "rg_liar" / "__init__.py").write_text("raise SystemExit('ran!')\n")
    lock = str(tmp_path / "lock.json")
    status, data = run(
        capsys, "plugins", "list", "--plugin-path", str(good_and_liar), "--lock", lock
    )
    assert status == 0
    assert [(p["name"], p["risky"], p["lock"]) for p in data["plugins"]] == [
        ("liar", False, "unlocked"),
        ("scribbler", True, "unlocked"),
    ]


def test_lock_records_what_was_verified_and_what_was_refused(good_and_liar, tmp_path, capsys):
    lock = tmp_path / "reelgraph-plugins.lock.json"
    args = ("--plugin-path", str(good_and_liar), "--lock", str(lock))
    status, data = run(capsys, "plugins", "lock", *args)
    assert status == REFUSED  # the liar was refused
    written = json.loads(lock.read_text())
    assert written == data["document"]
    assert written["schema"] == LOCK_SCHEMA
    liar, scribbler = written["plugins"]
    assert liar == {
        "name": "liar",
        "status": "refused",
        "code": "plugin.feature_missing",
        "message": liar["message"],
    }
    assert "transition" in liar["message"]
    assert scribbler["status"] == "verified"
    assert scribbler["mode"] == "sandboxed" and scribbler["trusted"] is False
    assert scribbler["content_hash"].startswith("sha256:")
    assert scribbler["verified"]["effects"]["write"]["defaults"] == {"target": ""}
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, nothing left behind
    again = lock.read_bytes()
    run(capsys, "plugins", "lock", *args)
    assert lock.read_bytes() == again  # no timestamps: same plugins, same bytes


def test_check_reports_changed_plugins_against_the_lock(good_and_liar, tmp_path, capsys):
    shutil.rmtree(good_and_liar / "rg_liar")
    lock = tmp_path / "lock.json"
    args = ("--plugin-path", str(good_and_liar), "--lock", str(lock))
    assert run(capsys, "plugins", "lock", *args)[0] == 0
    status, data = run(capsys, "plugins", "check", *args)
    assert status == 0 and data["plugins"][0]["lock"] == "locked"
    init = good_and_liar / "rg_scribbler" / "__init__.py"
    init.write_text(init.read_text() + "\n# changed\n")
    status, data = run(capsys, "plugins", "check", *args)
    assert status == REFUSED and data["plugins"][0]["lock"] == "changed"


def test_lock_never_overwrites_a_file_it_did_not_write(good_and_liar, tmp_path, capsys):
    mine = tmp_path / "notes.json"
    mine.write_text('{"my": "notes"}')
    status = main(["plugins", "lock", "--plugin-path", str(good_and_liar), "--lock", str(mine)])
    assert status == REFUSED
    assert mine.read_text() == '{"my": "notes"}'
    assert "plugin.lock" in capsys.readouterr().err


def test_check_in_text_says_how_each_plugin_is_confined(good_and_liar, tmp_path, capsys):
    lock = str(tmp_path / "lock.json")
    status = main(
        [
            "plugins",
            "check",
            "--no-entry-points",
            "--plugin-path",
            str(good_and_liar),
            "--lock",
            lock,
        ]
    )
    out = capsys.readouterr().out
    assert status == REFUSED
    assert "REFUSED  liar: [plugin.feature_missing]" in out
    assert "ok       scribbler: effect (scribbler.write); sandboxed" in out
