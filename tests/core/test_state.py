"""state.json: marks survive restarts, merge across instances, and damage never loses the file."""

from __future__ import annotations

import datetime as dt
import time

from arxiv_tui.core.models import Paper
from arxiv_tui.core.state import State


def make_paper(paper_id: str = "2411.17748", title: str = "A paper") -> Paper:
    return Paper(
        paper_id, 2, title, ("Benjamin Rémy",), "Abstract.", ("cs.CL", "cs.SD"), "new", dt.date(2024, 11, 28)
    )


def test_stars_and_read_marks_survive_a_restart(home):
    path = home / "state.json"
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
    state = State(home / "state.json")
    state.set_starred(make_paper())
    state.set_read("x")
    state.set_starred(make_paper(), False)
    state.set_read("x", False)
    again = State(home / "state.json")
    assert not again.is_starred("2411.17748") and not again.is_read("x")


def test_two_instances_keep_each_others_changes(home):
    first = State(home / "state.json")
    second = State(home / "state.json")
    first.set_starred(make_paper("2411.00001"))
    second.set_starred(make_paper("2411.00002"))
    first.set_read("2411.00003")
    second.set_read("2411.00004")
    second.set_starred(make_paper("2411.00001"), False)  # second unstars what first starred
    final = State(home / "state.json")
    assert not final.is_starred("2411.00001")
    assert final.is_starred("2411.00002")
    assert final.is_read("2411.00003") and final.is_read("2411.00004")


def test_stars_are_listed_newest_first(home, monkeypatch):
    import arxiv_tui.core.state as state_module

    times = iter(["2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"])
    monkeypatch.setattr(state_module, "_now", lambda: next(times))
    state = State(home / "state.json")
    state.set_starred(make_paper("2411.00001", "older"))
    state.set_starred(make_paper("2411.00002", "newer"))
    assert [s.paper.title for s in state.stars] == ["newer", "older"]


def test_a_corrupt_state_file_is_moved_aside_and_reported(home):
    path = home / "state.json"
    path.write_text('{"read": [unterminated\n')
    state = State(path)
    assert state.read_ids == frozenset()
    assert len(state.warnings) == 1 and "moved to state.json.corrupt-" in state.warnings[0]
    aside = [p for p in home.iterdir() if p.name.startswith("state.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_text() == '{"read": [unterminated\n'
    state.set_read("2411.1")
    assert State(path).is_read("2411.1")


def test_forty_thousand_read_ids_round_trip(home):
    state = State(home / "state.json")
    state.set_read_many([f"2411.{n:05d}" for n in range(40_000)])
    state.set_read("2411.99999")
    assert len(State(home / "state.json").read_ids) == 40_001


def test_a_state_toml_from_an_earlier_version_is_carried_over(home):
    (home / "state.toml").write_text(
        'version = 1\nlast_seen_listing = "2024-11-28"\nread = ["2411.00001"]\n\n'
        '[starred."2411.17748"]\nstarred_at = "2026-01-01T00:00:00+00:00"\n'
        '[starred."2411.17748".paper]\nversion = 2\ntitle = "A paper"\nauthors = ["Benjamin Rémy"]\n'
        'abstract = "Abstract."\ncategories = ["cs.CL", "cs.SD"]\nannounce_type = "new"\n'
        'listing_date = "2024-11-28"\n'
    )
    state = State(home / "state.json")
    assert state.is_read("2411.00001") and state.star("2411.17748").paper == make_paper()
    state.set_read("2411.00002")
    assert not (home / "state.toml").exists() and (home / "state.toml.migrated").exists()
    again = State(home / "state.json")
    assert again.read_ids == {"2411.00001", "2411.00002"} and again.is_starred("2411.17748")


def test_the_background_saver_saves_off_the_callers_thread_and_flushes_on_close(home):
    import threading

    from arxiv_tui.core.state import BackgroundSaver

    path = home / "state.json"
    state = State(path)
    saved_on: list[str] = []
    real_save = state.save

    def spy() -> None:
        saved_on.append(threading.current_thread().name)
        real_save()

    state.save = spy
    saver = BackgroundSaver(state, on_error=lambda error: None)
    for n in range(200):
        state.set_read(f"2411.{n:05d}")  # returns at once; the saver catches up
    assert state.is_read("2411.00199")  # visible before any save
    for _ in range(250):
        if not state.unsaved:
            break
        time.sleep(0.02)
    assert set(saved_on) == {"arxiv-tui-state-saver"}
    assert len(saved_on) < 200  # changes made during a save are written together
    state.set_read("2411.99999")
    saver.close()  # saves what the thread had no time for
    assert State(path).read_ids == {f"2411.{n:05d}" for n in (*range(200), 99999)}


def test_the_background_saver_reports_a_failed_save_and_keeps_the_change(home, monkeypatch):
    from arxiv_tui.core import state as state_module
    from arxiv_tui.core.errors import StateError
    from arxiv_tui.core.state import BackgroundSaver

    path = home / "state.json"
    state = State(path)
    errors: list[StateError] = []
    saver = BackgroundSaver(state, on_error=errors.append)

    def full_disk(*args, **kwargs):
        raise StateError(f"could not save {path}: No space left on device")

    monkeypatch.setattr(state_module, "atomic_write", full_disk)
    state.set_read("2411.00001")
    for _ in range(100):
        if errors:
            break
        time.sleep(0.02)
    assert errors and "No space left" in str(errors[0])
    assert state.unsaved and state.is_read("2411.00001")
    monkeypatch.undo()
    saver.close()
    assert State(path).is_read("2411.00001")
