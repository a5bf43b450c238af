"""The user's model asked over real HTTP on 127.0.0.1 (recorded real answers, served whole and
re-chunked at odd byte boundaries), hostile servers, and a command on stdin/stdout."""

from __future__ import annotations

import json
import sys
import threading
import time

import pytest
from werkzeug import Request, Response

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.config.assistant import AssistantSettings
from arxiv_tui.core.sources.model_client import ModelClient, prompt_text
from arxiv_tui.core.sources.model_stream import ANSWER, MAX_ANSWER, REASONING, ModelError
from tests.conftest import FIXTURES

LLM = FIXTURES / "llm"
ASK = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is the capital?"}]


def client_for(httpserver, path: str = "/v1", **settings) -> ModelClient:
    return ModelClient(AssistantSettings(model="m", base_url=httpserver.url_for(path), **settings))


def said(client: ModelClient, kind: str = ANSWER) -> str:
    return "".join(piece.text for piece in client.stream(ASK) if piece.kind == kind)


def chunked(data: bytes, size: int, pause: float = 0.0):
    def body():
        for start in range(0, len(data), size):
            if pause and start:
                time.sleep(pause)
            yield data[start : start + size]

    return body()


@pytest.mark.parametrize("size", [1, 7, 13, None])
@pytest.mark.parametrize(
    ("name", "path", "kind", "starts"),
    [
        ("openai-stream.sse", "/v1/chat/completions", "text/event-stream", "Hello! How can I assist"),
        ("ollama-v1-stream.sse", "/v1/chat/completions", "text/event-stream", ""),
        ("vllm-stream-usage.sse", "/v1/chat/completions", "text/event-stream", "1, 2"),
        ("ollama-api-chat.ndjson", "/api/chat", "application/x-ndjson", "Hello"),
    ],
)
def test_every_recorded_stream_is_read_whole_or_cut_anywhere(httpserver, name, path, kind, starts, size):
    data = (LLM / name).read_bytes()
    body = data if size is None else chunked(data, size)
    httpserver.expect_request(path, method="POST").respond_with_response(Response(body, content_type=kind))
    answer = said(client_for(httpserver, path.rsplit("/chat", 1)[0]))
    assert answer and answer.startswith(starts)
    asked = json.loads(httpserver.log[0][0].get_data())
    assert asked["stream"] is True and asked["model"] == "m" and asked["messages"] == ASK


def test_a_server_that_answers_whole_is_read_and_its_reasoning_kept_apart(httpserver):
    whole = [
        ("openai-whole.json", "The capital of France is Paris."),
        ("ollama-v1-whole-reasoning.json", '{ "city": "Paris", "country": "France" }'),
    ]
    for name, answer in whole:
        httpserver.clear()
        httpserver.expect_request("/v1/chat/completions").respond_with_data(
            (LLM / name).read_bytes(), content_type="application/json"
        )
        client = client_for(httpserver)
        assert said(client) == answer
    assert said(client, REASONING).startswith("Okay, the user is asking")


def test_the_key_goes_in_the_request_to_base_url_and_a_redirect_is_not_followed(httpserver):
    httpserver.expect_request("/v1/chat/completions").respond_with_response(
        Response(status=307, headers={"Location": httpserver.url_for("/elsewhere/chat/completions")})
    )
    httpserver.expect_request("/elsewhere/chat/completions").respond_with_data("{}")
    client = client_for(httpserver, api_key_env="MY_MODEL_KEY")
    client.environ = {"MY_MODEL_KEY": "sk-secret-123"}
    with pytest.raises(FetchError, match=r"redirect .* not followed"):
        said(client)
    assert [request.path for request, _ in httpserver.log] == ["/v1/chat/completions"]
    assert httpserver.log[0][0].headers["Authorization"] == "Bearer sk-secret-123"


def test_a_key_named_but_not_set_sends_nothing(httpserver):
    client = client_for(httpserver, api_key_env="MY_MODEL_KEY")
    client.environ = {}
    with pytest.raises(FetchError, match=r"MY_MODEL_KEY .* is not set"):
        said(client)
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("status", "body", "headers", "words"),
    [
        (
            401,
            {"error": {"message": "Incorrect API key provided: sk-secret-123", "type": "invalid"}},
            {},
            "401 UNAUTHORIZED (is the key right?): Incorrect API key provided: [key]",
        ),
        (
            429,
            {"error": {"message": "Rate limit reached"}},
            {"Retry-After": "20"},
            "429 TOO MANY REQUESTS (try again in 20 s): Rate limit reached",
        ),
        (
            500,
            "<html>[bold red]boom\x1b[2J</html>",
            {},
            "500 INTERNAL SERVER ERROR: <html>[bold red]boom[2J</html>",
        ),
        (404, {"error": "model 'm' not found"}, {}, "404 NOT FOUND (is model right?): model 'm' not found"),
    ],
)
def test_an_error_answer_says_the_status_and_the_servers_words_never_the_key(
    httpserver, status, body, headers, words
):
    data = json.dumps(body) if isinstance(body, dict) else body
    httpserver.expect_request("/v1/chat/completions").respond_with_data(data, status, headers)
    client = client_for(httpserver, api_key_env="K")
    client.environ = {"K": "sk-secret-123"}
    with pytest.raises(ModelError) as raised:
        said(client)
    assert str(raised.value).casefold() == f"the model's server answered {words}".casefold()
    assert "sk-secret" not in str(raised.value) and "\x1b" not in str(raised.value)


