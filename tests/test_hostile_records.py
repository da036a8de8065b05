"""Records a pull request could bring that must never reach the site: validate refuses each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_validate import GOOD

from generator.cli import main

RECORD = "data/2024/02/14/2402.08093.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    record = tmp_path / RECORD
    record.parent.mkdir(parents=True)
    record.write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout.splitlines()


def test_the_good_record_passes(project: Path) -> None:
    assert validate() == (0, [])


def test_a_symlinked_record_is_refused_not_followed(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "2402.08094.yaml"
    outside.write_text(GOOD.replace("2402.08093", "2402.08094"), encoding="utf-8")
    (project / "data/2024/02/14/2402.08094.yaml").symlink_to(outside)
    assert validate() == (
        1,
        [
            "data/2024/02/14/2402.08094.yaml:1: file: is a symbolic link; records must be files "
            "inside the data folder itself"
        ],
    )


def test_a_symlinked_day_folder_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "data/2024/02/15").symlink_to(elsewhere)
    code, lines = validate()
    assert code == 1 and lines == [
        "data/2024/02/15:1: file: is a symbolic link; records must be files inside the data "
        "folder itself"
    ]


def replace(old: str, new: str) -> None:
    path = Path(RECORD)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            '"2402.08093"',
            '"２４０２.０８０９３"',
            "data/2024/02/14/2402.08093.yaml:1: id: must be an arXiv id like \"2402.08093\", not '２４０２.０８０９３'",
        ),
        (
            "date: 2024-02-14",
            "date: 2024-W07-3",
            "data/2024/02/14/2402.08093.yaml:2: date: must be a date written YYYY-MM-DD, not '2024-W07-3'",
        ),
        (
            "date: 2024-02-14",
            "date: 20240214",
            "data/2024/02/14/2402.08093.yaml:2: date: must be a date written YYYY-MM-DD, not 20240214",
        ),
        (
            "date: 2024-02-14",
            'date: "20240214"',
            "data/2024/02/14/2402.08093.yaml:2: date: must be a date written YYYY-MM-DD, not '20240214'",
        ),
        (
            "title: BASE TTS",
            'title: "BASE \\u202eSTT"',
            "data/2024/02/14/2402.08093.yaml:3: title: contains an invisible formatting character (U+202E RIGHT-TO-LEFT OVERRIDE); remove it",
        ),
        (
            "- Yang Li",
            '- "Yang\\u200bLi"',
            "data/2024/02/14/2402.08093.yaml:5: authors[0]: contains an invisible formatting character (U+200B ZERO WIDTH SPACE); remove it",
        ),
        ("- 음성", '- "\\u2066음성', None),
    ],
    ids=[
        "fullwidth id",
        "week date",
        "compact date",
        "compact date string",
        "bidi title",
        "zero-width author",
        "isolate in bullet",
    ],
)
def test_spoofing_and_version_dependent_values(
    project: Path, old: str, new: str, line: str | None
) -> None:
    if line is None:  # the bullet needs its closing quote
        path = Path(RECORD)
        text = path.read_text(encoding="utf-8").replace(old, new)
        path.write_text(text.replace("정리합니다.", '정리합니다."'), encoding="utf-8")
        line = (
            "data/2024/02/14/2402.08093.yaml:8: summary[0]: contains an invisible formatting "
            "character (U+2066 LEFT-TO-RIGHT ISOLATE); remove it"
        )
    else:
        replace(old, new)
    assert validate() == (1, [line])


def test_a_day_after_tomorrow_is_refused(project: Path) -> None:
    future = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=2)
    tomorrow = future - dt.timedelta(days=1)
    target = project / f"data/{future:%Y/%m/%d}/2402.08093.yaml"
    target.parent.mkdir(parents=True)
    Path(RECORD).rename(target)
    target.write_text(GOOD.replace("2024-02-14", future.isoformat()), encoding="utf-8")
    code, lines = validate()
    assert code == 1 and lines == [
        f"data/{future:%Y/%m/%d}/2402.08093.yaml:2: date: {future} is in the future (after "
        f"{tomorrow}, tomorrow in UTC); a Daily Papers day cannot be"
    ]


def test_records_outside_day_folders_and_lookalike_names(project: Path) -> None:
    junk = project / "data/junk/2024/02/14/2402.08095.yaml"
    junk.parent.mkdir(parents=True)
    junk.write_text(GOOD.replace("2402.08093", "2402.08095"), encoding="utf-8")
    (project / "data/2024/02/14/2402.08096.YAML").write_text("x", encoding="utf-8")
    (project / "data/2024/02/14/.2402.08097.yaml").write_text("x", encoding="utf-8")
    (project / "data/2024/02/14/notes.txt").write_text("x", encoding="utf-8")
    code, lines = validate()
    assert code == 1
    assert lines == [
        "data/2024/02/14/.2402.08097.yaml:1: file: is a hidden file, so it would be skipped; a "
        "record's name is its arXiv id",
        "data/2024/02/14/2402.08096.YAML:1: file: record files end in .yaml, not .YAML",
        "data/2024/02/14/notes.txt:1: file: warning: is not a record (YYYY/MM/DD/<arxiv-id>.yaml); "
        "the site ignores it",
        "data/junk/2024/02/14/2402.08095.yaml:1: file: is not in a day folder YYYY/MM/DD/ of "
        "data; records live at data/YYYY/MM/DD/<arxiv-id>.yaml (this one at "
        "data/2024/02/14/2402.08095.yaml)",
    ]


@pytest.mark.parametrize("how", ["as a path", "with --data-dir"])
def test_a_record_one_folder_too_deep_is_refused_from_outside_its_project(
    project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    # The data folder of a copy, named from another project: its junk folder was judged
    # from the path as typed and passed ("44 record(s) checked: 0 error(s)").
    junk = project / "data/junk/2024/05/29/2410.99995.yaml"
    junk.parent.mkdir(parents=True)
    junk.write_text(
        GOOD.replace("2402.08093", "2410.99995").replace("2024-02-14", "2024-05-29"),
        encoding="utf-8",
    )
    elsewhere = tmp_path_factory.mktemp("other-project")
    (elsewhere / "mkdocs.yml").write_text("site_name: other\n", encoding="utf-8")
    (elsewhere / "data").mkdir()
    monkeypatch.chdir(elsewhere)
    data = Path("..") / project.name / "data"
    code, lines = validate(str(data)) if how == "as a path" else validate("--data-dir", str(data))
    assert code == 1
    assert lines == [
        f"{data}/junk/2024/05/29/2410.99995.yaml:1: file: is not in a day folder YYYY/MM/DD/ "
        f"of {data}; records live at {data}/YYYY/MM/DD/<arxiv-id>.yaml (this one at "
        f"{data}/2024/05/29/2410.99995.yaml)"
    ]


@pytest.mark.parametrize("cwd", ["no project", "another project", "the folder itself"])
def test_a_folder_outside_any_project_is_judged_as_the_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, cwd: str
) -> None:
    # Outside a project, a record at junk/2024/05/29/<id>.yaml below the folder given
    # passed with exit 0; the same file inside a project was refused.
    folder = tmp_path_factory.mktemp("copy") / "records"
    junk = folder / "junk/2024/05/29/2410.99995.yaml"
    junk.parent.mkdir(parents=True)
    junk.write_text(
        GOOD.replace("2402.08093", "2410.99995").replace("2024-02-14", "2024-05-29"),
        encoding="utf-8",
    )
    good = folder / Path(RECORD).relative_to("data")
    good.parent.mkdir(parents=True)
    good.write_text(GOOD, encoding="utf-8")
    where = {
        "no project": tmp_path_factory.mktemp("nowhere"),
        "another project": tmp_path_factory.mktemp("other-project"),
        "the folder itself": folder,
    }[cwd]
    if cwd == "another project":
        (where / "mkdocs.yml").write_text("site_name: other\n", encoding="utf-8")
    monkeypatch.chdir(where)
    code, lines = validate(str(folder))
    assert code == 1
    # The same verdict from anywhere (the record's own path is shown from where one is).
    assert len(lines) == 1 and lines[0].endswith(
        "junk/2024/05/29/2410.99995.yaml:1: file: is not in a day folder "
        f"YYYY/MM/DD/ of {folder}; records live at {folder}/YYYY/MM/DD/<arxiv-id>.yaml "
        f"(this one at {folder}/2024/05/29/2410.99995.yaml)"
    )
    junk.unlink()
    assert validate(str(folder)) == (0, [])


def test_validate_inside_a_day_folder_judges_the_place_in_the_data_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From data/2024, every valid record failed "a record's path must end in
    # YYYY/MM/DD/<arxiv-id>.yaml": the rule read the path as displayed (02/14/...).
    monkeypatch.chdir(project / "data" / "2024")
    assert validate() == (0, [])
    monkeypatch.chdir(project / "data" / "2024" / "02" / "14")
    assert validate("2402.08093.yaml") == (0, [])
    assert validate(".") == (0, [])
