"""`?`: every key, grouped, as the user has them now (remapped keys included), from the registry."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from arxiv_tui.tui.commands import KEYWORDS, READER, help_rows

NOTES = (
    "The list: ● unread, ★ starred, x cross-list, 2-9 a replacement's version, ◆ links to code "
    "(◇ code promised), then the primary category.",
    "A paper is read when you open it (Enter, o, a, h), star it or mark it (r, x, A), never by "
    "passing over it; ui.mark_read_after_seconds adds a time in the detail pane.",
    "Views: Matched → one per keyword → Followed authors → Starred → one per #tag → one per "
    "/saved search → All → Replacements (v / V, or 1-9 in that order). t tags a paper; a tag's "
    "view holds its papers from every day; ctrl+s in the search bar saves the search as a view.",
    'Search (/ and F): words, "phrases", prefix*, -word or NOT, OR, (groups), and au: ti: abs: cat: co: '
    "note: tag: fields; an arXiv id finds that paper. O searches all of arXiv (sent on enter), "
    "or opens a pasted arXiv id or link.",
    'Remap a key by its binding id in config.toml, for example: [ui.keys] star = "s,asterisk"; a key '
    "another command has is warned of at start.",
    "ctrl+p opens the command palette (every command, and the theme). Press escape or ? to close.",
)


def keys_table(keymap: Mapping[str, str], assistant: bool = False) -> Table:
    table = Table(expand=True, show_lines=False, box=None, pad_edge=False)
    table.add_column("Keys", style="bold cyan", no_wrap=True)
    table.add_column("What it does")
    table.add_column("Binding id", style="dim", no_wrap=True)
    for screen, heading in ((READER, ""), (KEYWORDS, "In the keyword editor (K)")):
        last = ""
        for group, keys, description, command_id in help_rows(screen, keymap, assistant):
            if group != last:
                table.add_row(Text(heading or group, style="bold underline"), "", "")
                last = group
            table.add_row(keys, description, command_id)
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="close-help")]

    def __init__(self, keymap: Mapping[str, str], assistant: bool = False) -> None:
        """`assistant`: [assistant] is configured, so its keys are listed."""
        super().__init__()
        self.keymap = dict(keymap)
        self.assistant = assistant

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("arxiv-tui keys", style="bold"))
            yield Static(keys_table(self.keymap, self.assistant))
            yield Static(Text("\n".join(NOTES)), classes="help-note")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "?: help"
