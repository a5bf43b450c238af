"""Small dialogs: a note on a paper (`n`), and exporting a view or the stars to a file (`e`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from arxiv_tui.core.digest import render
from arxiv_tui.core.errors import ArxivTuiError
from arxiv_tui.core.storage import atomic_write

if TYPE_CHECKING:
    from arxiv_tui.tui.app import ArxivApp

NOTE_LIMIT = 2_000
EXTENSIONS = {"bibtex": "bib", "markdown": "md", "json": "json"}


class NoteScreen(ModalScreen[str | None]):
    """A one-line note, kept with the star; enter saves, an empty note removes it, esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note-cancel")]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Note on: {self.paper_title}", style="bold"), classes="dialog-title")
            yield Input(self.note, placeholder="a short note (enter saves; empty removes)", id="note-input")
            yield Static("The note is saved with the star and found by search.", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#note-input")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split())[:NOTE_LIMIT])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[None]):
    """Export the current view or the starred papers as BibTeX, Markdown or JSON."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export-cancel")]
    app: ArxivApp

    def compose(self) -> ComposeResult:
        view_rows = len(self.app.main.papers.rows) if self.app.main else 0
        with Vertical(classes="dialog"):
            yield Static(Text("Export", style="bold"), classes="dialog-title")
            with RadioSet(id="export-scope"):
                yield RadioButton(f"this view ({view_rows} papers)", value=True, id="scope-view")
                yield RadioButton(f"starred papers ({self.app.state.star_count})", id="scope-starred")
            with RadioSet(id="export-format"):
                yield RadioButton("BibTeX", value=True, id="format-bibtex")
                yield RadioButton("Markdown", id="format-markdown")
                yield RadioButton("JSON", id="format-json")
            yield Input(id="export-path")
            yield Static("enter in the file name saves · esc cancels", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).value = str(self.suggested_path())
        self.query_one("#export-scope", RadioSet).focus()

    @property
    def scope(self) -> str:
        pressed = self.query_one("#export-scope", RadioSet).pressed_button
        return "starred" if pressed is not None and pressed.id == "scope-starred" else "view"

    @property
    def format(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return (pressed.id or "format-bibtex").removeprefix("format-") if pressed else "bibtex"

    def suggested_path(self) -> Path:
        folder = self.app.export_folder()
        stamp = dt.date.today().isoformat()
        return folder / f"arxiv-{self.scope}-{stamp}.{EXTENSIONS[self.format]}"

    @on(RadioSet.Changed)
    def choice_changed(self) -> None:
        path = self.query_one("#export-path", Input)
        old = Path(path.value)
        if old.name.startswith("arxiv-"):  # still our suggestion: follow the choices
            path.value = str(old.with_name(self.suggested_path().name))

    @on(Input.Submitted, "#export-path")
    def export(self, event: Input.Submitted) -> None:
        target = Path(event.value).expanduser()
        items, heading = self.app.export_items(self.scope)
        try:
            atomic_write(target, render(self.format, heading, items))
        except ArxivTuiError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.app.notify(f"Exported {len(items)} papers to {target}", timeout=8)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
