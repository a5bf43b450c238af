"""What the model said, kept in the library: answers keyed by everything that was asked (paper
and version, task, model, host, prompt version, a hash of the input), and the questions asked
of each paper with their answers, in order (indexed with the paper, so they are found as notes
are). Shown offline; a migration never drops them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from arxiv_tui.core.base.clock import now

if TYPE_CHECKING:
    from arxiv_tui.core.library.library import Library


class Asked(NamedTuple):
    """What an answer is of: a different value anywhere is a different answer."""

    paper_id: str
    task: str
    version: int
    model: str
    host: str
    prompt_version: int
    input_hash: str


class Answer(NamedTuple):
    asked: Asked
    source: str  # what the model read: "full text" or "abstract"
    text: str
    made_at: str


class Turn(NamedTuple):
    role: str  # "user" or "assistant"
    content: str
    version: int
    model: str
    made_at: str


_ANSWER = "paper_id, task, version, model, host, prompt_version, input_hash, source, answer, made_at"


def _answer(row: tuple) -> Answer:
    return Answer(Asked(*row[:7]), row[7], row[8], row[9])


class Answers:
    def __init__(self, library: Library) -> None:
        self.db = library.db

    def exact(self, asked: Asked) -> Answer | None:
        rows = self.db.read(
            f"SELECT {_ANSWER} FROM assistant_answers WHERE paper_id = ? AND task = ? AND version = ? "
            "AND model = ? AND host = ? AND prompt_version = ? AND input_hash = ?",
            tuple(asked),
        )
        return _answer(rows[0]) if rows else None

    def latest(self, paper_id: str, task: str) -> Answer | None:
        """The newest answer for the paper's task, whatever it was asked of (offline, or stale)."""
        rows = self.db.read(
            f"SELECT {_ANSWER} FROM assistant_answers WHERE paper_id = ? AND task = ? "
            "ORDER BY made_at DESC, version DESC LIMIT 1",
            (paper_id, task),
        )
        return _answer(rows[0]) if rows else None

    def latest_of(self, paper_ids: list[str], task: str) -> dict[str, Answer]:
        """The newest answer of each paper (a view's TL;DRs in one read)."""
        found: dict[str, Answer] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start : start + 500]
            rows = self.db.read(
                f"SELECT {_ANSWER} FROM assistant_answers WHERE task = ? "
                f"AND paper_id IN ({','.join('?' * len(chunk))}) ORDER BY made_at, version",
                (task, *chunk),
            )
            found.update((row[0], _answer(row)) for row in rows)  # the newest last, so it stays
        return found

    def keep(self, asked: Asked, source: str, text: str) -> Answer:
        answer = Answer(asked, source, text, now())
        with self.db.transaction("keep the model's answer in") as connection:
            connection.execute(
                f"INSERT OR REPLACE INTO assistant_answers ({_ANSWER}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*asked, source, text, answer.made_at),
            )
        return answer

    # --- questions about a paper ---------------------------------------------------------------

    def chat(self, paper_id: str) -> list[Turn]:
        rows = self.db.read(
            "SELECT role, content, version, model, made_at FROM assistant_chats WHERE paper_id = ? "
            "ORDER BY turn",
            (paper_id,),
        )
        return [Turn(*row) for row in rows]

    def add_turns(self, paper_id: str, version: int, model: str, turns: list[tuple[str, str]]) -> None:
        """A question and its answer, kept together (and indexed with the paper) or not at all."""
        from arxiv_tui.core.library.marks import put_turns  # not on the start-up path

        at = now()
        with self.db.transaction("keep the conversation in") as connection:
            put_turns(connection, paper_id, [(role, content, version, model, at) for role, content in turns])
