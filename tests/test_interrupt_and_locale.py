"""The commands end well whatever happens around them: ctrl+c prints one line and exits 130 with
nothing half-done, and any locale can print any title."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from arxiv_tui.cli.main import main
from arxiv_tui.core.library.opening import open_library
from tests.hostile import feed, item, raw_server

PAPER = "2411.17712"


def export_with_marks(path) -> None:
    path.write_text(
        json.dumps({
            "format": "arxiv-tui library", "version": 1,
            "stars": [{"id": PAPER}], "read": [{"id": PAPER}], "notes": [{"id": PAPER, "note": "n"}],
            "papers": {PAPER: {"title": "A paper"}},
        }),
        encoding="utf-8",
    )  # fmt: skip


def test_ctrl_c_during_an_import_prints_one_line_exits_130_and_imports_nothing(
    home, tmp_path, monkeypatch, capsys
):
    from arxiv_tui.core.library import transfer

    exported = tmp_path / "export.json"
    export_with_marks(exported)

    def interrupted(*arguments):  # ctrl+c arrives after the stars went in, inside the transaction
        raise KeyboardInterrupt

    monkeypatch.setattr(transfer, "insert_reads", interrupted)
    assert main(["--home", str(home), "library", "import", str(exported)]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted" in err and "Traceback" not in err
    library = open_library(home / "library.sqlite3")
    assert library.marks.star_count() == 0 and library.paper(PAPER) is None  # all or nothing
    library.close()


def test_ctrl_c_while_a_digest_waits_on_the_network_exits_130_without_a_traceback(home):
    def stall(connection) -> None:
        time.sleep(60)

    with raw_server(stall) as url:
        (home / "config.toml").write_text(
            f'categories = ["cs"]\n[keywords]\ninclude = ["LLM"]\n[source]\nrss_url = "{url}/rss"\n',
            encoding="utf-8",
        )
        child = subprocess.Popen(
            [sys.executable, "-m", "arxiv_tui", "--home", str(home), "digest"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not (home / "library.sqlite3").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # the library is opened before the fetch: it is waiting now, or soon
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=20)
    assert child.returncode == 130
    assert b"Traceback" not in err and err.decode().strip().count("\n") == 0 and b"interrupted" in err


def test_a_cjk_title_prints_under_a_latin_1_locale(home, tmp_path):
    listing = tmp_path / "cjk.xml"
    listing.write_bytes(feed(item(title="大規模言語モデル LLM の評価", abstract="About an LLM.")))
    (home / "config.toml").write_text(
        'categories = ["quant-ph"]\n[keywords]\ninclude = ["LLM"]\n', encoding="utf-8"
    )
    environment = {**os.environ, "PYTHONIOENCODING": "latin-1", "LC_ALL": "C", "LANG": "C"}
    for command in (["digest", "--feed", str(listing)], ["search", "LLM"]):
        done = subprocess.run(
            [sys.executable, "-m", "arxiv_tui", "--home", str(home), *command],
            capture_output=True, env=environment, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr.decode("latin-1")
        assert b"Traceback" not in done.stderr
        assert "? LLM ?" in done.stdout.decode("latin-1")  # what Latin-1 lacks is a '?', the rest kept
