"""What the Reader's slow work reports: plain events a front end passes back to `Reader.apply`.

A refresh runs in a worker thread and only computes; each event it reports is applied on the
front end's own thread, so the Reader's state is only ever changed there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from arxiv_tui.core.matching.views import Filtered
from arxiv_tui.core.models import Listing, Paper, PaperMarks

if TYPE_CHECKING:  # types only: a start needs neither the network nor the catch-up code
    from arxiv_tui.core.incoming.catchup import CatchUpResult
    from arxiv_tui.core.incoming.listings import LoadResult
    from arxiv_tui.core.library.inbox import Entry

INFO, WARNING, ERROR = "information", "warning", "error"
NO_MARKS: Mapping[str, PaperMarks] = MappingProxyType({})

# The events are NamedTuples (immutable, and 0.05 ms each to define where a frozen dataclass
# takes 0.4 ms: every start imports this module); `Loaded` is built up, so it is a dataclass.


class Notice(NamedTuple):
    """Something to tell the user, in plain text (a front end never reads it as markup)."""

    text: str
    severity: str = INFO


@dataclass
class Loaded:
    """A listing ready to show: matched, with the marks of its papers."""

    listing: Listing
    filtered: Filtered
    marks: dict[str, PaperMarks] = field(default_factory=dict)


class Opened(NamedTuple):
    """The library's newest listing (or none yet), read at start before any network."""

    loaded: Loaded | None
    star_count: int
    notices: tuple[Notice, ...] = ()
    tags: tuple[tuple[str, int, int], ...] = ()  # every tag: papers carrying it, unread ones
    saved: tuple[tuple[str, str], ...] = ()  # every saved search: name, query
    saved_alerts: tuple[str, ...] = ()  # the names of those marked as alerts
    preview: bool = False  # `loaded` is the first papers of the --feed file still being read
    inbox: tuple[tuple[Paper, Entry], ...] = ()  # the papers waiting for a decision
    inbox_marks: Mapping[str, PaperMarks] = NO_MARKS
    last_view: str = ""  # where the last session stopped: its view and paper
    last_paper: str = ""
    listing_later: bool = False  # the Inbox is shown first; the newest listing is read after (read_newest)
    inbox_counts: tuple[int, int] | None = None  # `inbox` is its top only: how many in all, and today


class Fetched(NamedTuple):
    result: LoadResult
    loaded: Loaded | None


class Previewed(NamedTuple):
    """The first papers of today's listing, shown while the rest is parsed (never stored)."""

    loaded: Loaded


class CatchingUp(NamedTuple):
    day: int
    days: int
    date: dt.date


class CaughtUp(NamedTuple):
    result: CatchUpResult


class SinceVisit(NamedTuple):
    """Everything since the user's last visit, read as one listing (after a catch-up)."""

    loaded: Loaded


class Stored(NamedTuple):
    """A fetched listing was stored in the library, with what went wrong doing so."""

    notices: tuple[Notice, ...]


class CheckingAlerts:
    """The alerts (followed authors anywhere, stars' versions, citations) are being asked."""


class AlertsChecked(NamedTuple):
    entered: int
    notices: tuple[Notice, ...]


class InboxGrew(NamedTuple):
    """Papers entered the Inbox: it, read again, with its papers' marks."""

    found: list[tuple[Paper, Entry]]
    marks: dict[str, PaperMarks]
    entered: int


class RefreshDone:
    """The refresh has ended (it failed or was cancelled, or all of it is done)."""


Event = (
    Opened | Previewed | Fetched | Stored | CatchingUp | CaughtUp | SinceVisit
    | CheckingAlerts | AlertsChecked | InboxGrew | RefreshDone
)  # fmt: skip
