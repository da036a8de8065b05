"""Finding the project a command works on, so no command writes a stray ``data/`` tree.

A command run in a subfolder used to write ``data/data/...`` there, which validation and
the site then accepted. The project is the nearest folder, from the current one up,
holding ``mkdocs.yml`` (the file ``mkdocs`` reads); its records are in the plugin's
``data_dir`` (``data`` unless ``mkdocs.yml`` says otherwise).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import get_yaml_loader

CONFIG_NAME = "mkdocs.yml"
DEFAULT_DATA_DIR = "data"


class ProjectError(Exception):
    """No project here; the message says where it was looked for and what to do."""


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` up that holds ``mkdocs.yml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectError(
        f"no {CONFIG_NAME} in {start} or any folder above it, so this is not a daily-papers "
        f"project: run the command in the project's folder, or give --data-dir"
    )


def data_dir(root: Path) -> Path:
    """The records' folder of the project at ``root``, as its ``mkdocs.yml`` sets it."""
    config = root / CONFIG_NAME
    try:
        with config.open(encoding="utf-8") as handle:
            settings = yaml.load(handle, Loader=get_yaml_loader())
    except (OSError, yaml.YAMLError) as error:
        raise ProjectError(f"{config} cannot be read: {error}") from None
    return root / _configured_data_dir(settings)


def _configured_data_dir(settings: Any) -> str:
    """The ``daily-papers`` plugin's ``data_dir`` option in ``mkdocs.yml``'s data."""
    plugins = settings.get("plugins") if isinstance(settings, dict) else None
    for plugin in plugins if isinstance(plugins, list) else []:
        options = plugin.get("daily-papers") if isinstance(plugin, dict) else None
        if isinstance(options, dict) and isinstance(options.get("data_dir"), str):
            return str(options["data_dir"])
    return DEFAULT_DATA_DIR


def site_language(start: Path | None = None) -> str | None:
    """The interface language of the project around ``start`` (the plugin's ``language``
    option, else ``theme.language``), or None outside a project or when it sets none."""
    try:
        root = find_root(start or Path.cwd())
        with (root / CONFIG_NAME).open(encoding="utf-8") as handle:
            settings = yaml.load(handle, Loader=get_yaml_loader())
    except (ProjectError, OSError, yaml.YAMLError):
        return None
    if not isinstance(settings, dict):
        return None
    for plugin in settings.get("plugins") or []:
        options = plugin.get("daily-papers") if isinstance(plugin, dict) else None
        if isinstance(options, dict) and isinstance(options.get("language"), str):
            return str(options["language"])
    theme = settings.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return language if isinstance(language, str) else None


def data_folder_of(path: Path) -> Path | None:
    """The data folder ``path`` lies in: that of the nearest project around it (its
    ``mkdocs.yml``), when ``path`` is inside it; None otherwise. A record's place is
    judged inside its own data folder, whichever folder a command was run from."""
    start = path.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            try:
                records = data_dir(folder).resolve()
            except ProjectError:
                return None
            inside = records == start or records in start.parents
            # Shown in messages: relative to the current folder, as the user named it.
            return Path(os.path.relpath(records)) if inside else None
    return None


def records_folder(given: Path | None, start: Path | None = None) -> Path:
    """``--data-dir`` when given, else the records' folder of the project around ``start``."""
    if given is not None:
        return given
    return data_dir(find_root(start or Path.cwd()))
