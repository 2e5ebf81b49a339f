"""The ``reelgraph`` command: parse arguments, run one command, map errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from reelgraph.cli import commands
from reelgraph.cli.plugins_command import add_plugin_options, plugin_session
from reelgraph.cli.report import report_error
from reelgraph.cli.watchdog_options import add_watchdog_options, watchdog_session
from reelgraph.errors import UsageError
from reelgraph.i18n import LANGUAGES, language_from_argv
from reelgraph.media.decode_device import DECODE_DEVICES

__all__ = ["build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("export settings (override the preset and the project)")
    group.add_argument("--preset", help="export preset (see 'reelgraph presets')")
    group.add_argument("--size", metavar="WxH", help="output size, e.g. 1920x1080")
    group.add_argument("--rate", help="output frame rate, e.g. 25 or 30000/1001")
    group.add_argument("--crf", type=int, help="constant rate factor (h264/h265)")
    group.add_argument("--encoder-preset", help="x264/x265 speed preset, e.g. veryfast")
    group.add_argument("--pix-fmt", help="pixel format, e.g. yuv420p, yuv422p10le")
    group.add_argument("--bit-depth", type=int, choices=(8, 16), help="bits per channel")
    group.add_argument("--threads", type=int, help="encoder threads (part of the output bytes)")
    group.add_argument("--gop", type=int, help="keyframe interval in frames")
    group.add_argument("--video-codec", choices=("h264", "h265", "prores", "ffv1", "png"))
    group.add_argument("--audio-codec", choices=("aac", "flac", "pcm_s16le", "pcm_s24le", "none"))
    group.add_argument("--audio-bitrate", type=int)
    _add_decode_device_option(parser, default="cpu")
    diagnostics = parser.add_argument_group("diagnostics (never change the output)")
    diagnostics.add_argument(
        "--trace", metavar="FILE", help="write a Chrome trace-event JSON (open in ui.perfetto.dev)"
    )
    diagnostics.add_argument(
        "--metrics", action="store_true", help="print per-stage/system/node times, queues, cache"
    )


def _add_decode_device_option(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--decode-device",
        choices=DECODE_DEVICES,
        default=default,
        help=f"where video is decoded: the CPU, NVDEC ('cuda'), or NVDEC where a CUDA "
        f"device opens ('auto'); same pixels on each (default: {default})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="reelgraph", description="A deterministic, headless video engine.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="language of messages (default: from the locale)"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    info = sub.add_parser("info", help="tracks, clips, duration and media status of a project")
    info.add_argument("project")
    info.add_argument("--json", action="store_true", help="machine-readable output")

    frame = sub.add_parser("frame", help="render one frame to a PNG")
    frame.add_argument("project")
    frame.add_argument("--at", required=True, help="time: frames (120), seconds (4s), timecode")
    frame.add_argument("-o", "--output", required=True, help="PNG file to write")
    frame.add_argument("--size", metavar="WxH", help="render size")
    frame.add_argument("--bit-depth", type=int, choices=(8, 16), default=8)
    frame.add_argument("--json", action="store_true")
    _add_decode_device_option(frame, default="cpu")
    add_plugin_options(frame)
    add_watchdog_options(frame)

    render = sub.add_parser("render", help="render the project (or a range) to a file")
    render.add_argument("project")
    render.add_argument(
        "-o", "--output", required=True, help="video file, or folder/pattern for PNG"
    )
    render.add_argument("--range", help="START-END (end exclusive), e.g. 0-90, 1s-3s")
    render.add_argument("--frame-hashes", help="write a SHA-256 per frame to this JSON file")
    render.add_argument("--json", action="store_true", help="machine-readable result")
    render.add_argument("--no-progress", action="store_true", help="no progress bar")
    render.add_argument(
        "--cache-dir", help="frame and segment cache (default: $XDG_CACHE_HOME/reelgraph)"
    )
    render.add_argument("--no-cache", action="store_true", help="use no on-disk cache")
    render.add_argument(
        "--workers", type=int, default=1, help="processes encoding segments (same bytes)"
    )
    _add_render_options(render)
    add_plugin_options(render)
    add_watchdog_options(render)

    presets = sub.add_parser("presets", help="list the export presets")
    presets.add_argument("--json", action="store_true")

    sub.add_parser("schema", help="print the JSON Schema of the project file")

    demo = sub.add_parser("demo-media", help="generate the media of the bundled demo project")
    demo.add_argument("folder", nargs="?", default="examples/media")
    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parser(sub)
    _accept_lang_after_commands(parser)
    return parser


def _accept_lang_after_commands(parser: argparse.ArgumentParser) -> None:
    """``--lang`` is global, and also accepted after a (sub)command's name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in {id(p): p for p in action.choices.values()}.values():
                if "--lang" not in subparser._option_string_actions:
                    subparser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)
                _accept_lang_after_commands(subparser)


#: Modules that each add one subcommand: ``add_parser(sub)`` declares it, and
#: ``run(args) -> int`` runs it. A new command is a new module plus one line here.
COMMAND_MODULES: tuple[str, ...] = (
    "reelgraph.cli.graph_command",
    "reelgraph.cli.recover_command",
    "reelgraph.cli.plugins_command",
    "reelgraph.cli.run_command",
    "reelgraph.cli.edit_command",
    "reelgraph.cli.proxies_command",
)


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        if command in getattr(module, "COMMANDS", ()):
            return module.run  # type: ignore[no-any-return]
    return commands.run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args_list
    lang = language_from_argv(args_list)
    try:
        args = build_parser().parse_args(args_list)
        args.lang = lang
        if args.version:
            from reelgraph import __version__

            print(__version__)
            return 0
        if args.command is None:
            build_parser().print_help()
            return 2
        with plugin_session(args), watchdog_session(args):
            return _handler(args.command)(args)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except SystemExit as exc:  # argparse --help
        return int(exc.code or 0)
    except BaseException as exc:
        return report_error(exc, as_json, lang)


if __name__ == "__main__":
    sys.exit(main())
