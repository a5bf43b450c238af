"""Several papers at once: `M` picks the paper under the cursor (and moves on), ctrl+v picks
every paper from the last one picked to the cursor; while some are picked, s r t o d e act on
all of them (o and d: reader_links.py); Esc puts them all back. Picked rows show ✓."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arxiv_tui.tui.screens.reader import ReaderScreen


def toggle(screen: ReaderScreen) -> None:
    paper = screen.current_paper
    if paper is None:
        return
    screen.reader.marking.toggle_selected(paper)
    screen.papers.refresh_paper(paper.id)
    screen.papers.move(1)
    screen.sync_status()


def pick_range(screen: ReaderScreen) -> None:
    """ctrl+v: every paper from the last one picked to the one under the cursor is picked."""
    reader, rows = screen.reader, screen.papers.rows
    ids = [row.paper.id for row in rows]
    last = next((paper_id for paper_id in reversed(reader.marking.selected) if paper_id in ids), None)
    if last is None or screen.papers.cursor < 0:
        screen.notify("Pick a first paper with M, then ctrl+v on the last one", timeout=4)
        return
    start, end = sorted((ids.index(last), screen.papers.cursor))
    for row in rows[start : end + 1]:
        reader.marking.selected.setdefault(row.paper.id, row.paper)
    screen.papers.redraw_all()
    screen.sync_status()
    screen.notify(f"{len(reader.marking.selected):,} papers picked", timeout=2)


def clear(screen: ReaderScreen) -> bool:
    """Esc: every picked paper put back (False when none was)."""
    if not screen.reader.marking.selected:
        return False
    count = len(screen.reader.marking.selected)
    screen.reader.marking.selected.clear()
    screen.papers.redraw_all()
    screen.sync_status()
    screen.notify(f"{count:,} papers no longer picked", timeout=2)
    return True


def picked(screen: ReaderScreen) -> list:
    return list(screen.reader.marking.selected.values())


def after(screen: ReaderScreen, said: str) -> None:
    screen.papers.redraw_all()
    screen.redraw_current()
    if said:
        screen.notify(said, timeout=4)


def star(screen: ReaderScreen) -> None:
    said = screen.reader.marking.star_many(picked(screen))
    after(screen, said + (" · z to undo" if said.startswith("Unstarred") else ""))


def read(screen: ReaderScreen) -> None:
    papers = picked(screen)
    reader = screen.reader
    if all(reader.marking.is_read(paper.id) for paper in papers):
        reader.marking.set_read(papers, False)
        after(screen, f"{len(papers):,} papers unread")
    else:
        count = reader.marking.mark_all_read(papers)
        after(screen, f"Marked {count:,} read · z to undo")


def tag(screen: ReaderScreen) -> None:
    from arxiv_tui.tui.screens.tags import TagScreen

    papers, reader = picked(screen), screen.reader

    def tagged(tags: list[str] | None) -> None:
        if tags:
            changed = reader.marking.add_tags(papers, tags)
            after(screen, f"Tagged {changed:,} of {len(papers):,} papers: {', '.join(tags)}")

    in_use = reader.marking.tags()
    screen.app.push_screen(TagScreen(f"{len(papers):,} picked papers (tags are added)", (), in_use), tagged)
