"""The optimiser saves work without changing a single float."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reelgraph.engine.engine import Engine
from reelgraph.engine.media_pool import MediaPool
from reelgraph.graph.build import GraphContext, build_frame_graph
from reelgraph.graph.nodes import BlendNode, FusedNode, OpacityNode, SolidNode
from reelgraph.graph.optimize import optimize
from reelgraph.project.load import load_project_data
from reelgraph.render.cpu import CpuBackend
from reelgraph.testing import clip, color, effect, keys, project, track, transform, transition

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def graphs(data: dict, frame: int, base: Path = Path(".")):
    engine = Engine(load_project_data(data, base))
    pool = engine.world.resource(MediaPool)
    fmt = engine.document.format
    plain = GraphContext(
        engine.index,
        fmt,
        fmt.width,
        fmt.height,
        pool.size,
        optimize=False,
        source_opaque=pool.is_opaque,
        plugin_keeps_alpha=engine.plugins.keeps_alpha if engine.plugins is not None else None,
    )
    graph = build_frame_graph(plain, "main", frame)
    return engine, graph, optimize(graph)


def evaluate(engine: Engine, graph) -> np.ndarray:
    backend = CpuBackend()
    pool = engine.world.resource(MediaPool)
    return backend.to_array(graph.evaluate(backend, pool.picture, engine.plugins))


SCENES = {
    "solids": project(
        [
            track(
                "V1",
                "video",
                [
                    clip(
                        "a",
                        0,
                        10,
                        color("#336699"),
                        opacity=1.0,
                        effects=[effect("exposure", stops=0.0), effect("saturation", amount=1.5)],
                    )
                ],
            ),
            track(
                "V2",
                "video",
                [clip("b", 0, 10, color([0.2, 0.9, 0.4]), opacity=0.6, blend="overlay")],
            ),
        ]
    ),
    "chain": project(
        [
            track(
                "V1",
                "video",
                [
                    clip(
                        "a",
                        0,
                        10,
                        color("#808080"),
                        transform=transform(scale=0.5, rotation=30),
                        effects=[
                            effect("gaussian_blur", radius=1.0),
                            effect("exposure", stops=0.5),
                            effect("saturation", amount=0.3),
                            effect("invert", amount=0.2),
                        ],
                        opacity=0.7,
                    )
                ],
            ),
        ]
    ),
    "opacity": project(
        [
            track(
                "V1",
                "video",
                [clip("a", 0, 10, color("#336699"), transform=transform(scale=0.7, rotation=10))],
            ),
            track(
                "V2",
                "video",
                [
                    clip(
                        "b",
                        0,
                        10,
                        color([0.9, 0.3, 0.1, 0.8]),
                        transform=transform(scale=0.5, rotation=-20),
                        opacity=keys((0, 0.2), (9, 0.9)),
                        blend="multiply",
                    )
                ],
            ),
        ]
    ),
    "transition": project(
        [
            track(
                "V1",
                "video",
                [clip("a", 0, 10, color("#ff0000")), clip("b", 5, 10, color("#0000ff"))],
                [transition("a", "b")],
            ),
        ]
    ),
}


@pytest.mark.parametrize("scene", sorted(SCENES))
@pytest.mark.parametrize("frame", [0, 3, 7, 9])
def test_optimised_graphs_give_bit_identical_pixels(scene, frame):
    engine, graph, (optimised, _) = graphs(SCENES[scene], frame)
    assert np.array_equal(evaluate(engine, graph), evaluate(engine, optimised))


def test_the_demo_renders_identically_optimised(tmp_path):
    demo_media = EXAMPLES / "media"
    if not (demo_media / "a.mp4").exists():
        from reelgraph.demo import generate_demo_media

        generate_demo_media(demo_media)
    import json

    data = json.loads((EXAMPLES / "demo.json").read_text())
    for frame in (10, 125, 170):
        engine, graph, (optimised, report) = graphs(data, frame, EXAMPLES)
        assert np.array_equal(evaluate(engine, graph), evaluate(engine, optimised))
        assert len(optimised.nodes) <= report.original


def test_identity_nodes_are_skipped_and_solids_folded():
    _, _, (optimised, report) = graphs(SCENES["solids"], 2)
    assert report.skipped >= 1 and report.folded >= 2
    assert all(isinstance(n, SolidNode) for n in optimised.nodes)


def test_a_blend_absorbs_the_opacity_of_its_layer():
    _, _, (optimised, report) = graphs(SCENES["opacity"], 4)
    assert report.absorbed == 1
    assert not any(isinstance(n, OpacityNode) for n in optimised.nodes)


def test_per_pixel_chains_are_fused_into_one_node():
    _, _, (optimised, report) = graphs(SCENES["chain"], 2)
    fused = [n for n in optimised.nodes if isinstance(n, FusedNode)]
    assert report.fused >= 1 and len(fused) == 1
    assert [type(step).__name__ for step in fused[0].steps] == ["EffectOpNode"] * 3


def test_an_animated_opacity_at_one_is_skipped_only_where_it_is_one():
    data = project(
        [
            track(
                "V1",
                "video",
                [
                    clip(
                        "a",
                        0,
                        10,
                        color("#ff0000"),
                        transform=transform(scale=0.5),
                        opacity=keys((0, 0.5), (5, 1.0)),
                    )
                ],
            )
        ]
    )
    _, _, (early, _) = graphs(data, 1)
    _, _, (late, late_report) = graphs(data, 8)
    # Early the opacity is real (its blend takes it over); late there is none at all.
    assert [n.opacity for n in early.nodes if isinstance(n, BlendNode)] == [0.6]
    assert not any(isinstance(n, OpacityNode) for n in late.nodes)
    assert late_report.absorbed == 0


def test_an_opaque_full_frame_source_hides_the_background_without_changing_pixels(tmp_path):
    from reelgraph.graph.nodes import BlendNode
    from reelgraph.testing import media
    from reelgraph.testing.generated_media import write_numbered_clip, write_solid_png

    write_numbered_clip(tmp_path / "v.mp4", 10)
    write_solid_png(tmp_path / "half.png", (255, 0, 0, 128), 64, 48)
    data = project([track("V1", "video", [clip("v", 0, 10, media("v.mp4"))])], background="#336699")
    engine, graph, (optimised, report) = graphs(data, 5, tmp_path)
    assert not any(isinstance(n, (BlendNode, SolidNode)) for n in optimised.nodes)
    assert report.notes
    assert np.array_equal(evaluate(engine, graph), evaluate(engine, optimised))
    translucent = project([track("V1", "video", [clip("p", 0, 10, media("half.png"))])])
    engine, graph, (optimised, _) = graphs(translucent, 5, tmp_path)
    assert any(isinstance(n, BlendNode) for n in optimised.nodes)
    assert np.array_equal(evaluate(engine, graph), evaluate(engine, optimised))


def test_colour_effects_and_alpha_keeping_plugins_leave_an_opaque_source_covering(tmp_path):
    from reelgraph.graph.nodes import BlendNode, PluginEffectNode
    from reelgraph.testing import media
    from reelgraph.testing.generated_media import write_numbered_clip

    write_numbered_clip(tmp_path / "v.mp4", 10)
    grid = np.linspace(0.0, 1.0, 3)
    rows = [f"{r**1.2:.6f} {g:.6f} {b**0.8:.6f}" for b in grid for g in grid for r in grid]
    (tmp_path / "warm.cube").write_text("LUT_3D_SIZE 3\n" + "\n".join(rows) + "\n")
    lut = {"schema": "Effect.1", "kind": "lut.apply", "params": {"file": "warm.cube"}}
    graded = clip("v", 0, 10, media("v.mp4"), effects=[lut, effect("saturation", amount=1.3)])
    data = project([track("V1", "video", [graded])], background="#336699")
    engine, graph, (optimised, _) = graphs(data, 5, tmp_path)
    assert any(isinstance(n, PluginEffectNode) and n.keeps_alpha for n in optimised.nodes)
    assert not any(isinstance(n, (BlendNode, SolidNode)) for n in optimised.nodes)
    assert np.array_equal(evaluate(engine, graph), evaluate(engine, optimised))
    faded = clip("v", 0, 10, media("v.mp4"), effects=[lut], opacity=0.5)
    engine, graph, (optimised, _) = graphs(project([track("V1", "video", [faded])]), 5, tmp_path)
    assert any(isinstance(n, BlendNode) for n in optimised.nodes)
    assert np.array_equal(evaluate(engine, graph), evaluate(engine, optimised))
