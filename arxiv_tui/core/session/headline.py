"""What the status line says about the Reader: the listing's headline and what is going on.

The headline says "New listings" only for a listing that is new to the user: not for one they
saw on their last visit, nor for an older one, nor on a day without an announcement.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from arxiv_tui.core.session import listings

if TYPE_CHECKING:
    from arxiv_tui.core.session.reader import Reader


def title(reader: Reader) -> str:
    listing = reader.listing
    if listing is None:
        return "No listing yet"
    if listing.is_combined and listing.first_date is not None:
        return (
            f"New since your last visit: {listing.first_date:%a %d %b} – {listing.date:%a %d %b %Y}"
            f" ({listing.days} listings)"
        )
    newest = reader.library.newest_date()
    if newest is not None and listing.date < newest:
        return f"Listing of {listing.date:%a %d %b %Y}"
    if reader.status == listings.NO_ANNOUNCEMENT:
        return f"Latest listing: {listing.date:%a %d %b %Y}"
    if reader.previous_visit is not None and listing.date <= reader.previous_visit:
        return f"Listing of {listing.date:%a %d %b %Y} (seen)"
    return f"New listings for {listing.date:%a %d %b %Y}"


def notes(reader: Reader) -> list[tuple[str, str]]:
    """(what, kind) for the status line: kind is busy, warning or error."""
    found: list[tuple[str, str]] = []
    if reader.catching_up is not None:
        found.append(("⟳ catching up: day {} of {}".format(*reader.catching_up), "busy"))
    elif reader.previewing:
        found.append(("⟳ reading the listing…", "busy"))
    elif reader.fetching and not reader.offline:  # offline, a refresh only reads the library
        found.append(("⟳ fetching…", "busy"))
    if reader.offline:
        found.append(("offline", "warning"))
    if reader.status == listings.NO_ANNOUNCEMENT:
        from arxiv_tui.core.base.schedule import next_announcement

        when = f"{reader.checked_on:%a %d %b}" if reader.checked_on else "today"
        upcoming = next_announcement(dt.datetime.now(dt.UTC)).astimezone()
        found.append((f"no announcement {when} (weekend or holiday); next {upcoming:%a %H:%M %Z}", "warning"))
    if reader.status == listings.FAILED:
        found.append(("fetch failed: showing the library", "error"))
    listing = reader.listing
    if listing is not None and not listing.complete and not reader.previewing:
        found.append(("incomplete or damaged download: papers may be missing", "error"))
    newest = reader.library.newest_date()
    if listing is not None and newest is not None and listing.date < newest:
        found.append(("older listing (> for newer)", "warning"))
    return found
