"""Search queries as people type them, turned into FTS5 expressions built here, never passed raw.

The language:
    diffusion model          both words, each whole or with its plural (models); AND is implied
    "speech synthesis"       a phrase
    token*                   a prefix (at least two letters)
    -survey, NOT survey      without
    (a OR b) c               grouping
    au:Harwath  ti:speech  abs:"zero shot"  cat:cs.CL  co:ICASSP  note:read  tag:thesis
    body:"beam search"       in the full texts kept in the library (only with AND)
    2411.17712, hep-th/0601001, arxiv.org/abs/2411.17712     that paper

Every word is split into the tokens FTS5 would make of it and put inside double quotes, so no
character the user types can be FTS5 syntax; field names map to our own column names. A query
that cannot be searched raises QueryError with a message for the user. Accents and TeX do not
matter: the index drops diacritics, and TeX in the query is converted first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.latex import tex_to_unicode
from arxiv_tui.core.matching.match import Term, fold
from arxiv_tui.core.models import ARXIV_ID

FIELDS = {
    "au": "authors", "ti": "title", "abs": "abstract", "co": "comments", "cat": "categories",
    "note": "notes", "tag": "tags", "id": "ids", "body": "body",
}  # fmt: skip
DEFAULT_COLUMNS = ("title", "authors", "abstract", "comments", "ids", "notes", "tags")
HIGHLIGHTED = {None, "title", "abstract"}  # what the detail pane highlights in title and abstract
NO_PLURALS = {"authors", "categories", "ids"}  # where a word is a name or a code, not a word
MAX_QUERY = 500
MAX_WORDS = 40
MAX_DEPTH = 12
MIN_PREFIX = 2
LIVE_PREFIX = 3  # while typing, a last word this long is taken as a prefix

_TOKEN = re.compile(r"[^\W_]+")
_ARXIV_ID = re.compile(
    r"(?:(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/|arxiv:)?"
    rf"({ARXIV_ID})(?:v[0-9]{{1,3}})?(?:\.pdf)?/?",
    re.IGNORECASE,
)


class QueryError(ArxivTuiError):
    """A search that cannot be run; the message says why, for the user."""


@dataclass(frozen=True)
class Word:
    column: str | None  # None: every column but categories
    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class All:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Either:
    nodes: tuple[Node, ...]


Node = Word | Not | All | Either


@dataclass(frozen=True)
class Query:
    text: str
    expression: str  # FTS5 syntax, for `search MATCH ?` ("" when only body: words are asked for)
    highlight: tuple[Term, ...]  # for the title and abstract in the detail pane
    body: str = ""  # FTS5 syntax, for `full_text_search MATCH ?`: the body: words, all wanted


def tokens(text: str) -> tuple[str, ...]:
    """The words FTS5's unicode61 tokenizer makes of `text` (case folded; FTS5 drops accents).
    Folded text is normalised again, since folding can split a letter in two ("ὐ")."""
    text = tex_to_unicode(text) if "\\" in text else text
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKC", fold(text))
    return tuple(_TOKEN.findall(text))


def category_text(category: str) -> str:
    """How a category is indexed: `cs.CL` -> "cs cl", `math-ph` -> "mathph", `astro-ph.CO` ->
    "astroph co", so `cat:math` finds math.* and not math-ph."""
    return " ".join(part.replace("-", "") for part in category.lower().split("."))


def id_text(paper_id: str) -> str:
    """How an id is indexed: `2411.17712` -> "2411 17712", `hep-th/0601001` -> "hepth 0601001"."""
    return " ".join(part.replace("-", "") for part in re.split(r"[./]", paper_id))


def as_arxiv_id(word: str) -> str | None:
    """The bare arXiv id a word names (an id, `arXiv:` id, or an arxiv.org link), if it does."""
    found = _ARXIV_ID.fullmatch(word.strip()[:200])
    return found.group(1) if found else None


# --- reading what was typed -----------------------------------------------------------------------


def _lex(text: str) -> list[tuple[str, str]]:
    """(kind, value) pieces: ( ), phrases ("...", or "..."* for a prefix), and words (where a
    backslash keeps the next character, so TeX such as S\\"ohler stays one word)."""
    pieces: list[tuple[str, str]] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
        elif char in "()":
            pieces.append((char, char))
            position += 1
        elif char == '"':
            end = text.find('"', position + 1)
            end = length if end == -1 else end
            prefix = text.startswith("*", end + 1)
            pieces.append(("phrase*" if prefix else "phrase", text[position + 1 : end]))
            position = end + 1 + prefix
        else:
            end = position
            while end < length and not text[end].isspace() and text[end] not in '()"':
                end += 2 if text[end] == "\\" else 1
            pieces.append(("word", text[position:end]))
            position = end
    return pieces


class _Parser:
    def __init__(self, text: str, live: bool) -> None:
        self.pieces = _lex(text)
        self.position = 0
        self.words = 0
        self.live_prefix = live and bool(text) and text[-1] not in '")'

    def peek(self) -> tuple[str, str] | None:
        return self.pieces[self.position] if self.position < len(self.pieces) else None

    def take(self) -> tuple[str, str]:
        piece = self.pieces[self.position]
        self.position += 1
        return piece

    def parse(self) -> Node | None:
        node = self.either(0)
        if self.peek() is not None:  # a stray ")"
            raise QueryError("a closing parenthesis has no opening one")
        return node

    def either(self, depth: int) -> Node | None:
        options = [self.all(depth)]
        while self.peek() == ("word", "OR"):
            self.take()
            options.append(self.all(depth))
        kept = tuple(option for option in options if option is not None)
        if len(kept) < len(options) and len(options) > 1:
            raise QueryError("OR needs something to search for on both sides")
        return kept[0] if len(kept) == 1 else Either(kept) if kept else None

    def all(self, depth: int) -> Node | None:
        nodes: list[Node] = []
        while (piece := self.peek()) is not None and piece != (")", ")") and piece != ("word", "OR"):
            if piece == ("word", "AND"):
                self.take()
                continue
            node = self.unary(depth)
            if node is not None:
                nodes.append(node)
        return nodes[0] if len(nodes) == 1 else All(tuple(nodes)) if nodes else None

    def unary(self, depth: int) -> Node | None:
        kind, value = self.take()
        if (kind, value) == ("word", "NOT"):
            following = self.peek()
            if following is None or following[0] == ")":
                raise QueryError("NOT needs something after it")
            inner = self.unary(depth)
            return Not(inner) if inner is not None else None
        if kind == "word" and value.startswith("-") and len(value) > 1:
            inner = self.atom("word", value[1:], depth)
            return Not(inner) if inner is not None else None
        return self.atom(kind, value, depth)

    def atom(self, kind: str, value: str, depth: int) -> Node | None:
        if kind == "(":
            if depth >= MAX_DEPTH:
                raise QueryError(f"parentheses nested more than {MAX_DEPTH} deep")
            inner = self.either(depth + 1)
            if self.peek() != (")", ")"):
                raise QueryError("an opening parenthesis is not closed")
            self.take()
            return inner
        if kind == ")":
            raise QueryError("a closing parenthesis has no opening one")
        column = None
        field, colon, rest = value.partition(":")
        if kind == "word" and colon and field.lower() in FIELDS and as_arxiv_id(value) is None:
            column = FIELDS[field.lower()]
            value = rest
            following = self.peek()
            if not value and following is not None and following[0].startswith("phrase"):
                kind, value = self.take()
        return self.word(kind, value, column)

    def word(self, kind: str, value: str, column: str | None) -> Word | None:
        self.words += 1
        if self.words > MAX_WORDS:
            raise QueryError(f"more than {MAX_WORDS} words; search for fewer")
        paper_id = as_arxiv_id(value) if kind == "word" and column in (None, "ids") else None
        if paper_id is not None:
            return Word("ids", tuple(id_text(paper_id).split()))
        prefix = kind == "phrase*" or (kind == "word" and value.endswith("*"))
        if column == "categories":
            found = tuple(category_text(value.rstrip("*").lower()).split())
        else:
            found = tokens(value.rstrip("*"))
        if not found:
            return None  # punctuation only: nothing to look for
        last_word = kind == "word" and self.position == len(self.pieces)
        if not prefix and last_word and self.live_prefix and len(found[-1]) >= LIVE_PREFIX:
            prefix = True
        if prefix and len(found[-1]) < MIN_PREFIX:
            raise QueryError(f"a prefix needs at least {MIN_PREFIX} letters: {value!r}")
        return Word(column, found, prefix)


# --- writing FTS5 -----------------------------------------------------------------------------------


def _plural(word: Word) -> bool:
    """Whether a word also finds its plural, as a keyword does ("black hole" finds "black holes"):
    a whole word ending in a letter, in text (not in names, categories or ids)."""
    return not word.prefix and word.column not in NO_PLURALS and word.tokens[-1][-1:].isalpha()


def _phrase(word: Word) -> str:
    columns = word.column or "{" + " ".join(DEFAULT_COLUMNS) + "}"
    phrase = " ".join(word.tokens)
    if _plural(word):
        return f'{columns} : ("{phrase}" OR "{phrase}s" OR "{phrase}es")'
    return f'{columns} : "{phrase}"' + ("*" if word.prefix else "")


def _expression(node: Node) -> str:
    if isinstance(node, Word):
        return _phrase(node)
    if isinstance(node, Not):
        raise QueryError("a search cannot be only exclusions: add a word to look for")
    if isinstance(node, Either):
        return " OR ".join(f"({_expression(option)})" for option in node.nodes)
    wanted = [f"({_expression(child)})" for child in node.nodes if not isinstance(child, Not)]
    unwanted = [f"({_expression(child.node)})" for child in node.nodes if isinstance(child, Not)]
    if not wanted:
        raise QueryError("a search cannot be only exclusions: add a word to look for")
    return " NOT ".join([" AND ".join(wanted), *unwanted]) if unwanted else " AND ".join(wanted)


def _highlights(node: Node | None) -> list[Term]:
    if isinstance(node, Word):
        if node.column not in HIGHLIGHTED:
            return []
        body = r"[\W_]+".join(re.escape(token) for token in node.tokens)
        ending = r"[^\W_]*" if node.prefix else r"(?:e?s)?(?![^\W_])" if _plural(node) else r"(?![^\W_])"
        return [Term(" ".join(node.tokens), re.compile(r"(?<![^\W_])" + body + ending))]
    if isinstance(node, All | Either):
        return [term for child in node.nodes for term in _highlights(child)]
    return []  # what is excluded is not highlighted


def parse_query(text: str, *, live: bool = False) -> Query:
    """`text` as a Query; QueryError when it cannot be searched.

    `live`: the search box while typing, where the last word is taken as a prefix once it has
    three letters ("diffu" finds "diffusion" before the word is finished).
    """
    typing = live and bool(text) and not text[-1].isspace()  # a space ends the word being typed
    text = text.strip()
    if len(text) > MAX_QUERY:
        raise QueryError(f"a search is at most {MAX_QUERY} characters")
    node = _Parser(text, typing).parse()
    if node is None:
        raise QueryError("nothing to search for: type a word")
    rest, body = _body_words(node)
    expression = _expression(rest) if rest is not None else ""
    return Query(text, expression, tuple(_highlights(node)), " AND ".join(f"({_phrase(w)})" for w in body))


def _body_words(node: Node) -> tuple[Node | None, list[Word]]:
    """The query without its body: words, and those words (full texts have an index of their own,
    so a body: word can only be added to the rest with AND)."""
    nodes = node.nodes if isinstance(node, All) else (node,)
    body = [child for child in nodes if isinstance(child, Word) and child.column == "body"]
    rest = tuple(child for child in nodes if not (isinstance(child, Word) and child.column == "body"))
    if any(_mentions_body(child) for child in rest):
        raise QueryError("body: words can only be added to a search with AND (not OR, NOT or parentheses)")
    return (rest[0] if len(rest) == 1 else All(rest) if rest else None), body


def _mentions_body(node: Node) -> bool:
    if isinstance(node, Word):
        return node.column == "body"
    if isinstance(node, Not):
        return _mentions_body(node.node)
    return any(_mentions_body(child) for child in node.nodes)
