"""Every command of the reader, declared once: its id, default keys, what it does, its group.

The screens' key bindings, the command palette, the help screen (`?`) and the README's key
table are all made from this list, so a key remapped in `[ui.keys]` (by id) shows the same
everywhere. `python -m arxiv_tui.tui.commands` prints the README table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from textual.binding import Binding, BindingType

READER, KEYWORDS = "reader", "keywords"
GROUPS = ("Move", "Read and mark", "Views and search", "Papers", "Assistant", "Listings", "App")


class Command(NamedTuple):
    id: str  # the binding id: what [ui.keys] remaps
    keys: str  # default keys, comma-separated, in Textual's names
    action: str  # the screen's action it runs
    description: str
    group: str
    screen: str = READER
    footer: bool = False  # shown in the footer
    palette: bool = True  # offered in the command palette (ctrl+p)
    label: str = ""  # the footer's word for it (default: the description)
    help_keys: str = ""  # how help and the README show the keys, when not from `keys`
    in_help: bool = True  # False: covered by another command's line (the view jumps 2-9)
    priority: bool = False  # before the focused widget's own binding of the key (an Input's ↓)
    assistant: bool = False  # only with [assistant] configured: else no key, no help line, no palette entry


SORT_HELP = "Sort: announced, For you, newest id, title, first author"
FETCH_HELP = "Fetch the latest listing now"
KEYWORDS_HELP = "Edit keywords, authors and categories"
OPEN_HELP = "Read the paper full-size, and mark it read (Enter or Esc: back)"
KEEP_HELP, SKIP_HELP = "Star, then on to the next unread", "Mark read, then on to the next unread"
CLEAR_HELP = "Close the search, or the full-size paper; else back to the Inbox"
PAGE_UP = "Page the abstract up"
QUEUE_HELP = "Reading queue (#to-read): in, or out; full text and PDF kept for offline"
CITATIONS_HELP = "Who cites it (Semantic Scholar); w again: its references, then recommended"
VIEW_CITATIONS_HELP = "Citation counts for the whole view (Semantic Scholar); then S sorts by them"
ELSEWHERE_HELP = "After w: the papers it lists that are not on arXiv (Enter opens one's DOI)"
PICK_HELP = "Pick the paper for an action on several: s r t o d e then act on all picked (Esc: none)"
EXPORT_HELP = "Export the view, a tag or the stars (BibTeX, Markdown, JSON, RIS, CSV)"
JUMP_HELP = "Jump to a view, in the views line's order (1: the Inbox)"
ALL_READ_HELP = "Mark the whole view read (in the Inbox: all of it, or the cursor's day)"
ARXIV_SEARCH_HELP = "Search all of arXiv, or open an arXiv id or link"
SUMMARY_HELP = "Your model's summary of the full text (E again: regenerate; Esc stops it)"
BRIEF_HELP = "Your model's one-line TL;DR of every paper in the view (Esc stops)"
ASK_HELP = "Ask your model about the paper: a conversation kept with it"
R, K = "Read and mark", "Keywords"
V = "Views and search"


def _editor(command_id: str, keys: str, action: str, description: str, label: str) -> Command:
    """A command of the keyword editor: in its footer, not in the reader's palette."""
    return Command(command_id, keys, action, description, K, KEYWORDS, True, False, label)


