"""Problems found in input files, pointing at the line a person must fix.

Records, digests and the commands reading them all report through :class:`Problem`, so
every message has the same ``PATH:LINE: KEY: MESSAGE`` shape, and CI can turn any of them
into a GitHub annotation on the pull request's diff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file; a warning is shown but does not fail."""

    path: str
    line: int
    key: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {self.key}: {prefix}{self.message}"

    def github(self) -> str:
        """The problem as a GitHub Actions workflow command, annotating the line in a PR."""
        level = "warning" if self.warning else "error"
        message = f"{self.key}: {self.message}".replace("%", "%25")
        message = message.replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{level} file={path},line={self.line}::{message}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that fail a check (not the warnings), in their order."""
    return [problem for problem in problems if not problem.warning]


def key_name(key_path: tuple[Any, ...]) -> str:
    """``media[0].url``: how a key path is named in messages (``file`` for the whole)."""
    name = ""
    for part in key_path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "file"
