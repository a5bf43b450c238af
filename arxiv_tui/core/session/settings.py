"""config.toml as the session uses it: the keywords' matcher, listings matched with it (reusing the
library's record of a listing's keyword hits, so a start need not match 1,500 papers again), and
what the user changes in the app written back (the keyword editor's lists, the theme)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

from arxiv_tui.core.base.errors import StateError
from arxiv_tui.core.config import Config, remember_theme, update_config
from arxiv_tui.core.library.library import Library
from arxiv_tui.core.matching.match import Matcher
from arxiv_tui.core.matching.views import filter_listing
from arxiv_tui.core.models import Listing
from arxiv_tui.core.session.events import Loaded


class Settings:
    def __init__(self, config_file: Path, config: Config, library: Library) -> None:
        self.config_file = config_file
        self.config = config
        self.library = library
        self.matcher = Matcher(config.include, config.exclude, config.authors)
        self._hits: dict[str, dict[str, list[str]]] = {}  # keyword hits not yet kept, by listing

    @property
    def keywords(self) -> str:
        """The include terms as the library's record of hits is keyed."""
        return "\n".join(self.config.include)

    def prepare(self, listing: Listing, hits: dict[str, list[str]] | None = None) -> Loaded:
        """Match a listing (reusing the library's record of its keyword hits, or `hits` found
        by the child that parsed it) with its marks. Safe in a worker."""
        known = (
            None
            if listing.is_combined
            else self.library.cached_hits(listing.date, self.keywords, listing.content_key)
        )
        filtered = filter_listing(listing, self.matcher, self.config.include_replacements, known or hits)
        if known is None and not listing.is_combined:
            self._hits[listing.content_key] = filtered.terms_hit()
            self.remember_hits(listing)
        return Loaded(listing, filtered, self.library.marks.of(paper.id for paper in listing.papers))

    def remember_hits(self, listing: Listing) -> None:
        """Keep a listing's keyword hits in the library, once the listing itself is there."""
        hits = self._hits.get(listing.content_key)
        if hits is not None:
            with contextlib.suppress(StateError):  # only a cache
                if self.library.cache_hits(listing.date, self.keywords, hits, listing.content_key):
                    del self._hits[listing.content_key]

    def save_keywords(
        self, include: list[str], exclude: list[str], categories: list[str], authors: list[str]
    ) -> bool:
        """The keyword editor's lists written to config.toml and matched with from now on
        (ConfigError or StateError when they cannot be); whether the categories changed."""
        changes = {
            ("keywords", "include"): include,
            ("keywords", "exclude"): exclude,
            ("categories",): categories,
            ("keywords", "authors"): authors,
        }
        update_config(self.config_file, changes)
        changed = tuple(categories) != self.config.categories
        self.config = self.config.with_keywords(include, exclude, categories, authors)
        self.matcher = Matcher(self.config.include, self.config.exclude, self.config.authors)
        return changed

    def save_alerts(self, alerts: dict[str, bool]) -> None:
        """Alerts turned on or off (the setup screen): Config field -> on, kept in [alerts]."""
        keys = {"alert_authors": "followed_authors", "alert_versions": "new_versions",
                "alert_citations": "citations"}  # fmt: skip
        update_config(self.config_file, {("alerts", keys[name]): on for name, on in alerts.items()})
        self.config = replace(self.config, **alerts)  # type: ignore[arg-type]  # bool fields, by name

    def remember_theme(self, name: str) -> None:
        """The theme chosen in the palette kept in config.toml (ConfigError or StateError)."""
        self.config = remember_theme(self.config_file, self.config, name)
