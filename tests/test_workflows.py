"""The GitHub Actions workflows: schema, security audit, least privilege, and the CLI they call.

Two real tools check what they know best: check-jsonschema validates every workflow against
GitHub's workflow schema (bundled in the package, no network), and zizmor audits for
injection, credential and permission problems offline. The tests below them pin down the
properties the tools do not enforce (timeouts, SHA pins with a version comment, no
expressions inside scripts, who may write what), run the workflows' own shell steps in a
scratch repository, and check every ``daily-papers`` invocation against the click commands
so a workflow can never call an option the CLI does not have.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from packaging.version import Version

from generator import llm
from generator.cli import main as cli

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
PUBLISH = GITHUB / "workflows" / "publish.yml"
CHECK = GITHUB / "workflows" / "check.yml"
BIN = Path(sys.executable).parent

SEVERITIES = ["Unknown", "Informational", "Low", "Medium", "High"]
#: The only write scopes any job may hold: (workflow file, job) -> scopes.
ALLOWED_WRITES = {
    ("publish.yml", "update"): {"contents"},
    ("publish.yml", "deploy"): {"pages", "id-token"},
}
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^v\d+(\.\d+){0,2}$")


def load(path: Path) -> dict[str, Any]:
    """A workflow as data; PyYAML reads the bare key ``on`` as True, so rename it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def jobs(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from load(path)["jobs"].items()


def steps(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in jobs(path):
        for step in job.get("steps", []):
            yield name, step


def step_by_id(path: Path, step_id: str) -> dict[str, Any]:
    found = [step for _, step in steps(path) if step.get("id") == step_id]
    assert len(found) == 1, f"{path.name}: expected one step with id {step_id!r}"
    return found[0]


def tool(name: str) -> str:
    """A console script installed next to this Python (the venv), else one on PATH."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed; run: pip install -e '.[test]'")
    return found


def test_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"publish.yml", "check.yml"}


# --- check-jsonschema: GitHub's workflow schema -------------------------------------------


def schema_errors(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflows_match_githubs_schema() -> None:
    result = schema_errors(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    timeout-minutes: soon\n    steps: []\n",
        encoding="utf-8",
    )
    result = schema_errors([broken])
    assert result.returncode != 0
    assert "timeout-minutes" in result.stdout + result.stderr


# --- zizmor: security audit ---------------------------------------------------------------


def zizmor_findings(target: Path) -> list[dict[str, Any]]:
    """zizmor's findings (regular persona, offline) of medium severity or above.

    ``--no-config`` and ``--no-ignores``: a finding cannot be silenced by a config file or
    an inline comment without changing this test.
    """
    result = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-config",
            "--no-ignores",
            "--no-exit-codes",
            "--no-progress",
            "--format",
            "json",
            "--min-severity",
            "medium",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=target.parent,
    )
    assert result.returncode == 0, f"zizmor failed to run:\n{result.stderr}"
    findings = json.loads(result.stdout)
    medium = SEVERITIES.index("Medium")
    return [f for f in findings if SEVERITIES.index(f["determinations"]["severity"]) >= medium]


def describe(findings: list[dict[str, Any]]) -> str:
    lines = []
    for finding in findings:
        where = finding["locations"][0]["concrete"]
        lines.append(
            f"{finding['ident']} ({finding['determinations']['severity']}) at line "
            f"{where['location']['start_point']['row'] + 1}: {where['feature']!r}"
        )
    return "\n".join(lines)


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    findings = zizmor_findings(GITHUB)
    assert not findings, describe(findings)


def test_zizmor_audit_catches_an_injection(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 5\n    steps:\n"
        '      - run: echo "${{ github.event.issue.title }}"\n',
        encoding="utf-8",
    )
    assert "template-injection" in {f["ident"] for f in zizmor_findings(tmp_path / ".github")}


# --- properties the tools do not enforce --------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    for name, job in jobs(path):
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{path.name}: job {name}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target(path: Path) -> None:
    assert "pull_request_target" not in path.read_text(encoding="utf-8")
    triggers = load(path)["on"]
    assert "pull_request_target" not in (
        triggers if isinstance(triggers, (dict, list)) else [triggers]
    )


def uses_lines(path: Path) -> list[tuple[int, str, str]]:
    """Every ``uses:`` in the file as (line number, reference, trailing comment)."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$", line)
        if match:
            found.append((number, match.group(1), (match.group(2) or "").strip()))
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_the_version_noted(path: Path) -> None:
    lines = uses_lines(path)
    assert len(lines) == sum(1 for _, step in steps(path) if "uses" in step)
    for number, ref, comment in lines:
        if ref.startswith("./"):
            continue  # an action in this repository is pinned by the checkout itself
        assert SHA_PIN.match(ref), f"{path.name}:{number}: {ref} is not pinned to a full SHA"
        assert VERSION_COMMENT.match(comment), (
            f"{path.name}:{number}: say which release the SHA is, e.g. '# v4.2.2'"
        )


def test_each_action_is_pinned_to_one_commit_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for _, ref, comment in uses_lines(path):
            action, _, sha = ref.partition("@")
            pins.setdefault(action, set()).add((sha, comment))
    assert {action: pin for action, pin in pins.items() if len(pin) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_inside_a_script(path: Path) -> None:
    for job, step in steps(path):
        if "run" in step:
            assert "${{" not in step["run"], (
                f"{path.name}: job {job}, step {step.get('name')!r}: pass values through env:"
            )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_never_appear_in_conditions(path: Path) -> None:
    for job_name, job in jobs(path):
        assert "secrets." not in str(job.get("if", "")), job_name
        for step in job.get("steps", []):
            assert "secrets." not in str(step.get("if", "")), step.get("name")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load(path)
    top = workflow.get("permissions")
    assert isinstance(top, dict), f"{path.name}: set top-level permissions ({{}} or read)"
    assert set(top.values()) <= {"read", "none"}, f"{path.name}: top level may only read"
    for name, job in jobs(path):
        granted = job.get("permissions")
        assert isinstance(granted, dict), f"{path.name}: job {name} must list its permissions"
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert set(granted.values()) <= {"read", "write", "none"}
        assert writes <= ALLOWED_WRITES.get((path.name, name), set()), (
            f"{path.name}: job {name} may not write {sorted(writes)}"
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_leaves_no_credentials_behind(path: Path) -> None:
    for name, job in jobs(path):
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, (
                    f"{path.name}: job {name}: set persist-credentials: false"
                )


def test_only_the_push_step_holds_the_token() -> None:
    holders = [
        (job, step.get("id"))
        for path in WORKFLOWS
        for job, step in steps(path)
        if "github.token" in json.dumps(step) or "GITHUB_TOKEN" in step.get("env", {})
    ]
    assert holders == [("update", "commit")]
    assert load(PUBLISH)["jobs"]["update"]["permissions"] == {"contents": "write"}


def test_check_workflow_is_read_only_and_secret_free() -> None:
    text = CHECK.read_text(encoding="utf-8")
    assert "secrets." not in text
    workflow = load(CHECK)
    assert set(workflow["on"]) == {"pull_request", "push"}
    for _, job in jobs(CHECK):
        assert set(job["permissions"].values()) <= {"read", "none"}
    commands = [step["run"] for _, step in steps(CHECK) if "run" in step]
    assert "daily-papers validate --format github" in commands
    assert "python -m pytest" in commands
    assert "mkdocs build --strict" in commands


def test_publish_triggers_concurrency_and_caching() -> None:
    workflow = load(PUBLISH)
    triggers = workflow["on"]
    assert triggers["schedule"] and all("cron" in entry for entry in triggers["schedule"])
    assert triggers["push"] == {"branches": ["main"]}
    inputs = triggers["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"date", "since", "until", "refresh_days"}
    assert inputs["refresh_days"]["default"] == "14"
    assert not any(spec.get("required") for spec in inputs.values())
    assert workflow["concurrency"]["cancel-in-progress"] is False
    for path in WORKFLOWS:
        for _, step in steps(path):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip"
                assert step["with"]["cache-dependency-path"].startswith(".github/requirements/")


LOCKS = GITHUB / "requirements"


def locked_versions(lock: Path) -> dict[str, list[str]]:
    """Package name -> the exact versions a lock file pins (one per Python range)."""
    found: dict[str, list[str]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"([A-Za-z0-9._-]+)==([^ ;\\]+)", line):
            found.setdefault(match.group(1).lower().replace("_", "-"), []).append(match.group(2))
    return found


def test_workflows_install_only_hashed_locked_versions() -> None:
    for path in WORKFLOWS:
        for _, step in steps(path):
            for line in step.get("run", "").splitlines():
                if "pip install" not in line:
                    continue
                # Either the lock with hashes, or the project itself without dependencies.
                assert "--require-hashes -r .github/requirements/" in line or "--no-deps" in line, (
                    line
                )
    for lock in LOCKS.glob("*.txt"):
        text = lock.read_text(encoding="utf-8")
        for block in re.split(r"\n(?=[A-Za-z])", text):  # one pinned package per block
            if "==" in block.split("\n")[0]:
                assert "--hash=sha256:" in block, block.split("\n")[0]


def requirements(extras: tuple[str, ...]) -> list[str]:
    """daily-papers' requirements (as installed), with those of ``extras``."""
    wanted = []
    for requirement in importlib.metadata.requires("daily-papers") or []:
        requirement, _, marker = requirement.partition(";")
        extra = re.search(r'extra == "(\w+)"', marker)
        if extra is None or extra.group(1) in extras:
            wanted.append(requirement.strip())
    return wanted


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("publish.txt", ()), ("check.txt", ("test", "lint")), ("lowest.txt", ("test",))],
)
def test_lock_files_pin_every_dependency_of_pyproject(lock: str, extras: tuple[str, ...]) -> None:
    wanted = requirements(extras)
    pinned = locked_versions(LOCKS / lock)
    for requirement in wanted:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")
        assert name in pinned, f"{name} is missing from {lock}: run .github/requirements/lock"
        exact = re.search(r"==([^,;\s]+)", requirement)
        if exact:  # an exact pin in pyproject.toml must be the version locked
            assert pinned[name] == [exact.group(1)], f"{lock} pins {name} {pinned[name]}"


def test_the_lowest_lock_holds_every_lower_bound_exactly() -> None:
    # A lower bound no job installs is a guess (filelock>=3.12 allowed a version under
    # which two commands wrote two records of one paper).
    pinned = locked_versions(LOCKS / "lowest.txt")
    for requirement in requirements(("test",)):
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower().replace("_", "-")
        bound = re.search(r">=([^,;\s]+)", requirement)
        if bound:
            assert [Version(v) for v in pinned[name]] == [Version(bound.group(1))], name


def test_every_package_the_workflows_install_has_a_hash() -> None:
    # pip fetched setuptools for an isolated build of daily-papers, without a hash.
    for path in WORKFLOWS:
        for _, step in steps(path):
            for line in step.get("run", "").splitlines():
                if "pip install" in line and "--no-deps" in line:
                    assert "--no-build-isolation" in line, line
    for lock in ("publish.txt", "check.txt", "lowest.txt"):
        assert "setuptools" in locked_versions(LOCKS / lock), lock
    # (tomllib is Python 3.11's; the build-system table is one line.)
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    requires = re.search(r"\[build-system\]\nrequires = \[(.*?)\]", pyproject)
    assert requires is not None
    listed = [
        line
        for line in (LOCKS / "build.in").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert listed == re.findall(r'"([^"]+)"', requires.group(1)), "build.in must match"


def test_publish_deploys_from_its_own_job_with_only_pages_rights() -> None:
    deploy = load(PUBLISH)["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["steps"][0]["id"] == "deployment"
    build = load(PUBLISH)["jobs"]["build"]
    assert "actions/upload-pages-artifact" in {
        s.get("uses", "").split("@")[0] for s in build["steps"]
    }
    assert deploy["needs"] == "build"


def test_publish_commits_nothing_on_a_push_run() -> None:
    update = load(PUBLISH)["jobs"]["update"]
    assert update["if"] == "github.event_name != 'push'"
    assert any("push origin" in step.get("run", "") for step in update["steps"])
    for name, job in jobs(PUBLISH):
        if name != "update":
            assert not any("git " in step.get("run", "") for step in job.get("steps", []))


def test_site_and_repo_urls_come_from_the_github_context() -> None:
    build = step_by_id(PUBLISH, "pages")  # configure-pages, which knows the Pages URL
    assert build["uses"].startswith("actions/configure-pages@")
    for path in WORKFLOWS:
        builds = [step for _, step in steps(path) if step.get("run") == "mkdocs build --strict"]
        assert builds, path.name
        for step in builds:
            assert step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    publish_build = next(
        step for _, step in steps(PUBLISH) if step.get("run") == "mkdocs build --strict"
    )
    assert publish_build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


def test_summaries_run_only_when_the_key_is_set() -> None:
    update = load(PUBLISH)["jobs"]["update"]
    assert update["env"]["LLM_CONFIGURED"] == "${{ secrets.OPENAI_API_KEY != '' }}"
    summarize = step_by_id(PUBLISH, "summarize")
    assert summarize["if"] == "env.LLM_CONFIGURED == 'true'"
    assert summarize["env"]["OPENAI_API_KEY"] == "${{ secrets.OPENAI_API_KEY }}"
    # The names are the ones the LLM client reads.
    assert {llm.ENV_API_KEY, llm.ENV_BASE_URL, llm.ENV_MODEL} == set(summarize["env"]) - {
        "SINCE",
        "UNTIL",
    }
    # The key reaches this one step only.
    for _, step in steps(PUBLISH):
        if step.get("id") != "summarize":
            assert "secrets." not in json.dumps(step), step.get("name")


# --- the workflows' shell steps, run for real ---------------------------------------------


def run_step(
    step: dict[str, Any], cwd: Path, env: dict[str, str], output: Path
) -> subprocess.CompletedProcess[str]:
    """Run a step's script the way GitHub's runner does for ``shell: bash``."""
    script = cwd / ".step.sh"
    script.write_text(step["run"], encoding="utf-8")
    full_env = {"PATH": os.environ["PATH"], "HOME": str(cwd), "GITHUB_OUTPUT": str(output), **env}
    try:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        script.unlink()


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def choose_days(
    tmp_path: Path, date: str = "", since: str = "", until: str = "", refresh_days: str = ""
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    output = tmp_path / "output"
    output.write_text("")
    inputs = {"INPUT_DATE": date, "INPUT_SINCE": since, "INPUT_UNTIL": until}
    result = run_step(
        step_by_id(PUBLISH, "days"),
        tmp_path,
        {**inputs, "INPUT_REFRESH_DAYS": refresh_days},
        output,
    )
    return result, outputs(output)


def test_days_default_to_yesterday_and_today_utc(tmp_path: Path) -> None:
    before = dt.datetime.now(dt.timezone.utc).date()
    result, days = choose_days(tmp_path)
    after = dt.datetime.now(dt.timezone.utc).date()
    assert result.returncode == 0, result.stderr
    assert days["until"] in {before.isoformat(), after.isoformat()}
    today = dt.date.fromisoformat(days["until"])
    assert days["since"] == (today - dt.timedelta(days=1)).isoformat()
    assert days["refresh"] == "14"  # a scheduled run has no inputs


@pytest.mark.parametrize(("given", "expected"), [("0", "0"), ("30", "30"), ("07", "07")])
def test_the_refresh_window_from_a_dispatch_input(
    tmp_path: Path, given: str, expected: str
) -> None:
    result, days = choose_days(tmp_path, refresh_days=given)
    assert result.returncode == 0, result.stdout
    assert days["refresh"] == expected


@pytest.mark.parametrize("given", ["61", "-1", "1e3", "14 --summarize", "999999999999999999999"])
def test_a_bad_refresh_window_stops_the_run(tmp_path: Path, given: str) -> None:
    result, days = choose_days(tmp_path, refresh_days=given)
    assert result.returncode == 1 and days == {}
    assert "::error::refresh_days must be a whole number from 0 to 60" in result.stdout


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"date": "2024-02-14"}, ("2024-02-14", "2024-02-14")),
        ({"since": "2024-02-01", "until": "2024-02-14"}, ("2024-02-01", "2024-02-14")),
    ],
)
def test_days_from_dispatch_inputs(
    tmp_path: Path, inputs: dict[str, str], expected: tuple[str, str]
) -> None:
    result, days = choose_days(tmp_path, **inputs)
    assert result.returncode == 0, result.stderr
    assert (days["since"], days["until"]) == expected


def test_days_since_alone_runs_to_today(tmp_path: Path) -> None:
    result, days = choose_days(tmp_path, since="2024-02-01")
    assert result.returncode == 0, result.stderr
    assert days["since"] == "2024-02-01"
    assert days["until"] >= dt.datetime.now(dt.timezone.utc).date().isoformat()


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"date": "2024-02-14", "since": "2024-02-01"}, "either 'date' or 'since'/'until'"),
        ({"date": "14.02.2024"}, "Not a date in the form YYYY-MM-DD: 14.02.2024"),
        ({"since": "2024-02-01\nsha=0000"}, "Not a date in the form YYYY-MM-DD"),
        ({"until": "$(touch pwned)"}, "Not a date in the form YYYY-MM-DD: $(touch pwned)"),
    ],
)
def test_bad_dispatch_inputs_stop_the_run(
    tmp_path: Path, inputs: dict[str, str], message: str
) -> None:
    result, days = choose_days(tmp_path, **inputs)
    assert result.returncode == 1
    assert "::error::" in result.stdout and message in result.stdout
    assert days == {}
    assert not (tmp_path / "pwned").exists()


