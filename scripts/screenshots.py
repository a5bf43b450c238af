"""Make the README screenshots (screenshots/*.svg) from the bundled demo listing.

Run: python scripts/screenshots.py
It drives the real app headlessly with Textual's Pilot and saves what the screen shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from pathlib import Path

from arxiv_tui.cli.main import demo_home
from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config import load_config
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.core.sources.demo import demo_listing_file as listing_file
from arxiv_tui.tui.app import ArxivApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (160, 44)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)


def star_an_older_version(paths: Paths, title: str) -> None:
    """Before the listing comes: a star, weeks ago, of an older version of a paper the listing
    replaces (its new version then enters the Inbox, as a star's does)."""
    from dataclasses import replace

    from arxiv_tui.core.library.opening import open_library
    from arxiv_tui.core.sources.demo import demo_papers

    paper = next(p for p in demo_papers() if p.is_replacement and title in p.title.lower())
    library = open_library(paths.library_file)
    library.star([replace(paper, version=paper.version - 1, listing_date=None)], at="2024-11-01T09:00:00")
    library.close()


def keep_our_paper(app: ArxivApp) -> None:
    """Our own LaTeXML test paper (tests/fixtures/fulltext) kept as the full text of the paper
    under the cursor, so T shows it offline."""
    from arxiv_tui.core.fulltext.latexml import read_latexml

    page = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "fulltext" / "fulltext-sample.html"
    paper = app.screen.current_paper  # type: ignore[attr-defined]
    app.reader.library.full_texts.keep(paper.id, paper.version, read_latexml(page.read_bytes()))


async def shoot(
    name: str,
    keys: list[str],
    stars: str = "",
    size: tuple[int, int] = SIZE,
    star_before: str = "",
    full_text: bool = False,
) -> None:
    """Press `keys` after starring the papers whose titles contain `stars` (`star_before`: one
    replaced paper's older version, starred before the listing came; `full_text`: our test
    paper kept as the full text of the first paper)."""
    home = demo_home()
    with listing_file() as listing, contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, home, ignore_errors=True)
        paths = Paths.under(home)
        if star_before:
            star_an_older_version(paths, star_before)
        config, _ = load_config(paths.config_file)
        app = ArxivApp(Reader.open(paths, config, feeds=[listing]))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            if full_text:
                keep_our_paper(app)
            if stars:
                for paper in app.reader.viewing.papers:
                    if stars in paper.title.lower():
                        app.reader.marking.set_starred(paper, True)
                app.reader.writer.wait_idle(10)
            for key in keys:
                await pilot.press(key)
                if key == "T":  # the text opens from a worker
                    await settle(pilot)
            await settle(pilot)
            for _ in range(200):  # For you ranks in a worker
                if not app.reader.viewing.unranked(app.reader.viewing.rows()):
                    break
                await pilot.pause(0.05)
            await settle(pilot)
            app.save_screenshot(f"{name}.svg", str(OUT))
            print(f"wrote screenshots/{name}.svg")


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    await shoot("inbox", ["x", "f", "x", "x", "end"], star_before="quantum")
    await shoot("inbox-80x24", ["x", "f", "x", "A"], size=(80, 24), star_before="quantum")
    await shoot("main", ["x", "f", "x"])
    await shoot("main-80x24", ["x", "f"], size=(80, 24))
    await shoot("main-120x40", ["L", "x", "f"], size=(120, 40))
    await shoot("keyword-view", ["v", "v", "j"])
    await shoot("starred", ["f", "n", "n", "f", "f", *"v" * 8])
    await shoot("keyword-editor", ["K", *"speech synthesis"])
    await shoot("help", ["question_mark"])
    await shoot("for-you", ["x", "x", "x", "x", "x", "x", "S"], stars="speech")
    await shoot("full-text", ["T", "right_square_bracket"], full_text=True)
    await shoot("full-text-80x24", ["T", "right_square_bracket", "right_square_bracket", "c"],
                size=(80, 24), full_text=True)  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
