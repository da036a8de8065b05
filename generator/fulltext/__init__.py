"""A paper's full text for its summary: arXiv's HTML version (:mod:`.latexml`), else its
PDF (:mod:`.pdf`), else the abstract; fetched, kept and capped by :mod:`.sources` and
:mod:`.cap`."""
