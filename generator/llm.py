"""Asking an OpenAI-compatible chat-completions server for a paper's summary.

Any server speaking the protocol works (OpenAI, vLLM, Ollama, OpenRouter), configured by
the variables their users already know. Real models wrap their JSON in prose or code
fences, answer with a bare list, or think aloud first, so reading the answer is lenient;
what is kept is strict: 3 to 7 one-line bullets in the requested language that the site
may publish (see :func:`generator.records.bullets.bullet_problem`). A bad answer is asked
for once more, telling the model what was wrong, before the paper is given up.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import httpx
import yaml

from generator import checks
from generator.http import Client, HTTPFailure, RetryPolicy, SettingError, seconds_setting
from generator.records.bullets import bullet_problem
from generator.records.glossary import Entry
from generator.records.text import excerpt, one_line
from generator.records.urls import url_problem

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: Local models on a CPU can take minutes for one answer; hosted ones take seconds.
DEFAULT_TIMEOUT = 180.0
MIN_BULLETS, MAX_BULLETS = 3, 7

ENV_BASE_URL = "OPENAI_BASE_URL"
ENV_API_KEY = "OPENAI_API_KEY"
ENV_MODEL = "DAILY_PAPERS_MODEL"
ENV_TIMEOUT = "DAILY_PAPERS_LLM_TIMEOUT"


@dataclass(frozen=True)
class Language:
    """A summary language: its name in the prompt, the script its bullets must use, and
    how it keeps English terms (a prompt line, for a language that is not English)."""

    name: str
    script: re.Pattern[str]
    script_name: str
    #: Letters a bullet in this language does not hold (Hangul in an English summary:
    #: an answer in the wrong language that still has Latin letters in it).
    foreign: re.Pattern[str] | None = None
    terms: str | None = None


_HANGUL = re.compile("[\uac00-\ud7a3]")

#: The languages summaries can be written in: Korean for this site, English for a fork.
LANGUAGES = {
    "ko": Language(
        "Korean",
        _HANGUL,
        "Hangul",
        terms="- Keep English technical terms and names in parentheses after the Korean "
        "term, e.g. 강화 학습(reinforcement learning).",
    ),
    "en": Language("English", re.compile("[A-Za-z]"), "Latin", foreign=_HANGUL),
}


class ConfigError(Exception):
    """A setting (option or environment variable) that cannot work; says which and why."""


@dataclass(frozen=True)
class Settings:
    """Where and how to ask for summaries."""

    base_url: str
    api_key: str
    model: str
    language: str = "ko"
    timeout: float = DEFAULT_TIMEOUT
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/chat/completions"


def settings_from_env(
    model: str | None, language: str, environ: Mapping[str, str] = os.environ
) -> Settings | None:
    """Settings from ``--model`` and the environment; None when no API key is set.

    An empty variable counts as unset (CI passes missing secrets as empty strings).
    Raises :class:`ConfigError` for settings that cannot work.
    """
    api_key = environ.get(ENV_API_KEY, "").strip()
    if not api_key:
        return None
    if language not in LANGUAGES:
        raise ConfigError(
            f"--language {language!r} is not supported; "
            f"choose one of: {', '.join(sorted(LANGUAGES))}"
        )
    model = (model or environ.get(ENV_MODEL, "")).strip()
    if not model:
        raise ConfigError(
            f"no model given: pass --model or set {ENV_MODEL} "
            "(for example gpt-4o-mini on OpenAI, or a model your server serves)"
        )
    base_url = environ.get(ENV_BASE_URL, "").strip().rstrip("/") or DEFAULT_BASE_URL
    problem = url_problem(base_url)
    if problem:
        raise ConfigError(f"{ENV_BASE_URL} {problem}")
    try:
        timeout = seconds_setting(environ, ENV_TIMEOUT, DEFAULT_TIMEOUT, minimum=0.1)
        retry = RetryPolicy.from_env(environ)
    except SettingError as error:
        raise ConfigError(str(error)) from None
    return Settings(
        base_url=base_url,
        api_key=api_key,
        model=model,
        language=language,
        timeout=timeout,
        retry=retry,
    )


# --- the prompt -----------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    """The prompt file (``generator/prompts/summary.yml``): its version and texts."""

    version: str
    system: str
    instructions: str
    retry: str


@functools.cache
def prompt() -> Prompt:
    """The summary prompt, read once from its file in the package."""
    text = resources.files("generator.prompts").joinpath("summary.yml").read_text("utf-8")
    data = yaml.safe_load(text)
    return Prompt(
        version=str(data["version"]),
        system=data["system"],
        instructions=data["instructions"],
        retry=data["retry"],
    )


#: How the prompt names each source of a summary's text.
SOURCE_NAMES = {"html": "full text", "pdf": "full text", "abstract": "abstract"}


def glossary_lines(entries: Sequence[Entry]) -> str:
    """The glossary's entries as the prompt gives them (nothing without any)."""
    if not entries:
        return ""
    lines = ["- Write these terms as the site's glossary does (term: rendering):"]
    for entry in entries:
        avoided = ", ".join(rendering for rendering, _ in entry.avoid)
        lines.append(f"  - {entry.term}: {entry.ko}" + (f" (never {avoided})" if avoided else ""))
    return "\n".join(lines) + "\n"


