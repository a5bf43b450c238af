"""config.toml: the user's file. Read strictly, written back with comments and order intact.

defaults.py has the commented default file and the Config it makes; checks.py what each key
may hold; file.py reading and writing it. What the rest of the app uses is named here.
"""

from arxiv_tui.core.config.checks import parse_config
from arxiv_tui.core.config.defaults import (
    CATEGORY_PATTERN,
    DEFAULT_API_URL,
    DEFAULT_CONFIG_TEXT,
    DEFAULT_PDF_URL,
    DEFAULT_RSS_URL,
    DEFAULT_S2_URL,
    Config,
)
from arxiv_tui.core.config.file import default_text_with, load_config, remember_theme, update_config

__all__ = [
    "CATEGORY_PATTERN",
    "DEFAULT_API_URL",
    "DEFAULT_CONFIG_TEXT",
    "DEFAULT_PDF_URL",
    "DEFAULT_RSS_URL",
    "DEFAULT_S2_URL",
    "Config",
    "default_text_with",
    "load_config",
    "parse_config",
    "remember_theme",
    "update_config",
]
