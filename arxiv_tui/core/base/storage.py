"""Atomic file writes: the old file stays whole until the new one is complete on disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from arxiv_tui.core.base.errors import StateError


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to a temp file in the same folder, fsync it, then rename it over `path`.

    A symbolic link is written through: its target gets the new content and the link stays (a
    config.toml kept in a dotfiles repository and linked into place remains linked). Raises
    StateError naming the file when anything fails; the previous file is left intact.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    temp_name = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temp_name, path.stat().st_mode & 0o777)
        os.replace(temp_name, path)
        temp_name = ""
        _fsync_dir(path.parent)
    except OSError as error:
        raise StateError(f"could not save {path}: {error.strerror or error}") from error
    finally:
        if temp_name:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temp_files(path: Path, older_than: float = 60.0) -> None:
    """Delete temp files an interrupted `atomic_write` of `path` left behind (kill -9, power loss).

    Only files older than `older_than` seconds: a younger one may be another process's write.
    """
    import time

    path = Path(path)
    cutoff = time.time() - older_than
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
