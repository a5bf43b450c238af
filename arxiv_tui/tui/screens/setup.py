"""The first run: pick categories by name, a few keywords and excluded words, counted live on a
real listing, and which alerts to have.

Shown over the reader when arxiv-tui starts on a home with no categories, so that nobody starts
on someone else's. Categories come from arXiv's taxonomy (core/taxonomy.py) and are found by name
or code; each keyword's count is against the bundled listing of Thu 28 Nov 2024 (every archive,
1,504 papers), within the chosen categories, counted as the reader will show it (excluded
words applied, replacements hidden). Tab goes box to box. Esc asks before it skips, and a
skip writes no categories: the setup comes back at the next start. It dismisses with the
choices, or None.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from arxiv_tui.core.base import taxonomy
from arxiv_tui.core.matching.match import Matcher, check_terms
from arxiv_tui.core.models import Paper
from arxiv_tui.core.session.keyword_lists import INCLUDE, EntryCounter, KeywordLists

INTRO = (
    "Choose the arXiv categories to read and a few keywords: the reader shows each day's papers "
    "that match. K changes it all later. To look around first: arxiv-tui --demo"
)


HELP = "↑↓ enter: choose a category · tab: next box · ctrl+s: save · esc: skip"
ALERTS = (  # Config field, label; each explained in config.toml's [alerts]
    ("alert_authors", "followed authors"),
    ("alert_versions", "new versions"),
    ("alert_citations", "citations of stars"),
)


@dataclass(frozen=True)
class SetupChoice:
    lists: KeywordLists
    alerts: dict[str, bool]  # Config field -> on


def split_terms(text: str) -> list[str]:
    """ "speech synthesis, LLM*, /a,b/" -> the terms; a comma inside /regex/ does not split."""
    terms: list[str] = []
    current: list[str] = []
    in_regex = False
    for char in text:
        if char == "/" and not "".join(current).strip():
            in_regex = True
        elif char == "/" and in_regex:
            in_regex = False
        if char == "," and not in_regex:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return [term.strip() for term in terms if term.strip()]


class SetupScreen(ModalScreen[SetupChoice | None]):
    CSS_PATH = "modal.tcss"  # its rules load with the first dialog, not at start
    BINDINGS = [
        Binding("ctrl+s", "save", "Save and start", id="setup-save"),
        Binding("escape", "skip", "Skip", id="setup-skip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []
        self.papers: list[Paper] = []
        self.in_category: Counter[str] = Counter()  # demo papers in each category and archive
        self.skipping = False  # Esc once: a second Esc skips

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-box"):
            yield Static(Text(INTRO), classes="setup-intro")
            yield Input(
                placeholder="find a category by name or code: language, speech, hep-th",
                id="find",
                compact=True,
            )
            found = OptionList(id="categories", compact=True)
            found.can_focus = False  # ↑↓ in the box above move in it: Tab goes box to box
            yield found
            yield Static(id="chosen")
            yield Input(
                placeholder="keywords, with commas: speech synthesis, LLM*, diffusion",
                id="terms",
                compact=True,
            )
            yield Input(placeholder="excluded words, with commas: survey, review", id="exclude", compact=True)
            yield Static(id="counts")
            with Horizontal(id="alerts"):
                yield Static("Alerts:", id="alerts-label")
                for field, label in ALERTS:
                    yield Checkbox(label, True, id=field, compact=True)
            yield Static(Text(HELP), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#setup-box").border_title = "arxiv-tui: first start"
        self.show_categories("")
        self.show_chosen()
        self.query_one("#find", Input).focus()
        self.load_demo()

    @work(thread=True, exclusive=True, group="setup-demo")
    def load_demo(self) -> None:
        from arxiv_tui.core.sources.demo import demo_papers

        papers = demo_papers()
        counts: Counter[str] = Counter()
        for paper in papers:
            counts.update({*paper.categories, *(category.split(".")[0] for category in paper.categories)})
        self.app.call_from_thread(self._demo_loaded, papers, counts)

    def _demo_loaded(self, papers: list[Paper], counts: Counter[str]) -> None:
        self.papers, self.in_category = papers, counts
        self.show_categories(self.query_one("#find", Input).value)
        self.count_terms(self.query_one("#terms", Input).value)

    # --- categories -----------------------------------------------------------------------------

    def show_categories(self, text: str) -> None:
        options = []
        matches = taxonomy.find(text)
        if self.papers and text.strip():  # the busiest categories first (a stable sort keeps ties)
            matches.sort(key=lambda item: -self.in_category[item[0]])
        for code, name in matches:
            line = Text(
                "✓ " if code in self.chosen else "  ", style="bold green", no_wrap=True, overflow="ellipsis"
            )
            line.append(f"{code:<19} ", style="magenta")
            line.append(name)
            if self.papers:
                line.append(f"  {self.in_category[code]} on 28 Nov", style="dim")
            options.append(Option(line, id=code))
        found = self.query_one("#categories", OptionList)
        highlighted = found.highlighted
        found.set_options(options)
        if options:
            found.highlighted = min(highlighted or 0, len(options) - 1)

    def show_chosen(self) -> None:
        text = Text("Categories: ", style="bold")
        if self.chosen:
            text.append(", ".join(f"{code} ({taxonomy.name_of(code)})" for code in self.chosen))
        else:
            text.append("none yet: find one above and press enter", style="dim")
        self.query_one("#chosen", Static).update(text)

    @on(Input.Changed, "#find")
    def find_changed(self, event: Input.Changed) -> None:
        self.show_categories(event.value)

    @on(Input.Submitted, "#find")
    def find_submitted(self) -> None:
        """Enter in the search field chooses the highlighted category and clears the field."""
        found = self.query_one("#categories", OptionList)
        if found.highlighted is None or not found.option_count:
            return
        self.toggle_category(found.get_option_at_index(found.highlighted).id or "")
        self.query_one("#find", Input).value = ""

    def on_key(self, event) -> None:
        """Up and down in the search field move through the categories it found."""
        if event.key in ("up", "down") and self.focused is self.query_one("#find", Input):
            found = self.query_one("#categories", OptionList)
            found.action_cursor_down() if event.key == "down" else found.action_cursor_up()
            event.stop()

    @on(OptionList.OptionSelected, "#categories")
    def toggle(self, event: OptionList.OptionSelected) -> None:
        self.toggle_category(event.option.id or "")

    def toggle_category(self, code: str) -> None:
        if code in self.chosen:
            self.chosen.remove(code)
        elif code:
            self.chosen.append(code)
        self.show_categories(self.query_one("#find", Input).value)
        self.show_chosen()
        self.count_terms(self.query_one("#terms", Input).value)

    # --- keywords -------------------------------------------------------------------------------

    @on(Input.Changed, "#terms")
    @on(Input.Changed, "#exclude")
    def terms_changed(self) -> None:
        self.count_terms(self.query_one("#terms", Input).value)

    @on(Input.Submitted, "#terms")
    @on(Input.Submitted, "#exclude")
    def terms_submitted(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="setup-counts")
    def count_terms(self, text: str) -> None:
        """Each keyword's papers in the bundled listing, within the chosen categories."""
        worker = get_current_worker()
        terms = split_terms(text)
        excludes = split_terms(self.query_one("#exclude", Input).value)
        problems = check_terms([*terms, *excludes])
        line = Text()
        if problems:
            line.append("✗ " + "; ".join(problems), style="bold red")
        elif not terms:
            line.append("no keywords yet: without any, the reader shows every paper in All", style="dim")
        elif not self.papers:
            line.append("counting…", style="dim")
        else:
            chosen = set(self.chosen)
            papers = [
                paper
                for paper in self.papers
                if not chosen or chosen & {*paper.categories, *(c.split(".")[0] for c in paper.categories)}
            ]
            where = "in your categories" if chosen else "in all of arXiv"
            line.append(f"On Thu 28 Nov 2024, {where}: ", style="dim")
            counter = EntryCounter(papers, Matcher(()), include_replacements=False)  # as the reader shows
            said = counter.texts([(INCLUDE, term) for term in terms], excludes)
            counts = [f"{term} {said[(INCLUDE, term)].removesuffix(' papers').removesuffix(' paper')}"
                      for term in terms]  # fmt: skip
            line.append(" · ".join(counts))
        if not worker.is_cancelled:
            self.app.call_from_thread(self.query_one("#counts", Static).update, line)

    # --- leaving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        terms = split_terms(self.query_one("#terms", Input).value)
        excludes = split_terms(self.query_one("#exclude", Input).value)
        if not self.chosen:
            self.query_one("#chosen", Static).update(
                Text("Choose at least one category first", style="bold red")
            )
            self.query_one("#find", Input).focus()
            return
        if check_terms(terms) or check_terms(excludes):
            self.query_one("#terms" if check_terms(terms) else "#exclude", Input).focus()
            return
        alerts = {field: self.query_one(f"#{field}", Checkbox).value for field, _ in ALERTS}
        self.dismiss(SetupChoice(KeywordLists(terms, excludes, [], list(self.chosen)), alerts))

    def action_skip(self) -> None:
        """Esc: asks first; skipped, no categories are written (the setup comes back)."""
        if not self.skipping:
            self.skipping = True
            self.query_one("#chosen", Static).update(
                Text(
                    "Esc again skips: with no categories nothing is fetched until you choose some "
                    "(K, or this setup at the next start). ctrl+s saves what you chose.",
                    style="bold yellow",
                )
            )
            return
        self.dismiss(None)
