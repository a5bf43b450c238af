"""The reader screen's dialogs: each opened with what it needs, its answer applied here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from arxiv_tui.core.base.errors import ArxivTuiError
from arxiv_tui.core.matching.views import SAVED_PREFIX
from arxiv_tui.tui import paper_actions
from arxiv_tui.tui.messages import Notices

if TYPE_CHECKING:
    from arxiv_tui.core.session.keyword_lists import KeywordLists
    from arxiv_tui.tui.screens.dialogs import ExportChoice
    from arxiv_tui.tui.screens.reader import ReaderScreen


def note(screen: ReaderScreen) -> None:
    """`N`: a note on the paper under the cursor (a note keeps the paper in Starred)."""
    from arxiv_tui.tui.screens.dialogs import NoteScreen

    reader, paper = screen.reader, screen.current_paper
    if paper is None:
        return

    def noted(text: str | None) -> None:
        if text is not None:
            if not reader.marking.is_starred(paper.id) and text:
                reader.marking.set_starred(paper, True)
            reader.marking.set_note(paper, text)
            screen.redraw_current()

    screen.app.push_screen(NoteScreen(paper.title, reader.marking.of(paper.id).note), noted)


def tag(screen: ReaderScreen) -> None:
    """`t`: the paper's tags, completed from the tags in use; each tag is a view."""
    from arxiv_tui.tui.screens.tags import TagScreen

    reader, paper = screen.reader, screen.current_paper
    if paper is None:
        return

    def tagged(tags: list[str] | None) -> None:
        if tags is None:
            return
        said = reader.marking.set_tags(paper, tags)
        if said:
            screen.notify(said, timeout=4, markup=False)
        if reader.viewing.tag is not None:
            screen.sync()  # the paper may have left this tag's view
        else:
            screen.redraw_current()

    in_use = reader.marking.tags()
    screen.app.push_screen(TagScreen(paper.title, reader.marking.of(paper.id).tags, in_use), tagged)


def save_search(screen: ReaderScreen) -> None:
    """ctrl+s in the search bar: the query kept under a name, as a view of its own."""
    from arxiv_tui.core.matching.query import QueryError
    from arxiv_tui.tui.screens.dialogs import NameScreen

    text = screen.search.value.strip() if screen.search.display else ""
    if not text:
        screen.notify("Type a search first (/ or F), then ctrl+s saves it as a view", timeout=4)
        return
    reader = screen.reader

    def named(name: str | None) -> None:
        if name is None:
            return
        try:
            kept = reader.saved_views.save(name, text)
        except (QueryError, ValueError) as error:
            screen.notify(f"Not saved: {error}", severity="error", timeout=8)
            return
        screen.search.close()
        screen.papers.focus()
        screen.show_view(SAVED_PREFIX + kept)
        screen.run_saved()  # its view fills when the worker answers
        screen.notify(f"Saved {kept!r}: a view now (D deletes it; digest --search prints it)", timeout=5)

    help = "It becomes a view of its matches in the whole library, newest first, with its unread count."
    screen.app.push_screen(NameScreen(f"Save the search: {text}", text[:60], help), named)


def export(screen: ReaderScreen) -> None:
    """`e`: the view or the stars to a file, written in a worker."""
    from arxiv_tui.tui.screens.dialogs import ExportScreen

    reader = screen.reader
    rows = list(reader.marking.selected.values()) or [row.paper for row in screen.papers.rows]
    stamp = f"{reader.viewing.listing.date}" if reader.viewing.listing else dt.date.today().isoformat()
    folder = paper_actions.export_folder(reader.config)

    def chosen(choice: ExportChoice | None) -> None:
        if choice is not None:
            screen.work(
                lambda: screen.post_message(Notices(paper_actions.export(reader, choice, rows))), "export"
            )

    label = next(
        (view.label for view in reader.viewing.views() if view.key == reader.viewing.view),
        reader.viewing.view,
    )
    if reader.marking.selected:
        label = "picked"
    dialog = ExportScreen(
        len(rows),
        reader.marking.session.star_count,
        folder,
        stamp,
        label,
        reader.marking.tags(),
        reader.viewing.tag,
    )
    screen.app.push_screen(dialog, chosen)


def keywords(screen: ReaderScreen) -> None:
    """`K`: the keyword editor; saving writes config.toml, matches again, refetches for new categories."""
    from arxiv_tui.core.session.keyword_lists import KeywordLists
    from arxiv_tui.tui.screens.keywords import KeywordsScreen

    reader = screen.reader
    config = reader.config

    def save(lists: KeywordLists) -> str | None:
        try:
            refetch = reader.apply_keywords(lists.include, lists.exclude, lists.categories, lists.authors)
        except ArxivTuiError as error:
            return str(error)
        screen.notify("Keywords saved to config.toml", timeout=3)
        screen.sync()
        if refetch:
            screen.start_refresh()
        return None

    lists = KeywordLists(
        list(config.include), list(config.exclude), list(config.authors), list(config.categories)
    )
    screen.app.push_screen(
        KeywordsScreen(lists, reader.viewing.papers, reader.matcher, save, config.include_replacements)
    )


def setup(screen: ReaderScreen) -> None:
    """The first run: categories and keywords chosen (or skipped), then the first refresh."""
    from arxiv_tui.tui.screens.setup import SetupScreen

    reader = screen.reader

    def chosen(lists: KeywordLists | None) -> None:
        if lists is None:
            screen.notify("No keywords yet: K adds them (and changes the categories)", timeout=8)
        else:
            try:
                reader.apply_keywords(lists.include, lists.exclude, lists.categories, lists.authors)
            except ArxivTuiError as error:
                screen.notify(f"Not saved: {error}", severity="error", timeout=15)
            else:
                screen.notify("Saved to config.toml: K changes it any time", timeout=5)
        screen.sync()
        screen.start_refresh()

    screen.app.push_screen(SetupScreen(), chosen)


def help(screen: ReaderScreen) -> None:
    from arxiv_tui.tui.screens.help import HelpScreen

    screen.app.push_screen(HelpScreen(screen.reader.config.keys))
