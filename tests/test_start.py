"""What a start pays for before its first frame, checked in a clean interpreter: the installed
command, its imports, and what an offline start leaves unloaded."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

from arxiv_tui.core.base.paths import Paths
from arxiv_tui.core.config.file import update_config


def run_python(script: str, *arguments: str) -> list[str]:
    """The words of the last line `script` printed."""
    result = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True)
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


def test_an_offline_start_loads_nothing_of_the_fetching_child(home, demo_feed_file):
    """Nothing is fetched, so the child's modules wait until a refresh fetches (R)."""
    update_config(Paths.under(home).config_file, {("categories",): ["cs.CL"]})
    stored = [sys.executable, "-m", "arxiv_tui", "--home", str(home), "--feed", str(demo_feed_file), "digest"]
    subprocess.run(stored, capture_output=True, check=True)
    script = (
        "import sys\n"
        "import arxiv_tui.cli.main as cli\n"
        "from arxiv_tui.tui.app import ArxivApp\n"
        "shown = []\n"
        "ArxivApp.run = lambda self: shown.append(bool(self.opened and self.opened.loaded))\n"
        "cli.terminal_can_show_the_reader = lambda: True  # no terminal here\n"
        "cli.main(['--home', sys.argv[1], '--offline'])\n"
        "child = ('arxiv_tui.core.sources.isolated', 'arxiv_tui.core.sources.prefetch')\n"
        "print(*shown, *[name in sys.modules for name in child])\n"
    )
    shown, child_parser_loaded, prefetch_loaded = run_python(script, str(home))
    assert (shown, child_parser_loaded, prefetch_loaded) == ("True", "False", "False")
