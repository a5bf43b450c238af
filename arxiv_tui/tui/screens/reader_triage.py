"""The reader's triage keys: one key a decision, undo, next unread, view jumps, reading a paper.

Each is a function of the screen (as in reader_dialogs.py): the work is the Reader's
(core/reader.py, core/triage.py); these only move the cursor and say what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from arxiv_tui.core.matching.views import STARRED, next_unread, wrapped

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen


def to_unread(screen: ReaderScreen, step: int, *, quiet: bool = False) -> bool:
    """Move to the next (or previous) unread paper of the view; False when there is none."""
    papers = screen.papers
    if not papers.rows:
        return False
    start = max(papers.cursor, 0)
    found = next_unread(papers.rows, start, step, screen.reader.marking.is_read)
    if found is None:
        if not quiet:
            screen.notify("No unread papers in this view", timeout=3)
        return False
    if wrapped(start, found, step) and not quiet:
        screen.notify("Back at the top" if step > 0 else "Back at the bottom", timeout=2)
    papers.move_to(found)
    return True


def decide(screen: ReaderScreen, star: bool) -> None:
    """`f` (star) or `x` (mark read), then on to the next unread paper, or say the view is done."""
    paper = screen.current_paper
    if paper is None:
        return
    if star:
        screen.reader.marking.set_starred(paper, True)
    else:
        screen.reader.marking.set_read([paper])
    screen.redraw_current()
    if not to_unread(screen, 1, quiet=True):
        screen.notify("Every paper in this view is read", timeout=3)


def mark_all_read(screen: ReaderScreen) -> None:
    changed = screen.reader.marking.mark_all_read([row.paper for row in screen.papers.rows])
    if not changed:
        screen.notify("Every paper in this view is already read", timeout=3)
        return
    screen.notify(f"Marked {changed:,} papers read · z to undo", timeout=5)
    screen.papers.redraw_all()
    screen.redraw_current()


def undo(screen: ReaderScreen) -> None:
    undone = screen.reader.marking.undo()
    if not undone:
        screen.notify("Nothing to undo", timeout=2)
        return
    screen.notify(undone, timeout=3)
    if screen.reader.viewing.view == STARRED or screen.reader.viewing.tag is not None:
        screen.sync()  # a star or a tag came back: it is a row again
    else:
        screen.papers.redraw_all()
        screen.redraw_current()


def delete_saved_search(screen: ReaderScreen) -> None:
    """`D` twice in a saved search's view deletes it (z brings it back)."""
    name = screen.reader.viewing.saved_name
    if name is None:
        screen.notify("D deletes a saved search: switch to its view first", timeout=3)
        return
    if screen.confirm_delete != name:
        screen.confirm_delete = name
        screen.notify(f"D again deletes the saved search {name!r} (z brings it back)", timeout=5)
        return
    screen.confirm_delete = None
    screen.notify(screen.reader.delete_saved(name), timeout=5)
    screen.sync()


def jump_view(screen: ReaderScreen, number: int) -> bool:
    """`1`-`9`: the view at that place in the views line; False when there is none."""
    views = screen.reader.viewing.views()
    if not 1 <= number <= len(views):
        screen.notify(f"There are {len(views)} views", timeout=2)
        return False
    screen.reader.viewing.set_view(views[number - 1].key)
    return True


def read_full_size(screen: ReaderScreen) -> None:
    """Enter: the paper full-size (the list hidden), and read; Enter or Esc again to go back."""
    paper = screen.current_paper
    if paper is None:
        return
    reading = not screen.has_class("-reading")
    screen.set_class(reading, "-reading")
    if reading:
        screen.reader.marking.set_read([paper])
        screen.redraw_current()
        screen.query_one("#detail").focus()
    else:
        screen.papers.focus()
