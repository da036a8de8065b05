"""The MkDocs plugin (``plugins: [daily-papers]``): turns the records into the site.

It reads records only through :mod:`generator.records.reading` and never fetches; see
:mod:`generator.plugin.plugin` for the build steps and CONTRIBUTING.md for the modules.
"""
