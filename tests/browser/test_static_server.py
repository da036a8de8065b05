"""The test server answers byte ranges as GitHub Pages does; the video tests rely on it."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from static_server import StaticServer

BODY = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def served(tmp_path: Path) -> Iterator[StaticServer]:
    (tmp_path / "clip.mp4").write_bytes(BODY)
    (tmp_path / "day").mkdir()
    (tmp_path / "day" / "index.html").write_text("<p>day</p>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<p>missing</p>", encoding="utf-8")
    server = StaticServer(tmp_path)
    yield server
    server.close()


def fetch(url: str, range_header: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Range": range_header} if range_header else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_whole_file_with_video_type_and_range_support(served: StaticServer) -> None:
    status, headers, body = fetch(served.url + "clip.mp4")
    assert (status, body) == (200, BODY)
    assert headers["Content-Type"] == "video/mp4"
    assert headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    ("asked", "start", "end"),
    [
        ("bytes=0-", 0, 10239),
        ("bytes=100-199", 100, 199),
        ("bytes=10000-99999", 10000, 10239),
        ("bytes=-40", 10200, 10239),
    ],
)
def test_byte_ranges(served: StaticServer, asked: str, start: int, end: int) -> None:
    status, headers, body = fetch(served.url + "clip.mp4", asked)
    assert status == 206
    assert headers["Content-Range"] == f"bytes {start}-{end}/{len(BODY)}"
    assert body == BODY[start : end + 1]


def test_unsatisfiable_range(served: StaticServer) -> None:
    status, headers, _ = fetch(served.url + "clip.mp4", "bytes=20000-")
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(BODY)}"


def test_folders_serve_their_index_and_missing_pages_the_404_page(served: StaticServer) -> None:
    assert fetch(served.url + "day/")[2] == b"<p>day</p>"
    status, _, body = fetch(served.url + "nowhere/")
    assert (status, body) == (404, b"<p>missing</p>")
    assert [f"{h.status} {h.path}" for h in served.failed_hits()] == ["404 /nowhere/"]
