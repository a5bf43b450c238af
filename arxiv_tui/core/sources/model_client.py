"""The user's own model, asked and streamed: an OpenAI-compatible server's
`POST {base_url}/chat/completions` (Ollama's /v1, llama.cpp, LM Studio, vLLM, OpenAI, DeepSeek,
OpenRouter), Ollama's native `{base_url}/chat` when base_url ends in /api, or a command that
reads the prompt on stdin and writes the answer to stdout.

On httpx, which the app already has: no vendor SDK (`import openai` alone is ~470 ms). The key
(from the environment variable the config names) goes only in the request to base_url:
redirects are not followed, and a server's error that repeats the key has it blanked. Two
deadlines: one to the first byte (a local model may be loading) and one for each silence
after it, within a limit on the whole answer. What the model says is read by model_stream.py.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.base.text import json_value, safe_message
from arxiv_tui.core.config.assistant import AssistantSettings
from arxiv_tui.core.sources.arxiv import USER_AGENT
from arxiv_tui.core.sources.http import BodyDecoder, Deadline, client_with_deadline
from arxiv_tui.core.sources.model_stream import (
    ANSWER,
    MAX_ANSWER,
    ModelError,
    Piece,
    capped,
    ndjson_objects,
    pieces,
    said,
    sse_objects,
)

if TYPE_CHECKING:
    import httpx

Messages = list[dict[str, str]]
MAX_BODY = 20_000_000  # decoded bytes of one streamed answer: keep-alives and JSON around the text
ERROR_BODY = 16_000  # bytes of an error page read for its message
WHOLE_SECONDS = 1_800.0  # one answer, however it trickles


class ModelClient:
    """Streams one answer at a time; `cancel` (from another thread) ends the one in flight."""

    def __init__(
        self,
        settings: AssistantSettings,
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.environ = environ
        self.whole_seconds = WHOLE_SECONDS
        self._deadline = Deadline()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        base = self.settings.base_url.rstrip("/")
        return f"{base}/chat" if base.endswith("/api") else f"{base}/chat/completions"

    def cancel(self) -> None:
        self._deadline.cancelled = True
        if self._process is not None:
            self._process.kill()

    def stream(self, messages: Messages) -> Iterator[Piece]:
        """The answer's pieces as they come; FetchError (ModelError for the server's own words)
        when it cannot be had, after whatever pieces came before."""
        self._deadline.cancelled = False
        if self.settings.command:
            yield from self._command(messages)
        else:
            yield from self._http(messages)

    # --- a server --------------------------------------------------------------------------------

    def _key(self) -> str:
        name = self.settings.api_key_env
        if not name:
            return ""
        key = self.environ.get(name, "").strip()
        if not key:
            raise FetchError(f"the environment variable {name} (assistant.api_key_env) is not set")
        if any(not char.isprintable() or char.isspace() for char in key):
            raise FetchError(f"the environment variable {name} holds spaces or controls: not a key")
        return key

    def _http(self, messages: Messages) -> Iterator[Piece]:
        import httpx

        key, settings, deadline = self._key(), self.settings, self._deadline
        headers = {"Accept": "text/event-stream, application/x-ndjson, application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body = {"model": settings.model, "messages": messages, "stream": True}
        started, heard = time.monotonic(), []  # heard: the answer's chunks so far, by size
        deadline.start(settings.first_byte_seconds)
        client = client_with_deadline(
            deadline,
            settings.first_byte_seconds,
            USER_AGENT,
            self.transport,
            follow_redirects=False,
            trust_env=not settings.is_local,  # this machine's model: never through a proxy elsewhere
        )
        try:
            with client.stream("POST", self.url, json=body, headers=headers) as response:
                self._check(response, key)
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                decoder = BodyDecoder(response.headers.get("content-encoding", ""), MAX_BODY, self.url)

                def chunks() -> Iterator[bytes]:
                    for raw in response.iter_raw():
                        heard.append(len(raw))
                        left = self.whole_seconds - (time.monotonic() - started)
                        deadline.start(max(min(settings.idle_seconds, left), 0.001))
                        yield from decoder.decode(raw)
                    yield decoder.finish()

                yield from pieces(_objects(kind, self.url, chunks()))
        except httpx.HTTPError as error:
            raise FetchError(self._failure(error, started, bool(heard))) from None
        finally:
            deadline.stop()
            client.close()

    def _check(self, response: httpx.Response, key: str) -> None:
        status = response.status_code
        if 300 <= status < 400:
            where = safe_message(response.headers.get("location", "elsewhere"), 200)
            raise FetchError(
                f"{self.url}: answered {status}, a redirect to {where}; not followed (the paper and "
                "any key go only to assistant.base_url): set base_url to where it points"
            )
        if status < 400:
            return
        raw = b""
        for piece in response.iter_raw():
            raw += piece
            if len(raw) >= ERROR_BODY:
                break
        words = _error_words(raw[:ERROR_BODY])
        if key:
            words = words.replace(key, "[key]")
        hint = {401: " (is the key right?)", 403: " (is the key right?)", 404: " (is model right?)"}
        wait = response.headers.get("retry-after", "")
        if status == 429 and wait.isdigit():
            hint[429] = f" (try again in {int(wait):,} s)"
        raise ModelError(
            f"the model's server answered {status} {safe_message(response.reason_phrase, 60)}"
            f"{hint.get(status, '')}: {words or 'no message'}"
        )

    def _failure(self, error: BaseException, started: float, heard: bool) -> str:
        if self._deadline.cancelled:
            return "cancelled"
        import httpx

        if isinstance(error, httpx.TimeoutException):
            if not heard:
                seconds = self.settings.first_byte_seconds
                return f"{self.url}: no answer within {seconds:g} s (assistant.first_byte_seconds)"
            if time.monotonic() - started >= self.whole_seconds:
                return f"{self.url}: the answer took longer than {self.whole_seconds:g} s; cut there"
            return f"{self.url}: the model went silent for {self.settings.idle_seconds:g} s; cut there"
        return f"{self.url}: {type(error).__name__}: {safe_message(error, 300) or 'no details'}"

    # --- a command -------------------------------------------------------------------------------

    def _command(self, messages: Messages) -> Iterator[Piece]:
        """The prompt on the program's stdin (never in its arguments), its stdout as the answer."""
        import threading

        settings = self.settings
        try:
            process = subprocess.Popen(
                settings.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        except OSError as error:
            raise FetchError(f"assistant.command {settings.command[0]}: {error.strerror}") from None
        self._process = process
        assert process.stdin and process.stdout and process.stderr
        threading.Thread(target=_feed, args=(process.stdin, prompt_text(messages)), daemon=True).start()
        told = 0
        try:
            for piece in capped(self._stdout(process)):
                told += len(piece.text)
                yield piece
            if told > MAX_ANSWER:  # cut: the program is stopped, not waited for
                return
            if self._deadline.cancelled:
                raise FetchError("cancelled")
            try:
                failed = process.wait(timeout=10) != 0
            except subprocess.TimeoutExpired:  # its output ended and it did not: it is stopped
                return
            if failed and told == 0:
                words = safe_message(process.stderr.read(ERROR_BODY).decode("utf-8", "replace"), 300)
                raise FetchError(f"assistant.command exited with {process.returncode}: {words}")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            for pipe in (process.stdout, process.stderr):
                pipe.close()
            self._process = None

    def _stdout(self, process: subprocess.Popen[bytes]) -> Iterator[tuple[str, str]]:
        """The program's stdout, decoded as it comes, to its end; FetchError after a silence
        longer than the deadlines allow, or a cancel."""
        import codecs
        import selectors

        assert process.stdout is not None
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        started, heard, wait = time.monotonic(), False, self.settings.first_byte_seconds
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while True:
                left = self.whole_seconds - (time.monotonic() - started)
                if not selector.select(max(min(wait, left), 0)):
                    if self._deadline.cancelled:
                        raise FetchError("cancelled")
                    what = "silence" if heard else "no answer"
                    raise FetchError(f"assistant.command: {what} for {min(wait, left):g} s; stopped")
                data = os.read(process.stdout.fileno(), 65_536)
                if self._deadline.cancelled:
                    raise FetchError("cancelled")
                text = decoder.decode(data, final=not data)
                if text:
                    heard = True
                    yield ANSWER, text
                if not data:
                    return
                wait = self.settings.idle_seconds


def _feed(stdin: Any, text: str) -> None:
    try:
        stdin.write(text.encode("utf-8"))
        stdin.close()
    except OSError:
        pass  # the program ended without reading it all: its exit says why


def prompt_text(messages: Messages) -> str:
    """The conversation as one text, for a program that reads a prompt: the turns labelled."""
    if len(messages) <= 2:
        return "\n\n".join(message["content"] for message in messages)
    return "\n\n".join(f"[{message['role']}]\n{message['content']}" for message in messages)


def _objects(kind: str, url: str, chunks: Iterable[bytes]) -> Iterator[Any]:
    """The answer's JSON objects, however the server chose to send them."""
    if kind == "text/event-stream":
        return sse_objects(chunks)
    if "ndjson" in kind or url.endswith("/api/chat"):
        return ndjson_objects(chunks)
    if kind == "application/json":  # a server that ignored `stream` and answered whole
        try:
            return iter([json_value(b"".join(chunks), depth=20)])
        except ValueError as error:
            raise FetchError(f"{url}: the answer is not JSON ({error})") from None
    what = safe_message(kind or "no content type", 60)
    raise FetchError(f"{url}: answered with {what}, not a model's answer")


def _error_words(raw: bytes) -> str:
    """What an error page says: its JSON's message when it has one, else its text, one line."""
    text = raw.decode("utf-8", "replace")
    try:
        found = json_value(text, depth=20)
    except ValueError:
        return safe_message(text, 300)
    return said(found.get("error", found)) if isinstance(found, dict) else safe_message(text, 300)
