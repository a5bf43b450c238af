"""What a start pays for before its first frame, checked in a clean interpreter: the installed
command, its imports, and what an offline start leaves unloaded."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config.file import update_config


def run_python(script: str, *arguments: str, env: dict[str, str] | None = None) -> list[str]:
    """The words of the last line `script` printed."""
    command = [sys.executable, "-c", script, *arguments]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_the_installed_command_loads_its_modules_uncollected_and_frozen(tmp_path):
    (command,) = [point for point in entry_points(group="console_scripts") if point.name == "arxiv-tui"]
    module, function = command.value.split(":")
    script = (
        "import gc, importlib, sys\n"
        "collections = []\n"
        "def counted(phase, info):\n"
        "    module = sys.modules.get('arxiv_tui.cli.main')\n"
        "    if phase == 'start' and module and not hasattr(module, 'run_reader'):  # being loaded\n"
        "        collections.append(info['generation'])\n"
        "gc.callbacks.append(counted)\n"
        f"entry = getattr(importlib.import_module({module!r}), {function!r})\n"
        "code = entry(['--home', sys.argv[1], 'locate'])\n"
        "print(len(collections), gc.get_freeze_count() > 10_000, gc.isenabled(), code)\n"
    )
    collections_while_loading, modules_frozen, collector_on, code = run_python(script, str(tmp_path))
    assert (collections_while_loading, modules_frozen, collector_on, code) == ("0", "True", "True", "0")


def stored(home, feed, keywords=()):
    """A home with the listing of `feed` in its library, and these keywords."""
    update_config(
        Paths.under(home).config_file, {("categories",): ["cs.CL"], ("keywords", "include"): keywords}
    )
    digest = [sys.executable, "-m", "arxiv_tui", "--home", str(home), "--feed", str(feed), "digest"]
    subprocess.run(digest, capture_output=True, check=True)


START_OFFLINE = (  # the reader started offline with the App's run replaced (no terminal here)
    "import sys\n"
    "import arxiv_tui.cli.main as cli\n"
    "from arxiv_tui.tui.app import ArxivApp\n"
    "started = []\n"
    "ArxivApp.run = lambda self: started.append(self.opened)\n"
    "cli.terminal_can_show_the_reader = lambda: True\n"
    "cli.main(['--home', sys.argv[1], '--offline'])\n"
    "(opened,) = started\n"
)


def test_an_offline_start_loads_nothing_of_the_fetching_child_nor_of_tex(home, demo_feed_file):
    """Nothing is fetched, so the child's modules wait until a refresh fetches (R); what is shown
    had its TeX converted when it was fetched, so the TeX patterns are not compiled either."""
    stored(home, demo_feed_file)
    script = START_OFFLINE + (
        "from arxiv_tui.core.base import latex\n"
        "child = ('arxiv_tui.core.sources.isolated', 'arxiv_tui.core.sources.prefetch')\n"
        "tex = latex._patterns.cache_info().currsize > 0\n"
        "print(opened.loaded is not None, *[name in sys.modules for name in child], tex)\n"
    )
    shown, child_parser_loaded, prefetch_loaded, tex_compiled = run_python(script, str(home))
    assert (shown, child_parser_loaded, prefetch_loaded, tex_compiled) == ("True", "False", "False", "False")


def test_a_start_reads_as_many_inbox_rows_as_the_terminal_has_lines_and_counts_the_rest(home, demo_feed_file):
    stored(home, demo_feed_file, ["model*"])
    script = START_OFFLINE + "print(len(opened.inbox), *opened.inbox_counts)\n"
    for start in ("seeds the Inbox", "shows it first"):
        read, undecided, today = map(int, run_python(script, str(home), env={"LINES": "7"}))
        assert read == 7 and undecided == today > 50, start
