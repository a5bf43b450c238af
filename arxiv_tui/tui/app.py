"""The App: a shell around the reader screen. Theme, keymap, plain-text notifications, and one
place where an unexpected error becomes a notification (with its traceback in the log file)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterable, Sequence

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerState

from arxiv_tui.core.base.errors import log_bug
from arxiv_tui.core.base.text import counted, strip_control, truncate
from arxiv_tui.core.session.events import Opened
from arxiv_tui.core.session.reader import Reader
from arxiv_tui.tui.commands import READER, for_screen, keymap_problems, keys_of
from arxiv_tui.tui.screens.reader import ReaderScreen


class ArxivApp(App[int]):
    TITLE = "arxiv-tui"
    CSS_PATH = "app.tcss"

    def __init__(
        self,
        reader: Reader,
        warnings: Sequence[str] = (),
        opened: Opened | None = None,
        first_run: bool = False,
        on_hangup: Callable[[], object] = lambda: None,
    ) -> None:
        """`opened`: the newest listing, read before the App started (so the first frame has it);
        `first_run`: an empty home, so the setup screen comes first (screens/setup.py);
        `on_hangup`: what the command line cleans up (a --demo home), run when the terminal goes,
        as nothing after that is."""
        super().__init__()
        self.reader = reader
        self.warnings = [*warnings, *keymap_problems(reader.config.keys)]
        self.opened = opened
        self.first_run = first_run
        self.on_hangup = on_hangup
        self.unsaved_on_exit: str | None = None  # printed by the command line after the app ends
        self.quit_asked = False  # q was pressed once while a download ran
        self.quitting = False  # q quit: the keys typed after it do nothing (a dialog would open as it closes)
        if reader.config.keys:
            self.set_keymap(reader.config.keys)

    def get_default_screen(self) -> Screen:
        return ReaderScreen(self.reader, self.warnings, self.opened, self.first_run)

    def on_mount(self) -> None:
        try:
            self.theme = self.reader.config.theme
        except Exception:  # Textual raises its own error for an unknown theme name
            self.notify(
                f"Unknown theme {self.reader.config.theme!r} in config.toml; using the default",
                severity="warning",
            )
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self.exit)  # asked to stop: as q does
            loop.add_signal_handler(signal.SIGINT, self.exit)  # a kill -INT, not ctrl+c (a key here)
            loop.add_signal_handler(signal.SIGHUP, self._hung_up)

    def _hung_up(self) -> None:
        """The terminal is gone: save what is pending, then end as a hangup does. (Not
        `exit`: restoring a terminal that is gone blocked Textual's shutdown for good.)"""
        self.reader.close()
        self.on_hangup()
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGHUP)

    async def action_quit(self) -> None:
        """q: quit; while a PDF downloads, the first q says so and the second quits (and stops it:
        a download that did not finish leaves no file)."""
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        running = [w for w in self.workers if w.group == "download" and w.state in busy]
        if running and not self.quit_asked:
            self.quit_asked = True
            self.notify(
                f"{counted(len(running), 'download')} not finished: q again quits and stops "
                f"{'it' if len(running) == 1 else 'them'} (no partial file is kept)",
                severity="warning",
                timeout=8,
            )
            return
        self.quitting = True
        self.exit()

    def action_help_quit(self) -> None:
        """ctrl+c (a copy, in a terminal): say how to quit, in plain words (Textual's own says it
        in markup, which every notification here shows as typed)."""
        keys = [
            key
            for key, active in self.active_bindings.items()
            if active.binding.action in ("quit", "app.quit")
        ]
        if keys:
            self.notify(f"Press {keys[0]} to quit arxiv-tui", title="Do you want to quit?")

    def _remember_theme(self, theme: object) -> None:
        problem = self.reader.remember_theme(getattr(theme, "name", str(theme)))
        if problem:
            self.notify(f"Theme not saved: {problem}", severity="warning")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, whoever raises it, is plain text: messages carry text from the
        network and from files (a feed's id, arXiv's error text, a server's Content-Type), and
        Textual would otherwise read `[link=...]` or `[/]` in them as markup."""
        lines = [strip_control(line) for line in str(message)[:4000].splitlines()]
        text = truncate("\n".join(line for line in lines if line.strip()), 1500)
        super().notify(
            text, title=strip_control(title)[:200], severity=severity, timeout=timeout, markup=False
        )

    def report_bug(self, error: BaseException) -> None:
        """An unexpected error in a worker: said, logged, and the reader goes on."""
        where = log_bug(self.reader.paths.log_file, error)
        self.notify(
            f"Something went wrong ({type(error).__name__}: {error}). The reader keeps running. {where}",
            severity="error",
            timeout=20,
        )

    def on_unmount(self) -> None:
        self.unsaved_on_exit = self.reader.close()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, and every command of the registry with its keys."""
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReaderScreen):
            return
        for command in for_screen(READER, assistant=self.reader.config.assistant is not None):
            if command.palette:
                yield SystemCommand(
                    command.description,
                    f"{keys_of(command, self.reader.config.keys)}   ({command.id})",
                    lambda action=command.action: self.call_later(screen.run_action, action),
                )
