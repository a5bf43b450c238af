"""The main screen: status line, view tabs, paper list, detail pane, search bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar, Static

from arxiv_tui.tui.browser import UnsafeURL, check_url, open_url
from arxiv_tui.tui.model import ANNOUNCED, ARCHIVE_ROWS, FOR_YOU, STARRED, Row
from arxiv_tui.tui.render import detail_text
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from arxiv_tui.tui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    from arxiv_tui.tui.app import ArxivApp


class MainScreen(Screen):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
        Binding("g", "first", "First", show=False, id="first"),
        Binding("G", "last", "Last", show=False, id="last"),
        Binding("s", "toggle_star", "Star", id="star"),
        Binding("r", "toggle_read", "Read", id="read"),
        Binding("u", "toggle_unread_only", "Unread only", id="unread-only"),
        Binding("o", "open('pdf')", "PDF", id="open-pdf"),
        Binding("a", "open('abs')", "Abstract page", show=False, id="open-abs"),
        Binding("h", "open('html')", "HTML", show=False, id="open-html"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link"),
        Binding("slash", "search", "Search", id="search"),
        Binding("F", "search_archive", "Search all", show=False, id="search-archive"),
        Binding("v", "next_view", "View", id="next-view"),
        Binding("V", "previous_view", "Previous view", show=False, id="previous-view"),
        Binding("less_than_sign", "older_listing", "Older listing", show=False, id="older-listing"),
        Binding("greater_than_sign", "newer_listing", "Newer listing", show=False, id="newer-listing"),
        Binding("R", "refetch", "Refetch", id="refetch"),
        Binding("S", "cycle_sort", "Sort", id="sort"),
        Binding("c", "toggle_code_only", "Code only", show=False, id="code-only"),
        Binding("n", "note", "Note", show=False, id="note"),
        Binding("e", "export", "Export", show=False, id="export"),
        Binding("d", "download", "Download PDF", show=False, id="download"),
        Binding("escape", "clear_search", "Clear search", show=False, id="clear-search"),
    ]

    app: ArxivApp

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Static(id="views")
        with Horizontal(id="panes"):
            yield PaperList(id="papers")
            yield PaperDetail(id="detail")
        yield Input(placeholder="search title, authors, abstract (esc clears)", id="search")
        yield ProgressBar(id="download-bar", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one("#download-bar", ProgressBar).display = False
        self.query_one(PaperList).focus()
        self.refresh_all()

    # --- drawing ------------------------------------------------------------------------------

    @property
    def papers(self) -> PaperList:
        return self.query_one(PaperList)

    def refresh_all(self, keep: str | None = None) -> None:
        """Rebuild the list for the current view and filters, keeping the cursor where it can."""
        model = self.app.model
        state = self.app.state
        keep = keep or self.papers.highlighted_id
        rows = model.rows()
        self.papers.show_dates = model.searching_archive or (
            model.listing is not None and model.listing.is_combined
        )
        self.papers.show_rows(rows, state.is_read, state.is_starred, keep)
        self.refresh_header()
        if not rows:
            self.query_one(PaperDetail).show(None)

    def refresh_header(self) -> None:
        model = self.app.model
        listing = model.listing
        status = Text()
        if listing is None:
            status.append("No listing yet", style="bold")
        else:
            status.append(self.app.listing_title(listing), style="bold")
            status.append(f"  ·  {model.matched_count} matched of {len(listing.papers)} announced")
            status.append(f"  ·  {model.unread_count()} unread")
        for note, style in self.app.status_notes():
            status.append("  ·  ")
            status.append(note, style=style)
        if model.unread_only:
            status.append("  ·  unread only", style="bold")
        if model.code_only:
            status.append("  ·  with code only", style="bold green")
        if model.sort != ANNOUNCED:
            status.append(f"  ·  sorted: {model.sort}", style="bold")
            if model.sort == FOR_YOU and not model.scores and model.listing is not None:
                status.append(" (ranking…)", style="cyan")
        if model.searching_archive:
            status.append("  ·  ")
            if model.archive_index is None:
                status.append("indexing every archived listing…", style="bold cyan")
            else:
                shown = min(model.archive_hits, ARCHIVE_ROWS)
                found = f"{model.archive_hits:,} of {len(model.archive_index):,} archived papers"
                status.append(f"search all: {model.search!r}: {found}", style="italic")
                if shown < model.archive_hits:
                    status.append(f" (newest {shown:,} shown)", style="italic")
        elif model.search:
            status.append(f"  ·  search: {model.search}", style="italic")
        self._update_if_changed("#status", status)
        labels = [(f"{view.label} ({view.count})", view.key == model.view) for view in model.views()]
        self._update_if_changed("#views", view_tabs(labels, self.query_one("#views").size.width - 2))

    def _update_if_changed(self, selector: str, text: Text) -> None:
        """Static.update lays out the whole screen: only when the line really changed."""
        widget = self.query_one(selector, Static)
        if getattr(widget, "shown_text", None) != text.markup:
            widget.shown_text = text.markup  # type: ignore[attr-defined]
            widget.update(text, layout=False)  # one line high, whatever it says

    @on(PaperList.Highlighted, "#papers")
    def show_highlighted(self, event: PaperList.Highlighted) -> None:
        row = self.app.whole_row(event.row)
        state = self.app.state
        if self.app.config.mark_read_on_view and not state.is_read(row.paper.id):
            self.app.save(lambda: state.set_read(row.paper.id))
            self.papers.refresh_row(row)
            self.refresh_header()
        self.show_detail(row)

    def show_detail(self, row: Row) -> None:
        state = self.app.state
        star = state.star(row.paper.id) if state.is_starred(row.paper.id) else None
        self.query_one(PaperDetail).show(
            detail_text(
                row.paper,
                row.match,
                read=state.is_read(row.paper.id),
                starred=star is not None,
                highlight=self.app.highlight_style,
                note=star.note if star else "",
                score=self.app.model.scores.get(row.paper.id),
            )
        )

    def redraw_current(self) -> None:
        row = self.current_row
        if row is None:
            return
        self.papers.refresh_row(row)
        self.show_detail(row)
        self.refresh_header()

    @property
    def current_row(self):
        """The paper under the cursor, whole (an archive search lists light copies)."""
        papers = self.papers
        if not 0 <= papers.cursor < len(papers.rows):
            return None
        return self.app.whole_row(papers.rows[papers.cursor])

    # --- actions ------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.papers.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.papers.action_cursor_up()

    def action_first(self) -> None:
        self.papers.action_first()

    def action_last(self) -> None:
        self.papers.action_last()

    def action_toggle_star(self) -> None:
        row = self.current_row
        if row is None:
            return
        state = self.app.state
        starred = not state.is_starred(row.paper.id)
        self.app.save(lambda: state.set_starred(row.paper, starred))
        self.redraw_current()
        if self.app.model.view == STARRED:
            self.refresh_all()

    def action_toggle_read(self) -> None:
        row = self.current_row
        if row is None:
            return
        state = self.app.state
        read = not state.is_read(row.paper.id)
        self.app.save(lambda: state.set_read(row.paper.id, read))
        self.redraw_current()

    def action_toggle_unread_only(self) -> None:
        self.app.model.unread_only = not self.app.model.unread_only
        self.refresh_all()

    def action_open(self, which: str) -> None:
        row = self.current_row
        if row is None:
            return
        self.open_link(row.paper.links[which])

    @work(thread=True, exclusive=False, group="browser")
    def open_link(self, url: str) -> None:
        try:
            check_url(url)
        except UnsafeURL as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if open_url(url, self.app.config.browser):
            self.app.call_from_thread(self.notify, f"Opened {url}", timeout=3)
        else:
            self.app.call_from_thread(self.app.copy_to_clipboard, url)
            self.app.call_from_thread(
                self.notify, f"No browser could be started. Copied to the clipboard:\n{url}", timeout=10
            )

    def action_copy_link(self) -> None:
        row = self.current_row
        if row is not None:
            self.app.copy_to_clipboard(row.paper.abs_url)
            self.notify(f"Copied {row.paper.abs_url}", timeout=3)

    def action_search(self) -> None:
        self._open_search(archive=False)

    def action_search_archive(self) -> None:
        self._open_search(archive=True)
        if self.app.model.archive_index is None:
            self.app.build_archive_index()

    def _open_search(self, archive: bool) -> None:
        model = self.app.model
        search = self.query_one("#search", Input)
        if model.searching_archive != archive:
            model.searching_archive = archive
            self.refresh_all()
        search.placeholder = (
            "search title, authors, abstract of EVERY archived listing (esc clears)"
            if archive
            else "search title, authors, abstract (esc clears)"
        )
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.app.model.search = event.value
        self.refresh_all()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.papers.focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.value = ""
            search.display = False
            self.app.model.search = ""
            self.app.model.searching_archive = False
            self.papers.focus()
            self.refresh_all()

    def action_next_view(self) -> None:
        self.app.model.cycle_view(1)
        self.refresh_all()

    def action_previous_view(self) -> None:
        self.app.model.cycle_view(-1)
        self.refresh_all()

    def action_older_listing(self) -> None:
        self.app.step_listing(-1)

    def action_newer_listing(self) -> None:
        self.app.step_listing(1)

    def action_refetch(self) -> None:
        self.app.start_fetch()

    def action_toggle_code_only(self) -> None:
        self.app.model.code_only = not self.app.model.code_only
        self.refresh_all()

    def action_cycle_sort(self) -> None:
        model = self.app.model
        model.cycle_sort()
        if model.sort == FOR_YOU and not model.scores:
            self.app.rank_for_you()
        self.refresh_all()
        self.papers.move_to(0)

    def action_note(self) -> None:
        row = self.current_row
        if row is None:
            return
        from arxiv_tui.tui.screens.dialogs import NoteScreen

        star = self.app.state.star(row.paper.id) if self.app.state.is_starred(row.paper.id) else None

        def save_note(note: str | None) -> None:
            if note is None:
                return
            state = self.app.state
            if not state.is_starred(row.paper.id):
                self.app.save(lambda: state.set_starred(row.paper, True))  # a note keeps the paper
            self.app.save(lambda: state.set_note(row.paper.id, note))
            self.redraw_current()

        self.app.push_screen(NoteScreen(row.paper.title, star.note if star else ""), save_note)

    def action_export(self) -> None:
        from arxiv_tui.tui.screens.dialogs import ExportScreen

        self.app.push_screen(ExportScreen())

    def action_download(self) -> None:
        row = self.current_row
        if row is not None:
            self.app.download_pdf(row.paper)

    def show_download(self, done: int | None, total: int | None, paper_id: str) -> None:
        """The progress bar under the list while a PDF downloads; hidden when `done` is None."""
        bar = self.query_one("#download-bar", ProgressBar)
        bar.display = done is not None
        if done is not None:
            bar.border_title = Text(f"downloading {paper_id}")
            bar.update(total=total, progress=done)


def view_tabs(labels: list[tuple[str, bool]], width: int) -> Text:
    """The views line; when it is wider than the screen, it starts late enough (with "‹ ") for
    the current view to be seen, and ends with " ›" when more follow."""
    separator = " │ "
    start = 0
    current = next((index for index, (_, active) in enumerate(labels) if active), 0)

    def span(first: int, last: int) -> int:
        return sum(len(label) for label, _ in labels[first : last + 1]) + len(separator) * (last - first)

    while start < current and width > 0 and span(start, current) + 2 > width:
        start += 1
    tabs = Text(no_wrap=True, overflow="ellipsis")
    if start:
        tabs.append("‹ ", style="dim")
    for index, (label, active) in enumerate(labels[start:], start):
        if index > start:
            tabs.append(separator, style="dim")
        tabs.append(label, style="bold reverse" if active else "")
    if width > 0 and tabs.cell_len > width:
        tabs.truncate(width - 2)
        tabs.append(" ›", style="dim")
    return tabs
