"""Each key of config.toml: the Config field it sets and the check its value must pass. A value
that fails is refused with the key named; a key this version does not know is a warning."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from arxiv_tui.core.base import taxonomy
from arxiv_tui.core.base.errors import ConfigError
from arxiv_tui.core.config.assistant import KNOWN_KEYS, parse_assistant
from arxiv_tui.core.config.defaults import CATEGORY_PATTERN, DEFAULT_URLS, Config
from arxiv_tui.core.matching.match import check_authors, check_terms
from arxiv_tui.core.models import is_arxiv_id


# (table, key) -> (Config field, check); the check returns the value or raises ValueError.
def _string_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of strings")
    return tuple(value)


def _categories(value: Any) -> tuple[str, ...]:
    items = _string_list(value)
    bad = [item for item in items if not CATEGORY_PATTERN.fullmatch(item)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an arXiv category (like 'cs.CL' or 'hep-th')")
    return items  # none: nothing is fetched until some are chosen


def _checked_list(value: Any, check: Callable[[Sequence[str]], list[str]]) -> tuple[str, ...]:
    """A list of strings that `check` finds no problem with (else the first problem, raised)."""
    items = _string_list(value)
    problems = check(items)
    if problems:
        raise ValueError(problems[0])
    return items


def _terms(value: Any) -> tuple[str, ...]:
    return _checked_list(value, check_terms)


def _authors(value: Any) -> tuple[str, ...]:
    return _checked_list(value, check_authors)


def _arxiv_ids(value: Any) -> tuple[str, ...]:
    items = tuple(item.strip().removeprefix("arXiv:") for item in _string_list(value))
    bad = [item for item in items if not is_arxiv_id(item)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an arXiv id (like '2411.17712' or 'hep-th/9901001')")
    if len(items) > 500:
        raise ValueError("at most 500 papers")
    return items


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("must be a number of seconds")
    if not 0 < value <= 3600:
        raise ValueError("must be more than 0 and at most 3600 seconds")
    return float(value)


def _dwell(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("must be a number of seconds (0 turns it off)")
    if not 0 <= value <= 600:
        raise ValueError("must be from 0 (off) to 600 seconds")
    return float(value)


def _chance(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError("must be a chance of a keep from 0 (show every paper) to below 1, e.g. 0.1")
    return float(value)


def _whole_number(low: int, high: int, what: str) -> Any:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number{what}, from {low} to {high:,}")
        return value

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


_URL_SHAPE = re.compile(r"https?://[^/?#@\\]+(?:[/?#][^\\]*)?", re.IGNORECASE)


def _http_url(value: Any) -> str:
    text = _text(value).rstrip("/")
    if any(char.isspace() or not char.isprintable() for char in text) or not _URL_SHAPE.fullmatch(text):
        raise ValueError("must be an http:// or https:// URL, without spaces, controls or backslashes")
    if text not in DEFAULT_URLS:  # a URL the user typed: its host and port must be usable
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
            host = parts.hostname or ""
            host.encode("idna")
        except (ValueError, UnicodeError) as error:
            raise ValueError(f"is not a usable URL ({error})") from None
        if not host:
            raise ValueError("must be an http:// or https:// URL with a host")
    return text


def _api_key(value: Any) -> str:
    text = _text(value).strip()
    if len(text) > 200 or not all(char.isalnum() or char in "-_." for char in text):
        raise ValueError("must be an API key: letters, digits, - _ . (at most 200)")
    return text


IMAGE_MODES = ("auto", "kitty", "sixel", "blocks", "off")


def _image_mode(value: Any) -> str:
    if value not in IMAGE_MODES:
        raise ValueError(f"must be one of {', '.join(repr(mode) for mode in IMAGE_MODES)}")
    return str(value)


def _key_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError('must be a table of binding id = "keys"')
    return dict(value)


_FIELDS: dict[tuple[str, ...], tuple[str, Any]] = {
    ("categories",): ("categories", _categories),
    ("keywords", "include"): ("include", _terms),
    ("keywords", "exclude"): ("exclude", _terms),
    ("keywords", "authors"): ("authors", _authors),
    ("keywords", "my_papers"): ("my_papers", _arxiv_ids),
    ("alerts", "followed_authors"): ("alert_authors", _boolean),
    ("alerts", "new_versions"): ("alert_versions", _boolean),
    ("alerts", "citations"): ("alert_citations", _boolean),
    ("feed", "include_replacements"): ("include_replacements", _boolean),
    ("feed", "retention_days"): ("retention_days", _whole_number(0, 36_500, " of days (0 keeps forever)")),
    ("feed", "timeout_seconds"): ("timeout_seconds", _seconds),
    ("feed", "catch_up_listings"): ("catch_up_listings", _whole_number(0, 60, " of listings")),
    ("ui", "theme"): ("theme", _text),
    ("ui", "mark_read_after_seconds"): ("mark_read_after_seconds", _dwell),
    ("ui", "two_line_rows"): ("two_line_rows", _boolean),
    ("ui", "hide_below"): ("hide_below", _chance),
    ("ui", "browser"): ("browser", _text),
    ("ui", "pdf_viewer"): ("pdf_viewer", _text),
    ("ui", "images"): ("images", _image_mode),
    ("ui", "keys"): ("keys", _key_map),
    ("source", "rss_url"): ("rss_url", _http_url),
    ("source", "api_url"): ("api_url", _http_url),
    ("source", "pdf_url"): ("pdf_url", _http_url),
    ("source", "html_url"): ("html_url", _http_url),
    ("source", "s2_url"): ("s2_url", _http_url),
    ("source", "s2_api_key"): ("s2_api_key", _api_key),
    ("download", "folder"): ("download_folder", _text),
    ("download", "export_folder"): ("export_folder", _text),
}
_TABLES = {path[0] for path in _FIELDS if len(path) > 1}
# Keys an earlier version wrote, no longer used: what to tell a user who still has them set.
_RETIRED = {
    ("ui", "mark_read_on_view"): (
        "ui.mark_read_on_view is no longer used: a paper is read when you open, star or mark it, "
        "never by passing over it; for the old way set ui.mark_read_after_seconds (e.g. 1), and "
        "delete mark_read_on_view to silence this"
    ),
}


def _describe(path: tuple[str, ...]) -> str:
    return ".".join(path)


def parse_config(data: dict[str, Any], source: Path) -> tuple[Config, list[str]]:
    """Validate a parsed TOML document. Returns the config and warnings (unknown keys)."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for (*tables, key), (name, check) in _FIELDS.items():
        node: Any = data
        for table in tables:
            node = node.get(table, {}) if isinstance(node, dict) else {}
        if not isinstance(node, dict) or key not in node:
            continue
        try:
            values[name] = check(node[key])
        except ValueError as error:
            raise ConfigError(f"{source}: {_describe((*tables, key))}: {error}") from None
    if "assistant" in data:  # absent: no assistant at all
        try:
            values["assistant"] = parse_assistant(data["assistant"], _http_url)
        except ValueError as error:
            raise ConfigError(f"{source}: [assistant]: {error}") from None
        unknown = [key for key in data["assistant"] if key not in KNOWN_KEYS]
        warnings += [f"{source}: unknown key assistant.{key} (ignored)" for key in unknown]
    for key, value in data.items():
        if key == "assistant":
            continue
        if key in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{key}] must be a table")
            known = {path[1] for path in (*_FIELDS, *_RETIRED) if path[0] == key}
            warnings += [f"{source}: unknown key {key}.{sub} (ignored)" for sub in value if sub not in known]
            warnings += [
                f"{source}: {text}"
                for (table, sub), text in _RETIRED.items()
                if table == key and value.get(sub) is True
            ]
        elif (key,) not in _FIELDS:
            warnings.append(f"{source}: unknown key {key} (ignored)")
    for category in values.get("categories", ()):
        if problem := taxonomy.unknown(category):  # arXiv refuses the whole request for it
            warnings.append(f"{source}: categories: {problem}")
    return Config(**values), warnings
