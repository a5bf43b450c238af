"""`library export` / `library import`: everything the user made, as JSON, merged back without loss."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.incoming.listings import listing_from
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.transfer import export_library, import_library
from arxiv_tui.core.models import NOTE_LIMIT, Listing
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import fixture_bytes


def _quant_ph() -> Listing:
    listing = listing_from(parse_feed(fixture_bytes("rss-quant-ph-2025-04-28.xml")), "quant-ph")
    assert listing is not None
    return listing


LISTING = _quant_ph()


@pytest.fixture
def made(tmp_path) -> Iterator[Library]:
    """A library where the user starred, noted, tagged and read."""
    library = open_library(tmp_path / "made.sqlite3")
    library.store_listing(LISTING)
    one, two, three = LISTING.papers[:3]
    library.star([one, two])
    library.marks.set_note(one.id, "ask about the bound")
    library.marks.set_note(three.id, "noted, never starred")
    library.marks.add_tag([one.id, three.id], "reading group")
    library.marks.set_read([paper.id for paper in LISTING.papers[:10]])
    library.saved.save("my bound", 'abs:"lower bound" -survey', alert=True)
    yield library
    library.close()


def test_an_export_brings_everything_to_a_new_machine(made, tmp_path):
    exported = tmp_path / "mine.json"
    summary = export_library(made, exported)
    said = summary.exported(exported)
    assert "2 stars, 2 notes, 2 tags, 10 read marks, 1 saved search and 3 papers" in said
    fresh = open_library(tmp_path / "fresh.sqlite3")
    imported = import_library(fresh, exported)
    assert imported.new_stars == 2 and imported.new_notes == 2 and imported.new_reads == 10
    for paper in LISTING.papers[:3]:
        assert fresh.marks.of([paper.id]) == made.marks.of([paper.id])
        assert fresh.paper(paper.id).abstract == paper.abstract  # readable offline
    assert [paper.id for paper, _ in fresh.starred()] == [paper.id for paper, _ in made.starred()]
    assert [paper.id for paper in fresh.search("tag:reading").papers]
    assert fresh.saved.all() == [("my bound", 'abs:"lower bound" -survey')]
    assert fresh.saved.alerts() == fresh.saved.all()  # still an alert
    fresh.saved.save("my bound", "cat:quant-ph")  # the same name, another query, on this machine
    again = import_library(fresh, exported)
    assert again.new_searches == 1 and "1 saved search (1 new)" in again.imported(exported)
    theirs = ("my bound (imported)", 'abs:"lower bound" -survey')
    assert fresh.saved.all() == [("my bound", "cat:quant-ph"), theirs]
    assert import_library(fresh, exported).new_searches == 0  # nothing twice
    fresh.close()


def test_importing_twice_changes_nothing_and_different_notes_keep_both_texts(made, tmp_path):
    exported = tmp_path / "mine.json"
    export_library(made, exported)
    again = import_library(made, exported)
    assert (
        again.new_stars == 0 and again.new_notes == 0 and again.combined_notes == 0 and again.new_reads == 0
    )
    data = json.loads(exported.read_text())
    data["notes"][0]["note"] = "written on the other laptop"
    exported.write_text(json.dumps(data))
    merged = import_library(made, exported)
    assert merged.combined_notes == 1 and "both texts kept" in merged.imported(exported)
    paper_id = data["notes"][0]["id"]
    note = made.marks.of([paper_id])[paper_id].note
    assert "written on the other laptop" in note and (
        "ask about the bound" in note or "never starred" in note
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not json", "not valid JSON"),
        (b"[]", "not an arxiv-tui library export"),
        (b'{"format": "something else"}', "not an arxiv-tui library export"),
        (b'{"format": "arxiv-tui library", "version": 99}', "written by another arxiv-tui"),
        (b'{"format": "arxiv-tui library", "version": 1, "stars": {"a": 1}}', "'stars' must be a list"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_by_name_and_nothing_changes(made, tmp_path, content, why):
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    before = made.counts()
    with pytest.raises(StateError) as caught:
        import_library(made, path)
    assert str(path) in str(caught.value) and why in str(caught.value)
    assert made.counts() == before


def test_hostile_entries_are_cleaned_or_skipped(made, tmp_path):
    paper = LISTING.papers[20]
    document = {
        "format": "arxiv-tui library",
        "version": 1,
        "stars": [{"id": paper.id, "starred_at": "9999-99-99"}, {"id": "'; DROP TABLE stars; --"}],
        "notes": [{"id": paper.id, "note": "\x1b[31mred\x1b[0m [b]x[/b]\u202e" + "n" * (NOTE_LIMIT + 5000)}],
        "tags": [{"id": paper.id, "tag": "a;b\nc\x07"}, {"id": paper.id, "tag": ";;;"}],
        "read": [{"id": "../../etc/passwd"}, {"id": paper.id}],
        "papers": {"not an id": {"title": "x"}},
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    import_library(made, path)
    marks = made.marks.of([paper.id])[paper.id]
    assert marks.starred and marks.starred_at[:4] != "9999"  # a time that is no time is replaced
    assert marks.note.startswith("[31mred[0m [b]x[/b]") and len(marks.note) == NOTE_LIMIT  # cut, not refused
    assert marks.tags == ("a b c",) and marks.read
    assert made.marks.star_count() == 3 and made.counts()["reads"] == 11  # the odd ids were skipped


def test_decisions_travel_with_an_export_and_are_learned_on_the_other_machine(tmp_path):
    from arxiv_tui.core.library.marks import ALL_READ, KEEP, SKIP
    from arxiv_tui.core.ranking.ranker import Ranker

    mine = open_library(tmp_path / "mine.sqlite3")
    mine.store_listing(LISTING)
    one, two, three, four = LISTING.papers[:4]
    mine.star([one], decision=KEEP)
    mine.marks.set_read([two.id], decision=SKIP)
    mine.marks.set_read([three.id, four.id], decision=ALL_READ)
    exported = tmp_path / "mine.json"
    export_library(mine, exported)
    mine.close()

    other = open_library(tmp_path / "other.sqlite3")
    other.store_listing(LISTING)
    said = import_library(other, exported).imported(exported)
    assert "4 decisions for ranking to learn" in said
    logged = other.db.read("SELECT paper_id, kind FROM decisions ORDER BY seq")
    assert logged == [(one.id, KEEP), (two.id, SKIP), (three.id, ALL_READ), (four.id, ALL_READ)]
    ranker = Ranker(other, lambda paper: ((), ()))
    assert ranker.learn_pending() == 4
    assert ranker.model.decisions == pytest.approx(1 + 1 + 2 * 0.3)
    assert import_library(other, exported).new_decisions == 0  # the same file again: nothing twice
    other.close()


def test_an_older_export_without_decisions_gives_its_new_stars_as_keeps_and_reads_as_skips(made, tmp_path):
    exported = tmp_path / "old.json"
    export_library(made, exported)
    document = json.loads(exported.read_text())
    del document["decisions"]  # what arxiv-tui wrote before it learned from decisions
    exported.write_text(json.dumps(document))
    fresh = open_library(tmp_path / "fresh.sqlite3")
    fresh.store_listing(LISTING)
    fresh.marks.set_read([LISTING.papers[9].id])  # read here already: not a decision of the import
    summary = import_library(fresh, exported)
    starred = {LISTING.papers[0].id, LISTING.papers[1].id}
    kinds = dict(fresh.db.read("SELECT paper_id, kind FROM decisions"))
    assert {pid for pid, kind in kinds.items() if kind == "keep"} == starred
    skipped = {paper.id for paper in LISTING.papers[:9]} - starred
    assert {pid for pid, kind in kinds.items() if kind == "skip"} == skipped
    assert summary.new_decisions == len(starred) + len(skipped)
    fresh.close()


def test_conversations_with_the_assistant_travel_and_are_found_on_the_other_machine(made, tmp_path):
    from arxiv_tui.core.assistant.answers import Answers

    asked = LISTING.papers[5]  # no star, note or tag: its paper travels for the conversation
    Answers(made).add_turns(
        asked.id, asked.version, "qwen3:8b", [("user", "Which bound?"), ("assistant", "A Holevo bound.")]
    )
    exported = tmp_path / "mine.json"
    assert "1 saved search, 1 conversation with your model and 4 papers" in export_library(
        made, exported
    ).exported(exported)
    fresh = open_library(tmp_path / "fresh.sqlite3")
    try:
        summary = import_library(fresh, exported)
        assert summary.new_conversations == 1 and "1 new conversation with your model" in summary.imported(
            exported
        )
        assert [(turn.role, turn.content) for turn in Answers(fresh).chat(asked.id)] == [
            ("user", "Which bound?"),
            ("assistant", "A Holevo bound."),
        ]
        assert asked.id in {paper.id for paper in fresh.search("Holevo").papers}
        assert import_library(fresh, exported).new_conversations == 0  # a conversation is not doubled
        assert len(Answers(fresh).chat(asked.id)) == 2
    finally:
        fresh.close()
