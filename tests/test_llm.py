"""The chat-completions client: lenient reading of real models' answers, strict results,
and retries, failures and settings, all through a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from chat_server import ChatServer, Reply, completion, summary_json

from generator.http import RetryPolicy
from generator.llm import (
    AnswerError,
    ConfigError,
    Settings,
    Summarizer,
    build_messages,
    parse_summary,
    settings_from_env,
)

# Bullets written for these tests (about no real paper).
B1 = "작은 언어 모델(small language model)로 긴 문서를 요약하는 방법을 제안합니다."
B2 = "문서를 조각(chunk)으로 나누고 각 조각의 요지를 모아 다시 요약합니다."
B3 = "세 가지 벤치마크(benchmark)에서 기존 방법보다 평균 4점 높은 점수를 얻었습니다."
GOOD = [B1, B2, B3]

TITLE = "Chunked Summaries for Long Documents"
#: Holds every number and English term of GOOD: the check against the source passes.
ABSTRACT = (
    "We study summarising long documents with a small language model: each chunk is "
    "summarised, then the summaries are. On three benchmarks it scores 4 points higher.\n"
    "Results are good."
)


# --- reading answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        summary_json(*GOOD),
        json.dumps(GOOD, ensure_ascii=False),
        "```json\n" + summary_json(*GOOD) + "\n```",
        "```\n" + json.dumps(GOOD, ensure_ascii=False) + "\n```",
        "Here is the summary you asked for:\n" + summary_json(*GOOD) + "\nI hope it helps.",
        "Sure! " + json.dumps(GOOD, ensure_ascii=False),
        "<think>The user wants {JSON}. Let me [think].</think>\n" + summary_json(*GOOD),
        json.dumps({"bullets": GOOD}, ensure_ascii=False),
        json.dumps({"summary": [f"- {b}" for b in GOOD]}, ensure_ascii=False),
        json.dumps({"summary": [f"{n}. {b}" for n, b in enumerate(GOOD, 1)]}, ensure_ascii=False),
        json.dumps({"summary": "\n".join(f"• {b}" for b in GOOD)}, ensure_ascii=False),
        json.dumps({"summary": [B1, B2.replace(" ", "\n  ", 1), B3 + "  "]}, ensure_ascii=False),
    ],
    ids=[
        "object",
        "bare list",
        "fenced json",
        "fenced bare list",
        "prose around object",
        "prose before list",
        "think section",
        "other key",
        "dash markers",
        "numbered",
        "one string",
        "wrapped lines",
    ],
)
def test_parse_accepts_what_real_models_send(answer: str) -> None:
    assert parse_summary(answer, "ko") == GOOD


def test_tokens_in_angle_brackets_are_text() -> None:
    """A model writing about <think> or <EOS> tokens is not writing HTML."""
    answer = summary_json(B1, "<think> 단계와 <EOS> 토큰을 다룹니다.", "<b>굵게</b> 쓴 문장입니다.")
    assert parse_summary(answer, "ko")[1:] == [
        "<think> 단계와 <EOS> 토큰을 다룹니다.",
        "<b>굵게</b> 쓴 문장입니다.",
    ]


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("", "the answer is empty"),
        ("<think>still thinking about it", "the answer is empty"),
        (
            '{"summary": ["a", "b"',
            'the answer holds no JSON object or list: \'{"summary": ["a", "b"\'',
        ),
        (
            "I cannot help with that.",
            "the answer holds no JSON object or list: 'I cannot help with that.'",
        ),
        (
            '{"title": "x", "count": 3}',
            "the JSON object has no \"summary\" list (keys: 'title', 'count')",
        ),
        (summary_json(B1, B2), "the summary has 2 bullet(s); 3 to 7 are needed"),
        (summary_json(*(GOOD * 3)), "the summary has 9 bullet(s); 3 to 7 are needed"),
        (json.dumps({"summary": [B1, 42, B3]}), "bullet 2 is a number, not text"),
        (json.dumps({"summary": [B1, {"text": B2}, B3]}), "bullet 2 is an object, not text"),
        (summary_json(B1, "  ", B3), "bullet 2 is empty"),
        (
            summary_json(B1, B2, "자세한 내용은 [여기](javascript:alert(1))를 보세요."),
            "bullet 3 link target must be an absolute http(s) URL (scheme is 'javascript:'): "
            "'javascript:alert(1)'",
        ),
        (
            summary_json("A new method for long documents.", B2, B3),
            "bullet 1 is not in Korean (no Hangul letters): 'A new method for long documents.'",
        ),
    ],
    ids=[
        "empty",
        "unfinished think",
        "broken json",
        "prose only",
        "no summary key",
        "too few",
        "too many",
        "number item",
        "object item",
        "blank item",
        "javascript link",
        "english",
    ],
)
def test_parse_rejects_what_cannot_be_published(answer: str, reason: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_summary(answer, "ko")
    assert str(caught.value) == reason


def test_html_inside_a_code_span_is_text_not_markup() -> None:
    bullets = [B1, "출력 형식은 `<summary>` 태그(tag)로 감쌉니다.", B3]
    assert parse_summary(summary_json(*bullets), "ko") == bullets


def test_prompt_carries_title_abstract_and_the_requested_form() -> None:
    system, user = build_messages("  A   wrapped\n title ", ABSTRACT, "ko")
    assert system["role"] == "system" and "JSON" in system["content"]
    assert user["role"] == "user"
    text = user["content"]
    assert "Title: A wrapped title" in text
    assert ABSTRACT in text
    assert "3 to 7 bullet points written in Korean" in text
    assert "in parentheses" in text
    assert '{"summary": [' in text


def test_an_english_fork_asks_for_and_keeps_english_summaries_only() -> None:
    _, user = build_messages("A title", ABSTRACT, "en")
    assert "3 to 7 bullet points written in English" in user["content"]
    assert "in parentheses" not in user["content"]  # the Korean prompt's line on terms
    english = ["It scales a model.", "It trains on public data.", "It reports gains."]
    assert parse_summary(summary_json(*english), "en") == english
    with pytest.raises(AnswerError, match="bullet 2 is not in English"):
        parse_summary(summary_json(english[0], "모델을 키운다 (scaling).", english[2]), "en")


# --- talking to a server --------------------------------------------------------------


def settings(server: ChatServer, **changes: object) -> Settings:
    values: dict[str, object] = {
        "base_url": server.url,
        "api_key": "sk-test-key",
        "model": "test-model",
        "timeout": 5.0,
        "retry": RetryPolicy(attempts=3, base_delay=0.001, max_delay=2.0),
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def ask(server: ChatServer, **changes: object):
    with Summarizer(settings(server, **changes)) as summarizer:
        return summarizer.summarize(TITLE, ABSTRACT)


def test_a_good_answer_and_what_the_request_carries() -> None:
    usage = {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420}
    with ChatServer(default=completion(summary_json(*GOOD), usage=usage)) as server:
        result = ask(server)
    assert (result.summary, result.problem, result.tokens) == (GOOD, None, 420)
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test-key"
    assert request.headers["User-Agent"].startswith("daily-papers/")
    assert request.body["model"] == "test-model"
    assert request.body["response_format"] == {"type": "json_object"}
    assert TITLE in request.prompt and "Results are good." in request.prompt


def test_tokens_are_none_when_the_server_does_not_report_usage() -> None:
    with ChatServer(default=completion(summary_json(*GOOD))) as server:
        result = ask(server)
    assert result.summary == GOOD and result.tokens is None


def test_usage_without_a_total_adds_its_parts() -> None:
    usage = {"prompt_tokens": 10, "completion_tokens": 5}
    with ChatServer(default=completion(summary_json(*GOOD), usage=usage)) as server:
        assert ask(server).tokens == 15


def test_a_bad_answer_is_asked_again_saying_what_was_wrong() -> None:
    usage = {"total_tokens": 100}
    replies = [
        completion("not json at all", usage=usage),
        completion(summary_json(*GOOD), usage=usage),
    ]
    with ChatServer({TITLE: replies}) as server:
        result = ask(server)
    assert result.summary == GOOD and result.tokens == 200
    first, second = server.requests
    assert second.body["messages"][:2] == first.body["messages"]
    assert second.body["messages"][2] == {"role": "assistant", "content": "not json at all"}
    assert "the answer holds no JSON object or list" in second.body["messages"][3]["content"]


def test_a_bad_answer_twice_is_a_failure_for_this_paper() -> None:
    bad = completion(summary_json(B1, B2 + " [보기](javascript:alert(1))", B3))
    with ChatServer(default=bad) as server:
        result = ask(server)
    assert result.summary is None and not result.fatal
    assert result.problem == (
        "the model's answer was unusable twice; the second time bullet 2 link target must "
        "be an absolute http(s) URL (scheme is 'javascript:'): 'javascript:alert(1)'"
    )
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "reply, problem",
    [
        (
            completion('{"summary": ["잘린', finish_reason="length"),
            "the answer was cut off at the server's length limit",
        ),
        (completion(None), "the answer has no text"),
        (
            Reply(body={"choices": []}),
            "did not answer with a chat completion (no choices[0].message): '{\"choices\": []}'",
        ),
        (
            Reply(body="<html>gateway</html>"),
            "the server's reply is not JSON: '<html>gateway</html>'",
        ),
    ],
    ids=["cut off", "no content", "no choices", "html page"],
)
def test_replies_without_usable_text_are_bad_answers(reply: Reply, problem: str) -> None:
    with ChatServer(default=reply) as server:
        result = ask(server)
    assert result.summary is None and not result.fatal
    assert result.problem is not None and result.problem.endswith(problem)
    assert len(server.requests) == 2


def test_429_then_success_waits_as_retry_after_says() -> None:
    limited = Reply(
        status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "1"}
    )
    with ChatServer({TITLE: [limited, completion(summary_json(*GOOD))]}) as server:
        result = ask(server)
    assert result.summary == GOOD
    first, second = server.requests
    # The policy's own delay is a millisecond; only Retry-After explains a one-second wait.
    assert second.at - first.at >= 0.9


def test_a_series_of_5xx_then_success() -> None:
    replies = [
        Reply(status=500),
        Reply(status=502),
        Reply(status=503),
        completion(summary_json(*GOOD)),
    ]
    with ChatServer({TITLE: replies}) as server:
        result = ask(server, retry=RetryPolicy(attempts=5, base_delay=0.001))
    assert result.summary == GOOD and len(server.requests) == 4


def test_5xx_that_never_ends_is_a_failure_with_the_servers_words() -> None:
    down = Reply(status=503, body={"error": {"message": "model is loading"}})
    with ChatServer(default=down) as server:
        result = ask(server)
    assert result.summary is None and not result.fatal
    assert result.problem == (
        f"{server.url}/chat/completions failed after 3 attempts: "
        "HTTP 503 Service Unavailable: model is loading"
    )
    assert len(server.requests) == 3


def test_a_timeout_is_retried() -> None:
    replies = [completion(summary_json(*GOOD), usage={"total_tokens": 1}) for _ in range(2)]
    replies[0].delay = 1.0
    with ChatServer({TITLE: replies}) as server:
        result = ask(server, timeout=0.3)
    assert result.summary == GOOD and result.tokens == 1
    assert len(server.requests) == 2


def test_a_server_that_never_answers_in_time_is_a_failure() -> None:
    slow = completion(summary_json(*GOOD))
    slow.delay = 1.0
    with ChatServer(default=slow) as server:
        result = ask(server, timeout=0.2, retry=RetryPolicy(attempts=2, base_delay=0.001))
    assert result.summary is None and not result.fatal
    assert result.problem == (
        f"{server.url}/chat/completions failed after 2 attempts: the server sent nothing for "
        "0.2 s (the timeout of each wait)"
    )


@pytest.mark.parametrize(
    "status, message, hint",
    [
        (
            "401 Unauthorized",
            "Incorrect API key provided",
            "is OPENAI_API_KEY right for this server?",
        ),
        (
            "403 Forbidden",
            "Project does not have access",
            "is OPENAI_API_KEY right for this server?",
        ),
        (
            "404 Not Found",
            "The model `test-model` does not exist",
            "check OPENAI_BASE_URL and the model name 'test-model'",
        ),
    ],
)
def test_a_refused_key_or_unknown_model_is_fatal(status: str, message: str, hint: str) -> None:
    reply = Reply(status=int(status[:3]), body={"error": {"message": message}})
    with ChatServer(default=reply) as server:
        result = ask(server)
    assert result.fatal and result.summary is None
    assert result.problem == (
        f"{server.url}/chat/completions answered HTTP {status}: {message} ({hint})"
    )
    assert len(server.requests) == 1


def test_a_rejected_request_fails_this_paper_only() -> None:
    refused = Reply(status=400, body={"error": {"message": "context length exceeded"}})
    with ChatServer(default=refused) as server:
        result = ask(server)
    assert not result.fatal
    assert result.problem == (
        f"{server.url}/chat/completions answered HTTP 400 Bad Request: context length exceeded"
    )


def test_a_plain_text_error_body_is_quoted() -> None:
    with ChatServer(default=Reply(status=400, body="model name is required")) as server:
        result = ask(server)
    assert result.problem is not None and result.problem.endswith(": model name is required")


def test_a_wrong_base_url_is_fatal() -> None:
    with ChatServer() as server:
        result = ask(server, base_url=server.url.removesuffix("/v1"))
    assert result.fatal
    assert "answered HTTP 404 Not Found: unknown path (check OPENAI_BASE_URL" in (
        result.problem or ""
    )


# --- settings -------------------------------------------------------------------------

ENV = {"OPENAI_API_KEY": "sk-1", "DAILY_PAPERS_MODEL": "gpt-4o-mini"}


def test_no_key_means_no_settings() -> None:
    assert settings_from_env(None, "ko", {}) is None
    assert settings_from_env("m", "ko", {"OPENAI_API_KEY": "  "}) is None


def test_settings_from_the_environment() -> None:
    result = settings_from_env(None, "ko", ENV)
    assert result is not None
    assert (result.base_url, result.api_key, result.model) == (
        "https://api.openai.com/v1",
        "sk-1",
        "gpt-4o-mini",
    )
    assert result.endpoint == "https://api.openai.com/v1/chat/completions"
    assert result.timeout == 180.0 and result.retry == RetryPolicy()


def test_the_option_wins_over_the_variable_and_the_url_loses_its_slash() -> None:
    env = {
        **ENV,
        "OPENAI_BASE_URL": "http://localhost:11434/v1/",
        "DAILY_PAPERS_LLM_TIMEOUT": "30",
        "DAILY_PAPERS_RETRY_DELAY": "0.5",
    }
    result = settings_from_env("llama3.1:8b", "ko", env)
    assert result is not None
    assert result.model == "llama3.1:8b"
    assert result.endpoint == "http://localhost:11434/v1/chat/completions"
    assert result.timeout == 30.0 and result.retry.base_delay == 0.5


def test_no_retry_delay_at_all_is_allowed() -> None:
    result = settings_from_env(None, "ko", {**ENV, "DAILY_PAPERS_RETRY_DELAY": "0"})
    assert result is not None and result.retry.base_delay == 0.0


@pytest.mark.parametrize(
    "env, model, message",
    [
        (
            {"OPENAI_API_KEY": "sk-1"},
            None,
            "no model given: pass --model or set DAILY_PAPERS_MODEL (for example gpt-4o-mini on "
            "OpenAI, or a model your server serves)",
        ),
        ({**ENV, "DAILY_PAPERS_MODEL": ""}, None, "no model given"),
        (
            {**ENV, "OPENAI_BASE_URL": "localhost:8000/v1"},
            None,
            "OPENAI_BASE_URL must be an absolute http(s) URL (scheme is 'localhost:'): "
            "'localhost:8000/v1'",
        ),
        (
            {**ENV, "DAILY_PAPERS_LLM_TIMEOUT": "soon"},
            None,
            "DAILY_PAPERS_LLM_TIMEOUT must be a number of seconds, not 'soon'",
        ),
        (
            {**ENV, "DAILY_PAPERS_RETRY_DELAY": "-1"},
            None,
            "DAILY_PAPERS_RETRY_DELAY must be a number of seconds from 0 up, not '-1'",
        ),
        (
            {**ENV, "DAILY_PAPERS_LLM_TIMEOUT": "nan"},
            None,
            "DAILY_PAPERS_LLM_TIMEOUT must be a number of seconds from 0.1 up, not 'nan'",
        ),
        (
            {**ENV, "DAILY_PAPERS_LLM_TIMEOUT": "0"},
            None,
            "DAILY_PAPERS_LLM_TIMEOUT must be a number of seconds from 0.1 up, not '0'",
        ),
    ],
)
def test_settings_that_cannot_work(env: dict[str, str], model: str | None, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_env(model, "ko", env)
    assert str(caught.value).startswith(message)


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(
        ConfigError, match="--language 'fr' is not supported; choose one of: en, ko"
    ):
        settings_from_env(None, "fr", ENV)
