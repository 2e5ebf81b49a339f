"""Where each id of a document sits in the project file: ``sequences[0].tracks[1].clips[2]``.

Parsing records these paths as it reads a file; a document built or changed by edits has
none, so :func:`document_paths` derives them from the document's order (the order in which
:func:`reelgraph.project.save.document_to_data` writes it). Errors use them to name the
object at fault.
"""

from __future__ import annotations

from collections import defaultdict

from reelgraph.project.document import ProjectDocument

__all__ = ["document_paths"]


def document_paths(document: ProjectDocument) -> dict[str, str]:
    """Every id of ``document`` mapped to the path of the object that declares it."""
    paths: dict[str, str] = {}
    sequence_at = {s.id: i for i, s in enumerate(document.sequences)}
    for sequence in document.sequences:
        paths[sequence.id] = f"sequences[{sequence_at[sequence.id]}]"
    per_sequence: dict[str, int] = defaultdict(int)
    for track in sorted(document.tracks, key=lambda t: (t.index, t.id)):
        number = per_sequence[track.sequence]
        per_sequence[track.sequence] += 1
        paths[track.id] = f"sequences[{sequence_at.get(track.sequence, '?')}].tracks[{number}]"
    per_track: dict[str, int] = defaultdict(int)
    for clip in document.clips:
        paths[clip.id] = f"{paths.get(clip.track, '?')}.clips[{per_track[clip.track]}]"
        per_track[clip.track] += 1
    per_track.clear()
    for transition in document.transitions:
        number = per_track[transition.track]
        paths[transition.id] = f"{paths.get(transition.track, '?')}.transitions[{number}]"
        per_track[transition.track] += 1
    per_clip: dict[str, int] = defaultdict(int)
    for effect in document.effects:
        paths[effect.id] = f"{paths.get(effect.clip, '?')}.effects[{per_clip[effect.clip]}]"
        per_clip[effect.clip] += 1
    return paths
