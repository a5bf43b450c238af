"""What the status line says about the listing shown: its headline and what is going on.

The headline says "New listings" only for a listing that is new to the user: not for one they
saw on their last visit, nor for an older one, nor on a day without an announcement.
"""

from __future__ import annotations

import datetime as dt

from arxiv_tui.core.base.text import counted
from arxiv_tui.core.incoming import listings
from arxiv_tui.core.models import Listing
from arxiv_tui.core.session.refresh_state import RefreshState


def title(
    listing: Listing | None, state: RefreshState, newest: dt.date | None, previous_visit: dt.date | None
) -> str:
    """`newest`: the library's newest listing date; `previous_visit`: the newest listing the
    user had been shown before this session."""
    if listing is None:  # none yet; or the newest is being read, the Inbox shown first
        return f"Listing of {newest:%a %d %b %Y}" if newest else "No listing yet"
    if listing.is_combined and listing.first_date is not None:
        return (
            f"New since your last visit: {listing.first_date:%a %d %b} – {listing.date:%a %d %b %Y}"
            f" ({counted(listing.days, 'listing')})"
        )
    if newest is not None and listing.date < newest:
        return f"Listing of {listing.date:%a %d %b %Y}"
    if state.status == listings.NO_ANNOUNCEMENT:
        return f"Latest listing: {listing.date:%a %d %b %Y}"
    if previous_visit is not None and listing.date <= previous_visit:
        return f"Listing of {listing.date:%a %d %b %Y} (seen)"
    return f"New listings for {listing.date:%a %d %b %Y}"


def notes(
    listing: Listing | None, state: RefreshState, newest: dt.date | None, offline: bool
) -> list[tuple[str, str]]:
    """(what, kind) for the status line: kind is busy, warning or error."""
    found: list[tuple[str, str]] = []
    if state.catching_up is not None:
        found.append(("⟳ catching up: day {} of {}".format(*state.catching_up), "busy"))
    elif state.checking_alerts:
        found.append(("⟳ checking alerts…", "busy"))
    elif state.previewing:
        found.append(("⟳ reading the listing…", "busy"))
    elif state.fetching and not offline:  # offline, a refresh only reads the library
        found.append(("⟳ fetching…", "busy"))
    if offline:
        found.append(("offline", "warning"))
    if state.status == listings.NO_ANNOUNCEMENT:
        from arxiv_tui.core.base.schedule import next_announcement

        when = f"{state.checked_on:%a %d %b}" if state.checked_on else "today"
        upcoming = next_announcement(dt.datetime.now(dt.UTC)).astimezone()
        found.append((f"no announcement {when} (weekend or holiday); next {upcoming:%a %H:%M %Z}", "warning"))
    if state.status == listings.FAILED:
        found.append(("fetch failed: showing the library", "error"))
    if listing is not None and not listing.complete and not state.previewing:
        found.append(("incomplete or damaged download: papers may be missing", "error"))
    if listing is not None and newest is not None and listing.date < newest:
        found.append(("older listing (> for newer)", "warning"))
    return found
