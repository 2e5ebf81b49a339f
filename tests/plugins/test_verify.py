"""Feature verification: a plugin that claims what it does not implement is refused."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from reelgraph.errors import PluginFeatureError
from reelgraph.plugins.manifest import PluginManifest
from reelgraph.plugins.protocols import OpSpec, PluginSystem
from reelgraph.plugins.verify import PluginDescription, verify_plugin


def manifest(*features: str, sets: tuple[str, ...] = ()) -> PluginManifest:
    return PluginManifest("demo", "1.0", ">=0.1", "demo:create", features=features, sets=sets)


SPEC = OpSpec(
    "tints",
    MappingProxyType({"amount": 0.5, "mode": "soft", "file": "", "offset": (0.0, 0.0)}),
    ranges=MappingProxyType({"amount": (0.0, 1.0)}),
    choices=MappingProxyType({"mode": ("soft", "hard")}),
    paths=("file",),
)


class Effect:
    def effect_specs(self):
        return {"tint": SPEC}

    def apply_effect(self, name, image, params):
        return image


class Generator:
    def generator_specs(self):
        return {"bars": OpSpec("colour bars", {})}

    def generate(self, name, width, height, params, /):  # positional-only: any names do
        return None

    def extra(self, optional=1):
        return optional


def test_a_plugin_implementing_its_claims_is_described():
    description = verify_plugin(Effect(), manifest("effect"))
    assert description.features == ("effect",)
    assert description.effects["tint"] is SPEC
    assert PluginDescription.from_dict(description.to_dict()) == description


def test_a_plugin_claiming_a_feature_it_lacks_is_refused_naming_the_method():
    with pytest.raises(PluginFeatureError) as info:
        verify_plugin(Effect(), manifest("effect", "generator"))
    error = info.value
    assert error.code == "plugin.feature_missing"
    assert error.params["feature"] == "generator"
    assert "generator_specs() is missing" in error.message


def test_parameters_in_the_wrong_order_are_a_wrong_signature():
    class Swapped(Effect):
        def apply_effect(self, image, name, params):
            return image

    with pytest.raises(PluginFeatureError, match="parameter 'image' should be 'name'"):
        verify_plugin(Swapped(), manifest("effect"))


@pytest.mark.parametrize(
    ("method", "problem"),
    [
        ("def apply_effect(self, name, image): ...", "takes 2 argument"),
        ("def apply_effect(self, name, image, params, strict): ...", "extra parameter"),
        ("def apply_effect(self, name, image, params, *, fast): ...", "keyword-only"),
        ("apply_effect = 3", "not a method"),
    ],
)
def test_signatures_are_checked_with_inspect(method, problem):
    namespace: dict[str, object] = {}
    exec(f"class Bad:\n    {method}\n", namespace)
    bad = type("Bad", (namespace["Bad"], Effect), {})
    with pytest.raises(PluginFeatureError, match=problem):
        verify_plugin(bad(), manifest("effect"))


def test_positional_only_parameters_and_defaulted_extras_are_accepted():
    description = verify_plugin(Generator(), manifest("generator"))
    assert list(description.generators) == ["bars"]


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({}, "no table"),
        ({"Bad Name": SPEC}, "a_lowercase_name"),
        ({"ok": "not a spec"}, "not an OpSpec"),
        ({"ok": OpSpec("x", {"mode": "x"}, choices={"mode": ("a", "b")})}, "choices"),
        ({"ok": OpSpec("x", {"mode": "x"}, ranges={"mode": (0, 1)})}, "non-numeric"),
    ],
)
def test_malformed_spec_tables_are_refused(table, problem):
    class Tables(Effect):
        def effect_specs(self):
            return table

    with pytest.raises(PluginFeatureError, match=problem):
        verify_plugin(Tables(), manifest("effect"))


class Systems:
    def __init__(self, stage: str) -> None:
        self.stage = stage

    def systems(self):
        return [PluginSystem("count", lambda world: None, self.stage)]

    def components(self):
        return []

    def events(self):
        return []


def test_a_system_in_a_declared_set_is_accepted():
    verify_plugin(Systems("output"), manifest("systems", sets=("OUTPUT",)))


def test_a_system_joining_a_set_the_manifest_does_not_name_is_refused():
    with pytest.raises(PluginFeatureError, match="joins INGEST"):
        verify_plugin(Systems("ingest"), manifest("systems", sets=("OUTPUT",)))
