"""state.toml: marks survive restarts, merge across instances, and damage never loses the file."""

from __future__ import annotations

import datetime as dt

from arxiv_tui.core.models import Paper
from arxiv_tui.core.state import State


def make_paper(paper_id: str = "2411.17748", title: str = "A paper") -> Paper:
    return Paper(
        paper_id, 2, title, ("Benjamin Rémy",), "Abstract.", ("cs.CL", "cs.SD"), "new", dt.date(2024, 11, 28)
    )


def test_stars_and_read_marks_survive_a_restart(home):
    path = home / "state.toml"
    state = State(path)
    state.set_starred(make_paper())
    state.set_read("2411.00001")
    state.set_last_seen(dt.date(2024, 11, 28))
    again = State(path)
    assert again.is_starred("2411.17748")
    assert again.is_read("2411.00001")
    assert again.last_seen == dt.date(2024, 11, 28)
    star = again.star("2411.17748")
    assert star.paper == make_paper()  # the whole paper is kept, to show it forever
    assert star.starred_at


def test_unstar_and_unread(home):
    state = State(home / "state.toml")
    state.set_starred(make_paper())
    state.set_read("x")
    state.set_starred(make_paper(), False)
    state.set_read("x", False)
    again = State(home / "state.toml")
    assert not again.is_starred("2411.17748") and not again.is_read("x")


def test_two_instances_keep_each_others_changes(home):
    first = State(home / "state.toml")
    second = State(home / "state.toml")
    first.set_starred(make_paper("2411.00001"))
    second.set_starred(make_paper("2411.00002"))
    first.set_read("2411.00003")
    second.set_read("2411.00004")
    second.set_starred(make_paper("2411.00001"), False)  # second unstars what first starred
    final = State(home / "state.toml")
    assert not final.is_starred("2411.00001")
    assert final.is_starred("2411.00002")
    assert final.is_read("2411.00003") and final.is_read("2411.00004")


def test_stars_are_listed_newest_first(home, monkeypatch):
    import arxiv_tui.core.state as state_module

    times = iter(["2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"])
    monkeypatch.setattr(state_module, "_now", lambda: next(times))
    state = State(home / "state.toml")
    state.set_starred(make_paper("2411.00001", "older"))
    state.set_starred(make_paper("2411.00002", "newer"))
    assert [s.paper.title for s in state.stars] == ["newer", "older"]


def test_a_corrupt_state_file_is_moved_aside_and_reported(home):
    path = home / "state.toml"
    path.write_text("read = [unterminated\n")
    state = State(path)
    assert state.read_ids == frozenset()
    assert len(state.warnings) == 1 and "moved to state.toml.corrupt-" in state.warnings[0]
    aside = [p for p in home.iterdir() if p.name.startswith("state.toml.corrupt-")]
    assert len(aside) == 1 and aside[0].read_text() == "read = [unterminated\n"
    state.set_read("2411.1")
    assert State(path).is_read("2411.1")


def test_forty_thousand_read_ids_round_trip(home):
    state = State(home / "state.toml")
    state.set_read_many([f"2411.{n:05d}" for n in range(40_000)])
    state.set_read("2411.99999")
    assert len(State(home / "state.toml").read_ids) == 40_001
