"""Marks with undo: what a key does to the papers the user decides on (read, star, note, tags,
picks), said in words, with every action that takes away something the user made (a star with
its time, read marks in bulk, a tag) undoable by `z`. The marks themselves are SessionMarks'
(session_marks.py), written to the library by a MarkWriter thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from arxiv_tui.core.base.text import counted
from arxiv_tui.core.library.marks import ALL_READ, OPENED, READ, SKIP
from arxiv_tui.core.models import Paper, PaperMarks
from arxiv_tui.core.session.session_marks import SessionMarks

__all__ = ["ALL_READ", "OPENED", "READ", "SKIP", "Marking", "Undo"]  # the decisions a front end names

UNDO_LIMIT = 50


class Undo(NamedTuple):
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


class Marking:
    """`whole` gives a list row's paper in full (a star or a note keeps the abstract)."""

    def __init__(self, session: SessionMarks, whole: Callable[[Paper], Paper]) -> None:
        self.session = session
        self.whole = whole
        self.undo_stack = UndoStack()
        self.selected: dict[str, Paper] = {}  # papers picked for one action on all (M), in order

    def of(self, paper_id: str) -> PaperMarks:
        return self.session.of(paper_id)

    def marks_of(self, papers: Sequence[Paper], stored: Mapping[str, PaperMarks]) -> dict[str, PaperMarks]:
        """Each paper's marks as this session has them, else as `stored` (the library's)."""
        known = self.session.known
        found = {paper.id: known(paper.id) or stored.get(paper.id) for paper in papers}
        return {paper_id: marks for paper_id, marks in found.items() if marks}

    def is_read(self, paper_id: str) -> bool:
        return self.session.of(paper_id).read

    def is_starred(self, paper_id: str) -> bool:
        return self.session.of(paper_id).starred

    def set_read(self, papers: Sequence[Paper], read: bool = True, decision: str = "") -> int:
        """Mark papers read (or unread); how many changed. Read is decided: out of the Inbox;
        unread, back in it (library/inbox.py). `decision`: what it tells ranking (SKIP for x or
        r, READ for a paper opened full-size...: library/marks.py)."""
        return self.session.set_read(papers, read, decision)

    def set_starred(self, paper: Paper, starred: bool) -> str:
        """Star (which also marks it read) or unstar a paper; what to tell the user.

        An unstar is undoable, with the star's first time; a note or tags stay with the paper."""
        whole = self.whole(paper)
        before = self.of(paper.id)
        if starred:
            self.session.set_starred(whole, True)
            self.set_read([whole])
            return f"Starred {paper.id}"
        if not before.starred:
            return ""
        self.session.set_starred(whole, False)
        kept = " (its note is kept)" if before.note else ""
        done = f"Unstarred {paper.id}{kept}"
        again = lambda: self.session.set_starred(whole, True, before.starred_at)  # noqa: E731
        self.undo_stack.push(Undo(done, f"Starred {paper.id} again", again))
        return done

    def toggle_selected(self, paper: Paper) -> bool:
        """Pick a paper for an action on several (or put it back); whether it is picked now."""
        if self.selected.pop(paper.id, None) is None:
            self.selected[paper.id] = paper
            return True
        return False

    def star_many(self, papers: Sequence[Paper]) -> str:
        """Star all of them, or, when all are starred already, unstar all (one undo brings every
        star back with its time; notes and tags stay)."""
        wholes = [self.whole(paper) for paper in papers]
        if not all(self.is_starred(paper.id) for paper in wholes):
            fresh = [paper for paper in wholes if not self.is_starred(paper.id)]
            for paper in fresh:
                self.session.set_starred(paper, True)
            self.set_read(fresh)
            return f"Starred {counted(len(fresh), 'paper')}"
        before = [(paper, self.of(paper.id).starred_at) for paper in wholes]
        for paper in wholes:
            self.session.set_starred(paper, False)

        def again() -> None:
            for paper, at in before:
                self.session.set_starred(paper, True, at)

        done = f"Unstarred {counted(len(wholes), 'paper')} (their notes and tags are kept)"
        self.undo_stack.push(Undo(done, f"{counted(len(wholes), 'star')} back", again))
        return done

    def mark_all_read(self, papers: Sequence[Paper], decision: str = ALL_READ) -> int:
        """Mark every paper read (the whole view, or the picked ones: SKIP): undoable, it puts back
        exactly the ones it changed."""
        changed = [paper for paper in papers if not self.is_read(paper.id)]
        self.set_read(changed, decision=decision)
        if changed:
            self.undo_stack.push(
                Undo(
                    f"Marked {len(changed):,} read",
                    f"{len(changed):,} unread again",
                    lambda: self.session.set_read(changed, False),
                )
            )
        return len(changed)

    def push_undo(self, entry: Undo) -> None:
        """An undoable action of another part (deleting a saved search)."""
        self.undo_stack.push(entry)

    def undo(self) -> str:
        """Undo the newest undoable action; what was undone, or "" when there was none."""
        entry = self.undo_stack.pop()
        if entry is None:
            return ""
        entry.run()
        return entry.undone

    def set_note(self, paper: Paper, note: str) -> None:
        self.session.set_note(self.whole(paper), note)

    def set_tags(self, paper: Paper, tags: Sequence[str]) -> str:
        """Give a paper exactly these tags; what to tell the user. Removing a tag is undoable."""
        whole = self.whole(paper)
        before = self.session.set_tags(whole, tags)
        after = self.of(paper.id).tags
        added = [tag for tag in after if tag not in before]
        removed = [tag for tag in before if tag not in after]
        said = [*(f"+{tag}" for tag in added), *(f"-{tag}" for tag in removed)]
        if not said:
            return ""
        done = f"Tags of {paper.id}: {', '.join(said)}"
        if removed:
            again = lambda: self.session.set_tags(whole, before)  # noqa: E731
            self.undo_stack.push(Undo(done, f"Tags of {paper.id} back: {', '.join(before)}", again))
        return done

    def add_tags(self, papers: Sequence[Paper], tags: Sequence[str]) -> int:
        """Add tags to several papers (their other tags stay); how many papers changed."""
        changed = 0
        for paper in papers:
            before = self.of(paper.id).tags
            if self.set_tags(paper, [*before, *tags]):
                changed += 1
        return changed

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use and its papers, by name as the views line has them (for completion)."""
        counts = self.session.tag_counts
        return [(tag, counts[tag][0]) for tag in sorted(counts, key=str.casefold)]
