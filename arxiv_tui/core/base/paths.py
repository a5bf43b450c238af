"""Where the config, the library and its backup, and the log live."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

APP_NAME = "arxiv-tui"
HOME_VARIABLE = "ARXIV_TUI_HOME"


class Paths(NamedTuple):
    config_file: Path
    data_dir: Path

    @property
    def library_file(self) -> Path:
        return self.data_dir / "library.sqlite3"

    @property
    def backup_file(self) -> Path:
        """One daily backup of the library, made with SQLite's backup API."""
        return self.data_dir / "library-backup.sqlite3"

    @property
    def log_file(self) -> Path:
        """Tracebacks of unexpected errors, for a bug report (the app keeps running)."""
        return self.data_dir / "arxiv-tui.log"

    # The files earlier versions kept, read once and moved into the library (core/migrate.py).
    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @classmethod
    def under(cls, home: Path) -> Paths:
        """Everything in one folder: `--home DIR`, `ARXIV_TUI_HOME`, the demo and the tests."""
        home = Path(home).expanduser().resolve()
        return cls(home / "config.toml", home)

    @classmethod
    def default(cls) -> Paths:
        import platformdirs

        config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return cls(config_dir / "config.toml", data_dir)

    @classmethod
    def resolve(cls, home: str | Path | None = None) -> Paths:
        """`--home` wins over ARXIV_TUI_HOME, which wins over the platform's folders."""
        chosen = home or os.environ.get(HOME_VARIABLE)
        return cls.under(Path(chosen)) if chosen else cls.default()
