"""The bundled real listing (arxiv_tui/data/): what `--demo` reads, and what the first-run setup
counts keywords against."""

from __future__ import annotations

import gzip
from importlib import resources

from arxiv_tui.core.models import Paper

DEMO_LISTING = "demo-listing-2024-11-28.xml.gz"  # every archive's listing of Thu 28 Nov 2024


def demo_listing_bytes() -> bytes:
    packed = resources.files("arxiv_tui") / "data" / DEMO_LISTING
    with packed.open("rb") as source, gzip.open(source) as unpacked:
        return unpacked.read()


def demo_papers() -> list[Paper]:
    """The bundled listing's 1,504 papers (0.1 s: call it from a worker)."""
    from arxiv_tui.core.parse import parse_feed

    return parse_feed(demo_listing_bytes(), DEMO_LISTING).papers
