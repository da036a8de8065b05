"""Media for the browser tests: a short MP4 clip and a PNG placeholder, nothing downloaded.

The clip is VP9 in an MP4 container. VP9 is royalty-free, so every Chromium build plays it,
including builds without the proprietary codecs (H.264); Hugging Face's own demo videos
are MP4 files, so the container is the one readers meet. ``+faststart`` puts the index
first, as web video should be.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

#: A 3-second clip (320x180, 7 KB) kept in the repository, so the browser tests need no
#: ffmpeg. Made from ffmpeg's built-in test pattern with:
#:   ffmpeg -f lavfi -i testsrc2=size=320x180:rate=5:duration=3 -c:v libvpx-vp9 -crf 63 \
#:     -b:v 0 -g 5 -pix_fmt yuv420p -movflags +faststart demo.mp4
DEMO_VIDEO = Path(__file__).resolve().parent.parent / "fixtures" / "media" / "demo.mp4"


def placeholder_png(width: int = 640, height: int = 360) -> bytes:
    """A valid PNG of diagonal grey stripes: stands in for images on hosts tests cannot reach."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type "none"
        for x in range(width):
            shade = 0xC8 if ((x + y) // 24) % 2 else 0xE4
            row += bytes((shade, shade, shade))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
