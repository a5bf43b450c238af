"""Opening the library: created, upgraded, or, when damaged, recovered (recovery.py) before the
app sees it. What was done is kept in `library.notices` for the user."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from arxiv_tui.core.library.db import LibraryDamaged
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.recovery import copy_whole, healthy, marker_for, move_aside, salvage


def open_library(path: Path, backup: Path | None = None) -> Library:
    """Open (creating or upgrading) the library at `path`. A damaged file is moved aside and
    the last backup restored, with what could still be read merged back (recovery.py);
    `notices` says what was done."""
    path = Path(path)
    library = Library(path)
    marker = marker_for(path)
    reason = ""
    if marker.exists():
        with contextlib.suppress(OSError):
            reason = marker.read_text(encoding="utf-8", errors="replace").strip()[:300]
        reason = reason or "a check found it damaged"
    else:
        try:
            library.notices += library.db.prepare()
            library.db.read("SELECT count(*) FROM listings")
            library.notices += library.forget_bad_last_seen()
            return library
        except LibraryDamaged as error:
            reason = str(error)
    library.close()
    return _recover(path, backup, reason)


def _recover(path: Path, backup: Path | None, reason: str) -> Library:
    aside = move_aside(path)
    restored = ""
    if backup is not None and backup.exists() and healthy(backup):
        copy_whole(backup, path)
        taken = dt.datetime.fromtimestamp(backup.stat().st_mtime)
        restored = f"the backup of {taken:%a %d %b %Y %H:%M} was restored"
    library = Library(path)
    library.notices += library.db.prepare()
    saved, lost = salvage(aside, library)
    marker_for(path).unlink(missing_ok=True)
    parts = [f"The library {path} was damaged ({reason}); it was moved to {aside.name}"]
    parts.append(restored or "there was no usable backup, so a new library was started")
    if saved:
        parts.append("recovered from the damaged file: " + ", ".join(saved))
    parts.append(
        "could not be read from the damaged file (changes to them since the backup are lost): "
        + ", ".join(lost)
        if lost
        else "nothing was lost"
    )
    library.notices.append("; ".join(parts) + ".")
    return library
