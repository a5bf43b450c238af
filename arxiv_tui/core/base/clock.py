"""The times the app records: one place that reads the clock, in UTC, as ISO text."""

from __future__ import annotations

import datetime as dt


def now() -> str:
    """A mark's time; microseconds keep "newest first" exact for marks made in the same second."""
    return dt.datetime.now(dt.UTC).isoformat()


def now_in_seconds() -> str:
    """When something was fetched, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
