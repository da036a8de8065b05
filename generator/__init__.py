"""daily-papers: an archive of Hugging Face Daily Papers with Korean summaries.

The generator (``daily-papers`` command) turns the Hugging Face API into YAML records
under ``data/``; the MkDocs plugin (:mod:`generator.plugin`) turns records into the site.
:mod:`generator.record` is the contract between them.
"""

__version__ = "0.1.0"
