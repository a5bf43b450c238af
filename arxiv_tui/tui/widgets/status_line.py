"""The status line: what is shown and what is going on, fitted to the terminal's width.

It renders from `status` (a reactive the screen binds), so a new state or a resized terminal
redraws it with no call from anyone. When the line is too long, the least important parts are
dropped first, whole; then the title is shortened, and gone before an error or a hint of how to
get back is cut (those come first on a line too short for everything they must say).
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

SEPARATOR = "  ·  "
STYLES = {
    "busy": "bold cyan",
    "warning": "bold yellow",
    "error": "bold red",
    "filter": "bold",
    "search": "italic",
}
# What to drop first when the line is too long: DETAIL, then NOTE; KEEP stays (shortened last),
# MUST (an error, a hint of how to get back) wins over everything, the title included.
MUST, KEEP, NOTE, DETAIL = 4, 3, 2, 1


class Part(NamedTuple):
    text: str
    kind: str = ""  # a key of STYLES, or "" for plain
    keep: int = NOTE


class Status(NamedTuple):
    title: str
    parts: tuple[Part, ...] = ()


def fitted(status: Status, width: int) -> Text:
    parts = list(status.parts)
    title = status.title

    def length() -> int:
        return len(title) + sum(len(SEPARATOR) + len(part.text) for part in parts)

    for level in (DETAIL, NOTE):
        while length() > width and any(part.keep == level for part in parts):
            drop = max(index for index, part in enumerate(parts) if part.keep == level)
            parts.pop(drop)
    room = width - (length() - len(title))
    if len(title) > room:  # shortened, and gone before an error or a hint is cut
        title = title[: room - 1] + "…" if room >= 9 else ""
    if length() > width:  # still too long: what must be said comes first, the rest is cut
        parts.sort(key=lambda part: part.keep != MUST)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(title, style="bold")
    for part in parts:
        if line.plain:
            line.append(SEPARATOR, style="dim")
        line.append(part.text, style=STYLES.get(part.kind, ""))
    line.truncate(max(width, 1), overflow="ellipsis")
    return line


class StatusLine(Widget):
    DEFAULT_CSS = "StatusLine { height: 1; padding: 0 1; background: $panel; }"
    status: reactive[Status] = reactive(Status("Opening the library…"), layout=False)

    def render(self) -> Text:
        return fitted(self.status, self.content_size.width)

    @property
    def text(self) -> str:
        """What it says, as plain text (for tests)."""
        return fitted(self.status, max(self.content_size.width, 1)).plain
