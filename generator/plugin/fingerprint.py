"""Fingerprints: what a page was made from, kept as 16 bytes instead of whole.

``mkdocs serve`` keeps, from one rebuild to the next, what each page was made from, to
render or write again only the pages whose values changed. Kept whole, those values were
the largest thing the server held: 90.5 MB of its 301 MB at 5,400 papers under
``--dirty`` (measured by deep sizes), about 17 KB a page, for lists, links and dates made
anew at each rebuild. A fingerprint is 16 bytes a page.

A fingerprint is a BLAKE2b digest of a pickle of the value in which every dataclass
stands for the fields its ``==`` compares (a ``Links`` for its page, not the directory it
asks). The pickle is never loaded: it is only a faithful encoding, so two values with one
encoding are equal. The converse holds for values made alike, as a kind makes a page's
view at each rebuild: equal dicts filled in another order, equal sets, ``0.0`` and
``-0.0``, or one object where another value holds two equal ones (pickle's memo) encode
differently, which costs a page written again, never a stale one.

A view holds values, not functions: a lambda or a local function cannot be encoded
(pickle raises), which the preview tests, building every kind under ``serve``, would
show.

Records, cards and the message table are shared by many pages (an author's page lists
all of their papers): each is encoded once and stands in the pages' encodings for its own
digest. Under ``mkdocs serve`` the digests are kept from one rebuild to the next for the
objects that are still in use: a record is never changed in place (a changed file is
read into a new record, :mod:`generator.records.reading`), and cards are remade with
their record. Measured at 5,400 papers, a rebuild's 9,753 page values and open data
days took 1.35 s to fingerprint with every shared value encoded anew and no memo, 0.6 s
as it is done here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
from collections.abc import Callable
from typing import Any

from generator.plugin.cards import Card
from generator.plugin.messages import Messages
from generator.records.model import Paper

#: Types whose values many pages hold: encoded once and stood in for by their digest.
SHARED: frozenset[type] = frozenset({Paper, Card, Messages})

#: A dataclass's name and a getter of the fields its ``==`` compares.
Form = tuple[str, Callable[[Any], tuple[object, ...]]]

#: The form of each type met so far (None: not a dataclass, pickled its own way).
_FORMS: dict[type, Form | None] = {}


class Fingerprints:
    """Fingerprints of the values of one build, or of each rebuild of ``mkdocs serve``
    (:meth:`start` begins a rebuild)."""

    def __init__(self) -> None:
        #: Digests of shared values by ``id``, each with its value (which keeps the id
        #: from being reused): those of this build, and those of the last one not yet
        #: asked for in this one.
        self._shared: dict[int, tuple[object, bytes]] = {}
        self._last: dict[int, tuple[object, bytes]] = {}

    def start(self) -> None:
        """A rebuild begins: what the last one encoded is kept while this one uses it."""
        self._last = self._shared
        self._shared = {}

    def of(self, value: object) -> bytes:
        """``value``'s fingerprint: equal values made alike have equal fingerprints."""
        buffer = io.BytesIO()
        _Encoder(buffer, self.shared).dump(value)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()

    def shared(self, value: object) -> bytes:
        """The digest of a shared value, encoded at its first use."""
        key = id(value)
        hit = self._shared.get(key)
        if hit is None:
            hit = self._last.pop(key, None)  # the same object: its entry keeps it alive
            if hit is None:
                form = _form(type(value))
                assert form is not None  # SHARED holds dataclasses
                hit = (value, self.of((form[0], form[1](value))))
            self._shared[key] = hit
        return hit[1]


def _form(kind: type) -> Form | None:
    """The form values of ``kind`` are encoded in (worked out once a type)."""
    form = None
    if dataclasses.is_dataclass(kind):
        names = [field.name for field in dataclasses.fields(kind) if field.compare]
        form = (f"{kind.__module__}.{kind.__qualname__}", _getter(names))
    _FORMS[kind] = form
    return form


def _getter(names: list[str]) -> Callable[[Any], tuple[object, ...]]:
    """A function giving an object's attributes ``names`` as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    return lambda value: tuple(getattr(value, name) for name in names)


def _stand_in(*parts: object) -> None:
    """Never called: the name an encoding gives to what stands in for a value."""


class _Encoder(pickle.Pickler):
    """A pickler that encodes values for fingerprints (see the module's docstring)."""

    def __init__(self, file: io.BytesIO, shared: Callable[[object], bytes]) -> None:
        super().__init__(file, protocol=5)
        self.shared = shared

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in SHARED:
            return _stand_in, (self.shared(obj),)
        form = _FORMS[kind] if kind in _FORMS else _form(kind)
        if form is None:
            return NotImplemented
        return _stand_in, (form[0], form[1](obj))
