"""The times the app records: one place that reads the clock, in UTC, as ISO text."""

from __future__ import annotations

import datetime as dt


def now() -> str:
    """A mark's time; microseconds keep "newest first" exact for marks made in the same second."""
    return dt.datetime.now(dt.UTC).isoformat()


def moment(text: str) -> dt.datetime | None:
    """A time written as ISO text, by us or an API ("Z" allowed; without a zone: UTC); None when
    it cannot be read."""
    try:
        found = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def now_in_seconds() -> str:
    """When something was fetched, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
