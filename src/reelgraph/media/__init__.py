"""Media I/O: probing, decoding and encoding files — the only package that imports ``av``.

Every foreign error (FFmpeg, the OS) is translated here, once, into
:mod:`reelgraph.errors`; callers never see an ``av`` exception.
"""

from reelgraph.media.audio_reader import AudioReader
from reelgraph.media.encode_settings import AudioEncodeSettings, VideoEncodeSettings
from reelgraph.media.image_reader import ImageSequenceReader, read_image
from reelgraph.media.image_writer import write_png
from reelgraph.media.probe import AudioStreamInfo, MediaInfo, VideoStreamInfo, probe
from reelgraph.media.video_reader import VideoReader
from reelgraph.media.writer import MediaWriter

__all__ = [
    "AudioEncodeSettings",
    "AudioReader",
    "AudioStreamInfo",
    "ImageSequenceReader",
    "MediaInfo",
    "MediaWriter",
    "VideoEncodeSettings",
    "VideoReader",
    "VideoStreamInfo",
    "probe",
    "read_image",
    "write_png",
]
