"""The views line: Matched (12) │ speech (4) │ Starred (3) │ All (1,504)..., the current one marked.

Rendered from reactives, so a new count or a resized terminal redraws it. When the views do
not fit, the line starts late enough ("‹ ") for the current view to be seen, and ends with " ›"
when more follow.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from arxiv_tui.core.matching.views import View

SEPARATOR = " │ "


def tab_label(view: View) -> str:
    unread = f", {view.unread:,} unread" if 0 < view.unread < view.count else ""
    today = "" if not view.today else ", all today" if view.today == view.count else f", {view.today:,} today"
    return f"{view.label} ({view.count:,}{unread}{today})"


def view_tabs(labels: list[tuple[str, bool]], width: int) -> Text:
    start = 0
    current = next((index for index, (_, active) in enumerate(labels) if active), 0)

    def span(first: int, last: int) -> int:
        return sum(len(label) for label, _ in labels[first : last + 1]) + len(SEPARATOR) * (last - first)

    while start < current and width > 0 and span(start, current) + 2 > width:
        start += 1
    tabs = Text(no_wrap=True, overflow="ellipsis", end="")
    if start:
        tabs.append("‹ ", style="dim")
    for index, (label, active) in enumerate(labels[start:], start):
        if index > start:
            tabs.append(SEPARATOR, style="dim")
        tabs.append(label, style="bold reverse" if active else "")
    if width > 0 and tabs.cell_len > width:
        tabs.truncate(width - 2)
        tabs.append(" ›", style="dim")
    return tabs


class ViewTabs(Widget):
    DEFAULT_CSS = "ViewTabs { height: 1; padding: 0 1; color: $text-muted; }"
    views: reactive[tuple[View, ...]] = reactive((), layout=False)
    current: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        labels = [(tab_label(view), view.key == self.current) for view in self.views]
        return view_tabs(labels, self.content_size.width)
