"""Issue 12, the reader: hostile text never becomes markup, and a start against any hostile server
leaves the reader running on what it had, with a message that says what happened."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from werkzeug import Response

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources import arxiv
from arxiv_tui.tui.app import ArxivApp
from tests.arxiv_server import ATOM_TYPE, RSS_TYPE
from tests.conftest import fixture_bytes
from tests.hostile import FIRST_ITEM, GOOD, MARKUP, dated, feed, gzip_bomb, item, raw_server, trickle
from tests.tui.conftest import SIZE, make_app, press_until, said, settle


def reader(home, rss_url: str, more: dict | None = None) -> ArxivApp:
    paths = Paths.under(home)
    changes = {
        ("categories",): ["quant-ph"],
        ("keywords", "include"): ["qubit*", "operator"],
        ("source", "rss_url"): rss_url,
        ("feed", "retention_days"): 36500,  # the recorded listing is from 2025
        ("feed", "timeout_seconds"): 2,
    }
    update_config(paths.config_file, {**changes, **(more or {})})
    config, _ = load_config(paths.config_file)
    return ArxivApp(Reader.open(paths, config))


async def archived_first(home) -> None:
    """A first visit that leaves the real listing in the archive."""
    async with make_app(home).run_test(size=SIZE) as pilot:
        await settle(pilot)


def shown_toasts(app) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


def assert_plain(app, *literal: str) -> None:
    """Every notification was raised as plain text and shows `literal` as typed."""
    notes = said(app)
    assert notes and not any(note.markup for note in notes)
    messages = "\n".join(note.message for note in notes)
    for text in literal:
        assert text in messages, messages
    assert "[link=" in shown_toasts(app) or "[link=" not in messages  # drawn as typed, not as a link


# --- 1. external text is never markup: every route a notification can take ----------------------


async def test_a_feed_problem_holding_markup_is_shown_literally(home, tmp_path):
    hostile = tmp_path / "listing.xml"
    hostile.write_bytes(feed(item(guid=MARKUP, link=MARKUP, described_id=None), FIRST_ITEM))
    app = make_app(home, feeds=(hostile,))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.is_running
        assert_plain(app, "skipped an entry", "[/]", "[link=https://evil.example/]")
        assert len(app.reader.viewing.papers) == 1  # the good item is shown


async def test_arxivs_error_feed_text_is_shown_literally(home, httpserver):
    await archived_first(home)
    body = fixture_bytes("rss-error-bad-archive-2024-11-28.xml").replace(b"Bad archive", MARKUP.encode())
    httpserver.expect_request("/rss/quant-ph").respond_with_data(body, status=400, content_type=RSS_TYPE)
    app = reader(home, httpserver.url_for("/rss"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert_plain(app, "arXiv refused the listing request", "[link=https://evil.example/]click[/link]")
        assert len(app.reader.viewing.papers) == 81


async def test_an_api_error_entry_is_shown_literally(home, httpserver, monkeypatch):
    monkeypatch.setattr(arxiv, "MIN_INTERVAL_SECONDS", 0.01)
    error = fixture_bytes("api-error-http400-idlist-abc-2026-04-12.xml").replace(
        b"incorrect id format for abc", MARKUP.replace("&", "&amp;").encode()
    )
    httpserver.expect_request("/rss/quant-ph").respond_with_data(GOOD, content_type=RSS_TYPE)
    httpserver.expect_request("/api/query").respond_with_data(error, status=400, content_type=ATOM_TYPE)
    paths = Paths.under(home)
    library = open_library(paths.library_file)
    library.set_last_seen(dt.date(2025, 4, 23))  # two days missed
    library.close()
    app = reader(home, httpserver.url_for("/rss"), {("source", "api_url"): httpserver.url_for("/api/query")})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert_plain(app, "arXiv API error", "[bold red]loud[/]")


async def test_a_pdf_servers_content_type_is_shown_literally(home, httpserver, tmp_path):
    await archived_first(home)
    httpserver.expect_request("/rss/quant-ph").respond_with_data(GOOD, content_type=RSS_TYPE)
    httpserver.expect_request("/pdf/2504.17830v1").respond_with_data(b"<html>", content_type=f"text/{MARKUP}")
    app = reader(
        home,
        httpserver.url_for("/rss"),
        {("source", "pdf_url"): httpserver.url_for("/pdf"), ("download", "folder"): str(tmp_path / "pdf")},
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2")  # Matched: today's matches alone (the Inbox has the first visit's too)
        await press_until(pilot, "j", lambda: app.screen.current_paper.id == "2504.17830", "on 2504.17830")
        await pilot.press("d")
        await settle(pilot)
        assert_plain(app, "not a PDF", "[link=https://evil.example/]click[/link]")
        assert app.is_running


async def test_a_damaged_library_in_a_folder_named_like_markup(tmp_path):
    home = tmp_path / "[bold]home[red]"
    home.mkdir()
    (home / "library.sqlite3").write_bytes(b"not a database" * 500)
    app = make_app(home)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert_plain(app, "was damaged", "[bold]home[red]")
        assert app.reader.viewing.papers  # and the listing is read into the new library


async def test_a_too_slow_keyword_is_named_literally(home, tmp_path):
    slow = tmp_path / "listing.xml"
    slow.write_bytes(
        feed(*[item(guid=f"oai:arXiv.org:2504.9{n:04d}v1", abstract="/" + "a" * 40 + "!") for n in range(60)])
    )
    app = make_app(home, feeds=(slow,), include=("/[/](a|aa)+$/",))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert_plain(app, "'/[/](a|aa)+$/' is too slow")


# --- every class: the reader survives a start against each hostile server ---------------------------


def _serve_body(body: bytes, headers: dict[str, str] | None = None, status: int = 200):
    def respond(httpserver):
        httpserver.expect_request("/rss/quant-ph").respond_with_response(
            Response(body, status=status, headers=headers or {}, content_type=RSS_TYPE)
        )

    return respond


HOSTILE = {
    "dated 9999-12-31": (_serve_body(dated("Fri, 31 Dec 9999")), "in the future"),
    "gzip bomb, stacked": (
        _serve_body(gzip_bomb(20_000_000, 2), {"Content-Encoding": "gzip, gzip"}),
        "encoded more than once",
    ),
    "gzip bomb": (_serve_body(gzip_bomb(120_000_000), {"Content-Encoding": "gzip"}), "larger than"),
    "redirect to javascript:": (_serve_body(b"", {"Location": "javascript:alert(1)"}, 302), "fetch failed"),
    "a 30 KB id": (_serve_body(feed(item(guid="a" * 30_000, described_id=None))), "skipped an entry"),
    "10,001 items": (
        _serve_body(feed(*[item(guid=f"oai:arXiv.org:2504.{n:05d}v1") for n in range(10_001)])),
        "more than 10,000 items",
    ),
    "markup everywhere": (
        _serve_body(feed(item(title=MARKUP, abstract=MARKUP, creator=MARKUP), FIRST_ITEM)),
        "",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
async def test_the_reader_survives_a_start_against_each_hostile_server(home, httpserver, case):
    await archived_first(home)
    serve, told = HOSTILE[case]
    serve(httpserver)
    app = reader(home, httpserver.url_for("/rss"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.is_running
        status = app.screen.query_one("#status").text
        messages = " ".join(note.message for note in said(app)) + " " + status
        assert told in messages
        assert app.reader.viewing.papers  # something readable is on screen
        await pilot.press("j", "s", "v")  # and it answers keys
        assert app.reader.marking.session.star_count == 1


async def test_the_reader_survives_headers_trickled_a_byte_at_a_time(home):
    await archived_first(home)
    stop = threading.Event()
    with raw_server(trickle(b"HTTP/1.1 200 OK\r\nX: " + b"y" * 10_000, every=0.05, stop=stop)) as url:
        app = reader(home, url + "/rss")
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            stop.set()
            status = app.screen.query_one("#status").text
            assert "fetch failed" in status
            assert any("no complete answer within 2 s" in note.message for note in said(app))
            assert len(app.reader.viewing.papers) == 81
