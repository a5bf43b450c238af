"""Deciding on papers: one key a decision (f keeps, x skips, then on to the next unread), star,
read, mark the view read, undo; and several papers at once: M picks the paper under the cursor
(ctrl+v a range), and while some are picked s r t act on all of them (o d e: links.py)."""

from __future__ import annotations

from arxiv_tui.core.base.text import counted
from arxiv_tui.core.matching.views import FOLD_ID, INBOX, STARRED
from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.marking import SKIP
from arxiv_tui.tui.screens.reader.base import ReaderBase


class Deciding(ReaderBase):
    @property
    def picked(self) -> list[Paper]:
        return list(self.reader.marking.selected.values())

    def action_star_and_next(self) -> None:
        self.decide(star=True)

    def action_skip_and_next(self) -> None:
        self.decide(star=False)

    def decide(self, star: bool) -> None:
        """`f` (star) or `x` (mark read), then on to the next unread paper, or say the view is done."""
        paper = self.current_paper
        if paper is None:
            return
        if star:
            self.reader.marking.set_starred(paper, True)
        else:
            self.reader.marking.set_read([paper], decision=SKIP)
        self.redraw_current()
        if not self.to_unread(1, quiet=True):
            self.notify("Every paper in this view is read", timeout=3)

    def action_toggle_star(self) -> None:
        marking = self.reader.marking
        if marking.selected:
            said = marking.star_many(self.picked)
            self.after_marks(said + (" · z to undo" if said.startswith("Unstarred") else ""))
        elif (paper := self.current_paper) is not None:
            unstarring = marking.is_starred(paper.id)
            said = marking.set_starred(paper, not unstarring)
            self.redraw_current()
            if unstarring:
                self.notify(f"{said} · z to undo", timeout=4)

    def action_toggle_read(self) -> None:
        marking = self.reader.marking
        if marking.selected:
            papers = self.picked
            if all(marking.is_read(paper.id) for paper in papers):
                marking.set_read(papers, False)
                self.after_marks(f"{counted(len(papers), 'paper')} unread")
            else:
                count = marking.mark_all_read(papers, decision=SKIP)  # picked one by one
                self.after_marks(f"Marked {count:,} read · z to undo")
        elif (paper := self.current_paper) is not None:
            marking.set_read([paper], not marking.is_read(paper.id), decision=SKIP)
            self.redraw_current()

    def action_mark_all_read(self) -> None:
        """A: the whole view read; in the Inbox, all of it or the cursor's day (asked first)."""
        marking = self.reader.marking
        rows = [
            row.paper for row in self.papers.rows if row.paper.id != FOLD_ID
        ]  # For you's fold: not decided
        if self.reader.viewing.view != INBOX:
            changed = marking.mark_all_read(rows)
            if not changed:
                self.notify("Every paper in this view is already read", timeout=3)
                return
            self.after_marks(f"Marked {counted(changed, 'paper')} read · z to undo")
            return
        undecided = [paper for paper in rows if not marking.is_read(paper.id)]
        if not undecided:
            self.notify("Nothing left to decide in the Inbox", timeout=3)
            return
        cursor = self.papers.cursor_row
        day = cursor.paper.listing_date if cursor is not None else None
        of_day = [paper for paper in undecided if paper.listing_date == day]
        named = f"{day:%a %d %b}" if day else "no day"

        def decided(choice: str | None) -> None:
            papers = undecided if choice == "all" else of_day if choice == "day" else []
            if papers:
                changed = marking.mark_all_read(papers)
                where = "the Inbox" if choice == "all" else named
                left = len(undecided) - changed
                self.after_marks(
                    f"Decided {counted(changed, 'paper')} of {where} (marked read), {left:,} left · z to undo"
                )

        from arxiv_tui.tui.screens.dialogs import DecideScreen  # its widgets cost the start 6 ms

        self.app.push_screen(DecideScreen(len(undecided), named, len(of_day)), decided)

    def action_undo(self) -> None:
        undone = self.reader.marking.undo()
        if not undone:
            self.notify("Nothing to undo", timeout=2)
            return
        self.notify(undone, timeout=3)
        viewing = self.reader.viewing
        if viewing.view == STARRED or viewing.tag is not None:
            self.sync()  # a star or a tag came back: it is a row again
        else:
            self.after_marks()

    # --- several papers at once ---------------------------------------------------------------------

    def action_toggle_selected(self) -> None:
        """M: pick the paper under the cursor (or put it back), and move on."""
        paper = self.current_paper
        if paper is None:
            return
        self.reader.marking.toggle_selected(paper)
        self.papers.refresh_paper(paper.id)
        self.papers.move(1)
        self.sync_status()

    def action_pick_range(self) -> None:
        """ctrl+v: every paper from the last one picked to the one under the cursor is picked."""
        selected, rows = self.reader.marking.selected, self.papers.rows
        ids = [row.paper.id for row in rows]
        last = next((paper_id for paper_id in reversed(selected) if paper_id in ids), None)
        if last is None or self.papers.cursor < 0:
            self.notify("Pick a first paper with M, then ctrl+v on the last one", timeout=4)
            return
        start, end = sorted((ids.index(last), self.papers.cursor))
        for row in rows[start : end + 1]:
            selected.setdefault(row.paper.id, row.paper)
        self.papers.redraw_all()
        self.sync_status()
        self.notify(f"{counted(len(selected), 'paper')} picked", timeout=2)

    def clear_picks(self) -> bool:
        """Esc: every picked paper put back (False when none was)."""
        selected = self.reader.marking.selected
        if not selected:
            return False
        count = len(selected)
        selected.clear()
        self.papers.redraw_all()
        self.sync_status()
        self.notify(f"{counted(count, 'paper')} no longer picked", timeout=2)
        return True