def git(cwd: Path, *args: str) -> str:
    """Run git in a scratch repository, blind to the caller's git (a hook or rebase sets
    GIT_DIR and friends, which would point these commands at the real repository)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of a bare 'origin' with one commit on main, like the job's checkout."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    work = tmp_path / "work"
    git(tmp_path, "clone", "--quiet", str(origin), str(work))
    (work / "data").mkdir()
    (work / "data" / "old.yaml").write_text("kept\n")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "checkout", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "init")
    git(work, "push", "-q", "origin", "main")
    return work


def commit_step(clone: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    output = clone.parent / "output"
    output.write_text("")
    env = {
        "SINCE": "2024-02-13",
        "UNTIL": "2024-02-14",
        "BRANCH": "main",
        "GITHUB_TOKEN": "token-for-the-test",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return run_step(step_by_id(PUBLISH, "commit"), clone, env, output), outputs(output)


def test_commit_step_makes_no_empty_commit(clone: Path) -> None:
    head = git(clone, "rev-parse", "HEAD")
    result, out = commit_step(clone)
    assert result.returncode == 0, result.stderr
    assert "nothing to commit" in result.stdout
    assert out["sha"] == head == git(clone, "rev-parse", "origin/main")


def test_commit_step_commits_and_pushes_changed_records_only(clone: Path) -> None:
    (clone / "data" / "2024" / "02" / "14").mkdir(parents=True)
    (clone / "data" / "2024" / "02" / "14" / "2402.08093.yaml").write_text("new\n")
    (clone / "data" / "old.yaml").write_text("changed\n")
    (clone / "site").mkdir()
    (clone / "site" / "index.html").write_text("build output, never committed\n")
    # Earlier steps run third-party code; a hook they plant must not run with the token.
    for hook in ("pre-commit", "pre-push"):
        path = clone / ".git" / "hooks" / hook
        path.write_text(f'#!/bin/sh\necho "$GITHUB_TOKEN" > ../{hook}-ran\nexit 1\n')
        path.chmod(0o755)
    result, out = commit_step(clone)
    assert result.returncode == 0, result.stderr
    assert not list(clone.parent.glob("*-ran"))
    assert "::add-mask::" in result.stdout  # the encoded token is hidden in the log
    assert "token-for-the-test" not in (clone / ".git" / "config").read_text()
    assert out["sha"] == git(clone, "rev-parse", "HEAD")
    assert git(clone.parent / "origin.git", "rev-parse", "main") == out["sha"]
    assert git(clone, "log", "-1", "--format=%an <%ae>|%s") == (
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
        "|Update records for 2024-02-13 to 2024-02-14"
    )
    assert git(clone, "show", "--name-only", "--format=", "HEAD").splitlines() == [
        "data/2024/02/14/2402.08093.yaml",
        "data/old.yaml",
    ]


# --- the CLI the workflows and the README call --------------------------------------------


def command_lines(text: str) -> Iterator[list[str]]:
    """Each ``daily-papers ...`` command in a script, as shell words (continuations joined)."""
    for line in re.sub(r"\\\n", " ", text).splitlines():
        if "daily-papers" not in line:
            continue
        words = shlex.split(line, comments=True)
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            words.pop(0)  # VAR=value before the command
        if words and words[0].removeprefix(".venv/bin/") == "daily-papers":
            # The command ends where the shell takes over: a pipe, a list, a redirection.
            end = next(
                (i for i, w in enumerate(words) if re.fullmatch(r"\|\|?|&&|;|\d?>.*", w)),
                len(words),
            )
            yield ["daily-papers", *words[1:end]]


def readme_publishing_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publishing your own archive", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [words for block in blocks for words in command_lines(block)]


def workflow_commands() -> list[tuple[str, list[str]]]:
    return [
        (f"{path.name}: {step.get('name')}", words)
        for path in WORKFLOWS
        for _, step in steps(path)
        if "run" in step
        for words in command_lines(step["run"])
    ]


def check_against_cli(words: list[str]) -> None:
    """Fail unless ``words`` names a daily-papers command with options it really has."""
    name, args = words[1], words[2:]
    command = cli.commands.get(name)
    assert command is not None, f"daily-papers has no command {name!r}"
    options = {
        opt: param
        for param in command.params
        if isinstance(param, click.Option)
        for opt in (*param.opts, *param.secondary_opts)
    }
    for arg in args:
        if arg.startswith("-"):
            flag = arg.split("=", 1)[0]
            assert flag in options, f"daily-papers {name} has no option {flag}"
    # Let click itself parse the line, with placeholders for the shell variables.
    concrete = [
        re.sub(
            r"\$\{?(\w+)\}?|\$\(.*\)",
            lambda variable: "14" if "DAYS" in (variable.group(1) or "") else "2024-02-14",
            arg,
        )
        for arg in args
    ]
    context = command.make_context(f"daily-papers {name}", list(concrete), resilient_parsing=False)
    context.close()


def test_workflows_call_the_commands_they_need() -> None:
    called = {words[1] for _, words in workflow_commands()}
    assert called >= {"fetch", "summarize", "validate"}


@pytest.mark.parametrize(
    ("where", "words"),
    workflow_commands(),
    ids=lambda v: v if isinstance(v, str) else " ".join(v[:2]),
)
def test_workflow_commands_match_the_cli(where: str, words: list[str]) -> None:
    check_against_cli(words)


def test_readme_lists_every_workflow_command_and_each_exists() -> None:
    readme = readme_publishing_commands()
    assert readme, "README's publishing section has no daily-papers commands"
    for words in readme:
        check_against_cli(words)
    documented = {
        (w[1], tuple(a.split("=")[0] for a in w[2:] if a.startswith("-"))) for w in readme
    }
    for where, words in workflow_commands():
        used = (words[1], tuple(a for a in words[2:] if a.startswith("-")))
        assert used in documented, f"{where}: README does not show {' '.join(words)}"


def fake_fetch(tmp_path: Path, stderr: str, status: int) -> dict[str, str]:
    """A ``daily-papers`` on PATH that prints ``stderr`` and exits with ``status``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "daily-papers"
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' {shlex.quote(stderr)} >&2\nexit {status}\n")
    fake.chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}", "SINCE": "2024-02-13", "UNTIL": "2024-02-14"}


