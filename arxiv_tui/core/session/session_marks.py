"""The marks of the papers a session shows, as a screen reads them: what the library said when
they were loaded, with this session's changes on top. A change is seen at once and written to
the library by a MarkWriter thread, so no keypress waits on the disk. A change that decides a
paper logs the decision with it (library/marks.py), and the model learns it next, on the same
thread (`learn`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from arxiv_tui.core.base.clock import now
from arxiv_tui.core.library.inbox import Entry
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.marks import KEEP, UNSTAR
from arxiv_tui.core.library.writer import MarkWriter
from arxiv_tui.core.models import NO_MARKS, Paper, PaperMarks, clean_tag


class SessionMarks:
    def __init__(self, writer: MarkWriter) -> None:
        self.writer = writer
        # Teaches the model what was decided, after the decision is written (the Reader sets it).
        self.learn: Callable[[Library], object] = lambda library: None
        self.star_count = 0
        self.starred_rows: list[Paper] | None = None  # the Starred view's rows, once loaded
        self.tag_counts: dict[str, list[int]] = {}  # tag -> [papers carrying it, unread ones]
        self.tag_rows: dict[str, list[Paper]] = {}  # a tag view's rows, once loaded
        # The Inbox as loaded: its papers undecided then (decided since, they stay till the next
        # load, read), and why each entered.
        self.inbox_rows: list[Paper] = []
        self.inbox: dict[str, Entry] = {}
        self.inbox_counts: tuple[int, int] | None = None  # undecided, today: while only its top is read
        self._marks: dict[str, PaperMarks] = {}

    def set_tag_counts(self, summary: Sequence[tuple[str, int, int]]) -> None:
        self.tag_counts = {tag: [count, unread] for tag, count, unread in summary}

    def _count_unread(self, paper_id: str, step: int) -> None:
        for tag in self.of(paper_id).tags:
            if tag in self.tag_counts:
                self.tag_counts[tag][1] += step

    def show_inbox(self, found: list[tuple[Paper, Entry]]) -> None:
        """The Inbox read again from the library (at start, after a fetch let papers in). Rows
        decided in this session stay where they were (read) until the next start."""
        fresh = {paper.id: (paper, entry) for paper, entry in found}
        held = self.inbox
        shown = [fresh.pop(p.id) if p.id in fresh else (p, held[p.id]) for p in self.inbox_rows]
        # What is shown keeps its place (a paper decided meanwhile does not jump); new ones follow
        # it, each in its day, newest day first (a stable sort).
        merged = sorted([*shown, *fresh.values()], key=lambda row: row[1].day, reverse=True)
        self.inbox_rows = [paper for paper, _ in merged]
        self.inbox = {paper.id: entry for paper, entry in merged}

    def arriving(self, found: list[tuple[Paper, Entry]]) -> None:
        """Papers on their way into the Inbox (the listing shown before the refresh stores it and
        lets them in): shown in it now, the library's Inbox read again later replaces them."""
        new = [(paper, entry) for paper, entry in found if paper.id not in self.inbox]
        if new:
            self.show_inbox(new)

    def of(self, paper_id: str) -> PaperMarks:
        return self._marks.get(paper_id, NO_MARKS)

    def unread(self, paper_ids: Iterable[str]) -> int:
        """How many of `paper_ids` are unread (a status line counts a view of thousands per key)."""
        marks = self._marks
        return sum(1 for paper_id in paper_ids if not marks.get(paper_id, NO_MARKS).read)

    def known(self, paper_id: str) -> PaperMarks | None:
        return self._marks.get(paper_id)

    def absorb(self, marks: Mapping[str, PaperMarks]) -> None:
        """Marks read from the library; where this session changed a paper since, its change stays."""
        for paper_id, found in marks.items():
            self._marks.setdefault(paper_id, found)

    def _change(self, paper_id: str, **fields: object) -> None:
        self._marks[paper_id] = replace(self.of(paper_id), **fields)  # type: ignore[arg-type]

    def set_read(self, papers: Sequence[Paper], read: bool = True, decision: str = "") -> int:
        """Mark papers read (or unread); how many changed. `decision`: what a read says for
        ranking (a skip, all read...; library/marks.py), logged for each paper it changed."""
        changed = [paper.id for paper in papers if self.of(paper.id).read != read]
        for paper_id in changed:
            self._change(paper_id, read=read)
            self._count_unread(paper_id, -1 if read else 1)
        if changed:
            self.writer.put(lambda library: library.marks.set_read(changed, read, decision=decision))
            self._decided(decision)
        return len(changed)

    def _decided(self, decision: str) -> None:
        if decision:
            self.writer.put(self.learn)

    def set_starred(self, whole: Paper, starred: bool, at: str = "") -> None:
        """Star or unstar a paper (`whole`: with its abstract, for the library to keep); `at`: the
        star's time (an undone unstar keeps the first one, and says nothing to ranking), else now:
        a keep."""
        if self.of(whole.id).starred == starred:
            return
        decision = UNSTAR if not starred else "" if at else KEEP
        at = (at or now()) if starred else ""
        self._change(whole.id, starred_at=at)
        self.star_count += 1 if starred else -1
        if starred:
            if self.starred_rows is not None:
                self.starred_rows.insert(0, replace(whole, partial=True))
            self.writer.put(lambda library: library.star([whole], at, decision))
        else:
            self.writer.put(lambda library: library.marks.unstar([whole.id], decision))
        self._decided(decision)

    def set_tags(self, whole: Paper, tags: Sequence[str]) -> tuple[str, ...]:
        """Give a paper exactly these tags (cleaned, once each, in order); the tags it had before."""
        before = self.of(whole.id).tags
        kept = tuple(dict.fromkeys(tag for tag in map(clean_tag, tags) if tag))
        if kept == before:
            return before
        self._change(whole.id, tags=kept)
        unread = 0 if self.of(whole.id).read else 1
        for tag in kept:
            if tag not in before:
                counts = self.tag_counts.setdefault(tag, [0, 0])
                counts[0] += 1
                counts[1] += unread
                if tag in self.tag_rows:
                    self.tag_rows[tag].insert(0, replace(whole, partial=True))
        for tag in before:
            if tag not in kept and tag in self.tag_counts:
                counts = self.tag_counts[tag]
                counts[0] -= 1
                counts[1] -= unread
                if counts[0] <= 0:
                    del self.tag_counts[tag]
                if tag in self.tag_rows:
                    self.tag_rows[tag] = [paper for paper in self.tag_rows[tag] if paper.id != whole.id]

        def write(library: Library) -> None:
            library.store_papers([whole])  # a tag needs its paper in the library
            library.marks.set_tags(whole.id, kept)

        self.writer.put(write)
        return before

    def set_note(self, whole: Paper, note: str) -> None:
        self._change(whole.id, note=note.strip())

        def write(library: Library) -> None:
            library.store_papers([whole])  # a note needs its paper in the library
            library.marks.set_note(whole.id, note)

        self.writer.put(write)
