"""The one write path: under a lock, from what is on disk, whole or not at all."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import multiprocessing
import os
import stat
from pathlib import Path

import pytest
from filelock import FileLock

from generator.records import store as store_module
from generator.records.model import Paper, add_listing
from generator.records.reading import GENERATION_NAME, JOURNAL_NAME, LOCK_NAME, read_record, scan
from generator.records.store import Edit, Store, StoreError

DAY = dt.date(2024, 2, 14)


def paper(number: int, **fields: object) -> Paper:
    return Paper(
        id=f"2402.{number:05d}", date=DAY, title=f"Paper {number}", authors=["A"], votes=0, **fields
    )  # type: ignore[arg-type]


def _bump_votes(data_dir: str, ids: list[str], rounds: int) -> None:
    """One process's work: add one vote to every record, ``rounds`` times (a fetch)."""
    store = Store(Path(data_dir))
    for _ in range(rounds):
        for paper_id in ids:
            path = Path(data_dir) / f"2024/02/14/{paper_id}.yaml"
            store.apply(
                [Edit(path, lambda p: p and dataclasses.replace(p, votes=(p.votes or 0) + 1))]
            )


def _summarise(data_dir: str, ids: list[str]) -> None:
    """The other process: write each record's summary once (a summarize)."""
    store = Store(Path(data_dir))
    for paper_id in ids:
        path = Path(data_dir) / f"2024/02/14/{paper_id}.yaml"
        store.apply([Edit(path, lambda p: p and dataclasses.replace(p, summary=["요약입니다."]))])


