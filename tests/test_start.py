"""What a start pays for before its first frame, checked in a clean interpreter."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points



def run_python(script: str, *arguments: str) -> list[str]:
    """The words of the last line `script` printed."""
    result = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_the_installed_command_loads_its_modules_without_collecting_and_runs_with_the_collector(tmp_path):
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
        "print(len(collections), gc.isenabled(), code)\n"
    )
    collections_while_loading, collector_on, code = run_python(script, str(tmp_path))
    assert (collections_while_loading, collector_on, code) == ("0", "True", "0")