def test_a_failed_date_still_lets_the_run_commit_the_others(tmp_path: Path) -> None:
    """Before, one failed date skipped validate and commit: every good date was lost."""
    workflow = load(PUBLISH)
    update = workflow["jobs"]["update"]
    by_id = {step.get("id"): step for step in update["steps"]}
    assert by_id["fetch"]["continue-on-error"] is True
    assert "steps.fetch.outcome" not in by_id["validate"]["if"]
    assert "steps.validate.outcome == 'success'" in by_id["commit"]["if"]
    last = update["steps"][-1]
    assert last["if"] == "${{ !cancelled() && steps.fetch.outcome == 'failure' }}"
    assert last["env"]["FAILED"] == "${{ steps.fetch.outputs.failed }}"

    output = tmp_path / "output"
    output.write_text("")
    env = fake_fetch(tmp_path, "2024-02-13: 3 papers\n1 of 2 dates failed: 2024-02-14", 1)
    result = run_step(by_id["fetch"], tmp_path, env, output)
    assert result.returncode == 1 and outputs(output) == {"failed": "2024-02-14"}
    failing = run_step(last, tmp_path, {"FAILED": "2024-02-14"}, tmp_path / "unused")
    assert failing.returncode == 1
    assert "::error::Not fetched, so not committed: 2024-02-14." in failing.stdout