def build_messages(
    title: str,
    text: str,
    language: str,
    source: str = "abstract",
    glossary: Sequence[Entry] = (),
) -> list[dict[str, str]]:
    """The chat messages asking for one paper's summary from ``text``, which is the
    paper's ``source`` (a key of :data:`SOURCE_NAMES`), with the ``glossary`` entries
    of the terms it uses."""
    chosen = LANGUAGES[language]
    name = chosen.name
    asked = prompt()
    return [
        {"role": "system", "content": asked.system.format(language=name)},
        {
            "role": "user",
            "content": asked.instructions.format(
                low=MIN_BULLETS,
                high=MAX_BULLETS,
                language=name,
                terms=f"{chosen.terms}\n" if chosen.terms else "",
                source=SOURCE_NAMES[source],
                glossary=glossary_lines(glossary),
                title=one_line(title),
                text=text.strip(),
            ),
        },
    ]


# --- reading the answer ---------------------------------------------------------------


class AnswerError(Exception):
    """The model's answer cannot be used; the message says why, for the report."""


#: A reasoning model's thinking, before its answer. Only at the start: an answer may
#: well mention a ``<think>`` token, as papers on reasoning models do.
_THINK_RE = re.compile(r"\A\s*<think>.*?(?:</think>|\Z)", re.S | re.I)
_FENCE_RE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n(.*?)```", re.S)
_BULLET_MARK_RE = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")


def parse_summary(content: str, language: str) -> list[str]:
    """The bullets in a model's answer, or :class:`AnswerError` saying what is wrong.

    Accepted: ``{"summary": [...]}`` (or any object with exactly one list), a bare JSON
    list, either inside a fenced code block or surrounded by prose, after any
    ``<think>`` section. Kept: 3 to 7 non-empty one-line strings, in ``language``'s
    script, that :func:`bullet_problem` allows.
    """
    text = _THINK_RE.sub("", content, count=1).strip()
    if not text:
        raise AnswerError("the answer is empty")
    value = _find_json(text)
    items = _summary_items(value)
    return _check_items(items, LANGUAGES[language])


def _find_json(text: str) -> Any:
    candidates = [text, *(block.strip() for block in _FENCE_RE.findall(text))]
    for opening, closing in ("{}", "[]"):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, (dict, list)):
            return value
    raise AnswerError(f"the answer holds no JSON object or list: {excerpt(text)!r}")


def _summary_items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    lists = [item for item in value.values() if isinstance(item, list)]
    found = value.get("summary", lists[0] if len(lists) == 1 else None)
    if isinstance(found, str):
        return [line for line in found.splitlines() if line.strip()]
    if not isinstance(found, list):
        keys = ", ".join(repr(key) for key in value) or "none"
        raise AnswerError(f'the JSON object has no "summary" list (keys: {keys})')
    return found


def _check_items(items: list[Any], language: Language) -> list[str]:
    if not MIN_BULLETS <= len(items) <= MAX_BULLETS:
        raise AnswerError(
            f"the summary has {len(items)} bullet(s); {MIN_BULLETS} to {MAX_BULLETS} are needed"
        )
    bullets = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, str):
            raise AnswerError(f"bullet {number} is {_json_type(item)}, not text")
        bullet = one_line(_BULLET_MARK_RE.sub("", item, count=1))
        if not bullet:
            raise AnswerError(f"bullet {number} is empty")
        problem = bullet_problem(bullet)
        if problem:
            raise AnswerError(f"bullet {number} {problem}")
        if not language.script.search(bullet):
            raise AnswerError(
                f"bullet {number} is not in {language.name} "
                f"(no {language.script_name} letters): {excerpt(bullet)!r}"
            )
        if language.foreign is not None and language.foreign.search(bullet):
            raise AnswerError(
                f"bullet {number} is not in {language.name} (it has letters of another "
                f"script): {excerpt(bullet)!r}"
            )
        bullets.append(bullet)
    return bullets


def _json_type(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        bool: "a boolean",
        type(None): "null",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


# --- talking to the server ------------------------------------------------------------


class ServerError(Exception):
    """A request that failed for good.

    ``fatal`` when every later request would fail the same way (a refused key, an
    unknown model or URL), so a run stops instead of repeating it for every paper.
    """

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass
class Result:
    """What asking for one paper's summary came to."""

    summary: list[str] | None = None
    problem: str | None = None
    #: What the source does not support in the summary kept (see :mod:`generator.checks`):
    #: the model was asked once more, naming them, and its second answer still had them.
    checked: list[str] = field(default_factory=list)
    fatal: bool = False
    #: Tokens the server reported for every request made for this paper (None: none did).
    tokens: int | None = None


class Summarizer:
    """A connection to a chat-completions server; one instance is shared by all threads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Every attempt may wait its whole timeout (a slow local model), not longer.
        deadline = settings.timeout * (settings.retry.attempts + 1)
        self._client = Client(
            timeout=settings.timeout,
            deadline=deadline,
            retry=settings.retry,
            headers={"Authorization": f"Bearer {settings.api_key}"},
        )

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def summarize(
        self, title: str, text: str, source: str = "abstract", glossary: Sequence[Entry] = ()
    ) -> Result:
        """Ask for a summary of ``text`` (the paper's ``source``), with the ``glossary``
        entries to follow; a bad answer is asked for once more. Never raises."""
        result = Result()
        language = self.settings.language
        messages = build_messages(title, text, language, source, glossary)
        for attempt in (1, 2):
            content = ""
            try:
                content = self._complete(messages, result)
                summary = parse_summary(content, language)
            except ServerError as error:
                result.problem, result.fatal = str(error), error.fatal
                return result
            except AnswerError as error:
                problem = str(error)
            else:
                # Checked against what the model read; a second answer that still fails
                # the check is kept, with its problems, for a person to review.
                found = checks.problems(summary, f"{title}\n{text}")
                if not found or attempt == 2:
                    result.summary, result.checked = summary, found
                    return result
                problem = "the summary says what the paper does not: " + "; ".join(found)
            if attempt == 1:
                retry = prompt().retry.format(
                    problem=problem,
                    low=MIN_BULLETS,
                    high=MAX_BULLETS,
                    language=LANGUAGES[language].name,
                )
                answered = [{"role": "assistant", "content": content}] if content else []
                messages = [*messages, *answered, {"role": "user", "content": retry}]
        result.problem = f"the model's answer was unusable twice; the second time {problem}"
        return result

    def _complete(self, messages: list[dict[str, str]], result: Result) -> str:
        """One chat completion's text; adds the reported tokens to ``result``.

        Raises :class:`ServerError` when the request failed and :class:`AnswerError`
        when the server answered without usable text (cut off, empty, refused).
        """
        payload = {
            "model": self.settings.model,
            "messages": messages,
            "response_format": {"type": "json_object"},
        }
        try:
            response = self._client.request("POST", self.settings.endpoint, json=payload)
        except HTTPFailure as failure:
            raise _server_error(failure, self.settings) from None
        try:
            body = response.json()
        except ValueError:
            raise AnswerError(
                f"the server's reply is not JSON: {excerpt(response.text)!r}"
            ) from None
        tokens = _tokens(body)
        if tokens is not None:
            result.tokens = (result.tokens or 0) + tokens
        return _content(body, self.settings.endpoint)


def _tokens(body: Any) -> int | None:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return None
    total = usage.get("total_tokens")
    if isinstance(total, int) and not isinstance(total, bool):
        return total
    parts = [usage.get("prompt_tokens"), usage.get("completion_tokens")]
    numbers = [p for p in parts if isinstance(p, int) and not isinstance(p, bool)]
    return sum(numbers) if numbers else None


def _content(body: Any, endpoint: str) -> str:
    """The answer's text; a reply without usable text is a bad answer, asked for again."""
    try:
        choice = body["choices"][0]
        message = choice["message"]
        content = message.get("content")
    except (KeyError, IndexError, TypeError, AttributeError):
        raise AnswerError(
            f"{endpoint} did not answer with a chat completion "
            f"(no choices[0].message): {excerpt(json.dumps(body))!r}"
        ) from None
    if choice.get("finish_reason") == "length":
        raise AnswerError("the answer was cut off at the server's length limit")
    if isinstance(message.get("refusal"), str) and message["refusal"].strip():
        raise AnswerError(f"the model refused: {excerpt(message['refusal'])!r}")
    if not isinstance(content, str) or not content.strip():
        raise AnswerError("the answer has no text")
    return content


def _server_error(failure: HTTPFailure, settings: Settings) -> ServerError:
    response = failure.response
    if response is None:
        return ServerError(str(failure))
    detail = _error_detail(response)
    message = str(failure) + (f": {detail}" if detail else "")
    if response.status_code in (401, 403):
        return ServerError(f"{message} (is {ENV_API_KEY} right for this server?)", fatal=True)
    if response.status_code == 404:
        return ServerError(
            f"{message} (check {ENV_BASE_URL} and the model name {settings.model!r})", fatal=True
        )
    return ServerError(message)


def _error_detail(response: httpx.Response) -> str | None:
    """The server's own explanation: OpenAI's ``{"error": {"message": ...}}`` or plain text."""
    try:
        body = response.json()
    except ValueError:
        return excerpt(response.text, 200) or None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return one_line(error["message"])
    if isinstance(error, str):
        return one_line(error)
    return None
