"""Alerts bring papers from beyond the user's categories into the Inbox: followed authors anywhere
on arXiv, new versions of stars, new papers citing a star or one's own paper. Each is asked of a
real HTTP server on 127.0.0.1 replaying recorded arXiv API and Semantic Scholar answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from werkzeug import Request, Response

from arxiv_tui.core.config import Config
from arxiv_tui.core.incoming import alerts
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.sources.arxiv import ApiClient, HttpClient
from arxiv_tui.core.sources.parse import parse_feed
from arxiv_tui.core.sources.scholar import Scholar
from tests.arxiv_server import ATOM_TYPE, day_page
from tests.conftest import fixture_bytes
from tests.scholar_server import JSON, known_arxiv_records, turing

AT = dt.datetime(2026, 7, 11, 9, 0, tzinfo=dt.UTC)  # the morning after the recorded page's papers
AUTHOR = "Miguel P. Eckstein"  # an author of 2607.09654 (cs.CV) in the recorded page
ONE_PAPER = "api-idlist-2104.12255v1-2026-04-12.xml"  # cs.CR, v1, titled "0"
NO_ALERTS = {"alert_authors": False, "alert_versions": False, "alert_citations": False}


class Recorder:
    """Answers with `bodies` in turn (the last one again), and keeps every request's arguments."""

    def __init__(self, *bodies: bytes, status: int = 200) -> None:
        self.bodies = list(bodies)
        self.status = status
        self.asked: list[dict[str, str]] = []

    def __call__(self, request: Request) -> Response:
        self.asked.append(dict(request.args))
        body = self.bodies.pop(0) if len(self.bodies) > 1 else self.bodies[0]
        return Response(body, status=self.status, content_type=ATOM_TYPE)


def config(httpserver, **fields) -> Config:
    return dataclasses.replace(
        Config(categories=("quant-ph",), api_url=httpserver.url_for("/api/query")),
        s2_url=httpserver.url_for("").rstrip("/"),
        **fields,
    )


def check(library, settings: Config, at: dt.datetime = AT) -> alerts.AlertRun:
    matcher = Matcher(settings.include, settings.exclude, settings.authors)
    http: list[HttpClient] = []

    def api() -> ApiClient:
        return ApiClient(settings.api_url, 5, min_interval=0, sleep=lambda seconds: None)

    def scholar() -> Scholar:
        http.append(HttpClient(5))
        return Scholar(settings.s2_url, library.db, http[-1].request, sleep=lambda seconds: None)

    try:
        return alerts.check(library, settings, matcher, api, scholar, at=at, day=at.date())
    finally:
        for client in http:
            client.close()


def inbox_reasons(library) -> dict[str, tuple[str, ...]]:
    return {paper.id: entry.reasons for paper, entry in library.inbox.undecided()}


# --- followed authors -----------------------------------------------------------------------------


def written_by(page: bytes, author: str) -> str:
    return next(paper.id for paper in parse_feed(page, "recorded").papers if author in paper.authors)


def test_a_followed_author_s_paper_in_another_category_enters_once_a_day(tmp_path, httpserver):
    page = day_page(dt.datetime(2026, 7, 10, 20, tzinfo=dt.UTC))
    theirs = written_by(page, AUTHOR)
    api = Recorder(page)
    httpserver.expect_request("/api/query").respond_with_handler(api)
    library = open_library(tmp_path / "library.sqlite3")
    settings = config(httpserver, authors=(AUTHOR, "Harwath"), **{**NO_ALERTS, "alert_authors": True})

    run = check(library, settings)

    assert api.asked[0]["search_query"] == 'au:"miguel p eckstein" OR au:harwath'  # one query for all
    assert api.asked[0]["sortBy"] == "submittedDate" and api.asked[0]["sortOrder"] == "descending"
    # arXiv's search is looser than a name: only the paper Eckstein wrote enters, not the 49 others
    assert inbox_reasons(library) == {theirs: (f"alert-author:{AUTHOR}",)}
    assert [entry.paper_id for entry in run.entered] == [theirs]
    assert library.paper(theirs).title  # kept: it shows offline
    check(library, settings, AT + dt.timedelta(hours=3))
    assert len(api.asked) == 1  # once a day
    check(library, settings, AT + dt.timedelta(days=1))
    assert len(api.asked) == 2 and len(inbox_reasons(library)) == 1  # asked again; nothing twice


