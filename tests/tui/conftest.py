"""A reader app on a real recorded listing, in a throwaway home, never touching the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from arxiv_tui.core.config import load_config, update_config
from arxiv_tui.core.paths import Paths
from arxiv_tui.tui.app import ArxivApp
from tests.conftest import FIXTURES

QUANT_PH = FIXTURES / "rss-quant-ph-2025-04-28.xml"
SIZE = (140, 40)


def make_app(
    home: Path,
    feeds=(QUANT_PH,),
    offline=False,
    include=("entanglement", "qubit*", "quantum error correction"),
):
    paths = Paths.under(home)
    if not paths.config_file.exists():
        update_config(
            paths.config_file,
            {
                ("categories",): ["quant-ph"],
                ("keywords", "include"): list(include),
                ("source", "rss_url"): "http://127.0.0.1:9/rss",
            },
        )
    config, _ = load_config(paths.config_file)
    return ArxivApp(paths=paths, config=config, feeds=list(feeds), offline=offline)


async def settle(pilot) -> None:
    """Wait until start-up workers (archive load, fetch) are done and the screen is redrawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def app_factory(home):
    def factory(**options):
        return make_app(home, **options)

    return factory
