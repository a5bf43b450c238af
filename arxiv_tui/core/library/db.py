"""The library's SQLite database: connections, transactions, errors, and damage found on the way.

One file (WAL), one connection per thread (sqlite3 connections are not shared across threads),
a 10 s busy timeout so two readers and a `digest` wait for each other instead of failing, and
synchronous=FULL: a committed star survives a power cut, not only a kill -9. The schema runs
nothing it did not make (trusted_schema=OFF; schema.py removes triggers and views at open).

Every statement runs through `read`, `reading` or `transaction`, which name the file and the
reason in a StateError. Damage found on any of them, at any time, leaves a marker beside the
file and calls `on_damage` (set once the library is open: opening.py), which recovers the file
in place while no other statement runs (`gate`). SQL is only ever written in the library's
modules, with parameters for every value; no text from a user or a feed is put into SQL.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from arxiv_tui.core.base.errors import StateError

SCHEMA_VERSION = 8  # the schema this version writes and the newest it reads (schema.py)
BUSY_SECONDS = 10.0


class LibraryDamaged(StateError):
    """The database file is damaged (SQLite says so); recovery moves it aside."""


class LibraryRecovered(StateError):
    """Damage was found and the library recovered in place: the message says what was done."""


def is_damage(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    )


def explain(path: Path, error: sqlite3.Error, doing: str = "save to") -> StateError:
    """A database error as the user should read it, naming the file."""
    text = str(error)
    lowered = text.lower()
    if is_damage(error):
        return LibraryDamaged(f"{path} is damaged ({text})")
    if "database or disk is full" in lowered or getattr(error, "sqlite_errorcode", 0) == 13:  # SQLITE_FULL
        reason = "No space left on device"
    elif "disk i/o error" in lowered:
        reason = "the disk refused the write (disk I/O error: is it full, or failing?)"
    elif "readonly" in lowered or "read-only" in lowered:
        reason = "the folder or file is read-only"
    elif "locked" in lowered or "busy" in lowered:
        reason = f"another arxiv-tui kept it locked for over {BUSY_SECONDS:g} s"
    elif "unable to open" in lowered:
        reason = "it cannot be opened (does its folder exist and can it be written?)"
    elif "no such table" in lowered:
        reason = f"{text} (start arxiv-tui again: it makes missing tables again)"
    else:
        reason = text
    return StateError(f"could not {doing} {path}: {reason}")


def marker_for(path: Path) -> Path:
    return path.with_name(path.name + ".damaged")


def note_damage(path: Path, reason: str) -> None:
    """Leave word that the library is damaged: the next start recovers it, whatever happens now."""
    with contextlib.suppress(OSError):
        marker_for(path).write_text(reason + "\n", encoding="utf-8")


def uri(path: Path, read_only: bool = False) -> str:
    """A file: URI SQLite reads back exactly, whatever the path holds (%, ?, #, spaces)."""
    return Path(os.path.abspath(path)).as_uri() + ("?mode=ro" if read_only else "")


def check_kind(path: Path) -> None:
    """StateError when the library's path is there but is no file (a folder, a named pipe...):
    SQLite would fail on a folder and wait for ever on a pipe."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # not there yet: it is made
    if stat.S_ISDIR(mode):
        raise StateError(f"{path} is a folder, not a library file; move it away or use another --home")
    if stat.S_ISFIFO(mode):
        raise StateError(
            f"{path} is a named pipe (FIFO), not a library file; remove it or use another --home"
        )
    if not stat.S_ISREG(mode):
        raise StateError(f"{path} is not a regular file (a device or a socket?); it cannot hold a library")


class Gate:
    """Statements run side by side (`shared`), and a recovery runs alone (`alone`), when none is."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._running = 0
        self._closed = False
        self._owner: int | None = None  # the thread running alone: it may run statements itself
        self._depth = threading.local()

    def holding(self) -> bool:
        return getattr(self._depth, "value", 0) > 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        depth = getattr(self._depth, "value", 0)
        if depth == 0:
            with self._condition:
                while self._closed and self._owner != threading.get_ident():
                    self._condition.wait()
                self._running += 1
        self._depth.value = depth + 1
        try:
            yield
        finally:
            self._depth.value = depth
            if depth == 0:
                with self._condition:
                    self._running -= 1
                    self._condition.notify_all()

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        with self._condition:
            while self._closed:
                self._condition.wait()
            self._closed = True
            while self._running:
                self._condition.wait()
            self._owner = threading.get_ident()
        try:
            yield
        finally:
            with self._condition:
                self._closed = False
                self._owner = None
                self._condition.notify_all()


IDLE_CONNECTIONS = 4  # kept open for the next reader; more are closed when given back


class Database:
    """The library file, and its configured connections: a thread borrows one for a `reading`
    or a `transaction` (nested ones in that thread use the same) and gives it back at the end.
    A connection a thread, kept for good, left one open for every worker that ever ran (a
    search per keystroke, a refresh): each with its page cache and three file descriptors.
    `read_only`: for reading a damaged file that was moved aside (nothing is written to it, not
    even the journal mode)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.gate = Gate()
        self.on_damage: Callable[[LibraryDamaged], str] | None = None  # recovers; says what it did
        self._recovering = False
        self._local = threading.local()  # `held`: the connection this thread has borrowed
        self._all: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._shut = False  # closed: no thread opens a connection again

    def newer_version_message(self, version: int) -> str:
        return (
            f"{self.path} was written by a newer arxiv-tui (library version {version}); update "
            "arxiv-tui to read it (the file was left as it is)"
        )

    def not_ours_message(self, names: list[str]) -> str:
        return (
            f"{self.path} is an SQLite database, but not an arxiv-tui library (it holds "
            f"{', '.join(names[:6])}); it was left as it is. Move it away, or give arxiv-tui another "
            "home (--home)"
        )

    def connect(self) -> sqlite3.Connection:
        """A new connection with the library's settings (the caller owns it)."""
        check_kind(self.path)
        try:
            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                uri(self.path, self.read_only), uri=True, timeout=BUSY_SECONDS,
                isolation_level=None, check_same_thread=False,
            )  # fmt: skip
            connection.execute("PRAGMA trusted_schema=OFF")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:  # before anything is changed, the journal mode included
                connection.close()
                raise StateError(self.newer_version_message(version))
            if version == 0 and not self.read_only:  # new, or someone else's database
                found = connection.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite%'")
                if names := sorted(row[0] for row in found):
                    connection.close()
                    raise StateError(self.not_ours_message(names))
            if not self.read_only:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
        except OSError as error:
            raise StateError(f"could not open {self.path}: {error.strerror or error}") from error
        except sqlite3.Error as error:
            raise explain(self.path, error, "open") from error
        return connection

    @property
    def connection(self) -> sqlite3.Connection:
        """The connection this thread has borrowed; outside `reading` and `transaction` one is
        borrowed for the thread for good (a script's or a test's, e.g. to set a pragma)."""
        held = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = self._borrow()
        return held

    def _borrow(self) -> sqlite3.Connection:
        with self._guard:
            if self._shut:
                raise StateError(f"{self.path} was closed (arxiv-tui is ending)")
            if self._idle:
                return self._idle.pop()
        connection = self.connect()
        with self._guard:
            self._all.append(connection)
        return connection

    def _give_back(self, connection: sqlite3.Connection) -> None:
        with self._guard:
            kept = connection in self._all and not self._shut and not connection.in_transaction
            if kept and len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(connection)
                return
            if connection in self._all:
                self._all.remove(connection)
        with contextlib.suppress(sqlite3.Error):
            connection.close()

    @contextlib.contextmanager
    def _borrowed(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection for what runs inside (the one it holds, if it holds one)."""
        held = getattr(self._local, "held", None)
        if held is not None:
            yield held
            return
        connection = self._local.held = self._borrow()
        try:
            yield connection
        finally:
            self._local.held = None
            self._give_back(connection)

    def close(self) -> None:
        """Close every thread's connection, once no statement runs on any (closing one under a
        running statement crashed the process); a thread that tries again gets a StateError."""
        with contextlib.nullcontext() if self.gate.holding() else self.gate.alone():
            self._shut = True
            self.drop_connections()

    def drop_connections(self) -> None:
        """Close every thread's connection; the next statement opens the file again (a recovery
        replaces the file under them, inside `gate.alone`)."""
        with self._guard:
            connections, self._all, self._idle = self._all, [], []
        for connection in connections:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        self._local = threading.local()

    def _failed(self, error: sqlite3.Error, doing: str) -> StateError:
        """What a failed statement raises: damage is noted and recovered, when that can be done
        here (not by a statement inside another's, not during a recovery)."""
        explained = explain(self.path, error, doing)
        if not isinstance(explained, LibraryDamaged) or self.read_only:
            return explained
        note_damage(self.path, str(explained))
        if self.on_damage is None or self._recovering or self.gate.holding():
            return explained
        self._recovering = True
        try:
            with self.gate.alone():
                return LibraryRecovered(self.on_damage(explained))
        finally:
            self._recovering = False

    @contextlib.contextmanager
    def reading(self, doing: str = "read") -> Iterator[sqlite3.Connection]:
        """This thread's connection for several reads; any database error is explained."""
        failure: sqlite3.Error | None = None
        with self.gate.shared(), self._borrowed() as connection:
            try:
                yield connection
            except sqlite3.Error as error:
                failure = error
        if failure is not None:
            raise self._failed(failure, doing) from failure

    @contextlib.contextmanager
    def transaction(self, doing: str = "save to") -> Iterator[sqlite3.Connection]:
        """One atomic change: everything inside commits together, or nothing does.

        Any database error becomes a StateError naming the file and the reason (disk full, a
        read-only folder, damage), after the transaction is rolled back.
        """
        failure: sqlite3.Error | None = None
        with self.gate.shared(), self._borrowed() as connection:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                failure = error
            if failure is None:
                try:
                    yield connection
                    connection.execute("COMMIT")
                except BaseException as error:
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                    if not isinstance(error, sqlite3.Error):
                        raise
                    failure = error
        if failure is not None:
            raise self._failed(failure, doing) from failure

    def read(self, sql: str, parameters: tuple | list = ()) -> list[tuple]:
        """Rows of one query, with errors explained (and read again once after a recovery)."""
        for attempt in range(2):
            try:
                with self.reading() as connection:
                    return connection.execute(sql, parameters).fetchall()
            except LibraryRecovered:
                if attempt:
                    raise
        raise AssertionError("unreachable")
