"""A reader app on a real recorded listing, in a throwaway home, never touching the network."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.app import App
from textual.notifications import SeverityLevel

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.app import ArxivApp
from arxiv_tui.tui.widgets.paper_detail import PaperDetail
from arxiv_tui.tui.widgets.paper_list import PaperList
from tests.conftest import FIXTURES

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"
SIZE = (140, 40)


def make_app(
    home: Path,
    feeds=(QUANT_PH,),
    offline=False,
    include=("entanglement", "qubit*", "quantum error correction"),
    settings: dict | None = None,
    **reader_options,
) -> ArxivApp:
    """`settings`: more config.toml keys, by path, for a new home."""
    paths = Paths.under(home)
    if not paths.config_file.exists():
        update_config(
            paths.config_file,
            {
                ("categories",): ["quant-ph"],
                ("keywords", "include"): list(include),
                ("source", "rss_url"): "http://127.0.0.1:9/rss",
                ("feed", "retention_days"): 36500,  # the recorded listings are from 2025
                **(settings or {}),
            },
        )
    config, warnings = load_config(paths.config_file)
    reader = Reader.open(paths, config, feeds=list(feeds), offline=offline, **reader_options)
    return ArxivApp(reader, warnings=warnings)


async def settle(pilot) -> None:
    """Wait until the workers started so far (open, fetch, searches) are done and shown."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot, condition: Callable[[], object], what: str, limit: float = 30.0) -> None:
    """Let the app run until `condition` holds (a state or an effect, never a time); a run where
    it never does fails after `limit` seconds, saying what never happened."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await pilot.pause(0.02)


async def press_until(pilot, key: str, condition: Callable[[], object], what: str, most: int = 20) -> None:
    """Press `key` until `condition` holds, at most `most` times."""
    for _ in range(most):
        if condition():
            return
        await pilot.press(key)
    assert condition(), f"{key} pressed {most} times, and still not: {what}"


@dataclass(frozen=True)
class Said:
    """A notification as Textual was asked to show it."""

    message: str
    markup: bool
    severity: str


@pytest.fixture(autouse=True)
def _record_notifications(monkeypatch) -> None:
    """Every notification an app shows is kept with it, for `said(app)`."""
    show = App.notify

    def notify(self, message, *, markup: bool = True, severity: SeverityLevel = "information", **options):
        self.__dict__.setdefault("said", []).append(Said(str(message), markup, severity))
        return show(self, message, markup=markup, severity=severity, **options)

    monkeypatch.setattr(App, "notify", notify)


def said(app: App) -> list[Said]:
    """What the app has notified so far, oldest first."""
    return list(app.__dict__.get("said", []))


def messages(app: App) -> list[str]:
    return [note.message for note in said(app)]


async def save_export(pilot, path_field, target) -> None:
    """In the export dialog: the file name typed into `path_field`, then enter, then the write."""
    path_field.value = str(target)
    path_field.focus()
    await pilot.press("enter")
    await settle(pilot)


def saved(home: Path) -> Library:
    """The library as another process would read it now (the caller closes it)."""
    return open_library(Paths.under(home).library_file)


def status_text(app) -> str:
    return app.screen.query_one("#status").text


def detail_text(app) -> str:
    return app.screen.query_one(PaperDetail).text.plain


def list_rows(app) -> list[str]:
    papers = app.screen.query_one("#papers", PaperList)
    return [papers.row_text(index).plain for index in range(len(papers.rows))]


def shown_rows(app):
    return app.screen.query_one("#papers", PaperList).rows


@pytest.fixture
def app_factory(home):
    def factory(**options):
        return make_app(home, **options)

    return factory
