"""Small dialogs. Each takes what it shows in its constructor and returns its answer through
`dismiss` (None when cancelled); none knows the App or the reader screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, Static, TextArea

from arxiv_tui.core.base.text import counted
from arxiv_tui.core.models import NOTE_LIMIT, clean_note
from arxiv_tui.core.output.formats import EXTENSIONS


class NoteScreen(ModalScreen[str | None]):
    """A note on a paper: Markdown of any length in a multi-line editor. ctrl+s and escape keep
    it (what was typed is never thrown away by a key); ctrl+e opens it in $EDITOR; a note emptied
    is removed. Dismissed with the note, or None when nothing changed."""

    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start

    BINDINGS = [
        Binding("ctrl+s,escape", "keep", "Keep", id="note-keep", priority=True),  # before the TextArea
        Binding("ctrl+e", "editor", "$EDITOR", id="note-editor"),
    ]

    def __init__(self, title: str, note: str, kept: str | None = None) -> None:
        """`kept`: the note as the library has it, when the editor starts with more (a quote)."""
        super().__init__()
        self.paper_title = title
        self.note = note
        self.kept = note if kept is None else kept

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(Text(f"Note on: {self.paper_title}", style="bold"), classes="dialog-title")
            yield TextArea(self.note, id="note-input", soft_wrap=True, tab_behavior="indent")
            yield Static(
                "Markdown, any length · ctrl+s or esc keeps it · ctrl+e: $EDITOR · empty removes it · "
                "found by search (note:word)",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_keep(self) -> None:
        text = clean_note(self.query_one(TextArea).text)
        self.dismiss(None if text == self.kept else text)

    def action_editor(self) -> None:
        """The note in $EDITOR (or $VISUAL, else vi), the app suspended meanwhile; what it saves
        comes back into the editor here."""
        import os
        import shlex
        import subprocess
        import tempfile

        from textual.app import SuspendNotSupported

        editor = self.query_one(TextArea)
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.TemporaryDirectory(prefix="arxiv-tui-note-") as folder:
            path = Path(folder) / "note.md"
            path.write_text(editor.text, encoding="utf-8")
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(command), str(path)], check=False)
                editor.load_text(path.read_text(encoding="utf-8", errors="replace")[: NOTE_LIMIT * 2])
            except (OSError, ValueError, SuspendNotSupported) as error:  # no such editor, or no terminal
                self.notify(f"$EDITOR could not be used ({error})", severity="error", markup=False)


@dataclass(frozen=True)
class Named:
    name: str
    alert: bool


class NameScreen(ModalScreen[Named | None]):
    """A saved search's name, and whether it is an alert: enter keeps it, esc cancels."""

    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="name-cancel")]

    def __init__(self, title: str, value: str, help: str, alert: str) -> None:
        super().__init__()
        self.heading, self.value, self.help, self.alert = title, value, help, alert

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            yield Input(self.value, placeholder="a name", id="name-input")
            yield Checkbox(self.alert, False, id="name-alert", compact=True)
            yield Static(Text(self.help), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#name-input")
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(Named(event.value.strip(), self.query_one("#name-alert", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DecideScreen(ModalScreen[str | None]):
    """A in the Inbox: decide all of it, or one day of it (a: all, d: the day, esc: neither)."""

    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start

    BINDINGS = [
        Binding("a", "choose('all')", "All", id="decide-all"),
        Binding("d", "choose('day')", "The day", id="decide-day"),
        Binding("escape", "choose('')", "Cancel", id="decide-cancel"),
    ]

    def __init__(self, undecided: int, day: str, of_day: int) -> None:
        super().__init__()
        self.undecided, self.day, self.of_day = undecided, day, of_day

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Text("Mark papers of the Inbox read (decided)", style="bold"), classes="dialog-title"
            )
            choices = Text()
            choices.append("  a  ", style="bold")
            choices.append(f"all {counted(self.undecided, 'undecided paper')}\n")
            choices.append("  d  ", style="bold")
            choices.append(f"only {self.day}: {counted(self.of_day, 'paper')} (the cursor's day)\n")
            choices.append("Esc  ", style="bold")
            choices.append("neither")
            yield Static(choices)
            yield Static("z undoes it afterwards.", classes="dialog-help")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


@dataclass(frozen=True)
class ExportChoice:
    scope: str  # "view", "starred" or "tag"
    format: str  # a key of EXTENSIONS
    path: Path
    tag: str = ""  # the tag exported, when the scope is "tag"


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Export the current view (or the picked papers), the starred papers or one tag's papers as
    BibTeX, Markdown, JSON, RIS or CSV.

    The suggested name carries the view and the listing's date; a typed extension (.bib, .md,
    .json) decides the format; an existing file is replaced only after a second enter."""

    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export-cancel")]

    def __init__(
        self,
        view_count: int,
        star_count: int,
        folder: Path,
        stamp: str,
        view: str = "view",
        tags: Sequence[tuple[str, int]] = (),
        tag: str | None = None,
    ) -> None:
        super().__init__()
        self.view_count = view_count
        self.star_count = star_count
        self.tags = list(tags)  # (tag, papers) of the tags in use
        self.first_tag = tag if tag in dict(self.tags) else (self.tags[0][0] if self.tags else "")
        self.chosen_tag = self.first_tag
        self.folder = folder
        self.stamp = stamp  # the listing's date, for the suggested name
        self.view = slug(view) or "view"
        self.confirmed: Path | None = None  # the existing file the user said to replace

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Export", style="bold"), classes="dialog-title")
            with RadioSet(id="export-scope"):
                yield RadioButton(
                    f"this view ({counted(self.view_count, 'paper')})", value=True, id="scope-view"
                )
                yield RadioButton(f"starred papers ({self.star_count})", id="scope-starred")
                if self.tags:
                    yield RadioButton("the papers tagged:", id="scope-tag")
            if self.tags:
                yield Select(
                    [(Text(f"{name} ({count})"), name) for name, count in self.tags],
                    value=self.first_tag,
                    allow_blank=False,
                    id="export-tag",
                )
            with RadioSet(id="export-format"):
                yield RadioButton("BibTeX", value=True, id="format-bibtex")
                yield RadioButton("Markdown", id="format-markdown")
                yield RadioButton("JSON", id="format-json")
                yield RadioButton("RIS", id="format-ris")
                yield RadioButton("CSV", id="format-csv")
            yield Input(id="export-path")
            yield Static("", id="export-problem", markup=False)
            yield Static(
                "enter in the name saves (.bib .md .json .ris .csv set the format) · esc cancels",
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).value = str(self.suggested_path())
        self.query_one("#export-scope", RadioSet).focus()

    @property
    def scope(self) -> str:
        pressed = self.query_one("#export-scope", RadioSet).pressed_button
        return (pressed.id or "scope-view").removeprefix("scope-") if pressed else "view"

    @property
    def tag(self) -> str:
        if not self.tags:
            return ""
        value = self.query_one("#export-tag", Select).value
        return value if isinstance(value, str) else self.first_tag

    @property
    def format(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return (pressed.id or "format-bibtex").removeprefix("format-") if pressed else "bibtex"

    def suggested_path(self) -> Path:
        name = {"starred": "starred", "tag": slug(self.tag) or "tag"}.get(self.scope, self.view)
        return self.folder / f"arxiv-{name}-{self.stamp}.{EXTENSIONS[self.format]}"

    @on(Select.Changed, "#export-tag")
    def tag_chosen(self, event: Select.Changed) -> None:
        """Choosing a tag means exporting it (the Select's own first report is not a choice)."""
        if event.value == self.chosen_tag:
            return
        self.chosen_tag = str(event.value)
        button = self.query_one("#scope-tag", RadioButton)
        if not button.value:
            button.value = True  # the RadioSet's change follows the suggestion
        else:
            self.choice_changed()

    @on(RadioSet.Changed)
    def choice_changed(self) -> None:
        path = self.query_one("#export-path", Input)
        old = Path(path.value)
        if old.name.startswith("arxiv-"):  # still our suggestion: follow the choices
            path.value = str(old.with_name(self.suggested_path().name))

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        self.query_one("#export-problem", Static).update("")

    @on(Input.Submitted, "#export-path")
    def export(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        problem = self.query_one("#export-problem", Static)
        if not path.name:
            problem.update("Give the file a name")
            return
        if path.is_dir():
            problem.update(f"{path} is a folder: add a file name")
            return
        if path.exists() and self.confirmed != path:
            self.confirmed = path
            problem.update(f"{path.name} exists: enter again replaces it, or change the name")
            return
        fmt = FORMAT_OF.get(path.suffix.lower(), self.format)
        self.dismiss(ExportChoice(self.scope, fmt, path, self.tag if self.scope == "tag" else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


FORMAT_OF = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".ris": "ris",
    ".csv": "csv",
}


def slug(text: str) -> str:
    """A view's name fit for a file name: "large language model*" -> "large-language-model"."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:40]
