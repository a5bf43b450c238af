"""The status line: what is shown and what is going on, fitted to the terminal's width.

It renders from `status` (a reactive the screen binds), so a new state or a resized terminal
redraws it with no call from anyone. When the line is too long, the least important parts are
dropped first, whole; what a search found and which filters are on are never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

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
KEEP, NOTE, DETAIL = 3, 2, 1  # what to drop first when the line is too long: DETAIL, then NOTE


@dataclass(frozen=True)
class Part:
    text: str
    kind: str = ""  # a key of STYLES, or "" for plain
    keep: int = NOTE


@dataclass(frozen=True)
class Status:
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
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    room = width - (length() - len(title))
    line.append(title if len(title) <= max(room, 8) else title[: max(room, 8) - 1] + "…", style="bold")
    for part in parts:
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
