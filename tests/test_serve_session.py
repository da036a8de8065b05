"""What ``mkdocs serve`` keeps between rebuilds stays out of the cyclic collector's way,
and what a rebuild leaves behind is still freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from generator.plugin.build import Session


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_rebuild_frees_the_last_ones_cycles_and_freezes_what_lives_on() -> None:
    session = Session(serving=True)
    left = Node()  # garbage the last build left, frozen with what lives on
    gone = weakref.ref(left)
    session.settle()
    assert gc.get_freeze_count() > 0
    del left
    gc.collect()  # what the collector does during a rebuild: frozen objects are not walked
    assert gone() is not None
    session.settle()  # the next rebuild starts
    assert gone() is None

    made = Node()  # garbage of this rebuild, made after the settle: not frozen
    gone = weakref.ref(made)
    del made
    gc.collect()
    assert gone() is None