def test_markup_and_escapes_in_the_answer_stay_text_without_controls(httpserver):
    content = "[bold red]x[/] \x1b[31mred\x1b[0m \u202eevil [link=file:///etc/passwd]y[/link]"
    event = json.dumps({"choices": [{"delta": {"content": content}}]})
    httpserver.expect_request("/v1/chat/completions").respond_with_data(
        f"data: {event}\n\n", content_type="text/event-stream"
    )
    answer = said(client_for(httpserver))
    assert answer == "[bold red]x[/] [31mred[0m evil [link=file:///etc/passwd]y[/link]"


def test_an_endless_answer_is_cut_at_the_limit_and_says_so(httpserver):
    event = b"data: " + json.dumps({"choices": [{"delta": {"content": "word " * 2000}}]}).encode() + b"\n\n"

    def endless():
        while True:
            yield event

    httpserver.expect_request("/v1/chat/completions").respond_with_response(
        Response(endless(), content_type="text/event-stream")
    )
    answer = said(client_for(httpserver))
    assert len(answer) < MAX_ANSWER + 200 and answer.endswith("the rest is left out.)")


def test_a_stream_of_keep_alives_only_ends_at_the_whole_answers_limit(httpserver):
    def keep_alives():
        for _ in range(400):
            time.sleep(0.05)
            yield b": ping\n\n"

    httpserver.expect_request("/v1/chat/completions").respond_with_response(
        Response(keep_alives(), content_type="text/event-stream")
    )
    client = client_for(httpserver)
    client.whole_seconds = 1.0
    with pytest.raises(FetchError, match="took longer than 1 s"):
        said(client)


def test_a_model_that_goes_silent_is_cut_and_what_came_is_kept(httpserver):
    first = b'data: {"choices":[{"delta":{"content":"Half an"}}]}\n\n'
    httpserver.expect_request("/v1/chat/completions").respond_with_response(
        Response(
            chunked(first + b'data: {"choices":[]}\n\n', len(first), pause=2.0),
            content_type="text/event-stream",
        )
    )
    client = client_for(httpserver, idle_seconds=0.3, first_byte_seconds=10)
    got = []
    with pytest.raises(FetchError, match=r"went silent for 0\.3 s"):
        for piece in client.stream(ASK):
            got.append(piece.text)
    assert got == ["Half an"]


def test_malformed_json_in_the_stream_is_a_clear_error(httpserver):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(
        "data: {not json\n\n", content_type="text/event-stream"
    )
    with pytest.raises(FetchError, match="not JSON"):
        said(client_for(httpserver))


def test_an_html_page_is_not_taken_for_an_answer(httpserver):
    httpserver.expect_request("/v1/chat/completions").respond_with_data(
        "<html>login</html>", content_type="text/html"
    )
    with pytest.raises(FetchError, match="answered with text/html, not a model's answer"):
        said(client_for(httpserver))


def test_cancel_ends_a_request_waiting_for_its_first_byte(httpserver):
    def slow(request: Request) -> Response:
        time.sleep(3)
        return Response("data: [DONE]\n\n", content_type="text/event-stream")

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(slow)
    client = client_for(httpserver)
    threading.Timer(0.2, client.cancel).start()
    with pytest.raises(FetchError, match="cancelled"):
        said(client)


# --- a command --------------------------------------------------------------------------------------

ECHO = "import sys; text = sys.stdin.read(); print(len(sys.argv), end=' '); print(text.upper(), end='')"


def command_client(script: str, **settings) -> ModelClient:
    return ModelClient(AssistantSettings(command=(sys.executable, "-c", script), **settings))


def test_a_command_gets_the_prompt_on_stdin_and_its_stdout_is_the_answer():
    assert said(command_client(ECHO)) == "1 " + prompt_text(ASK).upper()  # argv: only `-c`


def test_a_command_that_fails_says_its_exit_and_its_words():
    client = command_client("import sys; sys.stderr.write('no model \\x1b[2J named m'); sys.exit(3)")
    with pytest.raises(FetchError, match=r"exited with 3: no model \[2J named m"):
        said(client)


def test_a_silent_command_is_stopped():
    client = command_client("import time; time.sleep(30)", first_byte_seconds=0.3)
    with pytest.raises(FetchError, match=r"no answer for 0\.3 s"):
        said(client)
    assert client._process is None


def test_a_huge_stream_that_says_nothing_is_cut_at_its_size(httpserver):
    empty = b'data: {"choices":[{"delta":{"content":""}}]}\n\n' * 20_000  # ~1 MB, no answer in it

    def endless():
        while True:
            yield empty

    httpserver.expect_request("/v1/chat/completions").respond_with_response(
        Response(endless(), content_type="text/event-stream")
    )
    with pytest.raises(FetchError, match=r"larger than 20,000,000 bytes"):
        said(client_for(httpserver))


def test_one_endless_line_is_refused_before_it_fills_memory(httpserver):
    def endless():
        yield b"data: "
        while True:
            yield b"x" * 65_536

    httpserver.expect_request("/v1/chat/completions").respond_with_response(
        Response(endless(), content_type="text/event-stream")
    )
    with pytest.raises(FetchError, match=r"a line longer than 1,000,000 bytes"):
        said(client_for(httpserver))


def test_a_model_on_this_machine_is_never_reached_through_a_proxy(httpserver, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # a proxy that is not there
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpserver.expect_request("/v1/chat/completions").respond_with_data(
        (LLM / "openai-stream.sse").read_bytes(), content_type="text/event-stream"
    )
    assert said(client_for(httpserver)).startswith("Hello!")  # straight to 127.0.0.1, the paper too


def test_an_endless_command_is_cut_at_the_limit_says_so_and_is_stopped():
    client = command_client("import sys\nwhile True: sys.stdout.write('word ' * 1000); sys.stdout.flush()")
    answer = said(client)
    assert len(answer) < MAX_ANSWER + 200 and answer.endswith("the rest is left out.)")
    assert client._process is None  # stopped, not waited for
