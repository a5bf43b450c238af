"""Alerts: papers that reach the Inbox from beyond the listings of the user's categories.

- Followed authors anywhere on arXiv: one API query a day for all of them (`au:` terms OR-ed,
  newest first), back to a few days before the last check (a paper is announced up to a few
  days after it was submitted; the Inbox lets each paper in once). An author followed for the
  first time brings their last week, not their whole career.
- New versions of starred papers outside the user's categories (the listings carry the others'
  replacements): a weekly `id_list` query; a withdrawal is flagged. The first check only notes
  the versions there are: a star that has been at v3 for years is not news.
- New papers citing a star or one of the user's own papers: Semantic Scholar's citation counts,
  weekly, in batches of 500; only a paper whose count rose has its citing papers asked for, and
  of those only arXiv papers that are recent and not seen before enter. The first check only
  notes the counts.

Each kind keeps what it saw in the library (the alerts table, AlertState in inbox.py); a failed
check changes nothing and is tried again at the first refresh an hour later. Requests keep each
service's spacing (the clients do).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from arxiv_tui.core.base.clock import moment
from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.config import Config
from arxiv_tui.core.library.inbox import Checked, Entry, add_in, put_in
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.matching import reasons
from arxiv_tui.core.matching.match import Matcher, name_tokens
from arxiv_tui.core.models import Paper

if TYPE_CHECKING:
    from arxiv_tui.core.sources.arxiv import ApiClient
    from arxiv_tui.core.sources.scholar import Scholar, ScholarPaper

AUTHORS, VERSIONS, CITATIONS, CITED = "authors", "versions", "citations", "cited"  # alert_state kinds
FAILED = "failed"  # alert_state kind: when each kind last failed (key: the kind)
RETRY_AFTER = dt.timedelta(hours=1)  # a kind that failed is not asked again sooner
DAILY, WEEKLY = dt.timedelta(hours=20), dt.timedelta(days=7)  # a day: even if yesterday's ran late
FIRST_LOOK_BACK = dt.timedelta(days=7)  # a newly followed author's papers: their last week
ANNOUNCE_DELAY = dt.timedelta(days=5)  # submitted, then announced up to a long weekend later
AUTHORS_A_QUERY = 40  # more are asked in further queries, 3 s apart
AUTHOR_PAGE, AUTHOR_PAGES = 100, 3
IDS_A_REQUEST, VERSION_REQUESTS = 100, 20  # 2,000 stars outside the categories a week
CITATION_LISTS = 25  # papers whose citing papers are asked in one check; the rest at the next
CITING_KEPT = 1000  # citing papers remembered per watched paper
RECENT_CITING = dt.timedelta(days=60)  # a citing paper older than this is not news


@dataclass
class AlertRun:
    entered: list[Entry] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # the kinds that were due and asked


@dataclass
class _Found:
    """What one kind found: papers to keep, entries to let in, state to record."""

    papers: list[Paper] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    state: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)  # kind -> (key, seen)


def due(checked: Checked | None, every: dt.timedelta, at: dt.datetime) -> bool:
    return checked is None or at - checked.at >= every or checked.at > at  # a clock set back: ask


def author_query(authors: Sequence[str]) -> str:
    """`au:harwath OR au:"yi jen shih"`: the names as words (TeX, accents, quotes dropped)."""
    terms = []
    for name in authors:
        words = name_tokens(name)
        if words:
            terms.append(f"au:{words[0]}" if len(words) == 1 else 'au:"' + " ".join(words) + '"')
    return " OR ".join(terms)


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def followed_authors(
    client: ApiClient, matcher: Matcher, state: Mapping[str, Checked], day: dt.date, at: dt.datetime
) -> _Found:
    found = _Found()
    since = {  # a paper is announced days after it is submitted: a few days before the last check
        name: state[name].at - ANNOUNCE_DELAY if name in state else at - FIRST_LOOK_BACK
        for name, _ in matcher.authors
    }
    for chunk in _chunks(list(since), AUTHORS_A_QUERY):
        query = author_query(chunk)
        if not query:
            continue
        window = (min(since[name] for name in chunk), at + dt.timedelta(days=1))
        for page in range(AUTHOR_PAGES):
            first = page * AUTHOR_PAGE
            answer = client.query(query, start=first, max_results=AUTHOR_PAGE, window=window)
            for paper in answer.papers:
                submitted = moment(paper.published)
                names = [
                    name
                    for name in matcher.followed(paper)
                    if name in chunk and submitted is not None and submitted >= since[name]
                ]
                if names:  # arXiv's search is looser than the reader's names: theirs is checked here
                    why = tuple(reasons.reason(reasons.ALERT_AUTHOR, name) for name in names)
                    found.papers.append(paper)
                    found.entries.append(Entry(paper.id, day, why, paper.version))
            if answer.dropped or len(answer.papers) < AUTHOR_PAGE:
                break  # older than asked for, or the last page
    found.state[AUTHORS] = [(name, "") for name in since]
    return found


Known = tuple[int, tuple[str, ...]] | None  # a star's version and categories in the library, if there


def _in_categories(known: Known, categories: Sequence[str]) -> bool:
    if known is None:
        return False
    wanted = set(categories)
    return any(c in wanted or c.split(".")[0] in wanted for c in known[1])


def withdrawn(paper: Paper) -> bool:
    found = reasons.WITHDRAWN_WORD.search
    return bool(found(paper.comments[:500]) or found(paper.abstract[:300]))


def this_weeks(stars: Sequence[str], day: dt.date) -> list[str]:
    """The stars a week's check asks about: all of them when they fit in its requests, else
    the week's turn of a rotation, so that each is asked about in turn (2,000 a week)."""
    most = IDS_A_REQUEST * VERSION_REQUESTS
    if len(stars) <= most:
        return list(stars)
    start = day.toordinal() // 7 * most % len(stars)
    turn = [*stars[start:], *stars[:start]]
    return turn[:most]