def test_a_newly_followed_author_brings_their_last_week_not_their_career(tmp_path, httpserver):
    old = day_page(dt.datetime(2026, 6, 30, 20, tzinfo=dt.UTC))  # eleven days before the check
    httpserver.expect_request("/api/query").respond_with_handler(Recorder(old))
    library = open_library(tmp_path / "library.sqlite3")
    settings = config(httpserver, authors=(AUTHOR,), **{**NO_ALERTS, "alert_authors": True})
    run = check(library, settings)
    assert run.checked == ["authors"] and inbox_reasons(library) == {}


def test_a_decided_paper_does_not_come_back_through_an_alert(tmp_path, httpserver):
    page = day_page(dt.datetime(2026, 7, 10, 20, tzinfo=dt.UTC))
    httpserver.expect_request("/api/query").respond_with_handler(Recorder(page))
    library = open_library(tmp_path / "library.sqlite3")
    library.marks.set_read([written_by(page, AUTHOR)])
    check(library, config(httpserver, authors=(AUTHOR,), **{**NO_ALERTS, "alert_authors": True}))
    assert inbox_reasons(library) == {}


def test_a_failed_check_is_said_changes_nothing_and_is_asked_again_an_hour_later(tmp_path, httpserver):
    busy = Recorder(b"busy", status=503)
    httpserver.expect_request("/api/query").respond_with_handler(busy)
    library = open_library(tmp_path / "library.sqlite3")
    settings = config(httpserver, authors=(AUTHOR,), **{**NO_ALERTS, "alert_authors": True})
    run = check(library, settings)
    assert run.checked == [] and "followed authors not checked" in run.messages[0]
    assert "503" in run.messages[0]
    asked = len(busy.asked)
    assert check(library, settings, AT + dt.timedelta(minutes=5)).messages == []
    assert len(busy.asked) == asked  # a refresh soon after does not wait out the same failure again
    check(library, settings, AT + dt.timedelta(minutes=61))
    assert len(busy.asked) > asked  # not recorded as checked: asked again


# --- new versions of stars --------------------------------------------------------------------------


def star_outside_the_categories(library, version: int = 1) -> None:
    paper = parse_feed(fixture_bytes(ONE_PAPER), "recorded").papers[0]
    library.star([dataclasses.replace(paper, version=version)], at="2026-01-01T00:00:00+00:00")


def test_a_star_s_new_version_comes_back_undecided_and_a_withdrawal_is_flagged(tmp_path, httpserver):
    v1 = fixture_bytes(ONE_PAPER)
    v2 = v1.replace(b"abs/2104.12255v1", b"abs/2104.12255v2")
    withdrawal = b"\n    <arxiv:comment>This paper has been withdrawn by the authors</arxiv:comment>"
    v3 = v1.replace(b"abs/2104.12255v1", b"abs/2104.12255v3").replace(
        b"</summary>", b"</summary>" + withdrawal
    )
    api = Recorder(v1, v2, v3)
    httpserver.expect_request("/api/query").respond_with_handler(api)
    library = open_library(tmp_path / "library.sqlite3")
    star_outside_the_categories(library)
    library.marks.set_read(["2104.12255"])
    settings = config(httpserver, **{**NO_ALERTS, "alert_versions": True})

    check(library, settings)  # the first check notes the versions there are
    assert api.asked[0]["id_list"] == "2104.12255" and inbox_reasons(library) == {}
    check(library, settings, AT + dt.timedelta(days=2))
    assert len(api.asked) == 1  # weekly
    check(library, settings, AT + dt.timedelta(days=7))
    assert inbox_reasons(library) == {"2104.12255": ("version:2",)}  # read before: undecided again
    assert library.paper("2104.12255").version == 2
    check(library, settings, AT + dt.timedelta(days=14))
    assert inbox_reasons(library) == {"2104.12255": ("version:3", "withdrawn:", "version:2")}


def test_stars_in_the_user_s_categories_are_not_asked_about(tmp_path, httpserver):
    api = Recorder(fixture_bytes(ONE_PAPER))
    httpserver.expect_request("/api/query").respond_with_handler(api)
    library = open_library(tmp_path / "library.sqlite3")
    star_outside_the_categories(library)
    run = check(library, config(httpserver, categories=("cs",), **{**NO_ALERTS, "alert_versions": True}))
    assert api.asked == [] and run.checked == ["versions"]  # their replacements come with the listings


# --- citations ---------------------------------------------------------------------------------------


