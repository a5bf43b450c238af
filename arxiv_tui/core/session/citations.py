"""The Reader's part that holds what Semantic Scholar said (scholar.py asks it): each paper's
counts and TLDR, the citing papers, references and recommendations of the paper asked about,
which of the three is shown, and the citation counts of whole views. The arXiv papers among
them are kept in the library, so they can be starred, tagged and read offline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from arxiv_tui.core.config import Config
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.matching.views import CITING, RECOMMENDED, REFERENCES
from arxiv_tui.core.models import Paper, PaperMarks

if TYPE_CHECKING:
    from arxiv_tui.core.sources.scholar import Details, Scholar, ScholarPaper

KINDS = (CITING, REFERENCES, RECOMMENDED)  # what `w` shows, in turn


class Citations:
    def __init__(self, config: Config, library: Library, offline: bool) -> None:
        self.config = config
        self.library = library
        self.offline = offline
        self._scholar: Scholar | None = None  # made when first asked
        self.facts: dict[str, ScholarPaper] = {}  # what Semantic Scholar said of papers, by arXiv id
        self.shown: tuple[Paper, Details, str] | None = None  # the paper, its details, which kind

    @property
    def scholar(self) -> Scholar:
        """Semantic Scholar's client (scholar.py), caching in the library."""
        if self._scholar is None:
            from arxiv_tui.core.sources.arxiv import HttpClient
            from arxiv_tui.core.sources.scholar import Scholar

            config = self.config
            http = HttpClient(config.timeout_seconds)
            self._scholar = Scholar(
                config.s2_url, self.library.db, http.request, config.s2_api_key, offline=self.offline
            )
        return self._scholar

    def details(
        self,
        paper: Paper,
        refresh: bool = False,
        early: Callable[[Details, dict[str, PaperMarks]], object] | None = None,
    ) -> tuple[Details, dict[str, PaperMarks]]:
        """What Semantic Scholar says of `paper` (in a worker: the cache, else a few requests),
        with the marks of the arXiv papers it lists. `early` is given the first page of citing
        papers while the rest is fetched."""
        first = None if early is None else (lambda found: early(*self._kept(found)))
        return self._kept(self.scholar.details(paper.id, refresh, first))

    def _kept(self, details: Details) -> tuple[Details, dict[str, PaperMarks]]:
        listed = [
            p
            for found in (*details.citing, *details.references, *details.recommended)
            if (p := found.as_paper())
        ]
        held = self.library.papers(p.id for p in listed)
        new = [p for p in listed if p.id not in held]
        if new:
            self.library.store_papers(new)
        return details, self.library.marks.of(p.id for p in listed)

    def show(self, paper: Paper, details: Details, kind: str = CITING) -> None:
        """Show what was found for `paper` (the rest of an answer shown early keeps the kind
        the user chose meanwhile)."""
        self.facts[paper.id] = details.paper
        for found in (*details.citing, *details.references, *details.recommended):
            if found.arxiv_id and found.citations is not None:
                self.facts.setdefault(found.arxiv_id, found)
        if self.shown is not None and self.shown[0].id == paper.id:
            kind = self.shown[2]
        self.shown = (paper, details, kind)

    def cycle(self) -> None:
        """Citing papers → references → recommendations → citing papers."""
        if self.shown is not None:
            paper, details, kind = self.shown
            self.shown = (paper, details, KINDS[(KINDS.index(kind) + 1) % len(KINDS)])

    def found(self) -> tuple[ScholarPaper, ...]:
        """Every paper of what is shown, on arXiv or not."""
        if self.shown is None:
            return ()
        _, details, kind = self.shown
        return {CITING: details.citing, REFERENCES: details.references}.get(kind, details.recommended)

    def listed(self) -> list[Paper]:
        """The arXiv papers of what is shown."""
        return [paper for item in self.found() if (paper := item.as_paper())]

    def elsewhere(self) -> list[ScholarPaper]:
        """The papers of what is shown that are not on arXiv (the reader lists them apart)."""
        return [item for item in self.found() if not item.arxiv_id]

    def counts(self, papers: Sequence[Paper]) -> tuple[dict[str, tuple[int, int]], int]:
        """Citation counts of `papers` (in a worker: one batch request per 500, cached)."""
        return self.scholar.counts([paper.id for paper in papers])

    def show_counts(self, counts: dict[str, tuple[int, int]]) -> None:
        from arxiv_tui.core.sources.scholar import ScholarPaper

        for paper_id, (citations, influential) in counts.items():
            known = self.facts.get(paper_id)
            if known is None or known.citations != citations:
                self.facts[paper_id] = (
                    replace(known, citations=citations, influential=influential)
                    if known
                    else ScholarPaper("", citations=citations, influential=influential)
                )
