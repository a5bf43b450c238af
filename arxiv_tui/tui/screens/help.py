"""`?`: every key binding, with its id for remapping in config.toml [ui.keys]."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

EXTRA_KEYS = [
    ("down / up", "Move (also j / k)", ""),
    ("pageup / pagedown", "Page through the list", ""),
    ("home / end", "First / last paper (also g / G)", ""),
    ("tab", "Move focus between list, detail and search", ""),
    ("ctrl+p", "Command palette: every action, and the theme", ""),
]


def binding_rows(bindings: list[Binding]) -> list[tuple[str, str, str]]:
    rows = []
    for binding in bindings:
        rows.append((binding.key.replace("question_mark", "?").replace("slash", "/")
                     .replace("less_than_sign", "<").replace("greater_than_sign", ">"),
                     binding.description, binding.id or ""))  # fmt: skip
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close-help"),
    ]

    def compose(self) -> ComposeResult:
        from arxiv_tui.tui.app import ArxivApp
        from arxiv_tui.tui.screens.main import MainScreen

        table = Table(title="arxiv-tui keys", expand=True, show_lines=False)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Action")
        table.add_column("Binding id (config.toml [ui.keys])", style="dim")
        keymap = self.app._keymap if hasattr(self.app, "_keymap") else {}
        for key, description, binding_id in binding_rows(MainScreen.BINDINGS + ArxivApp.BINDINGS):
            table.add_row(keymap.get(binding_id, key), description, binding_id)
        for key, description, binding_id in EXTRA_KEYS:
            table.add_row(key, description, binding_id)
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(
                "Views: Matched → one per keyword → Starred → All → Replacements (v / V).\n"
                "Papers become read when shown (ui.mark_read_on_view = false makes it manual).\n"
                "Press escape or ? to close.",
                classes="help-note",
            )
