"""Opening the library: created, upgraded or repaired (schema.py), or, when damaged, recovered
(recovery.py) before the app sees it; and recovered again, in place, if damage is found while
the app runs. What was done is kept in `library.notices`, and told through `on_notice`."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from arxiv_tui.core.library.db import LibraryDamaged, check_kind, marker_for
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.schema import prepare


def open_library(path: Path, backup: Path | None = None) -> Library:
    """Open (creating, upgrading or repairing) the library at `path`. A damaged file is moved
    aside and the last backup restored, with what could still be read merged back; StateError
    for a file that is no library of ours (left as it is)."""
    path = Path(path)
    check_kind(path)
    library = Library(path)
    reason = ""
    if marker_for(path).exists():
        with contextlib.suppress(OSError):
            reason = marker_for(path).read_text(encoding="utf-8", errors="replace").strip()[:300]
        reason = reason or "a check found it damaged"
    else:
        try:
            library.notices += prepare(library.db)
            library.db.read("SELECT count(*) FROM listings")
            library.notices += library.forget_bad_last_seen()
        except LibraryDamaged as error:
            reason = str(error)
        except BaseException:
            library.close()
            raise
    if reason:
        library.notices.append(recover(library, backup, reason))

    def recovered_now(error: LibraryDamaged) -> str:
        said = recover(library, backup, str(error))
        library.notices.append(said)
        library.on_notice(said)
        return said

    library.db.on_damage = recovered_now
    return library


def recover(library: Library, backup: Path | None, reason: str) -> str:
    """Recover `library` in place (its object goes on being used): the damaged file moved aside,
    the backup restored, what can be read of the damaged file merged back. What was done."""
    from arxiv_tui.core.library.recovery import copy_whole, healthy, move_aside, salvage  # rarely needed

    library.db.drop_connections()
    real = Path(os.path.realpath(library.path))  # a link stays a link: its file is what is replaced
    aside = move_aside(real)
    restored = ""
    if backup is not None and backup.exists() and healthy(backup):
        copy_whole(backup, real)
        taken = dt.datetime.fromtimestamp(backup.stat().st_mtime)
        restored = f"the backup of {taken:%a %d %b %Y %H:%M} was restored"
    repaired = prepare(library.db)
    saved, lost = salvage(aside, library)
    marker_for(library.path).unlink(missing_ok=True)
    parts = [f"The library {library.path} was damaged ({reason}); it was moved to {aside.name}"]
    parts.append(restored or "there was no usable backup, so a new library was started")
    parts += repaired
    if saved:
        parts.append("recovered from the damaged file: " + ", ".join(saved))
    parts.append(
        "could not be read from the damaged file (changes to them since the backup are lost): "
        + ", ".join(lost)
        if lost
        else "nothing was lost"
    )
    return "; ".join(parts) + "."
