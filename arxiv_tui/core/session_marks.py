"""The marks of the papers a session shows, as a screen reads them: what the library said when
they were loaded, with this session's changes on top. A change is seen at once and written to
the library by a MarkWriter thread, so no keypress waits on the disk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from arxiv_tui.core.library import Library
from arxiv_tui.core.marks import NO_MARKS, PaperMarks, now
from arxiv_tui.core.models import Paper
from arxiv_tui.core.writer import MarkWriter


class SessionMarks:
    def __init__(self, writer: MarkWriter) -> None:
        self.writer = writer
        self.star_count = 0
        self.starred_rows: list[Paper] | None = None  # the Starred view's rows, once loaded
        self._marks: dict[str, PaperMarks] = {}

    def of(self, paper_id: str) -> PaperMarks:
        return self._marks.get(paper_id, NO_MARKS)

    def known(self, paper_id: str) -> PaperMarks | None:
        return self._marks.get(paper_id)

    def absorb(self, marks: Mapping[str, PaperMarks]) -> None:
        """Marks read from the library; where this session changed a paper since, its change stays."""
        for paper_id, found in marks.items():
            self._marks.setdefault(paper_id, found)

    def _change(self, paper_id: str, **fields: object) -> None:
        self._marks[paper_id] = replace(self.of(paper_id), **fields)  # type: ignore[arg-type]

    def set_read(self, papers: Sequence[Paper], read: bool = True) -> int:
        """Mark papers read (or unread); how many changed."""
        changed = [paper.id for paper in papers if self.of(paper.id).read != read]
        for paper_id in changed:
            self._change(paper_id, read=read)
        if changed:
            self.writer.put(lambda library: library.marks.set_read(changed, read))
        return len(changed)

    def set_starred(self, whole: Paper, starred: bool, at: str = "") -> None:
        """Star or unstar a paper (`whole`: with its abstract, for the library to keep); `at`: the
        star's time (an undone unstar keeps the first one), else now."""
        if self.of(whole.id).starred == starred:
            return
        at = (at or now()) if starred else ""
        self._change(whole.id, starred_at=at)
        self.star_count += 1 if starred else -1
        if starred:
            if self.starred_rows is not None:
                self.starred_rows.insert(0, replace(whole, partial=True))
            self.writer.put(lambda library: library.star([whole], at))
        else:
            self.writer.put(lambda library: library.marks.unstar([whole.id]))

    def set_note(self, whole: Paper, note: str) -> None:
        self._change(whole.id, note=note.strip())

        def write(library: Library) -> None:
            library.store_papers([whole])  # a note needs its paper in the library
            library.marks.set_note(whole.id, note)

        self.writer.put(write)
