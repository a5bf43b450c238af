"""Every decoder is total and bounded: JSON of any depth, lone surrogates, values of the wrong type
and numbers out of range, ids of any script and length, from every door text comes in by."""

from __future__ import annotations

import json
import shutil

import pytest

from arxiv_tui.core.base.errors import FetchError, StateError
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.base.text import JSON_DEPTH, clean_text, json_value, strip_control
from arxiv_tui.core.library.migrate import migrate
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.library.transfer import import_library
from arxiv_tui.core.matching.query import as_arxiv_id
from arxiv_tui.core.models import Paper, is_arxiv_id
from arxiv_tui.core.sources.arxiv import HttpClient
from arxiv_tui.core.sources.parse import split_id
from arxiv_tui.core.sources.scholar import Scholar
from tests.core.test_migrate import RELEASED_HOME

DEEP = "[" * 100_000 + "]" * 100_000


def export_file(tmp_path, **parts) -> object:
    path = tmp_path / "export.json"
    text = parts.pop("raw", None) or json.dumps({"format": "arxiv-tui library", "version": 1, **parts})
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path):
    library = open_library(tmp_path / "library.sqlite3")
    yield library
    library.close()


# --- JSON nesting ---------------------------------------------------------------------------------


def test_json_nested_100_000_deep_is_refused_not_a_recursion_error():
    with pytest.raises(ValueError, match="nested more than"):
        json_value(DEEP)
    with pytest.raises(ValueError, match="nested more than"):
        json_value('{"a": ' * 70 + "1" + "}" * 70)
    assert json_value('{"a": [[1, "[[[[[[{{{{"]]}') == {"a": [[1, "[[[[[[{{{{"]]}  # brackets in strings
    nested = "[" * JSON_DEPTH + "]" * JSON_DEPTH
    assert json_value(nested) == json.loads(nested)


def test_an_import_nested_100_000_deep_is_refused_by_name_and_nothing_imported(library, tmp_path):
    path = export_file(tmp_path, raw='{"format": "arxiv-tui library", "version": 1, "stars": ' + DEEP + "}")
    with pytest.raises(StateError, match=r"export.json: not valid JSON \(nested more than"):
        import_library(library, path)
    assert library.marks.star_count() == 0


def test_an_answer_of_semantic_scholar_nested_100_000_deep_is_a_failed_request(httpserver, library):
    httpserver.expect_request("/graph/v1/paper/ARXIV:2411.17712").respond_with_data(
        DEEP, content_type="application/json"
    )
    scholar = Scholar(httpserver.url_for("/").rstrip("/"), library.db, HttpClient(5.0).request)
    with pytest.raises(FetchError, match="not JSON"):
        scholar.details("2411.17712")


# --- lone surrogates ------------------------------------------------------------------------------


def test_lone_surrogates_are_removed_wherever_text_comes_in(library, tmp_path):
    assert strip_control("a\ud800b\udfffc") == "abc"
    assert clean_text("Qu\udc00bits") == "Qubits"
    paper_id = "2411.17712"
    path = export_file(
        tmp_path,
        notes=[{"id": paper_id, "note": "read \ud800this"}],
        tags=[{"id": paper_id, "tag": "to\udbff cite"}],
        papers={paper_id: {"title": "Lone \udc80surrogates", "authors": ["A. \ud83d"]}},
    )
    import_library(library, path)  # SQLite cannot even store a lone surrogate: cleaned first
    marks = library.marks.of([paper_id])[paper_id]
    assert marks.note == "read this" and marks.tags == ("to cite",)
    stored = library.paper(paper_id)
    assert stored is not None and stored.title == "Lone surrogates" and stored.authors == ("A.",)


# --- values of the wrong type, numbers out of range -----------------------------------------------


