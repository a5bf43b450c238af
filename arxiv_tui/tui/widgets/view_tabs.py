"""The views line: Inbox 158 · 50 today │ Matched 12/50 │ speech 4/9 │ Starred 3 ✓ │ ..., the
current one marked. Every tab says what is left to decide in the same form (`unread/count`), or
✓ when nothing is left: a finished view is dimmed.

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
    today = f" · {view.today:,} today" if view.today else ""
    if view.inbox:  # its count is what is left
        return f"{view.label} {view.count:,}{today}" if view.count else f"{view.label} ✓"
    if not view.count:
        return f"{view.label} 0"
    if not view.unread:
        return f"{view.label} {view.count:,} ✓"
    return f"{view.label} {view.unread:,}/{view.count:,}{today}"


def finished(view: View) -> bool:
    """Nothing left to decide in it (an empty view is not finished: there was nothing)."""
    return view.unread == 0 and (view.count > 0 or view.inbox)


def view_tabs(labels: list[tuple[str, bool, bool]], width: int) -> Text:
    """`labels`: (label, current, finished) for each tab."""
    start = 0
    current = next((index for index, label in enumerate(labels) if label[1]), 0)

    def span(first: int, last: int) -> int:
        return sum(len(label[0]) for label in labels[first : last + 1]) + len(SEPARATOR) * (last - first)

    while start < current and width > 0 and span(start, current) + 2 > width:
        start += 1
    tabs = Text(no_wrap=True, overflow="ellipsis", end="")
    if start:
        tabs.append("‹ ", style="dim")
    for index, (label, active, done) in enumerate(labels[start:], start):
        if index > start:
            tabs.append(SEPARATOR, style="dim")
        tabs.append(label, style="bold reverse" if active else "dim" if done else "")
    if width > 0 and tabs.cell_len > width:
        tabs.truncate(width - 2)
        tabs.append(" ›", style="dim")
    return tabs


class ViewTabs(Widget):
    DEFAULT_CSS = "ViewTabs { height: 1; padding: 0 1; color: $text-muted; }"
    views: reactive[tuple[View, ...]] = reactive((), layout=False)
    current: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        labels = [(tab_label(view), view.key == self.current, finished(view)) for view in self.views]
        return view_tabs(labels, self.content_size.width)
