"""Where the config, the state and the archive live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "arxiv-tui"
HOME_VARIABLE = "ARXIV_TUI_HOME"


@dataclass(frozen=True)
class Paths:
    config_file: Path
    state_file: Path
    archive_dir: Path

    @classmethod
    def under(cls, home: Path) -> Paths:
        """Everything in one folder: `--home DIR`, `ARXIV_TUI_HOME`, the demo and the tests."""
        home = Path(home).expanduser().resolve()
        return cls(home / "config.toml", home / "state.json", home / "archive")

    @classmethod
    def default(cls) -> Paths:
        import platformdirs

        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return cls(config_dir / "config.toml", data_dir / "state.json", data_dir / "archive")

    @classmethod
    def resolve(cls, home: str | Path | None = None) -> Paths:
        """`--home` wins over ARXIV_TUI_HOME, which wins over the platform's folders."""
        chosen = home or os.environ.get(HOME_VARIABLE)
        return cls.under(Path(chosen)) if chosen else cls.default()