def test_values_of_the_wrong_type_are_named_never_stored_as_pythons_text_for_them(library, tmp_path):
    paper_id = "2411.17712"
    path = export_file(
        tmp_path,
        stars=[{"id": paper_id, "starred_at": 12}, {"id": 2411.17712}],
        notes=[{"id": paper_id, "note": None}],
        tags=[{"id": paper_id, "tag": ["x"]}],
        saved_searches=[{"name": "q", "query": 7}],
        papers={
            paper_id: {"title": "Kept", "version": 2},
            "2411.17713": {"title": None},
            "2411.17714": {"title": "too new", "version": 10**30},
            "2411.17715": {"title": "t", "authors": "Ada Lovelace"},
        },
    )
    summary = import_library(library, path)
    said, skipped = summary.imported(path), " ".join(summary.skipped)
    marks = library.marks.of([paper_id]).get(paper_id)
    assert marks is not None and marks.starred and marks.note == "" and marks.tags == ()
    assert library.saved.all() == []
    assert library.paper("2411.17713") is None and library.paper("2411.17714") is None
    stored = library.paper(paper_id)
    assert stored is not None and stored.version == 2
    assert "None" not in json.dumps(library.marks.noted())
    assert "stars[0].starred_at is not a time" in skipped and "stars[1].id is not an arXiv id" in skipped
    assert "notes[0].note must be text, not null" in skipped and "tags[0].tag must be text" in skipped
    assert "saved_searches[0].query must be text" in skipped and "'version' must be" in skipped
    assert f"and {len(summary.skipped) - 3} more" in said and "Left out" in said


def test_a_paper_from_a_file_is_checked_field_by_field():
    good = {"id": "2411.17712", "title": "T", "version": 3, "authors": ["A"], "categories": ["cs.CL"]}
    assert Paper.from_dict(good).version == 3
    for bad, field in [
        ({**good, "version": True}, "'version'"),
        ({**good, "version": 0}, "'version'"),
        ({**good, "version": 1.5}, "'version'"),
        ({**good, "title": None}, "'title' must be text, not null"),
        ({**good, "authors": "A, B"}, "'authors' must be a list of texts"),
        ({**good, "categories": [1]}, "'categories' must be a list of texts"),
        ({**good, "announce_type": "bogus"}, "'announce_type'"),
        ({**good, "listing_date": "2025-13-45"}, "'listing_date' is not a date"),
        ({**good, "id": "٢٤١١.١٧٧١٢"}, "'id' is not an arXiv id"),
    ]:
        with pytest.raises(ValueError, match=field):
            Paper.from_dict(bad)


# --- ids --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "٢٤١١.١٧٧١٢",
        "２４１１.１７７１２",
        "2411.1771２",
        "a" * 300 + "/0601001",
        "hep-th/060100١",
        "2411.177123",
    ],
)
def test_an_id_takes_ascii_digits_only_and_is_bounded_in_both_forms(text):
    assert not is_arxiv_id(text)
    assert as_arxiv_id(text) is None
    with pytest.raises(ValueError):
        split_id(f"oai:arXiv.org:{text}")


def test_the_two_forms_of_an_id_are_still_read():
    assert is_arxiv_id("2411.17712") and is_arxiv_id("0704.0001") and is_arxiv_id("hep-th/0601001")
    assert is_arxiv_id("math.GT/0309136") and is_arxiv_id("a" * 20 + "/0601001")
    assert split_id("http://arxiv.org/abs/hep-ph/0301050v2") == ("hep-ph/0301050", 2)
    assert as_arxiv_id("arxiv.org/abs/2411.17712v3") == "2411.17712"


# --- an old version's state.json with such values -------------------------------------------------


def test_an_old_state_file_with_values_of_the_wrong_type_migrates_what_it_can(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(RELEASED_HOME, home)
    paths = Paths.under(home)
    state = json.loads(paths.state_file.read_text())
    first = next(iter(state["starred"]))
    state["starred"][first]["note"] = None
    state["starred"]["2504.99999"] = {"paper": {"title": None}, "starred_at": 5}
    state["starred"]["not an id"] = {"paper": {"title": "x"}}
    state["starred"]["2504.88888"] = "not a table"
    state["read"] += [2411, "٢٤١١.١٧٧١٢", None, {"id": "x"}]
    paths.state_file.write_text(json.dumps(state), encoding="utf-8")
    library = open_library(paths.library_file)
    report = migrate(paths, library)
    assert report is not None
    problems = " ".join(report.problems)
    assert "its note is null" in problems and "2504.99999" in problems and "not an id" in problems
    assert library.marks.of([first])[first].starred and library.marks.of([first])[first].note == ""
    assert {pid for pid, _ in library.marks.all_reads()} == {pid for pid in state["read"] if is_arxiv_id(pid)}
    library.close()