def test_two_processes_writing_the_same_records_lose_nothing(tmp_path: Path) -> None:
    """The observed loss: fetch rewriting a day while summarize wrote it (14 of 15 lost)."""
    data = tmp_path / "data"
    papers = [paper(n) for n in range(15)]
    Store(data).put(papers)
    ids = [p.id for p in papers]
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_bump_votes, args=(str(data), ids, 10)),
        context.Process(target=_summarise, args=(str(data), ids)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    result = scan([data])
    assert result.problems == []
    assert (
        sorted((p.votes, tuple(p.summary)) for p in result.papers) == [(10, ("요약입니다.",))] * 15
    )


def test_a_held_lock_gives_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with FileLock(data / LOCK_NAME):
        context = multiprocessing.get_context("spawn")
        with context.Pool(1) as pool:
            message = pool.apply(_try_to_write, (str(data),))
    assert message == (
        f"{data / LOCK_NAME}: another daily-papers command has been writing "
        f"{data} for 0.2 s (it holds this lock); run this one again when it has "
        "finished"
    )
    assert not list(data.rglob("*.yaml"))


def _try_to_write(data_dir: str) -> str:
    try:
        Store(Path(data_dir), lock_timeout=0.2).put([paper(1)])
    except StoreError as error:
        return str(error)
    return "written"


def test_leftovers_of_a_killed_write_are_removed_and_modes_follow_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    day = data / "2024/02/13"
    day.mkdir(parents=True)
    leftover = day / ".2402.00009.yaml.x1y2z3.tmp"
    leftover.write_text("half a record", encoding="utf-8")
    previous = os.umask(0o022)
    try:
        store_module._file_mode.cache_clear()
        Store(data).put([paper(1)])
    finally:
        os.umask(previous)
        store_module._file_mode.cache_clear()
    assert not leftover.exists()
    record = data / "2024/02/14/2402.00001.yaml"
    assert stat.S_IMODE(record.stat().st_mode) == 0o644
    names = sorted(p.name for p in data.rglob("*"))
    assert names == [GENERATION_NAME, LOCK_NAME, "02", "13", "14", "2024", "2402.00001.yaml"]


def test_a_full_disk_writes_a_day_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    store = Store(data)
    store.put([paper(n) for n in range(17)])
    before = {p: p.read_bytes() for p in data.rglob("*.yaml")}
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 16:  # the 16th of 17 records: the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(StoreError) as caught:
        store.put([dataclasses.replace(paper(n), votes=5) for n in range(17)])
    assert str(caught.value) == (
        f"{data}/2024/02/14/2402.00015.yaml: cannot be written: No "
        "space left on device; nothing was written"
    )
    assert {p: p.read_bytes() for p in data.rglob("*.yaml")} == before
    assert not [p for p in data.rglob("*") if p.name.endswith(".tmp")]


def test_nothing_is_written_through_a_symbolic_link(tmp_path: Path) -> None:
    data, outside = tmp_path / "data", tmp_path / "outside"
    (data / "2024/02").mkdir(parents=True)
    outside.mkdir()
    (data / "2024/02/14").symlink_to(outside)
    with pytest.raises(StoreError, match="2024/02/14 is a symbolic link; records are only written"):
        Store(data).put([paper(1)])
    assert list(outside.iterdir()) == []


def test_a_paper_gets_one_record_even_from_two_stores(tmp_path: Path) -> None:
    """Two commands, each with a store of its own: the second sees what the first added."""
    data = tmp_path / "data"
    first, second = Store(data), Store(data)
    assert second.where("2402.00001") is None  # the second has listed the ids once
    first.put([paper(1)])
    moved = dataclasses.replace(paper(1), date=DAY + dt.timedelta(days=2))
    with pytest.raises(StoreError, match=r"paper 2402\.00001 is already recorded in .*2024/02/14"):
        second.put([moved])
    assert second.where("2402.00001") == data / "2024/02/14/2402.00001.yaml"
    assert read_record(data / "2024/02/14/2402.00001.yaml")[0] == paper(1)


def test_deleting_the_generation_file_is_safe(tmp_path: Path) -> None:
    """data/.daily-papers.generation may be deleted at any time. It held a counter that
    started again at 1 once deleted, so a store that had last seen generation 1 took a
    later, different generation 1 for its own and missed the records added meanwhile."""
    data = tmp_path / "data"
    first = Store(data)
    first.put([paper(1)])  # the generation file now exists
    assert first.where("2402.00002") is None  # ids listed, generation remembered
    (data / GENERATION_NAME).unlink()
    assert first.where("2402.00002") is None  # a missing file: listed again, never trusted
    Store(data).put([paper(2)])  # another command, starting afresh
    assert first.where("2402.00002") == data / "2024/02/14/2402.00002.yaml"
    (data / GENERATION_NAME).unlink()
    Store(data).put([paper(3)])
    assert first.where("2402.00003") == data / "2024/02/14/2402.00003.yaml"


def _apply_and_die_after_first_rename(data_dir: str, edits: list[tuple[str, int]]) -> None:
    """A command killed between two renames of its batch (os._exit: no cleanup runs)."""
    real = store_module._rename

    def rename_then_die(tmp: Path, path: Path) -> None:
        real(tmp, path)
        os._exit(9)

    store_module._rename = rename_then_die  # type: ignore[assignment]
    store = Store(Path(data_dir))
    store.apply(
        [
            Edit(
                Path(data_dir) / path,
                lambda p, votes=votes: p and dataclasses.replace(p, votes=votes),
            )
            for path, votes in edits
        ]
    )


def _killed(data: Path, edits: list[tuple[str, int]]) -> None:
    worker = multiprocessing.get_context("spawn").Process(
        target=_apply_and_die_after_first_rename, args=(str(data), edits)
    )
    worker.start()
    worker.join(60)
    assert worker.exitcode == 9


def test_a_batch_killed_between_renames_is_completed_by_the_next_command(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    Store(data).put([paper(n) for n in range(3)])
    _killed(data, [(f"2024/02/14/2402.{n:05d}.yaml", 7) for n in range(3)])
    votes = sorted(p.votes for p in scan([data]).papers)
    assert votes == [0, 0, 7]  # half a batch: what a reader would have seen
    assert (data / JOURNAL_NAME).is_file()
    with caplog.at_level("WARNING"):
        Store(data).check_writable()  # any command that takes the lock
    assert sorted(p.votes for p in scan([data]).papers) == [7, 7, 7]
    assert not (data / JOURNAL_NAME).exists()
    assert not [p for p in data.rglob("*") if p.name.endswith(".tmp")]
    assert "a command stopped while writing 3 record(s); the 2 not yet in place" in caplog.text


def _move_and_die(data_dir: str) -> None:
    real = store_module._rename

    def rename_then_die(tmp: Path, path: Path) -> None:
        real(tmp, path)
        os._exit(9)

    store_module._rename = rename_then_die  # type: ignore[assignment]
    later = Path(data_dir) / "2024/02/14/2402.00001.yaml"
    earlier = DAY - dt.timedelta(days=1)
    Store(Path(data_dir)).apply([Edit(later, lambda p: p and add_listing(p, earlier))])


def test_a_move_killed_halfway_leaves_one_record_once_completed(tmp_path: Path) -> None:
    # Moving a record to its earlier listing writes the new file and removes the old one:
    # killed in between, the paper had two records, which fails every build.
    data = tmp_path / "data"
    Store(data).put([paper(1)])
    worker = multiprocessing.get_context("spawn").Process(target=_move_and_die, args=(str(data),))
    worker.start()
    worker.join(60)
    assert worker.exitcode == 9
    assert len(list(data.rglob("2402.00001.yaml"))) == 2
    Store(data).check_writable()
    checked = scan([data])
    assert checked.problems == []
    (moved,) = checked.papers
    assert (moved.date, moved.also_listed) == (DAY - dt.timedelta(days=1), [DAY])


def test_a_journal_that_is_not_ours_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store(data).put([paper(1)])
    (tmp_path / "outside.txt").write_text("keep me", encoding="utf-8")
    (data / JOURNAL_NAME).write_text(
        '{"renames": [], "removals": ["../outside.txt"]}', encoding="utf-8"
    )
    with pytest.raises(StoreError, match="is not a journal this version wrote"):
        Store(data).check_writable()
    assert (tmp_path / "outside.txt").read_text(encoding="utf-8") == "keep me"
    assert scan([data]).papers == [paper(1)]


def test_a_store_given_a_relative_folder_writes_and_updates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen: Store(Path("data")) failed to write a batch with a ValueError, its temporary
    files being absolute paths the relative folder could not be subtracted from."""
    monkeypatch.chdir(tmp_path)
    store = Store(Path("data"))
    store.put([paper(1), paper(2)])
    store.put([dataclasses.replace(paper(1), votes=5), paper(2)])
    written, problems = read_record(Path("data/2024/02/14/2402.00001.yaml"))
    assert problems == [] and written is not None and written.votes == 5
    assert not list(Path("data").rglob("*.tmp"))
