"""The full text on screen (issue 25): `T` on a paper whose full text the library keeps, timed
from the key to its first frame (the one with the full text's footer: after the first round it
opens where the last round left it); then `j` and `space` (a line, a page)
at reading pace, each timed from its write to the first output after it (the app draws nothing
else while idle, so that output is the key's frame).

The paper is the real arXiv page in ../shared (2501.11120v1: 476 blocks, 48 references, about
60 pages), read once and kept for the first papers of the Inbox, in a copy of the workload's
home (the copy's read marks do not change what the other measurements see). Started --offline:
nothing is fetched."""

from __future__ import annotations

import os
import random
import re
import select
import shutil
import tempfile
import time
from pathlib import Path

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.fulltext.latexml import read_latexml
from arxiv_tui.core.library.opening import open_library
from benchmarks.screen import READING_PACE, first_view_order, started

REAL_PAGE = (
    Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "fulltext" / "arxiv-html-2501.11120v1.html"
)
SHOWN = re.compile(rb"Cited here")  # the full text's footer: in its first frame, wherever it opens
PAPERS = 12  # papers given the text: each round opens the one under the cursor


def keep_texts(home: Path, count: int) -> None:
    document = read_latexml(REAL_PAGE.read_bytes())
    library = open_library(Paths.under(home).library_file)
    try:
        for paper_id in first_view_order(home)[:count]:
            paper = library.paper(paper_id)
            if paper is not None:
                library.full_texts.keep(paper.id, paper.version, document)
    finally:
        library.close()


def full_text_on_screen(home: Path, rounds: int, presses: int) -> dict[str, list[float]]:
    """Seconds: `T` to the title, and `j` and `space` to their frames, over `rounds` openings."""
    if not REAL_PAGE.exists():
        raise RuntimeError(f"{REAL_PAGE} is not here: the full-text measurement needs it")
    copy = Path(tempfile.mkdtemp(prefix="arxiv-tui-reading-"))
    try:
        shutil.copytree(home, copy, dirs_exist_ok=True)
        keep_texts(copy, PAPERS)
        app = started(copy, "--offline")
        found: dict[str, list[float]] = {"open": [], "j": [], "space": []}
        try:
            app.drain(0.5)
            for number in range(rounds):
                sent = time.perf_counter()
                app.send("T")
                if not app.read_until(SHOWN, timeout=10):
                    raise RuntimeError(f"the full text was not shown (round {number + 1})")
                found["open"].append(time.perf_counter() - sent)
                app.drain(0.5)  # the rest of the paper is wrapped after the first frame
                for name, key in (("j", "j"), ("space", " ")):
                    found[name] += keyed(app.fd, key, presses, seed=number)
                app.send("\x1b")
                app.drain(0.5)
        finally:
            app.close()
        return found
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def keyed(fd: int, key: str, presses: int, seed: int) -> list[float]:
    """`key` written `presses` times at reading pace; each timed to the first output after it."""
    rng = random.Random(seed)
    timed = []
    for _ in range(presses):
        sent = time.perf_counter()
        os.write(fd, key.encode())
        if select.select([fd], [], [], 2.0)[0]:
            timed.append(time.perf_counter() - sent)
        time.sleep(rng.uniform(*READING_PACE))
        while select.select([fd], [], [], 0.05)[0]:  # the rest of that frame: the pty passes 4 KB
            os.read(fd, 1 << 16)  # at a time, and the app writes the next only once it is read
    return timed
