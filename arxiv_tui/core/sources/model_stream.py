"""A model's streamed answer (the assistant's), read as it arrives.

Two wire forms: the OpenAI-compatible `POST /chat/completions` with `stream: true` (server-sent
events: OpenAI, Ollama's /v1, llama.cpp, LM Studio, vLLM, OpenRouter) and Ollama's native
`/api/chat` (one JSON object a line). Both are read from byte chunks cut anywhere, and both
tolerate what real servers send: `:` comment and blank keep-alive lines, CRLF, `data:` without
its space, a missing `[DONE]`, a usage chunk without choices, reasoning in `reasoning` or
`reasoning_content` (kept apart from the answer, never shown as it). An error object in the
stream ends it with ModelError and the server's words, cleaned. Sizes are bounded where they
enter: a line, the JSON's depth, and the whole answer. Model text is untrusted text: control
and invisible characters are removed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any, NamedTuple

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.base.text import json_value, strip_control, truncate

MAX_LINE = 1_000_000  # bytes of one event line: a chunk is a few hundred
MAX_ANSWER = 200_000  # characters of answer and reasoning together: the rest is cut, and said
ANSWER, REASONING = "answer", "reasoning"
CUT_NOTE = "\n\n(The answer was longer than arxiv-tui keeps; the rest is left out.)"


class ModelError(FetchError):
    """The model's server said, mid-stream, that it failed; the message is its words, cleaned."""


class Piece(NamedTuple):
    kind: str  # ANSWER or REASONING
    text: str


def lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines (without their CR LF or LF) from chunks cut anywhere; an overlong line is an error."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line.rstrip(b"\r")
        if len(pending) > MAX_LINE:
            raise FetchError(f"the model's server sent a line longer than {MAX_LINE:,} bytes")
    if pending.strip():
        yield pending.rstrip(b"\r")


def sse_objects(chunks: Iterable[bytes]) -> Iterator[Any]:
    """The JSON objects of server-sent events, until `[DONE]` or the end of the stream."""
    data: list[bytes] = []
    for line in chain(lines(chunks), [b""]):  # the blank line ends the last event
        if line.startswith(b":"):
            continue  # a comment: a keep-alive
        if line.startswith(b"data:"):
            data.append(line[5:].removeprefix(b" "))
            continue
        if line or not data:
            continue  # another field (event:, id:, retry:), or a blank line with nothing before it
        payload, data = b"\n".join(data), []
        if payload.strip() == b"[DONE]":
            return
        yield _decoded(payload)


def ndjson_objects(chunks: Iterable[bytes]) -> Iterator[Any]:
    """The JSON objects of Ollama's /api/chat stream, one a line, until one says `done`."""
    for line in lines(chunks):
        if line.strip():
            found = _decoded(line)
            yield found
            if isinstance(found, dict) and found.get("done") is True:
                return


def _decoded(payload: bytes) -> Any:
    try:
        return json_value(payload, depth=20)
    except ValueError as error:
        raise FetchError(f"the model's server sent something that is not JSON ({error})") from None


def pieces(objects: Iterable[Any]) -> Iterator[Piece]:
    """The answer and the reasoning, piece by piece, from either form's objects (capped)."""
    return capped(_all_texts(objects))


def _all_texts(objects: Iterable[Any]) -> Iterator[tuple[str, str]]:
    for found in objects:
        if not isinstance(found, dict):
            continue
        if "error" in found:
            raise ModelError(f"the model's server said: {said(found['error'])}")
        yield from _texts(found)


def capped(texts: Iterable[tuple[str, str]]) -> Iterator[Piece]:
    """(kind, text) pairs as pieces, cleaned: at most MAX_ANSWER characters, then one piece
    saying the rest was cut (and no more is read)."""
    told = 0
    for kind, text in texts:
        text = strip_control(text)
        if not text:
            continue
        if told + len(text) > MAX_ANSWER:
            yield Piece(kind, text[: MAX_ANSWER - told])
            yield Piece(ANSWER, CUT_NOTE)
            return
        told += len(text)
        yield Piece(kind, text)


def _texts(found: dict) -> Iterator[tuple[str, str]]:
    choices = found.get("choices")
    if isinstance(choices, list):  # OpenAI-compatible; a usage chunk has none
        for choice in choices[:1]:
            if isinstance(choice, dict):
                yield from _message_texts(choice.get("delta") or choice.get("message") or {})
    elif isinstance(found.get("message"), dict):  # Ollama's /api/chat
        yield from _message_texts(found["message"])


def _message_texts(message: Any) -> Iterator[tuple[str, str]]:
    if not isinstance(message, dict):
        return
    for field in ("reasoning_content", "reasoning", "thinking"):
        if isinstance(message.get(field), str):
            yield REASONING, message[field]
    if isinstance(message.get("content"), str):
        yield ANSWER, message["content"]


def said(error: Any) -> str:
    """An error object's message (or the error as text), one clean line."""
    if isinstance(error, dict):
        error = error.get("message") or error.get("type") or error
    return truncate(" ".join(strip_control(str(error)).split()), 300)
