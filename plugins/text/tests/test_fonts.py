"""Finding fonts by alias, file name or path."""

from __future__ import annotations

from pathlib import Path

import pytest
from reelgraph_text.fonts import FontNotFoundError, find_cjk_font, find_font, has_cjk


def test_aliases_find_installed_files():
    assert find_font("sans-bold").name.lower().endswith((".ttf", ".otf", ".ttc"))
    assert "bold" in find_font("sans-bold").name.lower()


def test_a_path_that_is_a_font_file_is_used_as_is():
    path = find_font("sans")
    assert find_font(str(path)) == path


def test_a_missing_relative_path_falls_back_to_its_file_name(tmp_path):
    name = find_font("sans").name
    assert find_font(str(tmp_path / name)).name == name


def test_auto_picks_a_cjk_font_for_japanese_text():
    if find_cjk_font() is None:
        pytest.skip("no CJK font installed (scripts/setup.sh installs fonts-ipafont-gothic)")
    assert find_font("auto", "字幕") == find_font("cjk-bold")
    assert find_font("auto", "Title") == find_font("sans-bold")


def test_an_unknown_font_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("REELGRAPH_FONT_PATH", str(tmp_path))
    with pytest.raises(FontNotFoundError, match=str(tmp_path)):
        find_font("NoSuchFont-Regular.ttf")


def test_cjk_detection_covers_kana_kanji_and_hangul():
    assert has_cjk("ひらがな") and has_cjk("カタカナ") and has_cjk("漢字") and has_cjk("한글")
    assert not has_cjk("Crème brûlée — 2026")


def test_the_font_path_variable_adds_folders(monkeypatch, tmp_path):
    source = find_font("sans")
    (tmp_path / "MyBrand-Regular.ttf").write_bytes(Path(source).read_bytes())
    monkeypatch.setenv("REELGRAPH_FONT_PATH", str(tmp_path))
    assert find_font("MyBrand-Regular") == tmp_path / "MyBrand-Regular.ttf"
