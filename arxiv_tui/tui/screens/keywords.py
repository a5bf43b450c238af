"""`K`: add, edit and delete include terms, exclude terms, authors and categories, with live counts.

It is given its lists, the papers to count against and a `save` callback (which writes
config.toml and says what went wrong, if anything), and dismisses with whether it saved.
Counts (core/keyword_lists.py) run in thread workers: a /regex/ keyword can take up to its
time budget.

Typing always goes into the box, which has the focus when the editor opens: no letter is a
command, so a keyword typed at any moment never deletes or changes an entry (typed while the
entries have the focus, it goes into the box too). Tab picks the list the box adds to; ↓ goes
to the entries, where Enter edits one and Delete deletes it, said and undone by ctrl+z. The
selection stays on the entry just added, edited or deleted; Esc with unsaved changes asks
before it discards them. The footer shows these keys, not the reader's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.keyword_lists import (
    AUTHOR,
    CATEGORY,
    EXCLUDE,
    INCLUDE,
    KINDS,
    EntryCounter,
    KeywordLists,
    problem,
)
from arxiv_tui.tui.commands import KEYWORDS, bindings
from arxiv_tui.tui.widgets.key_bar import KeyBar

LABELS = {INCLUDE: "include", EXCLUDE: "exclude", AUTHOR: "author", CATEGORY: "category"}
PLACEHOLDERS = {
    INCLUDE: "new include term: word, word*, or /regex/ (enter adds)",
    EXCLUDE: "new exclude term (enter adds)",
    AUTHOR: "an author to follow, like Harwath or Yi-Jen Shih (enter adds)",
    CATEGORY: "new category, like cs.CL or hep-th (enter adds)",
}


class KeywordsScreen(ModalScreen[bool]):
    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start
    BINDINGS = bindings(KEYWORDS)

    def __init__(
        self,
        lists: KeywordLists,
        papers: Sequence[Paper],
        matcher: Matcher,
        save: Callable[[KeywordLists], str | None],
        include_replacements: bool = False,
    ) -> None:
        super().__init__()
        self.lists: dict[str, list[str]] = {
            INCLUDE: list(lists.include),
            EXCLUDE: list(lists.exclude),
            AUTHOR: list(lists.authors),
            CATEGORY: list(lists.categories),
        }
        self.counter = EntryCounter(papers, matcher, include_replacements)
        self.save = save
        self.mode = INCLUDE
        self.editing: tuple[str, int] | None = None
        self.saved = {kind: list(values) for kind, values in self.lists.items()}
        self.deleted: list[tuple[str, int, str]] = []  # (kind, index, value): what z puts back
        self.leaving = False  # Esc once with unsaved changes: a second Esc discards them

    def compose(self) -> ComposeResult:
        with Vertical(id="keywords-box"):
            yield Static(Text("Keywords, authors and categories", style="bold"))
            yield Static(id="term-kind")
            yield Input(placeholder=PLACEHOLDERS[INCLUDE], id="term-input", select_on_focus=False)
            yield Static(id="term-feedback")
            yield OptionList(id="entries")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#keywords-box").border_title = "K: keyword editor"
        self.refresh_entries()
        self.show_kind()
        self.field.focus()
        self.show_feedback("")

    @property
    def field(self) -> Input:
        return self.query_one("#term-input", Input)

    @property
    def entries(self) -> OptionList:
        return self.query_one("#entries", OptionList)

    def show_kind(self) -> None:
        """Which list the box adds to, and that Tab changes it."""
        line = Text()
        for kind in KINDS:
            line.append(f" {LABELS[kind]} ", style="bold reverse" if kind == self.mode else "dim")
        line.append("  Tab: the next list · ↓: the entries", style="dim")
        self.query_one("#term-kind", Static).update(line)
        self.field.placeholder = PLACEHOLDERS[self.mode]

    def count_text(self, kind: str, value: str) -> str:
        return self.counter.text(kind, value, self.lists[EXCLUDE])

    def option_index(self, kind: str, index: int) -> int:
        """Where entry `index` of list `kind` is in the option list (lists shown in KINDS order)."""
        before = sum(len(self.lists[other]) for other in KINDS[: KINDS.index(kind)])
        return before + min(index, max(len(self.lists[kind]) - 1, 0))

    def refresh_entries(
        self, keep: int | None = None, counts: dict[tuple[str, str], str] | None = None
    ) -> None:
        """The entries, with their counts when known; unknown counts are computed in a worker."""
        entries = self.query_one("#entries", OptionList)
        options = []
        for kind in KINDS:
            for index, value in enumerate(self.lists[kind]):
                line = Text()
                line.append(
                    f"{LABELS[kind]:<9}",
                    style={INCLUDE: "green", EXCLUDE: "red", AUTHOR: "cyan"}.get(kind, "magenta"),
                )
                line.append(value)
                count = (counts or {}).get((kind, value), "counting…")
                line.append(f"  ({count})", style="dim")
                options.append(Option(line, id=f"{kind}:{index}"))
        highlighted = entries.highlighted if keep is None else keep
        entries.set_options(options)
        if options:
            entries.highlighted = min(highlighted or 0, len(options) - 1)
        if counts is None:
            self.count_entries()

    @work(thread=True, exclusive=True, group="keyword-entry-counts")
    def count_entries(self) -> None:
        """Every entry's count, off the UI thread (a /regex/ may take up to its time budget)."""
        worker = get_current_worker()
        wanted = [(kind, value) for kind in KINDS for value in self.lists[kind]]
        counts = self.counter.texts(wanted, self.lists[EXCLUDE])
        if not worker.is_cancelled:
            self.app.call_from_thread(self.refresh_entries, None, counts)

    # --- the input --------------------------------------------------------------------------

    def validate(self, value: str) -> str | None:
        """The problem with `value` for the current mode, or None."""
        return problem(self.mode, value)

    def show_feedback(self, value: str) -> None:
        """Whether the term is usable, at once; how many papers it matches, from a worker."""
        feedback = self.query_one("#term-feedback", Static)
        verb = "editing" if self.editing else "adds to"
        problem = self.validate(value)
        feedback.set_class(problem is not None, "error")
        if problem:
            feedback.update(Text(f"✗ {problem}"))
        elif value.strip():
            feedback.update(Text(f"{verb} {LABELS[self.mode]}: counting…", style="dim"))
            self.count_live(self.mode, value.strip(), verb)
        else:
            feedback.update(Text(f"{verb} {LABELS[self.mode]}: type a term", style="dim"))

    @work(thread=True, exclusive=True, group="keyword-live-count")
    def count_live(self, kind: str, value: str, verb: str) -> None:
        """The live count of the term being typed; each keystroke's worker replaces the last."""
        worker = get_current_worker()
        count = self.count_text(kind, value)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_live_count, kind, value, verb, count)

    def _show_live_count(self, kind: str, value: str, verb: str, count: str) -> None:
        field = self.query_one("#term-input", Input)
        if field.value.strip() != value or self.mode != kind:
            return  # typed on meanwhile: a newer count is on its way
        feedback = self.query_one("#term-feedback", Static)
        if count.endswith(" papers"):
            feedback.update(Text(f"{verb} {LABELS[kind]}: matches {count} of this listing"))
        else:
            feedback.set_class(True, "error")
            feedback.update(Text(f"✗ {count}"))

    @on(Input.Changed, "#term-input")
    def term_changed(self, event: Input.Changed) -> None:
        self.show_feedback(event.value)

    @on(Input.Submitted, "#term-input")
    def term_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value or self.validate(value):
            self.show_feedback(event.value)
            return
        done = "added to"
        if self.editing is not None:
            kind, index = self.editing
            self.lists[kind][index] = value
            done = "changed in"
        else:
            kind = self.mode
            if value not in self.lists[kind]:
                self.lists[kind].append(value)
            index = self.lists[kind].index(value)
        self.editing = None
        self.leaving = False
        event.input.value = ""
        self.refresh_entries(keep=self.option_index(kind, index))  # on the entry just written
        self.say(f"{done} {LABELS[kind]}: {value} (ctrl+s saves to config.toml)")

    # --- actions ----------------------------------------------------------------------------

    def _selected(self) -> tuple[str, int] | None:
        option = self.query_one("#entries", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        kind, index = option.id.split(":")
        return kind, int(index)

    def action_next_kind(self, step: int) -> None:
        """Tab: the box adds to the next list (an edit in progress keeps its own)."""
        if self.editing is not None:
            return
        self.mode = KINDS[(KINDS.index(self.mode) + step) % len(KINDS)]
        self.show_kind()
        self.field.focus()
        self.show_feedback(self.field.value)

    def action_to_entries(self) -> None:
        if self.entries.option_count:
            self.entries.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()  # the footer shows what works where the focus is

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_entries = self.focused is self.entries
        if action in ("edit", "delete"):
            return in_entries
        if action == "to_entries":
            return not in_entries
        return True

    def on_key(self, event: events.Key) -> None:
        """In the entries, a typed character goes into the box; ↑ on the first entry goes back."""
        if self.focused is not self.entries:
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.field.focus()
            self.field.insert_text_at_cursor(event.character)
        elif event.key == "up" and not self.entries.highlighted:
            event.stop()
            self.field.focus()

    @on(OptionList.OptionSelected, "#entries")
    def entry_chosen(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        kind, index = selected
        self.mode, self.editing = kind, selected
        self.show_kind()
        self.field.value = self.lists[kind][index]
        self.field.focus()
        self.show_feedback(self.field.value)

    def action_delete(self) -> None:
        selected = self._selected()
        if selected is None or self.focused is not self.entries:
            return
        kind, index = selected
        if kind == CATEGORY and len(self.lists[CATEGORY]) == 1:
            self.show_feedback("")
            self.notify("Keep at least one category", severity="warning")
            return
        value = self.lists[kind].pop(index)
        self.deleted.append((kind, index, value))
        self.leaving = False
        self.refresh_entries(keep=self.option_index(kind, index) if self.lists[kind] else None)
        said = f"Deleted {LABELS[kind]} {value!r} · ctrl+z puts it back"
        self.say(said)
        self.notify(said, timeout=5)
        if not self.entries.option_count:
            self.field.focus()

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.say("nothing deleted to put back")
            return
        kind, index, value = self.deleted.pop()
        self.lists[kind].insert(min(index, len(self.lists[kind])), value)
        self.refresh_entries(keep=self.option_index(kind, index))
        self.say(f"put back {LABELS[kind]} {value!r}")

    def say(self, text: str, error: bool = False) -> None:
        feedback = self.query_one("#term-feedback", Static)
        feedback.set_class(error, "error")
        feedback.update(Text(text, style="" if error else "dim"))

    @property
    def unsaved(self) -> bool:
        return self.lists != self.saved

    def action_save(self) -> None:
        problem = self.save(
            KeywordLists(self.lists[INCLUDE], self.lists[EXCLUDE], self.lists[AUTHOR], self.lists[CATEGORY])
        )
        if problem:
            feedback = self.query_one("#term-feedback", Static)
            feedback.set_class(True, "error")
            feedback.update(Text(f"✗ not saved: {problem}"))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        field = self.field
        if self.focused is self.entries:
            field.focus()  # back to the box
            return
        if field.value or self.editing:
            field.value = ""
            self.editing = None
            self.show_feedback("")
            return
        if self.unsaved and not self.leaving:
            self.leaving = True
            self.say("unsaved changes: esc again discards them, ctrl+s saves them", error=True)
            return
        self.dismiss(False)
