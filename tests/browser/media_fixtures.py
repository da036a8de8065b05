"""Media made at test time: a short MP4 clip and a PNG placeholder, nothing downloaded.

The clip is VP9 in an MP4 container, made by ffmpeg from its built-in test pattern. VP9 is
royalty-free, so every Chromium build plays it, including builds without the proprietary
codecs (H.264); Hugging Face's own demo videos are MP4 files, so the container is the one
readers meet. ``+faststart`` puts the index first, as web video should be.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

VIDEO_SECONDS = 3


def ffmpeg_path() -> str | None:
    """The ffmpeg executable, or None when it is not installed."""
    return shutil.which("ffmpeg")


def make_video(path: Path, ffmpeg: str) -> Path:
    """Write a small VP9-in-MP4 clip (320x180, 15 fps, a moving test pattern) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=15:duration={VIDEO_SECONDS}",
        "-c:v", "libvpx-vp9", "-b:v", "150k", "-deadline", "realtime", "-cpu-used", "8",
        "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0 or not path.is_file():
        raise RuntimeError(f"ffmpeg could not make the test video: {result.stderr.strip()}")
    return path


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

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
