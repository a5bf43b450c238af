"""What several core tests stand on: a library holding the demo listing (a real arXiv day)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from arxiv_tui.core.incoming.listings import listing_from
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.library.opening import open_library
from arxiv_tui.core.models import Paper
from arxiv_tui.core.sources.parse import parse_feed
from tests.conftest import demo_listing_bytes


@pytest.fixture
def demo_library(tmp_path) -> Iterator[Library]:
    """A library in tmp_path (library.sqlite3) holding the demo listing of 2024-11-28."""
    library = open_library(tmp_path / "library.sqlite3", tmp_path / "library-backup.sqlite3")
    listing = listing_from(parse_feed(demo_listing_bytes(), "demo"), "demo")
    assert listing is not None
    library.store_listing(listing)
    yield library
    library.close()


def first_listed(library: Library) -> Paper:
    """The first paper of the library's newest listing."""
    listing = library.newest_listing()
    assert listing is not None
    return listing.papers[0]
