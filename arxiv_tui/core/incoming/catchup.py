"""Back-filling missed announcement days through the arXiv API.

The RSS feed only ever holds the newest announcement. For each listing date the user missed,
the API is asked for the papers of the chosen categories submitted in that listing's window
(see `schedule`), and the result is kept in the library under that date, one day at a time,
so an interruption loses nothing already fetched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from arxiv_tui.core.base.clock import now_in_seconds
from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.schedule import listing_days_between, submission_window
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.models import CROSS, NEW, Listing, Paper, dedupe

if TYPE_CHECKING:
    from arxiv_tui.core.sources.arxiv import ApiClient

PAGE_SIZE = 500
MAX_RESULTS_PER_DAY = 10_000  # a day of all of cs is about 2,000; beyond this something is wrong

# Archives whose papers live in sub-categories (cs.CL, math.AG...): `cat:cs` alone finds nothing.
GROUPED_ARCHIVES = {
    "astro-ph", "cond-mat", "cs", "econ", "eess", "math", "nlin", "physics", "q-bio", "q-fin", "stat",
}  # fmt: skip


def missed_days(
    last_seen: dt.date | None, newest: dt.date, archived: Iterable[dt.date], limit: int
) -> list[dt.date]:
    """Listing dates after `last_seen` and before `newest` not in `archived` (the newest `limit`)."""
    if last_seen is None or limit <= 0:
        return []
    have = set(archived)
    days = [day for day in listing_days_between(last_seen, newest) if day not in have]
    return days[-limit:]


def days_to_fetch(library: Library, last_seen: dt.date | None, newest: dt.date, limit: int) -> list[dt.date]:
    """Missed days the library holds no complete listing of (a day cut short is fetched again)."""
    candidates = missed_days(last_seen, newest, (), limit)
    complete = library.complete_dates(candidates)
    return [day for day in candidates if day not in complete]


def category_query(categories: Sequence[str]) -> str:
    terms = []
    for category in categories:
        if "." not in category and category in GROUPED_ARCHIVES:
            terms += [f"cat:{category}", f"cat:{category}.*"]
        else:
            terms.append(f"cat:{category}")
    return "(" + " OR ".join(terms) + ")"


def day_query(categories: Sequence[str], day: dt.date) -> tuple[str, tuple[dt.datetime, dt.datetime]]:
    start, end = submission_window(day)
    stamp = "%Y%m%d%H%M"
    query = f"{category_query(categories)} AND submittedDate:[{start:{stamp}} TO {end:{stamp}}]"
    return query, (start, end)


def _in_categories(category: str, categories: Sequence[str]) -> bool:
    return category in categories or category.split(".")[0] in categories


def as_announced(paper: Paper, day: dt.date, categories: Sequence[str]) -> Paper:
    """An API result as the listing of `day` would have shown it: dated, and new or cross-list."""
    kind = NEW if _in_categories(paper.primary_category, categories) else CROSS
    return replace(paper, listing_date=day, announce_type=kind)


@dataclass
class CatchUpResult:
    saved: list[dt.date] = field(default_factory=list)  # days now in the library
    empty: list[dt.date] = field(default_factory=list)  # windows with no papers (holidays)
    messages: list[str] = field(default_factory=list)
    stopped: bool = False  # interrupted (quit); what was fetched is kept


def fetch_day(
    client: ApiClient, categories: Sequence[str], day: dt.date, should_stop: Callable[[], bool]
) -> tuple[list[Paper], bool, list[str]]:
    """All papers of one listing day: (papers, complete, messages)."""
    query, window = day_query(categories, day)
    papers: list[Paper] = []
    messages: list[str] = []
    start = 0
    while True:
        if should_stop():
            return papers, False, messages
        page = client.query(
            query,
            start=start,
            max_results=PAGE_SIZE,
            sort_by="submittedDate",
            sort_order="ascending",
            window=window,
        )
        messages += page.problems
        papers += page.papers
        returned = len(page.papers) + page.dropped
        if page.dropped and not page.papers:
            messages.append(
                f"{day}: arXiv returned papers from outside the asked dates; the rest of this day was skipped"
            )
            return papers, False, messages
        start += returned
        total = page.total_results if page.total_results is not None else start
        if returned < PAGE_SIZE or start >= total:
            return papers, True, messages
        if start >= MAX_RESULTS_PER_DAY:
            messages.append(f"{day}: over {MAX_RESULTS_PER_DAY:,} results; kept the first ones")
            return papers, False, messages


def catch_up(
    client: ApiClient,
    library: Library,
    categories: Sequence[str],
    days: Sequence[dt.date],
    *,
    progress: Callable[[int, int, dt.date], object] = lambda index, total, day: None,
    should_stop: Callable[[], bool] = lambda: False,
    now: Callable[[], str] = now_in_seconds,
) -> CatchUpResult:
    """Fetch each day in `days` (oldest first) and keep it as soon as it is complete.

    A failure on one day is reported and stops the catch-up (the network is most likely gone);
    days already saved stay saved. A day cut short by `should_stop` is saved as incomplete.
    """
    result = CatchUpResult()
    for index, day in enumerate(days, 1):
        if should_stop():
            result.stopped = True
            break
        progress(index, len(days), day)
        try:
            papers, complete, messages = fetch_day(client, categories, day, should_stop)
        except ArxivTuiError as error:
            result.messages.append(f"catching up {day:%a %d %b}: {error}")
            break
        result.messages += messages
        announced = tuple(dedupe([as_announced(paper, day, categories) for paper in papers]))
        if not announced:
            if complete:
                result.empty.append(day)
            continue
        listing = Listing(day, announced, source="arxiv-api catch-up", fetched_at=now(), complete=complete)
        try:
            if library.store_listing(listing, categories):
                result.saved.append(day)
        except ArxivTuiError as error:
            result.messages.append(str(error))
            break
        if should_stop():
            result.stopped = True
            break
    result.messages += client.notices
    return result
