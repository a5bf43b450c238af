"""Semantic Scholar's citations, references and counts, against recorded answers on a loopback server."""

from __future__ import annotations

import json

import pytest

from arxiv_tui.core.base.errors import FetchError
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.sources.arxiv import HttpClient
from arxiv_tui.core.sources.scholar import Scholar, ScholarPaper
from tests.scholar_server import FakeScholar, known_arxiv_records, serve_scholar

PAPER = "2411.17712"


class Waits:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def library(tmp_path):
    library = open_library(tmp_path / "library.sqlite3")
    yield library
    library.close()


def scholar_for(
    httpserver, library, fake: FakeScholar | None = None, **options
) -> tuple[Scholar, FakeScholar]:
    fake = serve_scholar(httpserver, fake)
    base = httpserver.url_for("/").rstrip("/")
    waits = Waits()
    scholar = Scholar(base, library.db, HttpClient(5.0).request, sleep=waits, **options)
    return scholar, fake


def test_a_papers_citations_references_and_recommendations_are_fetched_once_and_kept(httpserver, library):
    scholar, fake = scholar_for(httpserver, library)
    early = []
    details = scholar.details(PAPER, first=lambda found: early.append((found, len(fake.requests))))
    assert [(len(found.citing), found.partial, asked) for found, asked in early] == [(40, True, 2)]
    paper = details.paper
    assert (paper.title, paper.year, paper.citations, paper.influential) == (
        "Computing Machinery and Intelligence",
        1950,
        10059,
        530,
    )
    assert paper.venue == "The Philosophy of Artificial Intelligence" and paper.tldr.startswith(
        "If the meaning"
    )
    assert len(details.references) == 14 and len(details.citing) == 100 and details.recommended
    on_arxiv = [p.as_paper() for p in details.citing if p.as_paper() is not None]
    assert len(on_arxiv) == 60 and all(p.id in known_arxiv_records() for p in on_arxiv)
    paths = [path for _, path, _ in fake.requests]
    assert paths == [
        f"/graph/v1/paper/ARXIV:{PAPER}",
        *[f"/graph/v1/paper/ARXIV:{PAPER}/citations"] * 3,  # pages of 40, 40 and 20, by `next`
        f"/graph/v1/paper/ARXIV:{PAPER}/references",
        f"/recommendations/v1/papers/forpaper/ARXIV:{PAPER}",
    ]
    assert [sent["offset"] for _, path, sent in fake.requests if path.endswith("/citations")] == [
        "0",
        "40",
        "80",
    ]
    again = scholar.details(PAPER)  # from the library: no request
    assert len(fake.requests) == 6 and again.paper == paper and len(again.citing) == 100
    offline = Scholar("http://127.0.0.1:9", library.db, HttpClient(1.0).request, offline=True)
    assert offline.details(PAPER).paper.citations == 10059  # offline, from the cache


def test_an_answer_older_than_a_week_is_asked_again_and_kept_when_that_fails(httpserver, library):
    scholar, fake = scholar_for(httpserver, library)
    scholar.details(PAPER)
    library.db.connection.execute("UPDATE scholar_cache SET fetched_at = '2020-01-01T00:00:00+00:00'")
    library.db.connection.commit()
    scholar.details(PAPER)
    assert len(fake.requests) == 12
    library.db.connection.execute("UPDATE scholar_cache SET fetched_at = '2020-01-01T00:00:00+00:00'")
    library.db.connection.commit()
    broken = Scholar("http://127.0.0.1:9", library.db, HttpClient(1.0).request, sleep=lambda s: None)
    old = broken.details(PAPER)
    assert old.stale and old.paper.citations == 10059  # the old answer, said to be old


def test_citation_counts_of_a_view_come_in_one_batch_with_unknown_ids_counted(httpserver, library):
    scholar, fake = scholar_for(httpserver, library)
    known = list(known_arxiv_records())[:3]
    counts, unknown = scholar.counts([*known, "2411.99999"])
    assert set(counts) == set(known) and unknown == 1
    method, path, sent = fake.requests[0]
    assert (method, path) == ("POST", "/graph/v1/paper/batch") and sent["ids"][0] == f"ARXIV:{known[0]}"
    assert sent["fields"] == "citationCount,influentialCitationCount,externalIds"
    record = known_arxiv_records()[known[0]]
    assert counts[known[0]] == (record["citationCount"], record["influentialCitationCount"])
    scholar.counts(known)
    assert len(fake.requests) == 1  # fresh counts are not asked again


def test_a_batch_holds_at_most_500_ids(httpserver, library):
    scholar, fake = scholar_for(httpserver, library)
    scholar.counts([f"2411.{n:05d}" for n in range(1203)])
    assert [len(sent["ids"]) for _, _, sent in fake.requests] == [500, 500, 203]


