"""The site builds with ProperDocs, the maintained drop-in fork of MkDocs 1.6, and writes
the same files as with MkDocs: Material's end of life (2027-05-05) and MkDocs 1.x's must
not strand the archive. Both run as a user runs them, each in a process of its own, on
the same project; bench/compare_sites.py compares the two sites (the generator tag and
the build's own dates aside)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild import REPO, SITE_URL, make_project, sample_papers


def build(tool: str, config: Path, site: Path) -> None:
    executable = shutil.which(tool, path=str(Path(sys.executable).parent))
    assert executable, f"{tool} is not installed beside {sys.executable}"
    environment = {**os.environ, "SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run(
        [executable, "build", "--strict", "-q", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert done.returncode == 0, f"{tool} build failed:\n{done.stderr}"


def test_properdocs_writes_the_same_site_as_mkdocs(tmp_path: Path) -> None:
    config = make_project(tmp_path / "project", sample_papers())
    build("mkdocs", config, tmp_path / "mkdocs")
    build("properdocs", config, tmp_path / "properdocs")
    compared = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "compare_sites.py"),
            str(tmp_path / "mkdocs"),
            str(tmp_path / "properdocs"),
        ],
        capture_output=True,
        text=True,
    )
    assert compared.returncode == 0, compared.stdout + compared.stderr
    assert (tmp_path / "properdocs" / "papers").is_dir() and (
        tmp_path / "properdocs" / "pagefind"
    ).is_dir()
