"""plugin.toml: what is accepted, and errors that name the field."""

from __future__ import annotations

import pytest

from reelgraph.errors import PluginManifestError, PluginVersionError
from reelgraph.plugins.manifest import (
    PluginManifest,
    check_engine_version,
    parse_manifest,
    version_in_range,
)

GOOD = """
[plugin]
name = "grain"
version = "1.2.0"
engine = ">=0.1, <1"
entry_point = "grain.plugin:create"
summary = "Film grain"
capabilities = ["gpu"]
features = ["generator", "effect"]
risky = true
"""


def manifest(**changes: str) -> str:
    text = GOOD
    for key, value in changes.items():
        lines = [line for line in text.splitlines() if not line.startswith(f"{key} =")]
        text = "\n".join(lines) + (f"\n{key} = {value}\n" if value else "\n")
    return text


def test_a_good_manifest_reads_into_a_frozen_record():
    parsed = parse_manifest(GOOD)
    assert parsed == PluginManifest(
        name="grain",
        version="1.2.0",
        engine=">=0.1, <1",
        entry_point="grain.plugin:create",
        summary="Film grain",
        capabilities=("gpu",),
        features=("effect", "generator"),
        risky=True,
        sets=(),
    )
    assert parsed.to_dict()["features"] == ["effect", "generator"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "plugin.name"),
        ({"name": '"Has Caps"'}, "plugin.name"),
        ({"version": '"one"'}, "plugin.version"),
        ({"entry_point": '"no_colon"'}, "plugin.entry_point"),
        ({"features": '["effect", "teleport"]'}, "plugin.features[1]"),
        ({"capabilities": '["camera"]'}, "plugin.capabilities[0]"),
        ({"risky": '"yes"'}, "plugin.risky"),
        ({"engine": '"about 1"'}, "plugin.engine"),
        ({"colour": '"red"'}, "plugin.colour"),
        ({"sets": '["graph_eval"]'}, "plugin.sets"),
        ({"sets": '["nowhere"]', "features": '["systems"]', "risky": "false"}, "plugin.sets[0]"),
        ({"features": '["systems"]', "sets": '["output"]'}, "plugin.features"),
    ],
)
def test_a_bad_field_is_refused_with_its_name(changes, field):
    with pytest.raises(PluginManifestError) as info:
        parse_manifest(manifest(**changes))
    assert info.value.params["field"] == field
    assert info.value.code == "plugin.manifest"
    assert field in info.value.message


def test_text_that_is_not_toml_is_a_manifest_error():
    with pytest.raises(PluginManifestError, match="not valid TOML"):
        parse_manifest("[plugin\nname=")


def test_keys_outside_the_plugin_table_are_refused():
    with pytest.raises(PluginManifestError) as info:
        parse_manifest(GOOD + "\n[extra]\nx = 1\n")
    assert info.value.params["field"] == "extra"


def test_system_sets_are_read_as_stages_in_tick_order():
    text = manifest(features='["systems"]', risky="false", sets='["output", "Ingest"]')
    assert parse_manifest(text).sets == ("INGEST", "OUTPUT")


@pytest.mark.parametrize(
    ("version", "spec", "inside"),
    [
        ("0.1.0", ">=0.1, <1", True),
        ("1.0", ">=0.1, <1", False),
        ("0.1", "==0.1.0", True),
        ("0.2.5", ">0.2.4", True),
        ("0.1.0", "!=0.1", False),
    ],
)
def test_engine_ranges_compare_dotted_versions(version, spec, inside):
    assert version_in_range(version, spec) is inside


def test_a_plugin_for_another_engine_version_is_refused():
    with pytest.raises(PluginVersionError) as info:
        check_engine_version(parse_manifest(manifest(engine='">=2"')), "0.1.0")
    assert info.value.code == "plugin.engine_version"


def test_the_plugins_package_exports_resolve():
    import reelgraph.plugins as plugins

    for name in plugins.__all__:
        assert getattr(plugins, name) is not None