def test_too_many_requests_is_retried_after_what_the_server_asks(httpserver, library):
    scholar, fake = scholar_for(httpserver, library, FakeScholar(busy=2))
    assert scholar.details(PAPER).paper.citations == 10059
    assert [method for method, _, _ in fake.requests].count("GET") == 8  # two 429s, then the six


def test_a_server_that_stays_busy_is_a_clear_failure(httpserver, library):
    scholar, _ = scholar_for(httpserver, library, FakeScholar(busy=99))
    with pytest.raises(
        FetchError, match="Semantic Scholar is busy \\(HTTP 429: too many requests\\); try again"
    ):
        scholar.details(PAPER)


def test_an_unknown_paper_and_a_refused_request_are_said_plainly(httpserver, library):
    scholar, _ = scholar_for(httpserver, library, FakeScholar(missing={PAPER}))
    with pytest.raises(FetchError, match="does not know this paper"):
        scholar.details(PAPER)
    with pytest.raises(
        FetchError, match=r"refused the request \(HTTP 400: Unrecognized or unsupported fields"
    ):
        scholar._get_json(httpserver.url_for(f"/graph/v1/paper/ARXIV:{PAPER}"), {"fields": "unknown"})


def test_an_api_key_from_the_environment_is_sent(httpserver, library, monkeypatch):
    monkeypatch.setenv("SEMANTIC_SCHOLAR_API_KEY", "abc-123")
    scholar, fake = scholar_for(httpserver, library)
    scholar.counts(["2411.17712"])
    assert fake.requests[0][2]["x-api-key"] == "abc-123"


def test_records_with_nulls_or_junk_are_read_safely():
    assert ScholarPaper.from_json(None) is None and ScholarPaper.from_json([1]) is None
    paper = ScholarPaper.from_json({"paperId": "x", "authors": None, "citations": None, "title": None})
    assert paper is not None and paper.title == "(untitled)" and paper.authors == ()
    hostile = ScholarPaper.from_json({
        "title": "[bold]x[/]\x1b[31m\u202e", "citationCount": -5, "year": 99999,
        "externalIds": {"ArXiv": "not an id"}, "url": "javascript:alert(1)", "tldr": {"text": 7},
    })  # fmt: skip
    assert hostile.title == "[bold]x[/][31m" and hostile.citations is None and hostile.year is None
    assert hostile.arxiv_id == "" and hostile.url == "" and hostile.tldr == "" and hostile.as_paper() is None
    assert json.loads(json.dumps(hostile.__dict__))


def test_a_paper_off_arxiv_links_to_its_doi_else_its_semantic_scholar_page_never_elsewhere():
    journal = ScholarPaper.from_json({"title": "T", "externalIds": {"DOI": "10.2307/3610576"}})
    assert journal.link == "https://doi.org/10.2307/3610576"
    page = "https://www.semanticscholar.org/paper/abc"
    odd = ScholarPaper.from_json({"title": "T", "externalIds": {"DOI": "javascript:x"}, "url": page})
    assert odd.link == page  # a DOI that is not one is not made a link
    spaced = ScholarPaper.from_json({"title": "T", "externalIds": {"DOI": "10.1/a b"}})
    assert spaced.link == ""


# --- a credential goes only to the host it was configured for ------------------------------------


@pytest.fixture
def elsewhere():
    """A second server, on another port: another origin, as another host would be."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def test_an_api_key_is_not_sent_along_a_redirect_to_another_host(httpserver, elsewhere, library):
    elsewhere.expect_request("/steal").respond_with_json({"paperId": "x", "title": "planted answer"})
    httpserver.expect_request(f"/graph/v1/paper/ARXIV:{PAPER}").respond_with_data(
        "", status=302, headers={"Location": elsewhere.url_for("/steal")}
    )
    base = httpserver.url_for("/").rstrip("/")
    scholar = Scholar(base, library.db, HttpClient(5.0).request, "secret-key", sleep=lambda s: None)
    with pytest.raises(FetchError, match=r"redirected to another host.*API key is not sent"):
        scholar.details(PAPER)
    assert [request.headers.get("x-api-key") for request, _ in httpserver.log] == ["secret-key"]
    assert elsewhere.log == []  # the other host was never asked, with or without the key


def test_an_api_key_follows_a_redirect_within_its_own_host(httpserver, library):
    fake = serve_scholar(httpserver, FakeScholar(every_id=True))
    httpserver.expect_request("/moved/graph/v1/paper/batch").respond_with_data(
        "", status=307, headers={"Location": httpserver.url_for("/graph/v1/paper/batch")}
    )
    base = httpserver.url_for("/moved").rstrip("/")
    scholar = Scholar(base, library.db, HttpClient(5.0).request, "secret-key", sleep=lambda s: None)
    counts, _ = scholar.counts([PAPER])
    assert PAPER in counts
    keys = [request.headers.get("x-api-key") for request, _ in httpserver.log]
    assert keys == ["secret-key", "secret-key"] and len(fake.requests) == 1
