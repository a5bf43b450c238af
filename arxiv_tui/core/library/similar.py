"""More like this: papers of the library close to one paper, found offline (100 ms median,
200 ms p95 on a year's library of 376,504 papers).

The paper's salient words (its title and abstract, weighed by how rare each word is in the
library: FTS5's own document counts, read through an fts5vocab table) become one FTS5 query,
ranked by bm25 over titles and abstracts. No index of our own, nothing to build at start.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from dataclasses import dataclass

from arxiv_tui.core.library import search as index
from arxiv_tui.core.models import Paper

TERMS = 10  # salient words in the query (12 cost half again on a year's library)
CANDIDATES = 30  # most frequent words of the paper whose rarity is looked up
LIMIT = 50


@dataclass(frozen=True)
class Similar:
    paper: Paper  # the paper they are like
    terms: tuple[str, ...]  # the words that found them, most salient first
    papers: list[Paper]  # list rows, most similar first


def salient_terms(connection: sqlite3.Connection, paper: Paper, count: int = TERMS) -> list[str]:
    """The paper's words that say most about it: frequent in it, rare in the library (weighed as
    For-you weighs them, `heaviest`)."""
    from arxiv_tui.core.matching.relevance import heaviest, words  # not on the start-up path

    frequent = Counter(word for word in words(paper) if not word.isdigit())
    candidates = Counter(dict(frequent.most_common(CANDIDATES)))
    if not candidates:
        return []
    connection.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words USING fts5vocab(main, search, row)"
    )
    documents = connection.execute("SELECT count(*) FROM papers").fetchone()[0] or 1

    def rarity(word: str) -> float:
        tokens = word.replace("-", " ").split()  # FTS5 splits "text-to-speech" into words
        found = [
            row[0]
            for token in tokens
            if (
                row := connection.execute(
                    "SELECT doc FROM temp.search_words WHERE term = ?", (token,)
                ).fetchone()
            )
        ]
        if len(found) < len(tokens):
            return 0.0  # a word the index does not hold cannot find anything
        return math.log(documents / max(min(found), 1))

    return [word for word, _ in heaviest(candidates, rarity, count)]


def like(connection: sqlite3.Connection, paper: Paper, limit: int = LIMIT) -> Similar:
    """The library's papers most like `paper` (itself left out), by bm25 on its salient words."""
    terms = salient_terms(connection, paper)
    if not terms:
        return Similar(paper, (), [])
    quoted = " OR ".join('"' + term.replace('"', "") + '"' for term in terms)
    itself = index.paper_rowid(connection, paper.id) or 0
    rows = connection.execute(  # no join: FTS5 ranks on its own, then the paper itself is left out
        "SELECT rowid FROM search WHERE search MATCH ? AND rowid != ? "
        "ORDER BY bm25(search, 10.0, 0.0, 2.0) LIMIT ?",
        ("{title abstract} : (" + quoted + ")", itself, limit),
    )
    return Similar(paper, tuple(terms), index.light_papers(connection, [row[0] for row in rows]))
