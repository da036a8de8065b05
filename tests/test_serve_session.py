"""What ``mkdocs serve`` keeps between rebuilds stays out of the cyclic collector's way,
and the garbage among it is still collected."""

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


def test_a_settled_session_is_frozen_and_its_cycles_are_freed_as_it_grows() -> None:
    session = Session(serving=True)
    session.settle()  # the first build: a full pass, then everything frozen
    assert gc.get_freeze_count() == session.frozen > 0
    cycle = Node()
    gone = weakref.ref(cycle)
    session.settle()  # a rebuild that grew little: frozen without a pass
    del cycle
    gc.collect()
    assert gone() is not None, "a frozen cycle is not walked"
    kept = [[] for _ in range(session.frozen // 4 + 1000)]  # a quarter more, tracked
    session.settle()
    assert gone() is None, "once the frozen objects grew by a quarter, a pass frees cycles"
    assert session.frozen == gc.get_freeze_count()
    del kept
