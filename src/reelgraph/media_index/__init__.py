"""The media index: content fingerprints, known paths, cached probes and relinking.

No ``av`` here: this package only reads bytes and JSON. See :mod:`.index` for the file
format and :mod:`.relink` for how moved media are found again.
"""

from reelgraph.media_index.fingerprint import (
    SAMPLE_BYTES,
    Fingerprint,
    FullHash,
    fingerprint_file,
    full_sha256,
)
from reelgraph.media_index.index import INDEX_FILE, MediaIndex, atomic_write_bytes
from reelgraph.media_index.relink import (
    SEARCH_PATH_VARIABLE,
    Relink,
    find_relink,
    search_folders,
)

__all__ = [
    "INDEX_FILE",
    "SAMPLE_BYTES",
    "SEARCH_PATH_VARIABLE",
    "Fingerprint",
    "FullHash",
    "MediaIndex",
    "Relink",
    "atomic_write_bytes",
    "find_relink",
    "fingerprint_file",
    "full_sha256",
    "search_folders",
]
