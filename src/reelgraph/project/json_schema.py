"""The JSON Schema of the project file, published from the code.

Every object carries a ``"schema": "Name.N"`` label. Sources and other polymorphic
objects are told apart by that label (``if``/``then`` on it), so a validation error names
the exact field rather than "not valid under any of the given schemas".
``reelgraph schema`` prints :func:`project_json_schema`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CURRENT_VERSIONS", "project_json_schema"]

#: The schema labels this engine reads and writes, with their current version.
CURRENT_VERSIONS: dict[str, int] = {
    "Project": 1,
    "Format": 1,
    "ExportSettings": 1,
    "Sequence": 1,
    "Track": 1,
    "Clip": 1,
    "Transition": 1,
    "Effect": 1,
    "Transform": 1,
    "Animated": 1,
    "MediaSource": 1,
    "ImageSequenceSource": 1,
    "ColorSource": 1,
    "SequenceSource": 1,
    "GeneratorSource": 1,
}

_ID = {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,128}$"}
_FRAMES = {"type": "integer"}
_RATE = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?(\s*/\s*\d+)?\s*$"},
    ]
}
_SPEED = {
    "anyOf": [
        {"type": "number", "not": {"const": 0}},
        {"type": "string", "pattern": r"^\s*-?\d+(\.\d+)?(\s*/\s*\d+)?\s*$"},
    ]
}
_COLOR = {
    "oneOf": [
        {"type": "string", "pattern": r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"},
        {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 4},
    ]
}
_VECTOR = {"type": "array", "items": {"type": "number"}, "minItems": 1, "maxItems": 4}
_NUMBER_PARAM = {"anyOf": [{"type": "number"}, {"$ref": "#/$defs/Animated.1"}]}
_VECTOR_PARAM = {"anyOf": [{"type": "number"}, _VECTOR, {"$ref": "#/$defs/Animated.1"}]}
# Plugin parameters may also be strings (text, file names, choices); never keyframed.
_PLUGIN_PARAM = {"anyOf": [*_VECTOR_PARAM["anyOf"], {"type": "string"}]}
_PLUGIN_KIND = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$"}
_METADATA = {"type": "object"}


def _labelled(
    name: str, properties: dict[str, Any], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["schema", *required],
        "properties": {"schema": {"const": f"{name}.1"}, "metadata": _METADATA, **properties},
        "additionalProperties": False,
    }


def _one_of_labels(*labels: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["schema"],
        "properties": {"schema": {"enum": list(labels)}},
        "allOf": [
            {
                "if": {"properties": {"schema": {"const": label}}},
                "then": {"$ref": f"#/$defs/{label}"},
            }
            for label in labels
        ],
    }


def _defs() -> dict[str, Any]:
    sources = (
        "MediaSource.1",
        "ImageSequenceSource.1",
        "ColorSource.1",
        "SequenceSource.1",
        "GeneratorSource.1",
    )
    return {
        "Animated.1": _labelled(
            "Animated",
            {
                "keys": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["frame", "value"],
                        "properties": {
                            "frame": {"type": "number"},
                            "value": {"anyOf": [{"type": "number"}, _VECTOR]},
                            "interp": {
                                "enum": ["linear", "hold", "ease_in", "ease_out", "ease_in_out"]
                            },
                        },
                        "additionalProperties": False,
                    },
                }
            },
            ("keys",),
        ),
        "Format.1": _labelled(
            "Format",
            {
                "width": {"type": "integer", "minimum": 2, "maximum": 16384, "multipleOf": 2},
                "height": {"type": "integer", "minimum": 2, "maximum": 16384, "multipleOf": 2},
                "rate": _RATE,
                "sample_rate": {"type": "integer", "minimum": 8000, "maximum": 384000},
                "channels": {"enum": [1, 2]},
                "background": _COLOR,
            },
            ("width", "height", "rate"),
        ),
        "ExportSettings.1": _labelled(
            "ExportSettings",
            {
                "preset": {"type": "string"},
                "video_codec": {"enum": ["h264", "h265", "prores", "ffv1", "png"]},
                "pix_fmt": {"type": "string"},
                "crf": {"type": "integer", "minimum": 0, "maximum": 63},
                "encoder_preset": {"type": "string"},
                "threads": {"type": "integer", "minimum": 1, "maximum": 64},
                "gop": {"type": "integer", "minimum": 1},
                "bit_depth": {"enum": [8, 16]},
                "audio_codec": {"enum": ["aac", "flac", "pcm_s16le", "pcm_s24le", "none"]},
                "audio_bitrate": {"type": "integer", "minimum": 8000},
                "width": {"type": "integer", "minimum": 2, "multipleOf": 2},
                "height": {"type": "integer", "minimum": 2, "multipleOf": 2},
                "rate": _RATE,
                "segment_frames": {"type": "integer", "minimum": 1},
            },
        ),
        "MediaSource.1": _labelled(
            "MediaSource", {"path": {"type": "string", "minLength": 1}}, ("path",)
        ),
        "ImageSequenceSource.1": _labelled(
            "ImageSequenceSource",
            {
                "pattern": {"type": "string", "minLength": 1},
                "start_number": {"type": "integer", "minimum": 0},
                "rate": _RATE,
            },
            ("pattern", "rate"),
        ),
        "ColorSource.1": _labelled("ColorSource", {"color": _COLOR}, ("color",)),
        "SequenceSource.1": _labelled("SequenceSource", {"sequence": _ID}, ("sequence",)),
        "GeneratorSource.1": _labelled(
            "GeneratorSource",
            {
                "generator": _PLUGIN_KIND,
                "params": {"type": "object", "additionalProperties": _PLUGIN_PARAM},
            },
            ("generator",),
        ),
        "Source": _one_of_labels(*sources),
        "Transform.1": _labelled(
            "Transform",
            {
                "position": _VECTOR_PARAM,
                "scale": _VECTOR_PARAM,
                "rotation": _NUMBER_PARAM,
                "anchor": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                },
                "crop": _VECTOR_PARAM,
                "fit": {"enum": ["none", "contain", "cover", "stretch"]},
            },
        ),
        "Effect.1": _labelled(
            "Effect",
            {
                "id": _ID,
                "kind": {"type": "string", "minLength": 1},
                "params": {"type": "object", "additionalProperties": _PLUGIN_PARAM},
            },
            ("kind",),
        ),
        "Clip.1": _labelled(
            "Clip",
            {
                "id": _ID,
                "start": _FRAMES,
                "duration": _FRAMES,
                "source": {"$ref": "#/$defs/Source"},
                "source_in": _FRAMES,
                "speed": _SPEED,
                "transform": {"$ref": "#/$defs/Transform.1"},
                "opacity": _NUMBER_PARAM,
                "blend": {"enum": ["normal", "add", "multiply", "screen", "overlay"]},
                "gain_db": _NUMBER_PARAM,
                "fade_in": {"type": "integer", "minimum": 0},
                "fade_out": {"type": "integer", "minimum": 0},
                "effects": {"type": "array", "items": {"$ref": "#/$defs/Effect.1"}},
            },
            ("id", "start", "duration", "source"),
        ),
        "Transition.1": _labelled(
            "Transition",
            {
                "id": _ID,
                "kind": {"enum": ["dissolve", "wipe"]},
                "from": _ID,
                "to": _ID,
                "direction": {
                    "enum": ["left_to_right", "right_to_left", "top_to_bottom", "bottom_to_top"]
                },
                "softness": {"type": "number", "minimum": 0, "maximum": 1},
            },
            ("from", "to"),
        ),
        "Track.1": _labelled(
            "Track",
            {
                "id": _ID,
                "kind": {"enum": ["video", "audio"]},
                "name": {"type": "string"},
                "enabled": {"type": "boolean"},
                "clips": {"type": "array", "items": {"$ref": "#/$defs/Clip.1"}},
                "transitions": {"type": "array", "items": {"$ref": "#/$defs/Transition.1"}},
            },
            ("id", "kind"),
        ),
        "Sequence.1": _labelled(
            "Sequence",
            {"id": _ID, "tracks": {"type": "array", "items": {"$ref": "#/$defs/Track.1"}}},
            ("id",),
        ),
        "Project.1": _labelled(
            "Project",
            {
                "name": {"type": "string"},
                "format": {"$ref": "#/$defs/Format.1"},
                "export": {"$ref": "#/$defs/ExportSettings.1"},
                "main": _ID,
                "sequences": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"$ref": "#/$defs/Sequence.1"},
                },
            },
            ("format", "sequences"),
        ),
    }


def project_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every valid project file satisfies."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://reelgraph.dev/schema/Project.1.json",
        "title": "reelgraph project",
        "$ref": "#/$defs/Project.1",
        "$defs": _defs(),
    }
