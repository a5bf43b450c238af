"""config.toml: the user's file. Read strictly, written back with comments and order intact.

tomlkit is used for writing because it round-trips comments, key order and formatting; reading
goes through tomllib (stdlib) for its precise error positions.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from arxiv_tui.core.base.errors import ConfigError
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.matching.match import check_authors, check_terms

DEFAULT_RSS_URL = "https://rss.arxiv.org/rss"
DEFAULT_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_PDF_URL = "https://arxiv.org/pdf"
DEFAULT_S2_URL = "https://api.semanticscholar.org"
_DEFAULT_URLS = {DEFAULT_RSS_URL, DEFAULT_API_URL, DEFAULT_PDF_URL, DEFAULT_S2_URL}
CATEGORY_PATTERN = re.compile(r"^[a-z][a-z\-]*(\.[A-Za-z][A-Za-z\-]*)?$")

DEFAULT_CONFIG_TEXT = """\
# arxiv-tui configuration. Every key is optional; delete one to get its default back.
# Where this file lives: `arxiv-tui locate`.

# arXiv categories to read, fetched together in one request (https://arxiv.org/category_taxonomy).
categories = ["cs.CL", "cs.SD", "eess.AS"]

[keywords]
# A paper matches when an include term is in its title or abstract and no exclude term is.
#   plain words: whole words, any case; "-", "_" and spaces are the same; plurals match too
#   token*     : a prefix (token, tokens, tokenizer)
#   /regex/    : a Python regular expression, case-insensitive
include = []
exclude = []
# Authors to follow: their papers are always in Matched, whatever the keywords say.
# Case, accents and TeX do not matter ("Söhler" = "Sohler" = "S\\"ohler"); "Harwath" finds any Harwath.
authors = []

[feed]
# Show replaced versions (v2, v3...) of older papers among the matches.
include_replacements = false
# Days a listing is kept in the library (0 keeps them forever). Stars, notes, tags and read
# marks are never forgotten, nor the papers they are on.
retention_days = 365
# Seconds before a request to arXiv is given up.
timeout_seconds = 30
# Missed announcement days to back-fill through the arXiv API at start (0 turns it off).
catch_up_listings = 7

[ui]
# Textual theme name; also changed from the app's command palette (ctrl+p).
theme = "textual-dark"
# A paper becomes read when you open it (Enter, o, a, h), star it or mark it (r, x, A), never
# by passing over it. Seconds it must stay in the detail pane to become read too (0: never).
mark_read_after_seconds = 0
# Two lines a paper in the list: the authors and the keywords it matched under the title (L).
two_line_rows = false
# Command to open links with, e.g. "firefox"; empty uses the system browser ($BROWSER).
browser = ""

[ui.keys]
# Remap keys by binding id, e.g. star = "s,asterisk". `?` in the app lists the ids.

[download]
# Where `d` saves PDFs; empty: an "arxiv" folder in your downloads folder.
folder = ""
# Where `e` suggests saving exports; empty: your documents folder.
export_folder = ""

