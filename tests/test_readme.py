"""The README stays true: its key table is the registry's, and its test command is CI's."""

from __future__ import annotations

import re
from pathlib import Path

from arxiv_tui.tui.commands import readme_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_key_table_is_made_from_the_command_registry():
    block = re.search(r"<!-- keys:[^\n]*-->\n(.*?)\n<!-- /keys -->", README, re.DOTALL)
    assert block is not None
    assert block.group(1) == readme_table(), "run: python scripts/update_readme.py"


def test_the_layout_is_made_from_the_docstrings():
    """README's Layout is each package's and module's docstring: it cannot go stale."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from update_readme import layout

    block = re.search(r"<!-- layout:[^\n]*-->\n(.*?)\n<!-- /layout -->", README, re.DOTALL)
    assert block is not None and "session/" in block.group(1)
    assert block.group(1) == layout(), "run: python scripts/update_readme.py"


def test_ci_runs_the_readme_s_test_command():
    commands = re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", README)
    assert len(commands) == 2
    test_command = commands[1].split("&& ", 2)[-1]  # after creating and activating the venv
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_no_two_commands_of_a_screen_share_a_key():
    from collections import Counter

    from arxiv_tui.tui.commands import KEYWORDS, READER, for_screen

    for screen in (READER, KEYWORDS):
        keys = Counter(key.strip() for command in for_screen(screen) for key in command.keys.split(","))
        assert [key for key, count in keys.items() if count > 1] == [], screen


def test_every_command_runs_an_action_its_screen_has_and_every_action_has_a_command():
    """A command whose action is missing would be a key that silently does nothing; an action
    no command names would be a command nobody can reach."""
    from arxiv_tui.tui.app import ArxivApp
    from arxiv_tui.tui.commands import KEYWORDS, READER, for_screen
    from arxiv_tui.tui.screens.keywords import KeywordsScreen
    from arxiv_tui.tui.screens.reader import ReaderScreen

    for screen, screen_class in ((READER, ReaderScreen), (KEYWORDS, KeywordsScreen)):
        for command in for_screen(screen):
            # Textual runs a screen's binding on the screen alone; "app.<action>" runs it on the App
            target, action = (
                (ArxivApp, command.action[4:])
                if command.action.startswith("app.")
                else (screen_class, command.action)
            )
            assert callable(getattr(target, f"action_{action.split('(')[0]}", None)), command.id
        ours = [klass for klass in screen_class.__mro__ if klass.__module__.startswith("arxiv_tui")]
        actions = {
            name[len("action_") :] for klass in ours for name in vars(klass) if name.startswith("action_")
        }
        named = {command.action.split("(")[0] for command in for_screen(screen)}
        assert len(actions) > 5 and actions <= named, actions - named


def test_every_message_a_worker_posts_is_handled_by_the_reader_screen_or_the_download_bar():
    """A message nothing handles would be a worker's answer that silently vanishes."""
    import inspect

    from textual.message import Message

    from arxiv_tui.tui import messages
    from arxiv_tui.tui.screens.reader import ReaderScreen
    from arxiv_tui.tui.widgets.download_bar import DownloadBar

    posted = [
        value
        for value in vars(messages).values()
        if inspect.isclass(value) and issubclass(value, Message) and value.__module__ == messages.__name__
    ]
    unhandled = [
        cls.__name__
        for cls in posted
        if not hasattr(ReaderScreen, cls.handler_name) and not hasattr(DownloadBar, cls.handler_name)
    ]
    assert len(posted) >= 15 and unhandled == []


def test_the_readme_s_key_remapping_example_takes_no_key_from_another_command():
    from arxiv_tui.tui.commands import keymap_problems

    example = re.search(r'`star = "([^"]+)"', README)
    assert example is not None
    assert keymap_problems({"star": example.group(1)}) == []
