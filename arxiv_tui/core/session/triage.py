"""The morning's triage, with no UI: where the next unread paper is, and undoing what a key did.

Every action that takes away something the user made (a star with its time, read marks in bulk,
a keyword) leaves an Undo on the Reader's stack; `z` in the reader runs the newest one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from arxiv_tui.core.matching.views import Row

UNDO_LIMIT = 50


@dataclass(frozen=True)
class Undo:
    done: str  # what the action did, as the user is told ("Unstarred 2411.17712")
    undone: str  # what undoing it says ("Starred 2411.17712 again")
    run: Callable[[], object]


class UndoStack:
    """The last UNDO_LIMIT undoable actions, newest last."""

    def __init__(self) -> None:
        self._entries: list[Undo] = []

    def push(self, entry: Undo) -> None:
        self._entries.append(entry)
        del self._entries[:-UNDO_LIMIT]

    def pop(self) -> Undo | None:
        return self._entries.pop() if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)


def next_unread(rows: Sequence[Row], start: int, step: int, is_read: Callable[[str], bool]) -> int | None:
    """The index of the next unread row from `start` going `step` (1 or -1), wrapping around the
    view; `start` itself comes last. None when every row is read."""
    count = len(rows)
    for offset in range(1, count + 1):
        index = (start + step * offset) % count
        if not is_read(rows[index].paper.id):
            return index
    return None


def wrapped(start: int, found: int, step: int) -> bool:
    """Whether going from `start` to `found` in direction `step` went round the end of the view."""
    return (found <= start) if step > 0 else (found >= start)
