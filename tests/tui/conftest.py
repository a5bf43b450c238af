"""A reader app on a real recorded listing, in a throwaway home, never touching the network."""

from __future__ import annotations

from pathlib import Path

import pytest

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
