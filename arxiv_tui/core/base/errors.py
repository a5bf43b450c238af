"""The project's own error types: every failure the core reports is one of these. And the log
of the failures that are bugs (`log_bug`)."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path


class ArxivTuiError(Exception):
    """Base class for errors the app explains to the user."""


class FetchError(ArxivTuiError):
    """A request failed: timeout, connection, HTTP status, or a body that is no usable feed.

    Whatever httpx, the network or the parser raised, a request fails with this (or a subclass),
    so a caller handles one type and the reader never ends on a bad answer.
    """


class FeedError(FetchError):
    """A response or file that is not a usable arXiv feed (error feed, malformed XML...)."""


class ArxivErrorFeed(FeedError):
    """arXiv answered with its own error feed (bad category, bad query); the message is arXiv's."""


class ConfigError(ArxivTuiError):
    """config.toml is unreadable or invalid; the message names the file and the key."""


class StateError(ArxivTuiError):
    """state.json or the archive could not be read or written."""


def log_bug(log_file: Path, error: BaseException) -> str:
    """Append `error`'s traceback to the log file (`arxiv-tui locate` names it); where it went, in
    words for the user."""
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as out:
            out.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
            out.write("".join(traceback.format_exception(error)))
    except OSError:
        return "The details could not be written to the log."
    return f"The details are in {log_file}."
