"""Issue 12, the core: nothing from the network or a file can crash, freeze, flood or fool us.

One test per class of attack, each with several inputs, each asserting what the user is told
and that what was good is kept. The reader's side (notifications, a start against each hostile
server) is in tests/tui/test_hostile_reader.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import os
import socket
import threading
import time
import tracemalloc
import unicodedata

import pytest
from markdown_it import MarkdownIt
from werkzeug import Response

from arxiv_tui.core.base.errors import ArxivTuiError, ConfigError, FeedError, FetchError
from arxiv_tui.core.base.latex import tex_to_unicode
from arxiv_tui.core.base.schedule import listing_days_between, submission_window
from arxiv_tui.core.base.text import clean_text, strip_control
from arxiv_tui.core.config import Config, load_config, update_config
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.incoming.catchup import missed_days
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching.match import Matcher, TermError
from arxiv_tui.core.models import Paper
from arxiv_tui.core.output.digest import Heading, Item, escape_markdown, to_markdown
from arxiv_tui.core.sources.arxiv import ApiClient, ListingClient, retry_after_seconds
from arxiv_tui.core.sources.download import download, pdf_file_name
from arxiv_tui.core.sources.parse import parse_feed, split_id
from arxiv_tui.tui.browser import UnsafeURL, check_url, url_problem
from tests.arxiv_server import ATOM_TYPE, RSS_TYPE
from tests.conftest import fixture_bytes
from tests.hostile import FIRST_ITEM, GOOD, dated, feed, gzip_bomb, item, raw_server, trickle

CONFIG = Config(categories=("quant-ph",))


@pytest.fixture
def archive(tmp_path) -> Library:
    """An archive holding the last good listing (Mon 28 Apr 2025, 81 papers)."""
    archive = open_library(tmp_path / "library.sqlite3")
    listing = listings.listing_from(parse_feed(GOOD, "good"), "good")
    assert listing is not None and archive.store_listing(listing)
    return archive


def fetch(url: str, archive: Library, timeout: float = 5.0) -> listings.LoadResult:
    client = ListingClient(url, timeout=timeout)
    try:
        return listings.load(CONFIG, archive, client=client)
    finally:
        client.close()


def assert_kept(result: listings.LoadResult, *words: str) -> None:
    """The fetch failed with a message holding `words`, and the last good listing is shown."""
    assert result.status == listings.FAILED
    assert result.listing is not None and len(result.listing.papers) == 81
    message = " ".join(result.messages)
    for word in words:
        assert word in message, message


# --- 2. dates are validated where they enter ----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("Fri, 31 Dec 9999", "is in the future"),
        ("Tue, 01 Jan 2999", "is in the future"),
        ("Mon, 01 Jan 1990", "before arXiv began"),
        ("Thu, 01 Jan 1970", "before arXiv began"),
    ],
)
def test_a_listing_dated_outside_arxivs_lifetime_is_refused(httpserver, archive, day, why):
    with pytest.raises(FeedError, match=why):
        parse_feed(dated(day), "feed")
    httpserver.expect_request("/rss/quant-ph").respond_with_data(dated(day), content_type=RSS_TYPE)
    result = fetch(httpserver.url_for("/rss"), archive)
    assert_kept(result, why, "not a real listing")
    assert archive.listing_dates() == [dt.date(2025, 4, 28)]  # nothing stored under the bad date


def test_a_listing_a_day_ahead_is_accepted():
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    parsed = parse_feed(dated(f"{tomorrow:%a, %d %b %Y}"), "feed")
    assert parsed.listing_date == tomorrow and len(parsed.papers) == 81


def test_no_date_arithmetic_overflows_at_the_ends_of_the_calendar():
    big, small = dt.date.max, dt.date.min
    assert listing_days_between(small, big)[0] >= dt.date(1991, 8, 14)
    assert listing_days_between(big, small) == []
    assert missed_days(big, dt.date(2025, 4, 28), (), 7) == []
    assert len(missed_days(small, dt.date(2025, 4, 28), (), 7)) == 7
    start, end = submission_window(dt.date(2025, 4, 28))
    assert start < end


@pytest.mark.parametrize("stored", ["9999-12-31", "1900-01-01", "2999-06-01", "not a date"])
def test_a_bad_stored_last_seen_date_is_reset_with_a_message(tmp_path, stored):
    path = tmp_path / "library.sqlite3"
    library = open_library(path)
    library.marks.set_read(["2504.17830"])
    library.set_meta("last_seen", stored)
    library.close()
    again = open_library(path)
    assert again.last_seen is None
    assert any("cannot be right" in notice for notice in again.notices)
    assert again.marks.of(["2504.17830"])["2504.17830"].read  # nothing else is lost
    again.set_last_seen(dt.date(2025, 4, 28))
    again.close()
    third = open_library(path)
    assert third.last_seen == dt.date(2025, 4, 28) and third.notices == []  # the reset was kept
    third.close()


@pytest.mark.parametrize("stored", ["9999-12-31", "1900-01-01"])
def test_a_bad_last_seen_date_in_the_old_files_is_not_carried_over(home, stored):
    from arxiv_tui.core.base.paths import Paths
    from arxiv_tui.core.library.migrate import migrate

    paths = Paths.under(home)
    paths.state_file.write_text(
        json.dumps({"version": 1, "last_seen_listing": stored, "read": ["2504.17830"]})
    )
    library = open_library(paths.library_file)
    report = migrate(paths, library)
    assert any("cannot be right" in problem for problem in report.problems)
    assert library.last_seen is None and report.reads == 1
    library.close()


# --- 3. bounded resources for every response ----------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "body", "why"),
    [
        ("gzip, gzip", gzip_bomb(10_000_000, layers=2), "encoded more than once"),
        ("gzip,deflate", gzip_bomb(1_000, layers=1), "encoded more than once"),
        ("gzip", gzip_bomb(200_000_000), "larger than 50,000,000 bytes"),
        ("br", b"\x0b\x02\x80hello\x03", "not asked for"),
        ("gzip", b"\x1f\x8b\x08\x00garbage", "damaged"),
    ],
    ids=["gzip-gzip-bomb", "gzip-deflate", "gzip-bomb", "brotli", "broken-gzip"],
)
def test_content_encodings_are_decoded_with_a_cap(httpserver, archive, encoding, body, why):
    httpserver.expect_request("/rss/quant-ph").respond_with_response(
        Response(body, headers={"Content-Encoding": encoding}, content_type=RSS_TYPE)
    )
    tracemalloc.start()
    try:
        result = fetch(httpserver.url_for("/rss"), archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_kept(result, why)
    assert peak < 120_000_000  # at most the cap and a piece; never the bomb's decoded size


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "x-gzip"])
def test_a_compressed_real_listing_is_read(httpserver, archive, encoding):
    import zlib

    body = zlib.compress(GOOD) if encoding == "deflate" else gzip.compress(GOOD)
    httpserver.expect_request("/rss/quant-ph").respond_with_response(
        Response(body, headers={"Content-Encoding": encoding}, content_type=RSS_TYPE)
    )
    result = fetch(httpserver.url_for("/rss"), archive)
    assert result.status == listings.FRESH and len(result.listing.papers) == 81


def test_items_are_counted_on_the_parsed_document_not_the_bytes():
    # 100,000 "<item>" in a comment and a CDATA section, 81 real items: a real listing.
    noise = b"<!-- " + b"<item>" * 50_000 + b" -->"
    cdata = b"<![CDATA[" + b"<item>" * 50_000 + b"]]>"
    padded = GOOD.replace(b"<channel>", b"<channel>" + noise, 1).replace(
        b"<description>quant-ph updates", b"<description>" + cdata + b"quant-ph updates", 1
    )
    assert len(parse_feed(padded, "padded").papers) == 81
    # ...and 10,001 real items, each tiny, are refused as soon as they are counted.
    many = feed(*[item(guid=f"oai:arXiv.org:2504.{n:05d}v1", described_id=None) for n in range(10_001)])
    started = time.monotonic()
    with pytest.raises(FeedError, match="more than 10,000 items"):
        parse_feed(many, "many")
    assert time.monotonic() - started < 10  # a guard against parsing it whole, not a benchmark


@pytest.mark.parametrize(
    "guid",
    ["x" * 30_000, "a" * 30_000 + "/1234567", "-" * 30_000, "abs/" * 8_000, "12.3" * 7_500],
    ids=["letters", "letters-slash-digits", "hyphens", "abs-slashes", "digits-and-dots"],
)
def test_a_huge_id_costs_linear_time_and_is_reported_not_crashed(guid):
    started = time.monotonic()
    parsed = parse_feed(feed(item(guid=guid, link=guid, described_id=None), FIRST_ITEM), "feed")
    assert time.monotonic() - started < 2  # the quadratic regex took 20 s on the first of these
    assert [paper.id for paper in parsed.papers] == ["2504.17830"]
    assert any("skipped an entry" in problem and len(problem) < 400 for problem in parsed.problems)


@pytest.mark.parametrize(
    "storm",
    ["\\(" * 20_000, "$" * 40_000, "\\(x" * 13_000, "$a" * 20_000, "{" * 40_000],
    ids=["parens", "dollars", "parens-x", "dollar-a", "braces"],
)
def test_tex_storms_cost_linear_time(storm):
    started = time.monotonic()
    tex_to_unicode(storm)
    parse_feed(feed(item(abstract=storm, title=storm[:900])), "storm")
    assert time.monotonic() - started < 2


def test_every_field_is_capped_before_it_is_used():
    huge = "word " * 2_000_000
    paper = parse_feed(feed(item(title=huge, abstract=huge, creator=huge)), "huge").papers[0]
    assert len(paper.title) <= 1_000 and len(paper.abstract) <= 10_000
    assert all(len(name) <= 300 for name in paper.authors) and len(paper.authors) <= 2_000


# --- 4. one overall deadline per request -------------------------------------------------------


@pytest.mark.parametrize(
    "trickled",
    [
        b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 1000,  # the status line and a header, slowly
        b"H" * 1000,  # not even a whole status line
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000,  # the body, slowly
    ],
)
def test_a_trickle_of_headers_or_body_is_cut_at_the_deadline(archive, trickled):
    stop = threading.Event()
    with raw_server(trickle(trickled, every=0.05, stop=stop)) as url:
        started = time.monotonic()
        result = fetch(url + "/rss", archive, timeout=1.0)
        took = time.monotonic() - started
        stop.set()
    assert took < 2.5  # one deadline of 1 s, not a per-read timeout that each byte resets
    assert_kept(result, "no complete answer within 1 s")


# --- 5. every failure of a request is a FetchError ----------------------------------------------


@pytest.mark.parametrize(
    "location",
    ["javascript:alert(1)", "ftp://example.com/feed", "http://[::1", "http://exa mple.com/", "//:0"],
)
def test_a_redirect_anywhere_odd_is_a_fetch_error(httpserver, archive, location):
    httpserver.expect_request("/rss/quant-ph").respond_with_response(
        Response("", status=302, headers={"Location": location})
    )
    result = fetch(httpserver.url_for("/rss"), archive)
    assert_kept(result)
    assert result.messages and all(len(message) < 700 for message in result.messages)


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
        b"HTTP/1.1 999999999999 Odd\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n<rss>",  # closed early
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_a_broken_answer_is_a_fetch_error(archive, answer):
    def handle(connection):
        connection.sendall(answer)
        connection.shutdown(socket.SHUT_WR)  # and closes: a server gone mid-answer, not a slow one

    with raw_server(handle) as url:
        result = fetch(url + "/rss", archive)
    assert_kept(result)


def test_digits_that_are_not_ascii_never_reach_int():
    assert retry_after_seconds("²") is None
    assert retry_after_seconds("٣٠") is None  # Arabic-Indic thirty
    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds("9" * 400) is None
    body = fixture_bytes("api-query-all-testing-start10-max10-2026-04-12.xml").replace(
        b"<opensearch:totalResults>214881<", "<opensearch:totalResults>²<".encode()
    )
    page = parse_feed(body, "api")
    assert page.total_results is None and len(page.papers) == 10


def test_an_api_429_with_odd_retry_after_is_retried_not_crashed(httpserver):
    page = fixture_bytes("api-query-all-testing-start10-max10-2026-04-12.xml")
    httpserver.expect_ordered_request("/api/query").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "²"})
    )
    httpserver.expect_ordered_request("/api/query").respond_with_data(page, content_type=ATOM_TYPE)
    waits: list[float] = []
    client = ApiClient(httpserver.url_for("/api/query"), min_interval=0, sleep=waits.append)
    try:
        assert len(client.query("all:testing").papers) == 10
    finally:
        client.close()


def test_a_large_error_body_is_not_parsed(httpserver, archive):
    error_feed = fixture_bytes("rss-error-bad-archive-2024-11-28.xml")
    big = error_feed.replace(b"</channel>", b"<!--" + b" " * 200_000 + b"--></channel>")
    httpserver.expect_request("/rss/quant-ph").respond_with_data(big, status=400, content_type=RSS_TYPE)
    assert_kept(fetch(httpserver.url_for("/rss"), archive), "HTTP 400")


# --- 6. user regexes run with a time budget ------------------------------------------------------

# Each backtracks exponentially on its text, in the `regex` package too (checked: each alone runs
# past a 0.2 s timeout on one title).
CATASTROPHIC = {"/(a|aa)+$/": "a" * 40 + "!", "/(a|a)+$/": "a" * 30 + "!", "/(x|xx|xxx)+y/": "x" * 40}


@pytest.mark.parametrize("term", CATASTROPHIC)
def test_a_catastrophic_regex_is_stopped_and_named(term):
    slow = CATASTROPHIC[term]
    papers = [
        Paper(id=f"2504.{n:05d}", version=1, title=slow, authors=(), abstract=slow, categories=())
        for n in range(200)
    ]
    matcher = Matcher([term, "qubit"])
    started = time.monotonic()
    matched = [paper for paper in papers if matcher.match(paper)]
    assert time.monotonic() - started < 3  # the budget is 1 s a run, each call 0.05 s at most
    assert matched == [] and matcher.too_slow == (term,)
    with pytest.raises(TermError, match="too slow"):
        Matcher([term]).count(Matcher([term]).include[0], papers)


def test_digest_with_a_catastrophic_keyword_finishes_and_says_so(home, tmp_path):
    import subprocess
    import sys

    update_config(home / "config.toml", {("keywords", "include"): ["/(a|aa)+$/", "time operator"]})
    listing = tmp_path / "listing.xml"
    slow_items = [item(guid=f"oai:arXiv.org:2504.9{n:04d}v1", described_id=None, abstract="a" * 40 + "!")
                  for n in range(300)]  # fmt: skip
    listing.write_bytes(feed(*slow_items, FIRST_ITEM))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "arxiv_tui", "--home", str(home), "digest", "--feed", str(listing)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    assert "'/(a|aa)+$/' is too slow" in done.stderr
    assert "2504.17830" in done.stdout  # the other keyword still matched the real paper


# --- 7. config and data files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[feed]\ntimeout_seconds = nan", "feed.timeout_seconds: must be a number of seconds"),
        ("[feed]\ntimeout_seconds = inf", "feed.timeout_seconds: must be a number of seconds"),
        ("[feed]\ntimeout_seconds = 1e999", "feed.timeout_seconds"),
        ("[feed]\nretention_days = 99999999999999999999", "feed.retention_days: must be a whole number"),
        ("[feed]\ncatch_up_listings = 100000", "feed.catch_up_listings"),
        ('categories = ["cs.CL\\n"]', "is not an arXiv category"),
        ('categories = ["cs.CL "]', "is not an arXiv category"),
        ('[source]\nrss_url = "https://rss.arxiv.org/rss\\u0000x"', "source.rss_url"),
        ('[source]\nrss_url = "https://evil.com\\\\@rss.arxiv.org/rss"', "source.rss_url"),
        ('[source]\napi_url = "https://exa mple.com/api"', "source.api_url"),
        ('[source]\npdf_url = "https://[::1/pdf"', "source.pdf_url"),
        ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
)
def test_hostile_config_values_name_the_file_and_key(home, text, named):
    path = home / "config.toml"
    path.write_text(text)
    before = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and named in str(caught.value)
    assert path.read_bytes() == before


def test_a_symlinked_config_keeps_its_link_and_updates_its_target(home, tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "arxiv-tui.toml"
    target.write_text('# mine\n[keywords]\ninclude = ["tts"]\n')
    link = home / "config.toml"
    link.symlink_to(target)
    update_config(link, {("keywords", "include"): ["tts", "voice"]})
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load_config(link)[0].include == ("tts", "voice")
    assert "# mine" in target.read_text()
    assert sorted(path.name for path in dotfiles.iterdir()) == ["arxiv-tui.toml"]  # no temp file left


# --- 8. output formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "- a list?",
        "1. numbered?",
        "---",
        "# heading?",
        "> quote?",
        "===",
        "+ plus",
        "  2) indented",
        "line one\n- line two\n3. line three",
    ],
)
def test_markdown_never_lets_text_start_a_block(text):
    tokens = MarkdownIt().parse(escape_markdown(text))
    kinds = {token.type for token in tokens}
    assert kinds <= {"paragraph_open", "paragraph_close", "inline"}, kinds
    rendered = "".join(token.content for token in tokens if token.type == "inline")
    shown = html.unescape(MarkdownIt().renderInline(rendered))
    assert " ".join(shown.split()) == " ".join(text.split())  # and it reads as typed


def test_a_digest_of_hostile_papers_is_one_paragraph_per_field():
    paper = Paper(
        id="2504.99001", version=1, title="1. Not a list", authors=("- Not a list",),
        abstract="--- not a rule\n# not a heading", categories=("quant-ph",),
    )  # fmt: skip
    markdown = to_markdown(Heading("digest", note="- note"), [Item(paper)])
    kinds = [token.type for token in MarkdownIt().parse(markdown)]
    assert kinds.count("heading_open") == 2  # the digest's title and the paper's: none from its text
    assert kinds.count("bullet_list_open") == 1  # the digest's own facts (papers, keywords)
    assert "ordered_list_open" not in kinds and "hr" not in kinds


INVISIBLE = [
    "\U000e0041\U000e0042",  # tag characters: invisible text a model or a terminal may still read
    "\u200b\u200c\u200d\u2060",  # zero-width space, non-joiner, joiner, word joiner
    "\u202e\u2066\u2069",  # bidi override and isolates
    "\ufe0f\ufe0e",  # emoji and text variation selectors
    "\u00ad\u034f\u115f\u3164",  # soft hyphen, grapheme joiner, Hangul fillers
    "\x1b[31m\x07\x9b",  # ANSI escape, bell, C1 control
]


@pytest.mark.parametrize("hidden", INVISIBLE)
def test_invisible_and_format_characters_never_reach_the_screen(hidden):
    paper = parse_feed(feed(item(title=f"Visible{hidden}title", creator=f"A{hidden}B")), "f").papers[0]
    assert all(
        unicodedata.category(char) not in ("Cf", "Cc") for char in paper.title + "".join(paper.authors)
    )
    assert "\ufe0f" not in paper.title and "\ufe0e" not in paper.title
    assert paper.title.startswith("Visible") and paper.title.endswith("title")


def test_every_format_character_unicode_knows_is_removed():
    import sys

    everything = "".join(
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
    )
    assert strip_control(everything) == ""


def test_a_lone_variation_selector_cannot_widen_a_row():
    from rich.text import Text

    title = clean_text("Heart \u2764\ufe0f and star \u2b50\ufe0e here")
    assert Text(title).cell_len == sum(1 if unicodedata.east_asian_width(c) not in "WF" else 2 for c in title)


# --- 9. file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["量子" * 200, "𝐁𝐨𝐥𝐝 𝐦𝐚𝐭𝐡 " * 60, "é" * 500, "a" * 1000, "🙂" * 300],
)
def test_download_names_fit_file_systems_in_bytes(httpserver, tmp_path, title):
    paper = Paper(id="2504.99001", version=2, title=title, authors=(), abstract="", categories=())
    name = pdf_file_name(paper)
    assert len(name.encode("utf-8")) <= 150 and name.startswith("2504.99001v2") and name.endswith(".pdf")
    httpserver.expect_request("/pdf").respond_with_data(b"%PDF-1.5\n%%EOF\n", content_type="application/pdf")
    saved = download(httpserver.url_for("/pdf"), tmp_path / name)
    assert saved.read_bytes().startswith(b"%PDF")


# --- 10. links --------------------------------------------------------------------------------------

BAD_URLS = [
    "https://evil.com\\@arxiv.org/abs/1",
    "https://arxiv.org\\evil.com",
    "https://arxiv.org.evil.com/abs/1",
    "https://doi.org.evil.com/10.1/x",
    "https://semanticscholar.org.evil.com/paper/x",
    "https://user@arxiv.org/abs/1",
    "https://arxiv.org:8443/abs/1",
    "https://arxiv.org./abs/1",
    "https://arxiv.org/abs/1\t",
    "https://arxiv.org/abs/1\nx",
    " https://arxiv.org/abs/1",
    "https://arxıv.org/abs/1",
    "https://xn--arxv-7ua.org/abs/1",
    "javascript:alert(1)//arxiv.org",
    "file:///etc/passwd",
    "http://[::1",
    "https:arxiv.org/abs/1",
    "https:///arxiv.org/abs/1",
    "",
    "x" * 5000,
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_links_a_browser_could_read_differently_are_refused_without_raising(url):
    assert url_problem(url)
    with pytest.raises(UnsafeURL):
        check_url(url)


@pytest.mark.parametrize("value", [None, 3, b"https://arxiv.org/abs/1", ["https://arxiv.org"]])
def test_link_checks_never_raise_on_anything(value):
    assert url_problem(value)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2504.17830",
        "http://arxiv.org/pdf/2504.17830v1",
        "https://ARXIV.ORG/html/1",
        "https://doi.org/10.2307/3610576",  # a paper Semantic Scholar lists off arXiv
        "https://www.semanticscholar.org/paper/abc",
    ],
)
def test_plain_arxiv_links_are_opened(url):
    assert check_url(url) == url and url_problem(url) == ""


def test_every_request_failure_is_one_of_our_errors():
    # The contract the reader relies on: a parse failure is also a failed fetch.
    assert issubclass(FeedError, FetchError) and issubclass(FetchError, ArxivTuiError)
    with pytest.raises(ValueError):
        split_id("no id here")