def new_versions(
    client: ApiClient,
    stars: Mapping[str, Known],
    categories: Sequence[str],
    checked: Checked | None,
    day: dt.date,
) -> _Found:
    """`stars`: each starred id with its version and categories as the library has its paper."""
    found = _Found()
    seen: dict[str, int] = {}
    if checked is not None and isinstance(checked.seen, dict):
        seen = {key: value for key, value in checked.seen.items() if isinstance(value, int)}
    outside = this_weeks(
        [paper_id for paper_id, paper in sorted(stars.items()) if not _in_categories(paper, categories)], day
    )
    for chunk in _chunks(outside, IDS_A_REQUEST):
        for paper in client.query(id_list=chunk, max_results=len(chunk), sort_by="relevance").papers:
            if paper.id not in stars:
                continue
            known = stars[paper.id]
            before = max(seen.get(paper.id, 0), known[0] if known is not None else 0)
            if checked is not None and paper.version > before:
                why = [reasons.reason(reasons.VERSION, paper.version)]
                if withdrawn(paper):
                    why.append(reasons.reason(reasons.WITHDRAWN))
                found.papers.append(paper)
                found.entries.append(Entry(paper.id, day, tuple(why), paper.version, again=True))
            seen[paper.id] = max(paper.version, before)
    found.state[VERSIONS] = [("", {key: seen[key] for key in stars if key in seen})]
    return found


def _recent(paper: ScholarPaper, since: dt.datetime) -> bool:
    """Published within RECENT_CITING of `since` (by its day, else its arXiv id's month)."""
    oldest = (since - RECENT_CITING).date()
    if paper.published:
        return dt.date.fromisoformat(paper.published) >= oldest
    month = re.match(r"(\d\d)(\d\d)\.", paper.arxiv_id)
    return month is not None and (2000 + int(month[1]), int(month[2])) >= (oldest.year, oldest.month)


def new_citations(
    scholar: Scholar, watched: Mapping[str, str], state: Mapping[str, Checked], day: dt.date
) -> _Found:
    """`watched`: paper id -> the reason kind (cites: a star, cites-mine: the user's own). Once
    every paper whose count rose was looked at, the check is done for the week."""
    found = _Found()
    rows: list[tuple[str, Any]] = []
    counts, _ = scholar.counts(list(watched), refresh=True)
    rose = []
    for paper_id, (count, _influential) in counts.items():
        before = state.get(paper_id)
        seen = before.seen if before is not None and isinstance(before.seen, dict) else None
        if seen is None:
            rows.append((paper_id, {"count": count, "citing": []}))  # the first look: the count only
        elif not isinstance(seen.get("count"), int) or count > seen["count"]:
            rose.append(paper_id)
    for paper_id in rose[:CITATION_LISTS]:
        before = state[paper_id]
        listed = before.seen.get("citing")
        seen_ids = [i for i in listed if isinstance(i, str)] if isinstance(listed, list) else []
        known = set(seen_ids)
        for citing in scholar.citing(paper_id):
            paper = citing.as_paper()
            if paper is None or paper.id in known or paper.id == paper_id:
                continue
            seen_ids.append(paper.id)
            known.add(paper.id)
            if _recent(citing, before.at):
                why = (reasons.reason(watched[paper_id], paper_id),)
                found.papers.append(paper)
                found.entries.append(Entry(paper.id, day, why, paper.version))
        rows.append((paper_id, {"count": counts[paper_id][0], "citing": seen_ids[-CITING_KEPT:]}))
    found.state[CITED] = rows
    whole = len(rose) <= CITATION_LISTS
    if whole:  # else the check is not done: the next refresh asks for the rest
        found.state[CITATIONS] = [("", None)]
    return found


