"""The gettext catalogs: every error code speaks English and Japanese, and the CLI uses them."""

from __future__ import annotations

import gettext
import inspect
import json
import string
from pathlib import Path

import pytest

import reelgraph.errors as errors_module
from reelgraph.cli.main import main
from reelgraph.cli.report import report_error
from reelgraph.errors import (
    ProjectValidationError,
    ReelgraphError,
    SchemaTooNewError,
    SnapshotNotFoundError,
    UnknownSchemaError,
)
from reelgraph.i18n import detect_language, language_from_argv, localize
from reelgraph.i18n.catalog import DOMAIN, LOCALE_DIR, template
from reelgraph.i18n.msgfmt import mo_bytes, parse_po, po_files


def _all_error_classes() -> list[type[ReelgraphError]]:
    found: dict[str, type[ReelgraphError]] = {}
    pending: list[type[ReelgraphError]] = [ReelgraphError]
    while pending:
        cls = pending.pop()
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
        pending.extend(cls.__subclasses__())
    for value in vars(errors_module).values():
        if inspect.isclass(value) and issubclass(value, ReelgraphError):
            found[f"{value.__module__}.{value.__qualname__}"] = value
    return sorted(found.values(), key=lambda c: c.code)


ERROR_CLASSES = _all_error_classes()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_error_code_has_a_message_and_a_hint_in_english_and_japanese(lang):
    missing = [
        f"{cls.__name__}: {msgid}"
        for cls in ERROR_CLASSES
        for msgid in (cls.code, f"{cls.code}.hint")
        if template(msgid, lang) is None
    ]
    assert missing == [], f"add these to locale/{lang}/LC_MESSAGES/reelgraph.po"


def test_english_hints_are_the_hints_of_the_error_tree():
    drifted = [
        cls.__name__ for cls in ERROR_CLASSES if template(f"{cls.code}.hint", "en") != cls.hint
    ]
    assert drifted == []


def test_every_error_class_has_a_hint():
    assert [cls.__name__ for cls in ERROR_CLASSES if not cls.hint] == []


def test_english_and_japanese_entries_use_the_same_fields():
    english = parse_po((LOCALE_DIR / "en/LC_MESSAGES/reelgraph.po").read_text("utf-8"))
    japanese = parse_po((LOCALE_DIR / "ja/LC_MESSAGES/reelgraph.po").read_text("utf-8"))
    assert set(english) == set(japanese)
    mismatched = [k for k in english if k and _fields(english[k]) != _fields(japanese[k])]
    assert mismatched == []


def test_the_committed_mo_files_are_what_their_po_files_compile_to():
    files = po_files()
    assert {p.parts[-3] for p in files} == {"en", "ja"}
    for po in files:
        compiled = mo_bytes(parse_po(po.read_text("utf-8"), str(po)))
        assert po.with_suffix(".mo").read_bytes() == compiled, (
            f"{po} changed: run python -m reelgraph.i18n.msgfmt"
        )


def test_gettext_reads_the_catalogs_as_standard_mo_files():
    japanese = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=["ja"])
    assert japanese.gettext("project.not_found") == "プロジェクトファイルがありません: {path}"
    assert japanese.info()["content-type"] == "text/plain; charset=UTF-8"


def test_msgfmt_reads_escapes_multiline_strings_and_skips_fuzzy_entries(tmp_path):
    po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# a comment\nmsgid "a"\nmsgstr "line one\\n"\n"line \\"two\\""\n\n'
        '#, fuzzy\nmsgid "b"\nmsgstr "not yet"\n\nmsgid "c"\nmsgstr "ç\\t"\n'
    )
    entries = parse_po(po)
    assert entries["a"] == 'line one\nline "two"' and entries["c"] == "ç\t" and "b" not in entries
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "t.mo").write_bytes(mo_bytes(entries))
    translations = gettext.translation("t", str(tmp_path), languages=["xx"])
    assert translations.gettext("a") == entries["a"] and translations.gettext("c") == "ç\t"


