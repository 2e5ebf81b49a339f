"""``reelgraph graph`` dumps the frame's graph with keys and cache status."""

from __future__ import annotations

import json

from reelgraph.cli.main import main
from reelgraph.testing import clip, color, project, track, transform


def write_project(tmp_path):
    data = project(
        [
            track("V1", "video", [clip("a", 0, 10, color("#ff0000"))]),
            track(
                "V2", "video", [clip("b", 0, 10, color("#00ff00"), transform=transform(scale=0.5))]
            ),
        ]
    )
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    return path


def test_the_json_dump_lists_nodes_keys_and_a_miss_before_any_render(tmp_path, capsys):
    path = write_project(tmp_path)
    assert main(["graph", str(path), "--at", "3", "--cache-dir", str(tmp_path / "c")]) == 0
    data = json.loads(capsys.readouterr().out)
    output = data["nodes"][data["output"]]
    assert output["cache"] == "miss" and len(output["key"]) == 64
    assert data["optimised"]["original_nodes"] >= len(data["nodes"])


def test_after_a_render_the_output_node_is_a_hit(tmp_path, capsys):
    path = write_project(tmp_path)
    cache = str(tmp_path / "c")
    assert (
        main(
            [
                "render",
                str(path),
                "-o",
                str(tmp_path / "o.mp4"),
                "--cache-dir",
                cache,
                "--no-progress",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["graph", str(path), "--at", "3", "--cache-dir", cache]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nodes"][data["output"]]["cache"] == "hit"


def test_the_dot_dump_is_a_graphviz_digraph(tmp_path):
    path = write_project(tmp_path)
    out = tmp_path / "g.dot"
    assert (
        main(
            [
                "graph",
                str(path),
                "--at",
                "0",
                "--format",
                "dot",
                "-o",
                str(out),
                "--cache-dir",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    text = out.read_text()
    assert text.startswith('digraph "frame 0"') and "->" in text and "BlendNode" in text