class Citations:
    """Semantic Scholar: the batch says each asked paper has `count` citations; a paper's citing
    papers are the 100 recorded for Turing's paper. `busy`: that many 429s first."""

    def __init__(self, count: int, busy: int = 0) -> None:
        self.count, self.busy = count, busy
        self.paths: list[str] = []

    def __call__(self, request: Request) -> Response:
        self.paths.append(request.path)
        if self.busy:
            self.busy -= 1
            return Response('{"message": "Too Many Requests"}', status=429, headers={"Retry-After": "0"})
        if request.path.endswith("/batch"):
            ids = json.loads(request.data)["ids"]
            answer = [{"citationCount": self.count, "externalIds": {"ArXiv": i[6:]}} for i in ids]
            return Response(json.dumps(answer), content_type=JSON)
        data = [{"citingPaper": record} for record in turing()["citations"]]
        return Response(json.dumps({"offset": 0, "data": data}), content_type=JSON)


def serve_citations(httpserver, scholar: Citations) -> Citations:
    import re

    httpserver.expect_request(re.compile("^/graph/.*")).respond_with_handler(scholar)
    return scholar


CHECKED = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)  # the recorded citing papers are from up to mid 2024


def test_new_papers_citing_a_star_or_my_paper_enter_weekly_from_one_batch(tmp_path, httpserver):
    scholar = serve_citations(httpserver, Citations(count=40))
    library = open_library(tmp_path / "library.sqlite3")
    star_outside_the_categories(library)
    settings = config(httpserver, my_papers=("1706.03762",), **{**NO_ALERTS, "alert_citations": True})

    check(library, settings, CHECKED)  # the first check notes the counts: nothing enters
    assert scholar.paths == ["/graph/v1/paper/batch"] and inbox_reasons(library) == {}
    check(library, settings, CHECKED + dt.timedelta(days=3))
    assert len(scholar.paths) == 1  # weekly
    scholar.count = 41
    check(library, settings, CHECKED + dt.timedelta(days=7))
    assert scholar.paths[1] == "/graph/v1/paper/batch"
    assert sorted(scholar.paths[2:]) == [  # the counts rose: each one's citing papers asked for
        "/graph/v1/paper/ARXIV:1706.03762/citations",
        "/graph/v1/paper/ARXIV:2104.12255/citations",
    ]
    entered = inbox_reasons(library)
    records = known_arxiv_records()
    recent = {i for i, r in records.items() if (r.get("publicationDate") or "") >= "2024-04-02"}
    assert recent and set(entered) == recent  # arXiv papers of the last 60 days, no older ones
    assert all(set(why) == {"cites:2104.12255", "cites-mine:1706.03762"} for why in entered.values())
    scholar.count = 42
    check(library, settings, CHECKED + dt.timedelta(days=14))
    assert inbox_reasons(library) == entered  # the same citing papers never enter twice


def test_a_busy_semantic_scholar_is_waited_for_then_said(tmp_path, httpserver):
    scholar = serve_citations(httpserver, Citations(count=3, busy=2))
    library = open_library(tmp_path / "library.sqlite3")
    star_outside_the_categories(library)
    settings = config(httpserver, **{**NO_ALERTS, "alert_citations": True})
    run = check(library, settings, CHECKED)
    assert run.checked == ["citations"] and run.messages == []  # two 429s: waited, then answered
    scholar.busy = 10
    run = check(library, settings, CHECKED + dt.timedelta(days=7))
    assert run.checked == [] and "citations not checked" in run.messages[0] and "busy" in run.messages[0]


def test_alerts_turned_off_ask_nothing(tmp_path, httpserver):
    api = Recorder(fixture_bytes(ONE_PAPER))
    httpserver.expect_request("/api/query").respond_with_handler(api)
    library = open_library(tmp_path / "library.sqlite3")
    star_outside_the_categories(library)
    run = check(library, config(httpserver, authors=(AUTHOR,), **NO_ALERTS))
    assert api.asked == [] and run.checked == []
    assert not alerts.any_due(library, config(httpserver, **NO_ALERTS), Matcher((), (), (AUTHOR,)))


def test_author_queries_are_words_whatever_the_name_holds():
    assert alerts.author_query(['S\\"ohler', 'Yi-Jen "Shih"', "()"]) == 'au:sohler OR au:"yi jen shih"'


def test_more_stars_outside_the_categories_than_a_week_asks_about_are_asked_about_in_turn():
    """A week's check asks about 2,000 stars (20 requests of 100); with 4,500 stars outside the
    categories, three weeks in a row ask about every one of them, not the same 2,000 each time."""
    stars = [f"2401.{n:05d}" for n in range(4_500)]
    monday = dt.date(2026, 12, 7)
    weeks = [alerts.this_weeks(stars, monday + dt.timedelta(weeks=n)) for n in range(3)]
    assert all(len(week) == 2_000 for week in weeks)
    assert set().union(*weeks) == set(stars)
    assert weeks[0] != weeks[1]
    assert alerts.this_weeks(stars[:150], monday) == stars[:150]  # they fit: all, every week
