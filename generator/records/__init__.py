"""The record contract: the one interface between the generator and the MkDocs plugin.

Every paper of a Daily Papers day is one YAML file at ``data/YYYY/MM/DD/<arxiv-id>.yaml``.
The commands write records and the plugin reads them; neither knows about the other, so
everything both sides must agree on lives in this package, and nothing outside it opens
a record file:

- :mod:`.model`: the :class:`~.model.Paper` and its parts, the kinds they may take;
- :mod:`.text` and :mod:`.urls`: how producers normalise text and URLs;
- :mod:`.bullets`: what a summary bullet may hold (validation, import, LLM, site);
- :mod:`.rules`: the table of fields (type, required, limits) and checking a record;
- :mod:`.yamlio`: parsing with line numbers, and the one deterministic dump;
- :mod:`.problems`: what is wrong where, as text or as GitHub annotations;
- :mod:`.reading`: finding and reading record files, nothing below a data folder ignored;
- :mod:`.store`: writing them, the one checked way, under a lock.
"""
