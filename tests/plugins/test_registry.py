"""Discovery (plugin path, environment, entry points) and registration."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from reelgraph.ecs import Schedule, Stage, World
from reelgraph.errors import (
    PluginConflictError,
    PluginFeatureError,
    PluginNotFoundError,
    PluginVersionError,
)
from reelgraph.plugins.discovery import PATH_VARIABLE, content_hash, discover

BAD_PLUGINS = Path(__file__).parent / "bad_plugins"


def write_plugin(root: Path, package: str, manifest: str, code: str) -> Path:
    folder = root / package
    folder.mkdir(parents=True)
    (folder / "plugin.toml").write_text(textwrap.dedent(manifest))
    (folder / "__init__.py").write_text(textwrap.dedent(code))
    return folder


EFFECT_CODE = """
    from reelgraph.plugins.protocols import OpSpec

    class Plugin:
        def effect_specs(self):
            return {"tint": OpSpec("tints", {"amount": 1.0}), "other": OpSpec("x", {})}

        def apply_effect(self, name, image, params):
            return image.copy()

    def create(context):
        return Plugin()
"""


def manifest(name: str, package: str, extra: str = "") -> str:
    return f"""
    [plugin]
    name = "{name}"
    version = "1.0"
    engine = ">=0.1"
    entry_point = "{package}:create"
    features = ["effect"]
    {extra}
    """


def test_the_plugin_path_finds_packages_by_their_manifests(tmp_path):
    found = discover([BAD_PLUGINS], entry_points=False, environ={})
    assert [c.name for c in found] == ["crash", "hang", "liar", "netgrab", "scribbler", "wrongsig"]
    assert {c.origin for c in found} == {"path"}
    assert found[0].folder == (BAD_PLUGINS / "rg_crash").resolve()


def test_the_environment_variable_extends_the_plugin_path(tmp_path):
    write_plugin(tmp_path, "rg_envtint", manifest("envtint", "rg_envtint"), EFFECT_CODE)
    found = discover([], entry_points=False, environ={PATH_VARIABLE: str(tmp_path)})
    assert [c.name for c in found] == ["envtint"]


def test_installed_example_plugins_are_found_through_entry_points():
    names = {c.name: c for c in discover([], environ={})}
    assert {"lut", "text"} <= set(names)
    assert names["lut"].origin == "entry_point"
    assert names["lut"].manifest.features == ("effect",)


def test_two_plugins_of_one_name_on_the_path_conflict(tmp_path):
    write_plugin(tmp_path / "a", "rg_one", manifest("same", "rg_one"), EFFECT_CODE)
    write_plugin(tmp_path / "b", "rg_two", manifest("same", "rg_two"), EFFECT_CODE)
    with pytest.raises(PluginConflictError):
        discover([tmp_path / "a", tmp_path / "b"], entry_points=False, environ={})


def test_the_content_hash_names_the_files_not_the_caches(tmp_path):
    folder = write_plugin(tmp_path, "rg_hashme", manifest("hashme", "rg_hashme"), EFFECT_CODE)
    before = content_hash(folder)
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert content_hash(folder) == before
    (folder / "__init__.py").write_text((folder / "__init__.py").read_text() + "\n# edit\n")
    assert content_hash(folder) != before


def test_effects_resolve_by_full_name_and_by_plugin_alone_when_unambiguous(tmp_path, registry):
    write_plugin(tmp_path, "rg_tints", manifest("tints", "rg_tints"), EFFECT_CODE)
    (candidate,) = discover([tmp_path], entry_points=False, environ={})
    registered = registry.register(candidate)
    assert registered.trusted
    assert registered.enforcement == {"network": "python", "filesystem": "python"}
    plugin, op, spec = registry.resolve("effect", "tints.tint")
    assert (plugin.name, op, spec.defaults["amount"]) == ("tints", "tint", 1.0)
    with pytest.raises(PluginNotFoundError, match=r"tints\.other, tints\.tint"):
        registry.resolve("effect", "tints")  # two effects, neither named like the plugin
    with pytest.raises(PluginNotFoundError):
        registry.resolve("generator", "tints.tint")


def test_a_plugin_named_like_a_built_in_effect_is_refused(tmp_path, registry):
    write_plugin(tmp_path, "rg_exposure", manifest("exposure", "rg_exposure"), EFFECT_CODE)
    (candidate,) = discover([tmp_path], entry_points=False, environ={})
    with pytest.raises(PluginConflictError, match="built-in"):
        registry.register(candidate)


def test_a_plugin_for_a_newer_engine_is_refused_before_its_code_runs(tmp_path, registry):
    code = "raise RuntimeError('must not be imported')\n"
    text = manifest("future", "rg_future").replace('">=0.1"', '">=5"')
    write_plugin(tmp_path, "rg_future", text, code)
    (candidate,) = discover([tmp_path], entry_points=False, environ={})
    with pytest.raises(PluginVersionError):
        registry.register(candidate)


def test_the_liar_is_refused_at_registration_and_not_registered(bad_plugins, registry):
    with pytest.raises(PluginFeatureError) as info:
        registry.register(bad_plugins["liar"])
    assert info.value.code == "plugin.feature_missing"
    assert "claims feature 'transition'" in info.value.message
    assert registry.get("liar") is None


SYSTEMS_CODE = """
    from dataclasses import dataclass
    from reelgraph.plugins.protocols import PluginSystem

    @dataclass(frozen=True)
    class Counted:
        ticks: int

    @dataclass(frozen=True)
    class Ticked:
        tick: int

    class Plugin:
        def systems(self):
            def first(world):
                world.resource(list).append("plugin:first")

            def second(world):
                world.resource(list).append("plugin:second")
                world.send(Ticked(1))

            return [
                PluginSystem("second", second, "output", after=(":first",)),
                PluginSystem("first", first, "output", after=("engine_out",)),
            ]

        def components(self):
            return [Counted]

        def events(self):
            return [Ticked]

    def create(context):
        return Plugin()
"""


def test_systems_join_their_sets_in_declared_order_with_their_events(tmp_path, registry):
    text = manifest("counter", "rg_counter", 'sets = ["output"]').replace(
        'features = ["effect"]', 'features = ["systems"]'
    )
    write_plugin(tmp_path, "rg_counter", text, SYSTEMS_CODE)
    (candidate,) = discover([tmp_path], entry_points=False, environ={})
    registry.register(candidate)
    world, schedule = World(), Schedule()
    world.insert_resource([])
    schedule.add_system(
        lambda w: w.resource(list).append("engine_out"), Stage.OUTPUT, name="engine_out"
    )
    added = registry.install(world, schedule)
    schedule.build()
    assert added == ["counter:second", "counter:first"]
    schedule.run(world)
    assert world.resource(list) == ["engine_out", "plugin:first", "plugin:second"]
    assert [t.__name__ for t in registry.components()["counter"]] == ["Counted"]