def test_msgfmt_refuses_a_duplicate_msgid():
    with pytest.raises(ValueError, match="twice"):
        parse_po('msgid "a"\nmsgstr "1"\nmsgid "a"\nmsgstr "2"\n')


def test_a_validation_error_reads_in_japanese_with_its_path_and_english_detail():
    error = ProjectValidationError(
        "clips[0].start: 'x' is not of type 'integer'", path="clips[0].start"
    )
    localized = localize(error, "ja")
    assert localized.message.startswith("clips[0].start: ")
    assert "'x' is not of type 'integer'" in localized.message
    assert "フィールド" in localized.message and localized.hint.endswith("。")
    assert localize(error, "en").message == error.message


def test_a_template_whose_params_are_missing_falls_back_to_the_parent_code():
    error = SchemaTooNewError("$.schema: Project.9 is too new")  # no path/schema/current
    localized = localize(error, "ja")
    assert "Project.9 is too new" in localized.message
    assert localized.hint == template("project.too_new.hint", "ja")


def test_a_full_template_is_filled_from_the_errors_params():
    error = SnapshotNotFoundError("no snapshot 7", snapshot=7)
    assert localize(error, "ja").message == "編集ログにスナップショット 7 はありません"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP"}, "ja"),
        ({"LANGUAGE": "fr:ja", "LANG": "en_US.UTF-8"}, "ja"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_the_language_follows_the_gettext_environment(environ, expected):
    assert detect_language(None, environ) == expected


def test_an_explicit_lang_option_wins_over_the_environment():
    assert language_from_argv(["info", "x", "--lang", "ja"], {"LANG": "C"}) == "ja"
    assert language_from_argv(["--lang=en", "info"], {"LANG": "ja_JP.UTF-8"}) == "en"
    assert language_from_argv(["--lang", "xx"], {"LANG": "ja_JP.UTF-8"}) == "ja"


def test_the_cli_prints_errors_in_japanese_with_lang_ja(tmp_path, capsys):
    missing = tmp_path / "none.json"
    assert main(["--lang", "ja", "info", str(missing)]) == 3
    err = capsys.readouterr().err
    assert f"エラー[project.not_found]: プロジェクトファイルがありません: {missing}" in err
    assert "ヒント: プロジェクトファイルのパスを確認してください。" in err


def test_the_cli_speaks_japanese_when_the_locale_is_japanese(tmp_path, capsys, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert main(["info", "--bogus"]) == 2
    assert "エラー[cli.usage]" in capsys.readouterr().err
    assert main(["info", str(tmp_path / "x.json"), "--lang", "en"]) == 3
    assert "error[project.not_found]: no project file at" in capsys.readouterr().err


def test_json_errors_keep_the_english_message_and_add_the_localized_text(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"schema": "Project.7"}))
    assert main(["info", str(path), "--json", "--lang", "ja"]) == 3
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "project.too_new"
    assert error["message"].startswith("schema: Project.7 is newer")
    assert error["localized"]["lang"] == "ja"
    assert "reelgraph を更新してください" in error["localized"]["message"]


def test_a_bug_is_reported_as_a_bug_in_japanese_with_its_trace_in_the_log(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    try:
        {}["missing"]
    except KeyError as exc:
        status = report_error(exc, as_json=False, lang="ja")
    assert status == 70
    err = capsys.readouterr().err
    assert "エラー[internal.bug]: 内部エラー（KeyError: 'missing'）" in err
    assert "Traceback" not in err
    log = Path(tmp_path, "reelgraph", "reelgraph.log").read_text()
    assert "Traceback" in log and "KeyError" in log


def test_unknown_schema_and_too_new_are_told_apart():
    assert issubclass(SchemaTooNewError, UnknownSchemaError)
    assert SchemaTooNewError.code != UnknownSchemaError.code
