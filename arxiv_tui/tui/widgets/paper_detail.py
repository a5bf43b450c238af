"""The detail pane: the highlighted paper in full."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

EMPTY = Text("No paper to show. Press v to switch views, K to edit keywords, ? for help.", style="dim")


class PaperDetail(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    PaperDetail { padding: 0 1; }
    PaperDetail > Static { width: 1fr; }
    """

    def compose(self):
        yield Static(EMPTY, id="detail-body")

    def show(self, text: Text | None) -> None:
        self.query_one("#detail-body", Static).update(text if text is not None else EMPTY)
        self.scroll_home(animate=False)
