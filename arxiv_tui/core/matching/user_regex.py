"""A keyword written as `/regex/`: checked when the keywords are read, compiled when first run.

It is a `regex` pattern (V0, case-insensitive), because `regex` runs with a timeout: one that
backtracks catastrophically is stopped, never run forever. Importing `regex` costs about 7 ms,
which a start showing a stored listing need not pay: `regex` V0 accepts every
pattern the standard library's `re` compiles (and more: `\\p{L}`, fuzzy matching), so a pattern
`re` compiles is checked by `re` and compiled by `regex` the first time it runs. Until `regex`
is loaded, a paper's highlights leave such a keyword out (`engine_loaded`): the reader loads it
after its first frame (`load_engine`) and draws them again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_ERRORS: tuple[type[Exception], ...] = (re.error, RecursionError, OverflowError, ValueError)
_loaded = False


def engine_loaded() -> bool:
    """Whether `regex` is imported (a /regex/ then costs only its compiling, 0.2 ms)."""
    return _loaded


def load_engine() -> None:
    global _loaded
    import regex  # noqa: F401  (7 ms)

    _loaded = True


class LaterRegex:
    """A pattern `re` accepted, compiled by `regex` on first use (`finditer` with a timeout)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: Any = None

    def finditer(self, text: str, timeout: float) -> Iterable[Any]:
        if self._compiled is None:
            try:
                self._compiled = _compile(self.source)
            except _regex_errors():  # `re` took it and `regex` did not: it matches nothing
                self._compiled = _compile("(?!)")
        return self._compiled.finditer(text, timeout=timeout)


def _compile(source: str) -> Any:
    import regex

    load_engine()
    return regex.compile(source, regex.IGNORECASE | regex.V0)


def _regex_errors() -> tuple[type[Exception], ...]:
    import regex

    error: type[Exception] = regex.error
    return (error, *_ERRORS)


def user_pattern(source: str) -> Any:
    """The pattern for a `/regex/` keyword's `source` (without the slashes): something with
    `finditer(text, timeout=...)`. Raises ValueError saying what is wrong when it is not valid."""
    try:
        re.compile(source, re.IGNORECASE)
        return LaterRegex(source)
    except _ERRORS:
        pass
    try:
        return _compile(source)
    except _regex_errors() as error:
        raise ValueError(str(error)) from None
