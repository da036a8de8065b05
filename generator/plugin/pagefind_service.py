"""Pagefind's indexing service (``pagefind --service``), spoken to directly.

The binary comes from ``pagefind[bin]``; the protocol is the one Pagefind's own Python and
Node APIs speak: each message is base64-encoded JSON followed by a comma, and each answer
names the message it answers. We speak it ourselves for three reasons, all measured:

- The Python API's reader sleeps 0.1 s after every answer, so sending the archive's papers
  one by one would take minutes; its one batch call reads a folder, so every record had to
  be written to disk first (22 MB at 5,400 papers) and read back.
- Requests here are queued and written by a thread of their own, so the build hands a
  document over and goes on rendering pages while Pagefind, a separate process, indexes
  it on the other core: indexing overlaps the build instead of following it.
- When the binary dies, the Python API waits forever; here every pending request fails
  with the process's exit status and what it printed.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import queue
import re
import subprocess
import tempfile
import threading
from concurrent import futures
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

#: Answers are read in pieces of this size; one answer is at most a few hundred bytes.
_READ_SIZE = 1 << 16
#: How much of the process's own output an error message quotes.
_OUTPUT_TAIL = 2000
#: Seconds the service gets to exit once its input ends, before it is killed.
_EXIT_WAIT = 10
#: Seconds the service gets to answer its first request (it answers in milliseconds; a
#: binary that never answers must not hang the build). Indexing itself has no limit: a
#: large archive takes minutes.
START_WAIT = 60.0


#: The Pagefind releases whose service protocol this module speaks, from and below: the
#: ``pagefind[bin]`` range of ``pyproject.toml``. The protocol is Pagefind's own, not a
#: published interface, so another release (a binary on ``PAGEFIND_BINARY_PATH``, say)
#: is refused at start rather than misunderstood halfway through a build.
SUPPORTED = ((1, 4), (1, 5))
_VERSION = re.compile(r"pagefind ([0-9]+)\.([0-9]+)\.[0-9]+\S*")


class PagefindError(Exception):
    """Pagefind is missing, refused a request, or exited; the message says which."""


def check_version(executable: Path) -> str:
    """The binary's version (``1.4.0``); :class:`PagefindError` outside :data:`SUPPORTED`."""
    low, high = (".".join(map(str, bound)) for bound in SUPPORTED)
    wanted = f"Pagefind {low}.x ('pagefind[bin]>={low},<{high}')"
    try:
        answer = subprocess.run(
            [str(executable), "--version"], capture_output=True, timeout=START_WAIT, check=False
        )
    except OSError as error:
        raise PagefindError(f"could not start Pagefind: {error}") from None
    except subprocess.TimeoutExpired:
        raise PagefindError(
            f"{executable} --version did not answer within {START_WAIT:.0f} s"
        ) from None
    printed = answer.stdout.decode("utf-8", "replace").strip()
    match = _VERSION.fullmatch(printed)
    if answer.returncode or match is None:
        raise PagefindError(
            f"could not tell which Pagefind {executable} is: '--version' printed "
            f"{printed[:80]!r} (exit status {answer.returncode}); this plugin needs {wanted}"
        )
    version = (int(match.group(1)), int(match.group(2)))
    if not SUPPORTED[0] <= version < SUPPORTED[1]:
        raise PagefindError(
            f"{executable} is {printed}; this plugin speaks the indexing protocol of "
            f"{wanted} only: install that range, or unset PAGEFIND_BINARY_PATH"
        )
    return printed.split()[1]


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as error:  # pragma: no cover - a dependency of the package
        raise PagefindError(
            f"Pagefind is not installed ({error}); pip install 'pagefind[bin]'"
        ) from None
    executable = get_executable()
    if executable is None:
        raise PagefindError("no Pagefind binary found; pip install 'pagefind[bin]'")
    return executable