# fmt: off
COMMANDS: tuple[Command, ...] = (
    Command("help", "question_mark", "help", "Help: every key", "App", footer=True, label="Help"),
    Command("down", "j,down", "cursor_down", "Next paper", "Move"),
    Command("up", "k,up", "cursor_up", "Previous paper", "Move"),
    Command("next-unread", "n", "next_unread", "Next unread paper", "Move", footer=True, label="Next"),
    Command("previous-unread", "p", "previous_unread", "Previous unread paper", "Move"),
    Command("first", "g,home", "first", "First paper", "Move"),
    Command("last", "G,end", "last", "Last paper", "Move"),
    Command("page-down", "pagedown", "page_down", "Page down", "Move", palette=False),
    Command("page-up", "pageup", "page_up", "Page up", "Move", palette=False),
    Command("open", "enter", "open_paper", OPEN_HELP, "Move"),
    Command("page-abstract", "space", "page_detail(1)", "Page the abstract down", "Move", palette=False),
    Command("page-abstract-up", "minus,shift+space", "page_detail(-1)", PAGE_UP, "Move", palette=False),
    Command("star-next", "f", "star_and_next", KEEP_HELP, R, footer=True, label="Keep"),
    Command("skip-next", "x", "skip_and_next", SKIP_HELP, R, footer=True, label="Skip"),
    Command("star", "s", "toggle_star", "Star / unstar (a note is kept)", R, footer=True, label="Star"),
    Command("read", "r", "toggle_read", "Mark read / unread", R),
    Command("all-read", "A", "mark_all_read", ALL_READ_HELP, R),
    Command("undo", "z", "undo", "Undo: an unstar, marking the view read, a removed tag", R),
    Command("note", "N", "note", "A note on the paper: Markdown, ctrl+e for $EDITOR (kept; searchable)", R),
    Command("tag", "t", "tag", "Tag the paper (several tags; each tag is a view)", R),
    Command("pick", "M", "toggle_selected", PICK_HELP, R),
    Command("pick-range", "ctrl+v", "pick_range", "Pick every paper from the last one picked to this one", R),
    Command("unread-only", "u", "toggle_unread_only", "Only unread papers", V),
    Command("next-view", "v", "next_view", "Next view", V, footer=True, label="View"),
    Command("previous-view", "V", "previous_view", "Previous view", V),
    *(
        Command(f"view-{n}", str(n), f"jump_view({n})", JUMP_HELP, V, palette=False, help_keys="1-9",
                in_help=n == 1)
        for n in range(1, 10)
    ),
    # Opening the search bar is a priority binding: taken by the app before the list sees the
    # keys typed right after it (they are the search), and by a focused text box as text.
    Command("search", "slash", "search", "Search this view", V, footer=True, label="Search", priority=True),
    Command("search-library", "F", "search_library", "Search the whole library", V, priority=True),
    Command("citations", "w", "citations", CITATIONS_HELP, "Papers"),
    Command("view-citations", "W", "view_citations", VIEW_CITATIONS_HELP, "Papers"),
    Command("elsewhere", "l", "elsewhere", ELSEWHERE_HELP, "Papers"),
    Command("similar", "m", "similar", "More like this: the library's papers closest to this one", V),
    Command("full-text", "T", "full_text", "Full text, from arXiv's HTML: ] [ sections, c cited", "Papers"),
    Command("queue", "Q", "queue", QUEUE_HELP, "Papers"),
    Command("pdf-pages", "P", "pdf_pages", "The downloaded PDF's pages as pictures", "Papers"),
    Command("summarize", "E", "summarize", SUMMARY_HELP, "Assistant", assistant=True),
    Command("brief-view", "B", "brief_view", BRIEF_HELP, "Assistant", assistant=True),
    Command("ask", "C", "ask", ASK_HELP, "Assistant", assistant=True),
    Command("search-arxiv", "O", "search_arxiv", ARXIV_SEARCH_HELP, V, priority=True),
    Command("save-search", "ctrl+s", "save_search", "Save the search being typed as a view", V),
    Command("delete-search", "D", "delete_search", "Delete this saved search (D twice; z undoes)", V),
    Command("sort", "S", "cycle_sort", SORT_HELP, V),
    Command("code-only", "c", "toggle_code_only", "Only papers that link to code or data", V),
    Command("two-lines", "L", "toggle_two_lines", "Rows of two lines: authors and keywords too", V),
    Command("clear-search", "escape", "clear_search", CLEAR_HELP, V, palette=False),
    Command("open-pdf", "o", "open('pdf')", "Open the PDF", "Papers", footer=True, label="PDF"),
    Command("open-abs", "a", "open('abs')", "Open the abstract page", "Papers"),
    Command("open-html", "h", "open('html')", "Open the HTML version", "Papers"),
    Command("copy-link", "y", "copy_link", "Copy the abstract link", "Papers"),
    Command("copy-bibtex", "b", "copy_bibtex", "Copy the BibTeX entry", "Papers"),
    Command("copy-id", "i", "copy_id", "Copy the arXiv id", "Papers"),
    Command("download", "d", "download", "Download the PDF", "Papers"),
    Command("export", "e", "export", EXPORT_HELP, "Papers"),
    Command("older-listing", "less_than_sign", "older_listing", "Older listing", "Listings"),
    Command("newer-listing", "greater_than_sign", "newer_listing", "Newer listing", "Listings"),
    Command("refetch", "R", "refetch", FETCH_HELP, "Listings"),
    Command("keywords", "K", "keywords", KEYWORDS_HELP, "App"),
    # The App's action: Textual runs a screen's binding on that screen alone, which has no quit.
    Command("quit", "q", "app.quit", "Quit", "App", footer=True, label="Quit"),
    # The keyword editor (K). Typing always goes into its box: no letter is a command there, so
    # a keyword typed at any moment can never delete or change an entry.
    _editor("kw-kind", "tab", "next_kind(1)", "Add to the next list: include, exclude, author, category",
            "Next list"),
    Command("kw-kind-back", "shift+tab", "next_kind(-1)", "Add to the previous list", K, KEYWORDS,
            palette=False),
    Command("kw-entries", "down", "to_entries", "To the entries (↑ at the top: back to the box)", K,
            KEYWORDS, footer=True, palette=False, label="Entries", priority=True),
    Command("kw-edit", "enter", "edit", "Edit the entry (in the entries)", K, KEYWORDS, footer=True,
            palette=False, label="Edit", priority=True),
    Command("kw-delete", "delete,backspace", "delete", "Delete the entry (in the entries)", K, KEYWORDS,
            footer=True, palette=False, label="Delete", priority=True),
    _editor("kw-undo", "ctrl+z", "undo_delete", "Put back the last deleted entry", "Undo"),
    _editor("kw-save", "ctrl+s", "save", "Save to config.toml", "Save"),
    _editor("kw-cancel", "escape", "cancel", "Back to the box; close (asks if unsaved)", "Close"),
)
# fmt: on

