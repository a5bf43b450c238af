"""config.toml on disk: read strictly (tomllib, for its precise error positions), written back
with the user's comments, order and formatting intact (tomlkit round-trips them), every write
validated first and atomic."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from arxiv_tui.core.base.errors import ConfigError
from arxiv_tui.core.base.storage import atomic_write
from arxiv_tui.core.config.checks import parse_config
from arxiv_tui.core.config.defaults import DEFAULT_CONFIG_TEXT, Config


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
