"""Listings kept by listing date (one JSON file a day) for instant and offline starts."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from pathlib import Path

from arxiv_tui.core.errors import StateError
from arxiv_tui.core.models import Listing, Paper
from arxiv_tui.core.storage import atomic_write

ARCHIVE_VERSION = 1
_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")


class Archive:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.warnings: list[str] = []
        self._known: dict[dt.date, str] = {}  # content keys of listings read or written here

    def _file(self, date: dt.date) -> Path:
        return self.folder / f"{date.isoformat()}.json"

    def dates(self) -> list[dt.date]:
        """Archived listing dates, oldest first."""
        try:
            names = [entry.name for entry in self.folder.iterdir()]
        except OSError:
            return []
        found = []
        for name in names:
            match = _FILE.match(name)
            if match:
                try:
                    found.append(dt.date.fromisoformat(match.group(1)))
                except ValueError:
                    continue
        return sorted(found)

    def load(self, date: dt.date) -> Listing | None:
        """The listing of `date`; None (and a warning) if it is missing or unreadable."""
        path = self._file(date)
        try:
            data = json.loads(path.read_bytes())
            listing = Listing(
                date=dt.date.fromisoformat(data["date"]),
                papers=tuple(Paper.from_dict(item) for item in data["papers"]),
                source=str(data.get("source", "")),
                fetched_at=str(data.get("fetched_at", "")),
                complete=bool(data.get("complete", True)),
            )
            self._known[listing.date] = listing.content_key
            return listing
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            self.warnings.append(f"{path}: unreadable archived listing skipped ({error})")
            return None

    # --- matches kept beside a listing, so a start-up need not match 1,500 papers again ---------

    def _matches_file(self, date: dt.date) -> Path:
        return self.folder / f".matches-{date.isoformat()}.json"

    def _listing_signature(self, date: dt.date) -> list[int] | None:
        try:
            info = self._file(date).stat()
        except OSError:
            return None
        return [info.st_size, info.st_mtime_ns]

    def load_matches(self, date: dt.date, key: str) -> dict[str, list[str]] | None:
        """The include terms each paper of `date` hit, if saved for this listing file and `key`
        (the keywords); None when there is nothing valid to reuse."""
        try:
            data = json.loads(self._matches_file(date).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        if data.get("listing") != self._listing_signature(date):
            return None
        terms = data.get("terms")
        if not isinstance(terms, dict):
            return None
        return terms

    def save_matches(self, date: dt.date, key: str, terms: dict[str, list[str]]) -> None:
        """Best effort: a cache that cannot be written is simply not used."""
        signature = self._listing_signature(date)
        if signature is None:
            return
        data = {"key": key, "listing": signature, "terms": terms}
        with contextlib.suppress(StateError):
            atomic_write(self._matches_file(date), json.dumps(data, ensure_ascii=False))

    def latest(self, before: dt.date | None = None) -> Listing | None:
        """The newest readable listing (strictly before `before` when given)."""
        for date in reversed(self.dates()):
            if before is None or date < before:
                listing = self.load(date)
                if listing is not None:
                    return listing
        return None

    def save(self, listing: Listing) -> bool:
        """Keep a listing. An empty one, or an incomplete one over a complete one, is not kept."""
        if listing.is_empty:
            return False
        key = listing.content_key
        if self._known.get(listing.date) == key and self._file(listing.date).exists():
            return True  # the same announcement fetched again: the file (and its matches) stay
        if not listing.complete:
            held = self.load(listing.date)
            if held is not None and held.complete:
                return False
        data = {
            "version": ARCHIVE_VERSION,
            "date": listing.date.isoformat(),
            "source": listing.source,
            "fetched_at": listing.fetched_at,
            "complete": listing.complete,
            "papers": [paper.to_dict() for paper in listing.papers],
        }
        atomic_write(self._file(listing.date), json.dumps(data, ensure_ascii=False, indent=0))
        self._known[listing.date] = key
        return True

    def prune(self, keep_days: int, today: dt.date) -> list[dt.date]:
        """Delete listings older than `keep_days` before `today`, never the newest one.

        Stars live in state, not here.
        """
        removed = []
        for date in self.dates()[:-1]:
            if (today - date).days > keep_days:
                try:
                    self._file(date).unlink()
                    self._matches_file(date).unlink(missing_ok=True)
                    removed.append(date)
                except OSError as error:
                    raise StateError(f"{self._file(date)}: cannot be removed ({error})") from error
        return removed
