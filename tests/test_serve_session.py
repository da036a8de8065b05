"""What ``mkdocs serve`` keeps between rebuilds stays out of the cyclic collector's way,
and what a rebuild leaves behind is still freed: while the preview is idle, else when
the next rebuild starts."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from sitebuild import build_site, make_project, sample_papers

from generator.plugin import collector
from generator.plugin.build import Session


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and leaves with nothing frozen and the interpreter's thresholds
    (a session that settles holds them until it rests)."""
    gc.unfreeze()
    collector.release()
    yield
    gc.unfreeze()
    collector.release()


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


def _full_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads that unfreeze everything (a full pass starts so), as they do."""
    passes: list[str] = []
    unfreeze = gc.unfreeze

    def counted() -> None:
        passes.append(threading.current_thread().name)
        unfreeze()

    monkeypatch.setattr(gc, "unfreeze", counted)
    return passes


def test_the_last_rebuilds_garbage_is_freed_while_the_preview_is_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(collector, "IDLE_SECONDS", 0.01)
    session = Session(serving=True)
    session.settle()
    left = Node()  # garbage of the rebuild, frozen with what lives on at its start
    gone = weakref.ref(left)
    session.settle()  # frozen by this one (nothing has been freed since)
    del left
    passes = _full_passes(monkeypatch)
    session.rest()  # the rebuild ended
    deadline = time.monotonic() + 10
    while gone() is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gone() is None
    assert len(passes) == 1 and passes[0] != threading.current_thread().name

    session.settle()  # the next rebuild: the pass while idle is enough
    assert len(passes) == 1
    made = Node()
    gone = weakref.ref(made)
    del made
    session.settle()  # a rebuild that started before the preview rested: walks everything
    assert gone() is None
    assert passes[1:] == [threading.current_thread().name]


@pytest.mark.parametrize("starts", ["rebuild", "build"])
def test_what_starts_before_the_preview_rests_cancels_its_pass(
    monkeypatch: pytest.MonkeyPatch, starts: str
) -> None:
    monkeypatch.setattr(collector, "IDLE_SECONDS", 0.05)
    preview = Session(serving=True)
    preview.settle()
    preview.rest()
    passes = _full_passes(monkeypatch)
    if starts == "rebuild":  # an edit within the idle time: the rebuild makes the pass
        preview.settle()
    else:  # a build in the same process (as tests run them) holds the collector
        collector.hold()
    time.sleep(0.3)
    assert passes == ([threading.current_thread().name] if starts == "rebuild" else [])
    assert gc.get_threshold()[2] > 10**6  # held by what started


def test_a_build_leaves_its_garbage_to_its_process_end() -> None:
    threads = threading.active_count()
    Session(serving=False).rest()
    assert threading.active_count() == threads


def test_while_held_young_collections_go_on_and_full_ones_wait() -> None:
    thresholds = gc.get_threshold()
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        collector.hold()
        young = Node()  # a cycle that dies young
        gone = weakref.ref(young)
        del young
        kept = [[n] for n in range(300_000)]  # what writing pages keeps: it survives
        collector.release()
    finally:
        gc.callbacks.remove(count)
    assert kept and gone() is None
    assert 0 in collections and 2 not in collections
    assert gc.get_threshold() == thresholds


@pytest.mark.parametrize("fails", [False, True], ids=["built", "failed"])
def test_a_build_gives_the_collector_back_as_it_ends(tmp_path: Path, fails: bool) -> None:
    thresholds = gc.get_threshold()
    config = make_project(tmp_path, sample_papers()[:3])
    if fails:
        (tmp_path / "data" / "2023" / "12" / "04" / "2312.99999.yaml").write_text(
            "id: [\n", encoding="utf-8"
        )
    held: list[tuple[int, int, int]] = []
    hold = collector.hold

    def seen() -> None:
        hold()
        held.append(gc.get_threshold())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collector, "hold", seen)
        if fails:
            with pytest.raises(Abort):
                build_site(config, tmp_path / "site")
        else:
            build_site(config, tmp_path / "site")
    assert held and held[0][2] > thresholds[2]  # held while it ran
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
