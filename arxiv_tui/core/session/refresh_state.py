"""What the refresh is doing and what it found, as the status line reads it: one owner, changed
only on the front end's thread by the events a refresh reports (refresh.py runs in a worker)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from arxiv_tui.core.incoming import listings
from arxiv_tui.core.models import Listing
from arxiv_tui.core.session.events import (
    ERROR,
    INFO,
    WARNING,
    AlertsChecked,
    CatchingUp,
    CaughtUp,
    CheckingAlerts,
    Event,
    Fetched,
    Loaded,
    Notice,
    Previewed,
    RefreshDone,
    SinceVisit,
    Stored,
)


@dataclass
class RefreshState:
    """What the refresh is doing and what it found, changed only on the front end's thread."""

    status: str | None = None  # listings.FRESH, NO_ANNOUNCEMENT, FAILED (None: not yet known)
    checked_on: dt.date | None = None  # the date of an empty (no-announcement) feed
    fetching: bool = False
    previewing: bool = False  # the listing shown is the first papers of one still being parsed
    catching_up: tuple[int, int] | None = None  # day, of days
    checking_alerts: bool = False

    def start(self) -> bool:
        """Whether a refresh may start now (not while one runs); marks it as running."""
        if self.fetching:
            return False
        self.fetching = True
        return True

    def apply(self, event: Event, shown: Listing | None) -> tuple[list[Notice], Loaded | None, bool]:
        """Take a refresh's event: what to tell the user, what to show instead of `shown`
        (None: leave it), and whether that is a preview."""
        notices: list[Notice] = []
        if isinstance(event, Previewed):
            if shown is None or event.loaded.listing.date > shown.date:
                return notices, event.loaded, True
        elif isinstance(event, Fetched):
            result = event.result
            self.status, self.checked_on = result.status, result.checked_on
            severity = ERROR if result.status == listings.FAILED else INFO
            notices += [Notice(text, severity) for text in result.messages]
            new = event.loaded
            # A newer listing, or a new announcement of the same day, replaces what is shown; the
            # same announcement fetched again (R before the next one) leaves the screen as it
            # is. A preview is always replaced.
            if new is not None and (self.previewing or shown is None or _replaces(new.listing, shown)):
                return notices, new, False
            if new is not None and result.status == listings.FRESH and not notices:
                notices.append(
                    Notice(f"Up to date: the listing of {new.listing.date:%a %d %b} is still the newest")
                )
        elif isinstance(event, CatchingUp):
            self.catching_up = (event.day, event.days)
        elif isinstance(event, CaughtUp):
            self.catching_up = None
            notices += [Notice(text, WARNING) for text in event.result.messages]
            if event.result.saved:
                days = ", ".join(f"{day:%a %d %b}" for day in event.result.saved)
                notices.append(Notice(f"Caught up on {len(event.result.saved)} missed listing(s): {days}"))
        elif isinstance(event, CheckingAlerts):
            self.checking_alerts = True
        elif isinstance(event, AlertsChecked):
            self.checking_alerts = False
            notices += event.notices
        elif isinstance(event, SinceVisit):
            if shown is None or event.loaded.listing.date >= shown.date:
                return notices, event.loaded, False
        elif isinstance(event, Stored):
            notices += event.notices
        elif isinstance(event, RefreshDone):
            self.fetching = False
            self.previewing = False  # a preview still shown is all that could be read: said as incomplete
            self.catching_up = None
            self.checking_alerts = False
        return notices, None, False


def _replaces(new: Listing, shown: Listing) -> bool:
    return new.date >= shown.date and (shown.content_key != new.content_key or shown.days > 1)
