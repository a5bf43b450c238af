"""state.toml: read marks, starred papers (with all their metadata), the last listing seen.

Every change is saved at once, under a file lock, merged with what another instance may have
saved since: changes are kept as operations and replayed onto the file's current content.
"""

from __future__ import annotations

import datetime as dt
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from filelock import FileLock, Timeout

from arxiv_tui.core.errors import StateError
from arxiv_tui.core.models import Paper
from arxiv_tui.core.storage import atomic_write, remove_stale_temp_files

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Star:
    paper: Paper
    starred_at: str  # ISO time, UTC
    note: str = ""


@dataclass
class _Content:
    read: set[str]
    starred: dict[str, Star]
    last_seen: dt.date | None

    @classmethod
    def empty(cls) -> _Content:
        return cls(set(), {}, None)


def _now() -> str:
    """Star time; microseconds keep "newest first" exact for stars made in the same second."""
    return dt.datetime.now(dt.UTC).isoformat()


def _decode(data: dict[str, Any]) -> _Content:
    read = data.get("read", [])
    starred = data.get("starred", {})
    if not isinstance(read, list) or not isinstance(starred, dict):
        raise ValueError("'read' must be a list and 'starred' a table")
    stars: dict[str, Star] = {}
    for paper_id, entry in starred.items():
        if not isinstance(entry, dict):
            raise ValueError(f"starred.{paper_id} must be a table")
        paper = Paper.from_dict({"id": paper_id, **entry.get("paper", {})})
        stars[paper_id] = Star(paper, str(entry.get("starred_at", "")), str(entry.get("note", "")))
    last = data.get("last_seen_listing")
    return _Content(
        read={str(item) for item in read},
        starred=stars,
        last_seen=dt.date.fromisoformat(last) if isinstance(last, str) and last else None,
    )


def _encode(content: _Content) -> str:
    starred = {}
    for paper_id, star in content.starred.items():
        paper = star.paper.to_dict()
        del paper["id"]
        entry: dict[str, Any] = {"starred_at": star.starred_at, "paper": paper}
        if star.note:
            entry["note"] = star.note
        starred[paper_id] = entry
    data: dict[str, Any] = {"version": STATE_VERSION}
    if content.last_seen:
        data["last_seen_listing"] = content.last_seen.isoformat()
    data["read"] = sorted(content.read)
    data["starred"] = starred
    return "# arxiv-tui state: written by the app; edit only while it is not running.\n" + (
        tomli_w.dumps(data)
    )


class State:
    """The user's marks. Mutations save immediately; `warnings` says what load had to repair."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)
        self._content = _Content.empty()
        self._pending: list[tuple[str, str, Any]] = []
        self.reload()
        remove_stale_temp_files(self.path)

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the file again (another instance may have saved); keeps unsaved operations."""
        with self._locked():
            self._content = self._read_disk()
        self._apply(self._content, self._pending)

    def is_read(self, paper_id: str) -> bool:
        return paper_id in self._content.read

    def is_starred(self, paper_id: str) -> bool:
        return paper_id in self._content.starred

    @property
    def read_ids(self) -> frozenset[str]:
        return frozenset(self._content.read)

    @property
    def stars(self) -> list[Star]:
        """Starred papers, newest star first."""
        return sorted(self._content.starred.values(), key=lambda s: s.starred_at, reverse=True)

    def star(self, paper_id: str) -> Star | None:
        return self._content.starred.get(paper_id)

    @property
    def last_seen(self) -> dt.date | None:
        return self._content.last_seen

    # --- changing (each call saves) --------------------------------------------------------

    def set_read(self, paper_id: str, read: bool = True) -> None:
        if self.is_read(paper_id) != read:
            self._change("read", paper_id, read)

    def set_read_many(self, paper_ids: list[str], read: bool = True) -> None:
        """Mark many papers at once (one save), e.g. "mark all read"."""
        changed = [pid for pid in paper_ids if self.is_read(pid) != read]
        if changed:
            self._change("read_many", "", (tuple(changed), read))

    def set_starred(self, paper: Paper, starred: bool = True) -> None:
        if self.is_starred(paper.id) != starred:
            self._change("star", paper.id, Star(paper, _now()) if starred else None)

    def set_note(self, paper_id: str, note: str) -> None:
        if paper_id in self._content.starred:
            self._change("note", paper_id, note)

    def set_last_seen(self, listing_date: dt.date) -> None:
        if self._content.last_seen is None or listing_date > self._content.last_seen:
            self._change("last_seen", "", listing_date)

    def _change(self, kind: str, paper_id: str, value: Any) -> None:
        operation = (kind, paper_id, value)
        self._apply(self._content, [operation])
        self._pending.append(operation)
        self.save()

    def save(self) -> None:
        """Merge pending operations into the file as it is now, atomically, under the lock.

        Raises StateError if the file cannot be written; the operations stay pending and the
        next save tries again.
        """
        if not self._pending:
            return
        with self._locked():
            merged = self._read_disk()
            self._apply(merged, self._pending)
            atomic_write(self.path, _encode(merged))
        self._content = merged
        self._pending.clear()

    # --- internals -------------------------------------------------------------------------

    @staticmethod
    def _apply(content: _Content, operations: list[tuple[str, str, Any]]) -> None:
        for kind, paper_id, value in operations:
            if kind == "read":
                (content.read.add if value else content.read.discard)(paper_id)
            elif kind == "read_many":
                ids, read = value
                if read:
                    content.read.update(ids)
                else:
                    content.read.difference_update(ids)
            elif kind == "star":
                if value is None:
                    content.starred.pop(paper_id, None)
                else:
                    content.starred.setdefault(paper_id, value)
            elif kind == "note" and paper_id in content.starred:
                star = content.starred[paper_id]
                content.starred[paper_id] = Star(star.paper, star.starred_at, value)
            elif kind == "last_seen" and (content.last_seen is None or value > content.last_seen):
                content.last_seen = value

    def _read_disk(self) -> _Content:
        """The file's content; a corrupt file is moved aside (never overwritten) and reported."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Content.empty()
        except OSError as error:
            raise StateError(f"{self.path}: cannot be read ({error.strerror})") from error
        try:
            return _decode(tomllib.loads(raw.decode("utf-8")))
        except (
            UnicodeDecodeError,
            tomllib.TOMLDecodeError,
            ValueError,
            KeyError,
            TypeError,
        ) as error:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                self.path.rename(aside)
            except OSError as rename_error:
                raise StateError(
                    f"{self.path} is damaged ({error}) and could not be moved aside: {rename_error}"
                ) from error
            self.warnings.append(
                f"{self.path} was damaged ({error}); it was moved to {aside.name} "
                "and a fresh state was started"
            )
            return _Content.empty()

    def _locked(self) -> _TimedLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(f"{self.path.parent}: cannot be created ({error.strerror})") from error
        return _TimedLock(self._lock, self.path)


class _TimedLock:
    """The state file lock, with a clear error instead of an endless wait."""

    def __init__(self, lock: FileLock, path: Path) -> None:
        self.lock = lock
        self.path = path

    def __enter__(self) -> None:
        try:
            self.lock.acquire()
        except Timeout as error:
            raise StateError(f"{self.path} is locked by another arxiv-tui for over 10 s") from error
        except OSError as error:
            raise StateError(f"{self.path}: cannot take the lock ({error.strerror})") from error

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
