"""`t`: the tags of a paper, typed with commas and completed from the tags already in use.

The dialog takes the paper's tags and every tag in use (with its count) in its constructor and
dismisses with the new list, or None when cancelled. Removing a tag here is undoable (`z`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from arxiv_tui.core.models import clean_tag

SHOWN_TAGS = 30  # tags in use listed under the field; more are still completed


def split_tags(text: str) -> list[str]:
    """ "reading group, to cite,, " -> ["reading group", "to cite"], cleaned, once each."""
    return list(dict.fromkeys(tag for tag in map(clean_tag, text.split(",")) if tag))


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from the tags in use."""

    def __init__(self, known: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.known = list(known)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, typed = value.rpartition(",")
        typed = typed.lstrip()
        if not typed:
            return None
        already = {tag.casefold() for tag in split_tags(head)}
        for tag in self.known:
            if tag.casefold().startswith(typed.casefold()) and tag.casefold() not in already:
                prefix = value[: len(value) - len(typed)]
                return prefix + tag
        return None


class TagScreen(ModalScreen[list[str] | None]):
    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags-cancel")]

    def __init__(self, title: str, tags: Sequence[str], in_use: Sequence[tuple[str, int]]) -> None:
        super().__init__()
        self.paper_title = title
        self.tags = list(tags)
        self.in_use = list(in_use)

    def compose(self) -> ComposeResult:
        known = [tag for tag, _ in self.in_use]
        with Vertical(classes="dialog"):
            yield Static(Text(f"Tags of: {self.paper_title}", style="bold"), classes="dialog-title")
            yield Input(
                ", ".join(self.tags) + (", " if self.tags else ""),
                placeholder="tags, with commas: reading group, to cite",
                id="tags-input",
                suggester=TagSuggester(known),
            )
            yield Static(self.in_use_text(), id="tags-in-use")
            yield Static(
                "→ completes a tag in use · enter saves · esc cancels · each tag is a view; "
                "search with tag:word. A removed tag comes back with z.",
                classes="dialog-help",
            )

    def in_use_text(self) -> Text:
        if not self.in_use:
            return Text("No tags yet: the first one you type starts a view of its own.", style="dim")
        text = Text("In use: ", style="dim")
        for number, (tag, count) in enumerate(self.in_use[:SHOWN_TAGS]):
            if number:
                text.append(" · ", style="dim")
            text.append(tag, style="bold cyan")
            text.append(f" {count}", style="dim")
        if len(self.in_use) > SHOWN_TAGS:
            text.append(f" · and {len(self.in_use) - SHOWN_TAGS} more", style="dim")
        return text

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#tags-input")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(split_tags(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
