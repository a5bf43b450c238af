"""The bundled real listing (arxiv_tui/data/): what `--demo` reads, and what the first-run setup
counts keywords against. It is kept unpacked: `--demo` reads it where it is installed, and
unpacking 2.8 MB cost every demo start 15-25 ms before anything could be drawn."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from arxiv_tui.core.models import Paper

DEMO_LISTING = "demo-listing-2024-11-28.xml"  # every archive's listing of Thu 28 Nov 2024


def demo_listing_bytes() -> bytes:
    return (resources.files("arxiv_tui") / "data" / DEMO_LISTING).read_bytes()


@contextlib.contextmanager
def demo_listing_file() -> Iterator[Path]:
    """The bundled listing as a file: where it is installed (a copy while in use, when the
    package is in a zip)."""
    with resources.as_file(resources.files("arxiv_tui") / "data" / DEMO_LISTING) as path:
        yield path


def demo_papers() -> list[Paper]:
    """The bundled listing's 1,504 papers (0.1 s: call it from a worker)."""
    from arxiv_tui.core.sources.parse import parse_feed

    return parse_feed(demo_listing_bytes(), DEMO_LISTING).papers
