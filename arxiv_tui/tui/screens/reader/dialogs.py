"""The reader's dialogs (each opened with what it needs, its answer applied here; the dialog
modules are imported when first opened, not at start): a note (N), tags (t), a name for a saved
search (ctrl+s), an export (e), the keyword editor (K), the first run's setup, the help (?)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.base.text import counted
from arxiv_tui.core.matching.views import SAVED_PREFIX
from arxiv_tui.tui.messages import Notices
from arxiv_tui.tui.screens.reader.base import ReaderBase

if TYPE_CHECKING:
    from arxiv_tui.core.session.keyword_lists import KeywordLists
    from arxiv_tui.tui.screens.dialogs import ExportChoice


class Dialogs(ReaderBase):
    def action_note(self) -> None:
        """`N`: a note on the paper under the cursor (a note keeps the paper in Starred)."""
        from arxiv_tui.tui.screens.dialogs import NoteScreen

        paper = self.current_paper
        if paper is None:
            return
        note = self.reader.marking.of(paper.id).note
        self.app.push_screen(NoteScreen(paper.title, note), lambda text: self.keep_note(paper, text))

    def action_tag(self) -> None:
        """`t`: the paper's tags (or tags added to every picked paper), completed from the tags in
        use; each tag is a view."""
        from arxiv_tui.tui.screens.tags import TagScreen

        marking = self.reader.marking
        if marking.selected:
            picked = list(marking.selected.values())

            def added(tags: list[str] | None) -> None:
                if tags:
                    changed = marking.add_tags(picked, tags)
                    self.after_marks(
                        f"Tagged {changed:,} of {counted(len(picked), 'paper')}: {', '.join(tags)}"
                    )

            heading = f"{len(picked):,} picked papers (tags are added)"
            self.app.push_screen(TagScreen(heading, (), marking.tags()), added)
            return
        paper = self.current_paper
        if paper is None:
            return

        def tagged(tags: list[str] | None) -> None:
            if tags is None:
                return
            said = marking.set_tags(paper, tags)
            if said:
                self.notify(said, timeout=4, markup=False)
            if self.reader.viewing.tag is not None:
                self.sync()  # the paper may have left this tag's view
            else:
                self.redraw_current()

        self.app.push_screen(TagScreen(paper.title, marking.of(paper.id).tags, marking.tags()), tagged)

    def action_save_search(self) -> None:
        """ctrl+s in the search bar: the query kept under a name, as a view of its own."""
        from arxiv_tui.core.matching.query import QueryError
        from arxiv_tui.tui.screens.dialogs import Named, NameScreen

        search = self.search_if_opened
        text = search.value.strip() if search is not None and search.display else ""
        if not text:
            self.notify("Type a search first (/ or F), then ctrl+s saves it as a view", timeout=4)
            return
        reader = self.reader

        def named(chosen: Named | None) -> None:
            if chosen is None:
                return
            try:
                kept = reader.saved_views.save(chosen.name, text, chosen.alert)
            except (QueryError, ValueError) as error:
                self.notify(f"Not saved: {error}", severity="error", timeout=8)
                return
            self.search.close()
            self.papers.focus()
            self.show_view(SAVED_PREFIX + kept)
            self.run_saved()  # its view fills when the worker answers
            alert = "; an alert: its matches in each new listing enter the Inbox" if chosen.alert else ""
            self.notify(
                f"Saved {kept!r}: a view now{alert} (D deletes it; digest --search prints it)", timeout=6
            )

        help = "It becomes a view of its matches in the whole library, newest first, with its unread count."
        alert = "alert: its matches in each new listing enter the Inbox"
        self.app.push_screen(NameScreen(f"Save the search: {text}", text[:60], help, alert), named)

    def action_export(self) -> None:
        """`e`: the view, the picked papers, a tag or the stars to a file, written in a worker."""
        from arxiv_tui.tui import paper_actions
        from arxiv_tui.tui.screens.dialogs import ExportScreen

        reader = self.reader
        selected = reader.marking.selected
        rows = list(selected.values()) or [row.paper for row in self.papers.rows]
        listing = reader.viewing.listing
        stamp = f"{listing.date}" if listing else dt.date.today().isoformat()
        folder = paper_actions.export_folder(reader.config)

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                write = lambda: self.post_message(Notices(paper_actions.export(reader, choice, rows)))  # noqa: E731
                self.work(write, "export")

        view = reader.viewing.view
        label = next((each.label for each in reader.viewing.views() if each.key == view), view)
        label = "picked" if selected else label
        tags = reader.marking.tags()
        stars = reader.marking.session.star_count
        dialog = ExportScreen(len(rows), stars, folder, stamp, label, tags, reader.viewing.tag)
        self.app.push_screen(dialog, chosen)

    def action_keywords(self) -> None:
        """`K`: the keyword editor; saving writes config.toml, matches again, refetches for new categories."""
        from arxiv_tui.core.session.keyword_lists import KeywordLists
        from arxiv_tui.tui.screens.keywords import KeywordsScreen

        reader = self.reader
        config = reader.config

        def save(lists: KeywordLists) -> str | None:
            try:
                refetch = reader.apply_keywords(lists.include, lists.exclude, lists.categories, lists.authors)
            except ArxivTuiError as error:
                return str(error)
            self.notify("Keywords saved to config.toml", timeout=3)
            self.sync()
            if refetch:
                self.start_refresh()
            return None

        lists = KeywordLists(
            list(config.include), list(config.exclude), list(config.authors), list(config.categories)
        )
        papers, matcher = reader.viewing.papers, reader.matcher
        self.app.push_screen(KeywordsScreen(lists, papers, matcher, save, config.include_replacements))

    def first_run_setup(self) -> None:
        """The first run: categories and keywords chosen (or skipped), then the first refresh."""
        from arxiv_tui.tui.screens.setup import SetupChoice, SetupScreen

        reader = self.reader

        def chosen(choice: SetupChoice | None) -> None:
            if choice is None:
                self.notify(
                    "No categories yet: nothing is fetched until you choose some with K (or in the "
                    "setup, at the next start)",
                    severity="warning",
                    timeout=10,
                )
            else:
                lists = choice.lists
                try:
                    reader.apply_keywords(lists.include, lists.exclude, lists.categories, lists.authors)
                    reader.settings.save_alerts(choice.alerts)
                except ArxivTuiError as error:
                    self.notify(f"Not saved: {error}", severity="error", timeout=15)
                else:
                    self.notify("Saved to config.toml: K changes it any time", timeout=5)
            self.sync()
            self.start_refresh()

        self.app.push_screen(SetupScreen(), chosen)

    def action_help(self) -> None:
        from arxiv_tui.tui.screens.help import HelpScreen

        config = self.reader.config
        self.app.push_screen(HelpScreen(config.keys, assistant=config.assistant is not None))