KEY_NAMES = {
    "question_mark": "?", "slash": "/", "less_than_sign": "<", "greater_than_sign": ">",
    "pagedown": "PgDn", "pageup": "PgUp", "escape": "Esc", "enter": "Enter", "down": "↓", "up": "↑",
    "home": "Home", "end": "End", "delete": "Del", "space": "Space", "shift+space": "Shift+Space",
    "asterisk": "*", "minus": "-", "tab": "Tab", "shift+tab": "Shift+Tab", "backspace": "Backspace",
}  # fmt: skip


def for_screen(screen: str, assistant: bool = True) -> list[Command]:
    """A screen's commands; without `assistant`, not those of the assistant."""
    return [
        command for command in COMMANDS if command.screen == screen and (assistant or not command.assistant)
    ]


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
            priority=command.priority,
        )
        for command in for_screen(screen)
    ]


def key_text(keys: str) -> str:
    """ "question_mark" -> "?", "j,down" -> "j ↓"."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def keys_of(command: Command, keymap: Mapping[str, str]) -> str:
    """The keys a command has now: remapped by `keymap` (binding id -> keys), else its default."""
    if command.id in keymap:
        return key_text(keymap[command.id])
    return command.help_keys or key_text(command.keys)


def help_rows(
    screen: str, keymap: Mapping[str, str], assistant: bool = True
) -> Iterable[tuple[str, str, str, str]]:
    """(group, keys, description, id) for the help screen, in group order."""
    commands = [command for command in for_screen(screen, assistant) if command.in_help]
    present = dict.fromkeys(command.group for command in commands)
    for group in [*(g for g in GROUPS if g in present), *(g for g in present if g not in GROUPS)]:
        for command in commands:
            if command.group == group:
                yield group, keys_of(command, keymap), command.description, command.id


def _short(command: Command) -> str:
    """ "Who cites it (Semantic Scholar); w again: ..." -> "who cites it"."""
    first = re.split(r" \(|;|:", command.description, maxsplit=1)[0]
    return first[:1].lower() + first[1:]


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with [ui.keys], for a warning at start: an id no command has, and a key
    given to a command while another still has it (Textual would give it to one of them only)."""
    known = {command.id: command for command in COMMANDS}
    problems = [
        f"[ui.keys] {command_id!r}: no command has this binding id (the help, ?, lists them)"
        for command_id in keymap
        if command_id not in known
    ]
    for screen in (READER, KEYWORDS):
        holder: dict[str, Command] = {}
        for command in for_screen(screen):
            for key in (part.strip() for part in keymap.get(command.id, command.keys).split(",")):
                other = holder.setdefault(key, command)
                if other is not command and (command.id in keymap or other.id in keymap):
                    mapped, kept = (command, other) if command.id in keymap else (other, command)
                    problems.append(
                        f"[ui.keys] {mapped.id} = {keymap[mapped.id]!r} gives {key_text(key)} to "
                        f"{_short(mapped)}, but {kept.id} ({_short(kept)}) has it too: give one of them "
                        "another key"
                    )
    return problems


def readme_table() -> str:
    """The README's key table, made from this list (a test checks the README holds it)."""
    lines = ["| keys | what it does | binding id |", "|---|---|---|"]
    assistant = {command.id for command in COMMANDS if command.assistant}
    for _, keys, description, command_id in help_rows(READER, {}):
        only = " (only with `[assistant]`)" if command_id in assistant else ""
        lines.append(f"| `{keys}` | {description}{only} | `{command_id}` |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(readme_table())