def check(
    library: Library,
    config: Config,
    matcher: Matcher,
    api: Callable[[], ApiClient],
    scholar: Callable[[], Scholar],
    *,
    at: dt.datetime | None = None,
    day: dt.date | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> AlertRun:
    """Ask for each alert kind that is on and due, and let what it found into the Inbox."""
    at = at or dt.datetime.now(dt.UTC)
    day = day or at.astimezone().date()
    run = AlertRun()
    made: list[ApiClient] = []

    def client() -> ApiClient:  # one arXiv client for all kinds: its 3 s spacing holds across them
        if not made:
            made.append(api())
        return made[0]

    try:
        for kind, job in _due_jobs(library, config, matcher, client, scholar, at, day):
            if should_stop():
                break
            try:
                found = job()
            except ArxivTuiError as error:
                run.messages.append(f"Alerts: {_NAMES[kind]} not checked ({error}); asked again in an hour")
                _keep(library, _Found(state={FAILED: [(kind, str(error)[:200])]}), at)
                continue
            run.entered += _keep(library, found, at)
            run.checked.append(kind)
    finally:
        for made_client in made:
            made_client.close()
    return run


def any_due(library: Library, config: Config, matcher: Matcher, at: dt.datetime | None = None) -> bool:
    """Whether a refresh has any alert to ask for (cheap: a few reads of the library)."""
    never: Callable[[], Any] = lambda: None  # noqa: E731
    at = at or dt.datetime.now(dt.UTC)
    return bool(_due_jobs(library, config, matcher, never, never, at, at.date()))


def _due_jobs(
    library: Library,
    config: Config,
    matcher: Matcher,
    client: Callable[[], ApiClient],
    scholar: Callable[[], Scholar],
    at: dt.datetime,
    day: dt.date,
) -> list[tuple[str, Callable[[], _Found]]]:
    """The kinds that are on and due, each as a job to run."""
    state = library.alert_state
    starred = library.marks.star_count() > 0  # the stars themselves are read when a job runs
    jobs: list[tuple[str, Callable[[], _Found]]] = []
    failed = state.of(FAILED)
    resting = {kind for kind, when in failed.items() if not due(when, RETRY_AFTER, at)}
    authors = state.of(AUTHORS)
    if config.alert_authors and any(due(authors.get(name), DAILY, at) for name, _ in matcher.authors):
        jobs.append((AUTHORS, lambda: followed_authors(client(), matcher, authors, day, at)))
    versions = state.of(VERSIONS).get("")
    if config.alert_versions and starred and due(versions, WEEKLY, at):

        def versions_job() -> _Found:
            # Their versions and categories are all it needs: 50,000 stars read as whole papers,
            # abstracts and all, took the reader from 125 to 306 MB.
            return new_versions(client(), library.marks.star_versions(), config.categories, versions, day)

        jobs.append((VERSIONS, versions_job))
    watching = starred or bool(config.my_papers)
    if config.alert_citations and watching and due(state.of(CITATIONS).get(""), WEEKLY, at):
        cited = state.of(CITED)

        def citations_job() -> _Found:
            watched = {paper_id: reasons.CITES for paper_id, _ in library.marks.stars()}
            watched |= {paper_id: reasons.CITES_MINE for paper_id in config.my_papers}
            return new_citations(scholar(), watched, cited, day)

        jobs.append((CITATIONS, citations_job))
    return [(kind, job) for kind, job in jobs if kind not in resting]


_NAMES = {AUTHORS: "followed authors", VERSIONS: "new versions of stars", CITATIONS: "citations"}


def _keep(library: Library, found: _Found, at: dt.datetime) -> list[Entry]:
    """Store what a kind found and let it in, with what it saw, in one transaction."""
    with library.db.transaction() as connection:
        if found.papers:
            library.store_papers_in(connection, list({p.id: p for p in found.papers}.values()))
        entered = add_in(connection, found.entries)
        for kind, rows in found.state.items():
            put_in(connection, kind, rows, at)
    return entered