class Indexer:
    """One Pagefind index in its own process: add documents, then write the bundle.

    ``add`` only queues, so it never waits for Pagefind; ``finish`` asks for the bundle once
    every added document is indexed and returns a future of the number of documents.
    """

    def __init__(self, language: str) -> None:
        # What the process prints besides its answers; closed in ``_close_files``.
        executable = _executable()
        check_version(executable)
        self._output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                [str(executable), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._output,
            )
        except OSError as error:
            self._output.close()
            raise PagefindError(f"could not start Pagefind: {error}") from None
        self._lock = threading.Lock()
        self._answers: dict[int, Future[dict[str, Any]]] = {}
        self._next_id = 0
        self._exited = False
        self._queue: queue.SimpleQueue[bytes | Path | None] = queue.SimpleQueue()
        self._added: list[Future[dict[str, Any]]] = []
        self.done: Future[int] = Future()
        self._reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self._writer = threading.Thread(target=self._write, name="pagefind-writer", daemon=True)
        self._garbled = b""
        self._reader.start()
        # One index for the whole site, every document in the site's language: its English
        # words (titles, terms in parentheses, abstracts) are found as well.
        new_index = self._send({"type": "NewIndex", "config": {"force_language": language}})
        try:
            try:
                self._index = int(new_index.result(timeout=START_WAIT)["index_id"])
            except futures.TimeoutError:  # not the builtin one before Python 3.11
                raise PagefindError(
                    f"Pagefind did not answer within {START_WAIT:.0f} s of starting"
                ) from None
            except (KeyError, TypeError, ValueError):
                raise PagefindError("Pagefind answered without an index id") from None
        except PagefindError:
            self._process.kill()
            self._process.wait()
            self._reader.join(timeout=_EXIT_WAIT)
            self._close_files()
            raise
        self._writer.start()

    def add(self, url: str, html: str) -> None:
        """Index ``html`` as the document at ``url`` (site-relative), in the background."""
        payload = {
            "type": "AddFile",
            "index_id": self._index,
            "url": url,
            "file_path": None,
            "file_contents": html,
        }
        self._queue.put(json.dumps(payload).encode("utf-8"))

    def finish(self, output: Path) -> Future[int]:
        """Write the bundle into ``output`` once every added document is indexed."""
        self._queue.put(output)
        return self.done

    def close(self) -> None:
        """Stop the process (at once, if the bundle is not written yet) and the threads."""
        self._queue.put(None)
        if not self.done.done():
            self._process.kill()
        self._writer.join()
        assert self._process.stdin is not None
        with contextlib.suppress(OSError):
            self._process.stdin.close()  # the service exits when its input ends
        try:
            self._process.wait(timeout=_EXIT_WAIT)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._reader.join(timeout=_EXIT_WAIT)
        self._close_files()

    def _close_files(self) -> None:
        for stream in (self._process.stdin, self._process.stdout, self._output):
            if stream is not None and not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()

    # --- the two threads ---------------------------------------------------------------

    def _send(self, payload: dict[str, Any] | bytes) -> Future[dict[str, Any]]:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        answer: Future[dict[str, Any]] = Future()
        with self._lock:
            if self._exited:
                answer.set_exception(self._exit_error())
                return answer
            self._next_id += 1
            message_id = self._next_id
            self._answers[message_id] = answer
        # The payload is already JSON: splice it in rather than decode and encode it again.
        message = b'{"message_id":%d,"payload":%s}' % (message_id, body)
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            self._process.stdin.flush()
        except OSError:
            pass  # the process is gone; the reader fails every pending answer
        return answer

    def _write(self) -> None:
        """Send queued documents; on ``finish``, wait for them all, then write the bundle."""
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, bytes):
                self._added.append(self._send(item))
                continue
            try:
                for answer in self._added:
                    answer.result()
                self._send(
                    {"type": "WriteFiles", "index_id": self._index, "output_path": str(item)}
                ).result()
            except PagefindError as error:
                self._settle(error)
            else:
                self._settle(len(self._added))
            self._added.clear()

    def _read(self) -> None:
        """Resolve each answer by its message id; when the process exits, fail the rest."""
        stdout = self._process.stdout
        assert isinstance(stdout, io.BufferedReader)
        pending = b""
        while not self._garbled and (chunk := stdout.read1(_READ_SIZE)):
            *messages, pending = (pending + chunk).split(b",")
            for message in messages:
                if not self._answer(message):
                    # Not the protocol: stop the process and say what it printed (without
                    # reading on: whatever it started may hold the pipe open).
                    self._garbled = message or b"an empty answer"
                    self._process.kill()
                    break
        self._garbled += pending
        with self._lock:
            self._exited = True
            waiting = list(self._answers.values())
            self._answers.clear()
        error = self._exit_error()
        for answer in waiting:
            answer.set_exception(error)
        self._settle(error)

    def _settle(self, outcome: int | PagefindError) -> None:
        """The bundle's outcome, unless the other thread gave one first: a build that
        fails after ``finish`` stops the process while the writer waits for answers, and
        both threads then see it go."""
        with self._lock:
            if self.done.done():
                return
            if isinstance(outcome, PagefindError):
                self.done.set_exception(outcome)
            else:
                self.done.set_result(outcome)

    def _answer(self, message: bytes) -> bool:
        """Resolve the request ``message`` answers; False when it is not the protocol (so
        nothing malformed can stop this thread and leave the build waiting)."""
        try:
            decoded = json.loads(base64.b64decode(message, validate=True))
            payload = decoded["payload"]
            message_id = decoded.get("message_id")
            if message_id is None and payload.get("original_message"):
                # A request Pagefind could not parse comes back with the request itself.
                message_id = json.loads(payload["original_message"]).get("message_id")
            kind = payload.get("type")
        except (ValueError, TypeError, KeyError, AttributeError):
            return False
        with self._lock:
            answer = self._answers.pop(message_id, None) if message_id is not None else None
        if answer is None:
            return True
        if kind == "Error":
            answer.set_exception(PagefindError(str(payload.get("message"))))
        else:
            answer.set_result(payload)
        return True

    def _exit_error(self) -> PagefindError:
        status = self._process.wait()
        self._output.seek(0)
        printed = (self._garbled + self._output.read()).decode("utf-8", "replace")
        printed = printed.strip()[-_OUTPUT_TAIL:]
        return PagefindError(
            f"Pagefind exited with status {status}" + (f": {printed}" if printed else "")
        )
