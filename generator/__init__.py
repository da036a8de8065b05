"""daily-papers: an archive of Hugging Face Daily Papers with Korean summaries.

The generator (``daily-papers`` command) turns the Hugging Face API into YAML records
under ``data/``; the MkDocs plugin (:mod:`generator.plugin`) turns records into the site.
:mod:`generator.records` is the contract between them, and the only code touching ``data/``.
"""

from importlib.metadata import version

#: From the package metadata, so ``pyproject.toml`` is the one place to bump it.
__version__ = version("daily-papers")
