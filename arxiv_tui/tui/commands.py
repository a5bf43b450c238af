"""Every command of the reader, declared once: its id, default keys, what it does, its group.

The screens' key bindings, the command palette, the help screen (`?`) and the README's key
table are all made from this list, so a key remapped in `[ui.keys]` (by id) shows the same
everywhere. `python -m arxiv_tui.tui.commands` prints the README table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType

READER, KEYWORDS = "reader", "keywords"
GROUPS = ("Move", "Read and mark", "Views and search", "Papers", "Listings", "App")


@dataclass(frozen=True)
class Command:
    id: str  # the binding id: what [ui.keys] remaps
    keys: str  # default keys, comma-separated, in Textual's names
    action: str  # the screen's action it runs
    description: str
    group: str
    screen: str = READER
    footer: bool = False  # shown in the footer
    palette: bool = True  # offered in the command palette (ctrl+p)
    label: str = ""  # the footer's word for it (default: the description)


SORT_HELP = "Sort: announced, For you, newest id, title, first author"
FETCH_HELP = "Fetch the latest listing now"
KEYWORDS_HELP = "Edit keywords, authors and categories"
R, K = "Read and mark", "Keywords"
V = "Views and search"


def _editor(command_id: str, keys: str, action: str, description: str, label: str) -> Command:
    """A command of the keyword editor: in its footer, not in the reader's palette."""
    return Command(command_id, keys, action, description, K, KEYWORDS, True, False, label)


# fmt: off
COMMANDS: tuple[Command, ...] = (
    Command("down", "j,down", "cursor_down", "Next paper", "Move"),
    Command("up", "k,up", "cursor_up", "Previous paper", "Move"),
    Command("first", "g,home", "first", "First paper", "Move"),
    Command("last", "G,end", "last", "Last paper", "Move"),
    Command("page-down", "pagedown", "page_down", "Page down", "Move", palette=False),
    Command("page-up", "pageup", "page_up", "Page up", "Move", palette=False),
    Command("star", "s", "toggle_star", "Star / unstar", R, footer=True, label="Star"),
    Command("read", "r", "toggle_read", "Mark read / unread", R, footer=True, label="Read"),
    Command("note", "n", "note", "A note on the paper (kept with it; searchable)", R),
    Command("unread-only", "u", "toggle_unread_only", "Only unread papers", V, footer=True, label="Unread"),
    Command("next-view", "v", "next_view", "Next view", V, footer=True, label="View"),
    Command("previous-view", "V", "previous_view", "Previous view", V),
    Command("search", "slash", "search", "Search this view", V, footer=True, label="Search"),
    Command("search-library", "F", "search_library", "Search the whole library", V),
    Command("sort", "S", "cycle_sort", SORT_HELP, V, footer=True, label="Sort"),
    Command("code-only", "c", "toggle_code_only", "Only papers that link to code or data", V),
    Command("clear-search", "escape", "clear_search", "Close the search", V, palette=False),
    Command("open-pdf", "o", "open('pdf')", "Open the PDF", "Papers", footer=True, label="PDF"),
    Command("open-abs", "a", "open('abs')", "Open the abstract page", "Papers"),
    Command("open-html", "h", "open('html')", "Open the HTML version", "Papers"),
    Command("copy-link", "y", "copy_link", "Copy the abstract link", "Papers"),
    Command("download", "d", "download", "Download the PDF", "Papers"),
    Command("export", "e", "export", "Export the view or the stars (BibTeX, Markdown, JSON)", "Papers"),
    Command("older-listing", "less_than_sign", "older_listing", "Older listing", "Listings"),
    Command("newer-listing", "greater_than_sign", "newer_listing", "Newer listing", "Listings"),
    Command("refetch", "R", "refetch", FETCH_HELP, "Listings", footer=True, label="Refetch"),
    Command("keywords", "K", "keywords", KEYWORDS_HELP, "App", footer=True, label="Keywords"),
    Command("help", "question_mark", "help", "Help: every key", "App", footer=True, label="Help"),
    Command("quit", "q", "quit", "Quit", "App", footer=True, label="Quit"),
    # The keyword editor (K)
    _editor("kw-add-include", "i", "add('include')", "Add an include term", "Include"),
    _editor("kw-add-exclude", "x", "add('exclude')", "Add an exclude term", "Exclude"),
    _editor("kw-add-author", "a", "add('author')", "Add an author to follow", "Author"),
    _editor("kw-add-category", "c", "add('category')", "Add a category", "Category"),
    _editor("kw-edit", "e,enter", "edit", "Edit the entry", "Edit"),
    _editor("kw-delete", "d,delete", "delete", "Delete the entry", "Delete"),
    _editor("kw-save", "ctrl+s", "save", "Save to config.toml", "Save"),
    _editor("kw-cancel", "escape", "cancel", "Close", "Close"),
)
# fmt: on

KEY_NAMES = {
    "question_mark": "?", "slash": "/", "less_than_sign": "<", "greater_than_sign": ">",
    "pagedown": "PgDn", "pageup": "PgUp", "escape": "Esc", "enter": "Enter", "down": "↓", "up": "↑",
    "home": "Home", "end": "End", "delete": "Del",
}  # fmt: skip


def for_screen(screen: str) -> list[Command]:
    return [command for command in COMMANDS if command.screen == screen]


def bindings(screen: str) -> list[BindingType]:
    """The Textual bindings of a screen, each with its id (so `[ui.keys]` can remap it)."""
    return [
        Binding(
            command.keys,
            command.action,
            command.label or command.description,
            show=command.footer,
            id=command.id,
            tooltip=command.description,
        )
        for command in for_screen(screen)
    ]


def key_text(keys: str) -> str:
    """ "question_mark" -> "?", "j,down" -> "j ↓"."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def keys_of(command: Command, keymap: Mapping[str, str]) -> str:
    """The keys a command has now: remapped by `keymap` (binding id -> keys), else its default."""
    return key_text(keymap.get(command.id, command.keys))


def help_rows(screen: str, keymap: Mapping[str, str]) -> Iterable[tuple[str, str, str, str]]:
    """(group, keys, description, id) for the help screen, in group order."""
    commands = for_screen(screen)
    for group in dict.fromkeys(command.group for command in commands):
        for command in commands:
            if command.group == group:
                yield group, keys_of(command, keymap), command.description, command.id


def readme_table() -> str:
    """The README's key table, made from this list (a test checks the README holds it)."""
    lines = ["| keys | what it does | binding id |", "|---|---|---|"]
    for _, keys, description, command_id in help_rows(READER, {}):
        lines.append(f"| `{keys}` | {description} | `{command_id}` |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
