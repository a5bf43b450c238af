"""Tags in the headless Reader: counts and unread counts kept exact, undo, and the library's truth."""

from __future__ import annotations

from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library import Library
from arxiv_tui.core.paths import Paths
from arxiv_tui.core.reader import Reader
from arxiv_tui.core.views import TAG_PREFIX
from tests.conftest import FIXTURES

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"


def open_reader(home) -> Reader:
    paths = Paths.under(home)
    update_config(paths.config_file, {("categories",): ["quant-ph"], ("feed", "retention_days"): 36500})
    config, _ = load_config(paths.config_file)
    reader = Reader.open(paths, config, feeds=[QUANT_PH])
    reader.start_refresh()
    reader.refresh(reader.apply, visit=False)
    reader.apply(reader.open_newest())
    return reader


def tag_view(reader: Reader, tag: str) -> tuple[int, int] | None:
    return next(((v.count, v.unread) for v in reader.views() if v.key == TAG_PREFIX + tag), None)


def test_tag_counts_follow_tags_and_read_marks_and_undo_puts_a_removed_tag_back(home):
    reader = open_reader(home)
    first, second = reader.papers[0], reader.papers[1]
    said = reader.set_tags(first, ["to cite", " to cite ", "thesis"])
    assert said == f"Tags of {first.id}: +to cite, +thesis"
    reader.set_tags(second, ["to cite"])
    assert tag_view(reader, "to cite") == (2, 2) and tag_view(reader, "thesis") == (1, 1)
    reader.set_read([first])
    assert tag_view(reader, "to cite") == (2, 1) and tag_view(reader, "thesis") == (1, 0)
    assert reader.set_tags(first, ["thesis"]) == f"Tags of {first.id}: -to cite"
    assert tag_view(reader, "to cite") == (1, 1)
    assert reader.undo() == f"Tags of {first.id} back: to cite, thesis"
    assert reader.marks(first.id).tags == ("to cite", "thesis") and tag_view(reader, "to cite") == (2, 1)
    reader.set_tags(second, [])
    reader.set_tags(first, [])
    assert tag_view(reader, "to cite") is None and reader.tags() == []  # a tag no paper carries is gone
    reader.undo()
    assert reader.close() is None
    library = Library.open(Paths.under(home).library_file)
    assert library.marks.tag_summary() == [("thesis", 1, 0), ("to cite", 1, 0)]
    library.close()


def test_a_tag_view_lists_tagged_papers_from_any_listing_and_a_new_start_counts_them(home):
    reader = open_reader(home)
    paper = reader.papers[5]
    reader.set_tags(paper, ["reading group"])
    reader.close()
    again = open_reader(home)
    assert tag_view(again, "reading group") == (1, 1)
    again.set_view(TAG_PREFIX + "reading group")
    assert again.rows() == []  # rows are read from the library by a worker; until then none
    rows = again.load_tagged("reading group")
    again.show_tagged("reading group", rows, again.library.marks.of(p.id for p in rows))
    assert [row.paper.id for row in again.rows()] == [paper.id]
    again.set_tags(paper, ["reading group", "later"])
    assert again.marks(paper.id).tags == ("reading group", "later")
    again.set_read([paper])
    assert tag_view(again, "reading group") == (1, 0) and tag_view(again, "later") == (1, 0)
    again.close()
