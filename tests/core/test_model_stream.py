"""Streamed model answers (issue 26's first piece): recorded real streams (tests/fixtures/llm,
provenance in SOURCES.md) re-chunked at odd byte boundaries, and hostile ones."""

from __future__ import annotations

import pytest

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.sources.model_stream import (
    ANSWER,
    MAX_ANSWER,
    REASONING,
    ModelError,
    ndjson_objects,
    pieces,
    sse_objects,
)
from tests.conftest import FIXTURES

LLM = FIXTURES / "llm"


def cut(data: bytes, size: int) -> list[bytes]:
    return [data[start : start + size] for start in range(0, len(data), size)] or [b""]


def answer(objects) -> str:
    return "".join(piece.text for piece in pieces(objects) if piece.kind == ANSWER)


@pytest.mark.parametrize("size", [1, 7, 13, 4096, 1_000_000])
@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("openai-stream.sse", "Hello! How can I assist you today?"),
        ("ollama-v1-stream.sse", None),
        ("vllm-stream-usage.sse", None),
    ],
)
def test_a_recorded_sse_stream_reads_the_same_however_it_is_cut(name, said, size):
    data = (LLM / name).read_bytes()
    whole = answer(sse_objects([data]))
    assert whole and answer(sse_objects(cut(data, size))) == whole
    if said is not None:
        assert whole == said


def test_vllms_usage_chunk_without_choices_is_no_answer():
    objects = list(sse_objects([(LLM / "vllm-stream-usage.sse").read_bytes()]))
    assert any(not found.get("choices") and found.get("usage") for found in objects)  # it is there
    assert answer(objects).startswith("1, 2")  # and adds nothing


@pytest.mark.parametrize("size", [1, 5, 4096])
def test_ollamas_native_stream_is_read_line_by_line_until_done(size):
    data = (LLM / "ollama-api-chat.ndjson").read_bytes()
    objects = list(ndjson_objects(cut(data, size)))
    assert objects[-1]["done"] is True
    assert answer(objects) == answer(ndjson_objects([data])) and answer(objects).startswith("Hello")


def test_keep_alives_crlf_a_data_without_its_space_and_no_done_are_read():
    stream = (
        b": keep-alive\r\n\r\n"
        b'data:{"choices":[{"delta":{"reasoning_content":"thinking..."}}]}\r\n\r\n'
        b"\n\n"
        b'event: message\ndata: {"choices":[{"delta":{"content":"Hel"}}]}\n\n'
        b'data: {"choices":[{"delta":{"reasoning":"more"}}]}\n\n'
        b'data: {"choices":[{"delta":{"content":"lo"}}]}'  # the stream ends: no blank line, no [DONE]
    )
    found = list(pieces(sse_objects(cut(stream, 3))))
    assert [(piece.kind, piece.text) for piece in found] == [
        (REASONING, "thinking..."), (ANSWER, "Hel"), (REASONING, "more"), (ANSWER, "lo"),
    ]  # fmt: skip


def test_an_error_mid_stream_ends_it_with_the_servers_words_cleaned():
    stream = (
        b'data: {"choices":[{"delta":{"content":"Par"}}]}\n\n'
        b'data: {"error":{"message":"rate limit \\u001b[31mreached\\u202e","type":"requests"}}\n\n'
    )
    read = pieces(sse_objects([stream]))
    assert next(read).text == "Par"
    with pytest.raises(ModelError, match=r"the model's server said: rate limit \[31mreached$"):
        next(read)


def test_markup_and_control_characters_in_the_answer_stay_text():
    stream = (
        b'data: {"choices":[{"delta":{"content":"[bold]x[/bold] \\u001b]8;;http://e\\u0007y\\u200b"}}]}\n\n'
    )
    assert answer(sse_objects([stream])) == "[bold]x[/bold] ]8;;http://ey"  # escapes and zero-width gone


def test_a_huge_answer_is_cut_and_says_so_and_a_huge_line_is_refused():
    delta = b'data: {"choices":[{"delta":{"content":"' + b"a" * 10_000 + b'"}}]}\n\n'
    text = answer(sse_objects([delta] * 100))  # a million characters offered
    assert len(text) < MAX_ANSWER + 100 and text.endswith("the rest is left out.)")
    with pytest.raises(FetchError, match="longer than"):
        list(sse_objects([b"data: " + b"x" * 2_000_000]))


def test_what_is_not_json_is_said():
    with pytest.raises(FetchError, match="not JSON"):
        list(sse_objects([b"data: {not json\n\n"]))