def test_a_fetch_without_failures_names_none(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.write_text("")
    env = fake_fetch(tmp_path, "2 dates: 5 papers (5 new, 0 updated, 0 unchanged)", 0)
    result = run_step(step_by_id(PUBLISH, "fetch"), tmp_path, env, output)
    assert result.returncode == 0 and outputs(output) == {"failed": ""}


def test_the_fetch_step_with_arxiv_down_still_succeeds(tmp_path: Path) -> None:
    """The real daily-papers, the Hugging Face API on a local server, arXiv answering 503:
    the day is written, categories are pending, and the run goes on to publish."""
    from arxiv_server import ArxivServer
    from replay_server import ReplayServer, Reply
    from test_fetch import item

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    output = tmp_path / "output"
    output.write_text("")
    with ReplayServer() as hf, ArxivServer() as arxiv:
        hf.days["2025-06-12"] = [item("2506.00001")]
        arxiv.script.extend([Reply(503)] * 3)
        env = {
            "SINCE": "2025-06-12",
            "UNTIL": "2025-06-12",
            "REFRESH_DAYS": "0",
            "DAILY_PAPERS_API_URL": hf.url,
            "DAILY_PAPERS_ARXIV_URL": arxiv.url,
            "DAILY_PAPERS_RETRY_DELAY": "0",
            # The installed daily-papers, as the workflow has it on PATH.
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        result = run_step(step_by_id(PUBLISH, "fetch"), tmp_path, env, output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "categories pending for 1 paper" in result.stdout
    assert outputs(output) == {"failed": ""}
    assert list((tmp_path / "data").rglob("2506.00001.yaml"))


def test_the_pending_categories_step_with_arxiv_down_is_a_notice(tmp_path: Path) -> None:
    """A paper left pending by an earlier run is asked for again by the next one; with
    arXiv still down the step says so and the run goes on to validate and publish."""
    from arxiv_server import ArxivServer
    from record_files import write
    from replay_server import Reply

    from generator.records.model import Paper

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    write(
        Paper(id="2506.00001", date=dt.date(2025, 6, 12), title="Invented", votes=1),
        tmp_path / "data",
    )
    with ArxivServer() as arxiv:
        arxiv.script.extend([Reply(503)] * 3)
        env = {
            "DAILY_PAPERS_ARXIV_URL": arxiv.url,
            "DAILY_PAPERS_RETRY_DELAY": "0",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        step = step_by_id(PUBLISH, "categories")
        result = run_step(step, tmp_path, env, tmp_path / "unused")
        asked = len(arxiv.requests)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::notice::arXiv did not answer" in result.stdout
    assert asked == 3


def test_the_log_shows_the_progress_of_the_long_steps(tmp_path: Path) -> None:
    """A CI log is not a terminal: the long commands print a plain progress line every
    30 seconds (made short here), so a slow step can be told from a hung one. No step
    silences them."""
    from arxiv_server import ArxivServer
    from record_files import write

    from generator.records.model import Paper

    for _, step in steps(PUBLISH):
        for line in str(step.get("run", "")).splitlines():
            if "daily-papers" in line:
                assert "--quiet" not in line and " -q" not in line, line
        assert "DAILY_PAPERS_PROGRESS_SECONDS" not in json.dumps(step)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    papers = [
        Paper(id=f"2506.{n:05d}", date=dt.date(2025, 6, 2), title="Invented", votes=1)
        for n in range(150)
    ]
    for paper in papers:
        write(paper, tmp_path / "data")
    with ArxivServer() as arxiv:
        arxiv.papers = {paper.id: ["cs.CL"] for paper in papers}
        env = {
            "DAILY_PAPERS_ARXIV_URL": arxiv.url,
            "DAILY_PAPERS_PROGRESS_SECONDS": "0.5",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        result = run_step(step_by_id(PUBLISH, "categories"), tmp_path, env, tmp_path / "unused")
    assert result.returncode == 0, result.stdout + result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("categories: ")]
    assert any(line.startswith("categories: 100 of 150 papers (66%), ") for line in progress)
    assert result.stdout.splitlines()[-1].startswith("categories: 150 papers asked of arXiv")


def test_the_fetch_step_refreshes_the_votes_of_the_window(tmp_path: Path) -> None:
    """The real fetch step with the window the days step chose: a paper listed a week
    earlier gets its risen votes, and the log says how many records changed."""
    from record_files import write
    from replay_server import ReplayServer
    from test_fetch import item

    from generator.records.model import Paper
    from generator.records.reading import scan

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    week_ago = Paper(id="2506.00051", date=dt.date(2025, 6, 5), title="Invented", votes=3)
    write(week_ago, tmp_path / "data")
    output = tmp_path / "output"
    output.write_text("")
    with ReplayServer() as hf:
        hf.days["2025-06-05"] = [item("2506.00051", votes=41)]
        hf.days["2025-06-12"] = [item("2506.00121")]
        env = {
            "SINCE": "2025-06-11",
            "UNTIL": "2025-06-12",
            "REFRESH_DAYS": "14",
            "DAILY_PAPERS_API_URL": hf.url,
            "DAILY_PAPERS_ARXIV_URL": "off",
            "DAILY_PAPERS_RETRY_DELAY": "0",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        result = run_step(step_by_id(PUBLISH, "fetch"), tmp_path, env, output)
        asked = sorted(r.query["date"] for r in hf.requests)
    assert result.returncode == 0, result.stdout + result.stderr
    assert asked[0] == "2025-05-28" and len(asked) == 16  # 14 days before, and the 2
    assert (
        "refreshed 14 earlier days (2025-05-28 to 2025-06-10): 1 record changed "
        "(1 paper (0 new, 1 updated, 0 unchanged))" in result.stdout
    )
    votes = {p.id: p.votes for p in scan([tmp_path / "data"]).papers}
    assert votes == {"2506.00051": 41, "2506.00121": 1}
    assert outputs(output) == {"failed": ""}


def test_the_lowest_job_runs_locally_as_it_runs_on_github() -> None:
    """.ci/lowest is the check workflow's lowest job on one's own machine: the same
    Python, the same install commands, the same test command."""
    job = load(CHECK)["jobs"]["lowest"]
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.10"
    commands = [
        line.strip()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip().startswith("python ")
    ]
    script = (REPO / ".ci" / "lowest").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines()]
    installs = [line for line in lines if line.startswith("python ")][:-1]
    assert commands == [*installs, "python -m pytest"]
    assert 'python -m pytest "$@"' in lines and "(3, 10)" in script