[source]
# Where listings, searches and PDFs come from (change only for a mirror or for testing).
rss_url = "https://rss.arxiv.org/rss"
api_url = "https://export.arxiv.org/api/query"
pdf_url = "https://arxiv.org/pdf"
# Citations, references and recommendations (w, W) come from Semantic Scholar. A key of your own
# (free, https://www.semanticscholar.org/product/api) raises its rate limit; the environment
# variable SEMANTIC_SCHOLAR_API_KEY is used when this is empty.
s2_url = "https://api.semanticscholar.org"
s2_api_key = ""
"""


@dataclass(frozen=True)
class Config:
    categories: tuple[str, ...] = ("cs.CL", "cs.SD", "eess.AS")
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    include_replacements: bool = False
    retention_days: int = 365
    timeout_seconds: float = 30.0
    catch_up_listings: int = 7
    theme: str = "textual-dark"
    mark_read_after_seconds: float = 0.0
    two_line_rows: bool = False
    browser: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    rss_url: str = DEFAULT_RSS_URL
    api_url: str = DEFAULT_API_URL
    pdf_url: str = DEFAULT_PDF_URL
    s2_url: str = DEFAULT_S2_URL
    s2_api_key: str = ""
    download_folder: str = ""
    export_folder: str = ""

    def with_keywords(
        self,
        include: list[str],
        exclude: list[str],
        categories: list[str] | None = None,
        authors: list[str] | None = None,
    ) -> Config:
        return replace(
            self,
            include=tuple(include),
            exclude=tuple(exclude),
            categories=tuple(categories) if categories is not None else self.categories,
            authors=tuple(authors) if authors is not None else self.authors,
        )


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
    if not items:
        raise ValueError("must name at least one category")
    return items


def _terms(value: Any) -> tuple[str, ...]:
    items = _string_list(value)
    problems = check_terms(items)
    if problems:
        raise ValueError(problems[0])
    return items


def _authors(value: Any) -> tuple[str, ...]:
    items = _string_list(value)
    problems = check_authors(items)
    if problems:
        raise ValueError(problems[0])
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
    if text not in _DEFAULT_URLS:  # a URL the user typed: its host and port must be usable
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


def _key_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError('must be a table of binding id = "keys"')
    return dict(value)


_FIELDS: dict[tuple[str, ...], tuple[str, Any]] = {
    ("categories",): ("categories", _categories),
    ("keywords", "include"): ("include", _terms),
    ("keywords", "exclude"): ("exclude", _terms),
    ("keywords", "authors"): ("authors", _authors),
    ("feed", "include_replacements"): ("include_replacements", _boolean),
    ("feed", "retention_days"): ("retention_days", _whole_number(0, 36_500, " of days (0 keeps forever)")),
    ("feed", "timeout_seconds"): ("timeout_seconds", _seconds),
    ("feed", "catch_up_listings"): ("catch_up_listings", _whole_number(0, 60, " of listings")),
    ("ui", "theme"): ("theme", _text),
    ("ui", "mark_read_after_seconds"): ("mark_read_after_seconds", _dwell),
    ("ui", "two_line_rows"): ("two_line_rows", _boolean),
    ("ui", "browser"): ("browser", _text),
    ("ui", "keys"): ("keys", _key_map),
    ("source", "rss_url"): ("rss_url", _http_url),
    ("source", "api_url"): ("api_url", _http_url),
    ("source", "pdf_url"): ("pdf_url", _http_url),
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
    for key, value in data.items():
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
    return Config(**values), warnings


def load_config(path: Path, create: bool = True) -> tuple[Config, list[str]]:
    """Read config.toml, creating it with commented defaults when it does not exist.

    Raises ConfigError naming the file, the key and the problem; never rewrites a bad file.
    """
    path = Path(path)
    if not path.exists():
        if create:
            atomic_write(path, DEFAULT_CONFIG_TEXT)
        return parse_config(tomllib.loads(DEFAULT_CONFIG_TEXT), path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_config(_read_toml(text, path), path)


def _read_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except (RecursionError, OverflowError, MemoryError):
        raise ConfigError(f"{path}: nested too deeply or too large to be a configuration") from None


def default_text_with(changes: dict[tuple[str, ...], list[str] | str]) -> str:
    """The commented default config.toml with some lists or texts set (for the demo's throwaway
    home: the same file update_config would write, without loading tomlkit, 40 ms of a start)."""
    lines = DEFAULT_CONFIG_TEXT.splitlines()
    table = ""
    for number, line in enumerate(lines):
        if line.startswith("["):
            table = line.strip("[] ")
        key = line.split("=", 1)[0].strip() if "=" in line and not line.startswith("#") else ""
        wanted = (table, key) if table else (key,)
        if key and wanted in changes:
            value = changes[wanted]
            lines[number] = (
                f"{key} = {json.dumps(value if isinstance(value, str) else list(value), ensure_ascii=False)}"
            )
    return "\n".join(lines) + "\n"


def update_config(path: Path, changes: dict[tuple[str, ...], Any]) -> None:
    """Set keys in config.toml, keeping everything else (comments, order) as the user wrote it.

    `changes` maps key paths such as ("keywords", "include") to new values. The result is
    validated before anything is written; a file that is not valid TOML is never touched.
    """
    import tomlkit  # only needed when writing

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else DEFAULT_CONFIG_TEXT
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read, not rewritten ({error})") from None
    try:
        _read_toml(text, path)  # the same checks as loading, before tomlkit sees it
    except ConfigError as error:
        raise ConfigError(f"{error}; not rewritten") from None
    try:
        document = tomlkit.parse(text)
    except Exception as error:  # tomlkit raises its own ParseError family
        raise ConfigError(f"{path}: not valid TOML, not rewritten: {error}") from None
    for (*tables, key), value in changes.items():
        node: Any = document
        for table in tables:
            if table not in node:
                node[table] = tomlkit.table()
            node = node[table]
        node[key] = _toml_value(value)
    new_text = tomlkit.dumps(document)
    parse_config(_read_toml(new_text, path), path)  # raises before writing if the result is bad
    atomic_write(path, new_text)


def _toml_value(value: Any) -> Any:
    import tomlkit

    if isinstance(value, list | tuple):
        array = tomlkit.array()
        array.extend(value)
        if sum(len(str(item)) + 4 for item in value) > 80:
            array.multiline(True)
        return array
    return value


def remember_theme(path: Path, config: Config, name: str) -> Config:
    """The theme chosen in the palette, kept in config.toml (ConfigError or StateError when it
    cannot be written); the config with it."""
    if name == config.theme:
        return config
    update_config(path, {("ui", "theme"): name})
    return replace(config, theme=name)
