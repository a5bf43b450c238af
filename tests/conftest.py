"""Shared fixtures: real recorded arXiv responses, and a home that is never the developer's own."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def demo_listing_bytes() -> bytes:
    """The real 1,504-item listing of Thu 28 Nov 2024, as packaged for --demo."""
    from arxiv_tui.core.sources.demo import demo_listing_bytes as packaged

    return packaged()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the developer's real config, state and browser."""
    fake_home = tmp_path_factory.mktemp("user-home")
    monkeypatch.setenv("HOME", str(fake_home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(fake_home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(fake_home / ".local" / "share"))
    monkeypatch.delenv("ARXIV_TUI_HOME", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    return fake_home


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An arxiv-tui home folder (config.toml, state.json, archive/) for one test."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def demo_feed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feeds") / "rss-all-archives-2024-11-28.xml"
    path.write_bytes(demo_listing_bytes())
    return path


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the network: a name other than the loopback's fails at once, instead of
    waiting out timeouts and retries (arXiv is unreachable here, and must stay untouched)."""
    resolve = socket.getaddrinfo

    def loopback(host, *args, **kwargs):
        if host not in (None, "localhost", "127.0.0.1", "::1", b"localhost", b"127.0.0.1"):
            raise OSError(f"a test tried to reach {host!r}: tests serve recorded answers on 127.0.0.1")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback)
