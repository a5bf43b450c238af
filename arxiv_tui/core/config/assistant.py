"""`[assistant]` in config.toml: the user's own model, off while the table is absent.

A key never lands in config.toml: `api_key_env` names the environment variable that holds it,
and a key is refused for a plain-http host other than this machine (it would cross the network
in the clear). `command` is the other way in: a program that reads the prompt on stdin and
writes the answer to stdout (e.g. `llm -m gpt-4o-mini`).
"""

from __future__ import annotations

import re
from typing import Any

OLLAMA_URL = "http://localhost:11434/v1"
_ENV_NAME = r"[A-Za-z_][A-Za-z0-9_]{0,99}"  # compiled when a table is read, not at every start


class AssistantSettings:
    """A plain class, not a dataclass: building a dataclass costs every start 1.7 ms."""

    __slots__ = (
        "api_key_env",
        "base_url",
        "command",
        "first_byte_seconds",
        "idle_seconds",
        "language",
        "max_input_tokens",
        "model",
    )

    def __init__(
        self,
        model: str = "",
        base_url: str = "",  # an OpenAI-compatible server's root (…/v1), or Ollama's …/api
        api_key_env: str = "",  # the name of the environment variable holding the key
        command: tuple[str, ...] = (),  # a program instead of a server: prompt on stdin, answer on stdout
        language: str = "English",
        max_input_tokens: int = 12_000,  # the paper is cut to fit
        first_byte_seconds: float = 120.0,  # a local model may load for a while before its first word
        idle_seconds: float = 60.0,  # the longest silence between two pieces of an answer
    ) -> None:
        self.model, self.base_url, self.api_key_env, self.command = model, base_url, api_key_env, command
        self.language, self.max_input_tokens = language, max_input_tokens
        self.first_byte_seconds, self.idle_seconds = first_byte_seconds, idle_seconds

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssistantSettings) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"AssistantSettings(model={self.model!r}, base_url={self.base_url!r}, command={self.command})"

    def replace(self, **changes: Any) -> AssistantSettings:
        return AssistantSettings(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    @property
    def host(self) -> str:
        """Where the paper goes, as the consent prompt names it: the server's host, or the program."""
        if self.command:
            return f"the command {self.command[0]}"
        from urllib.parse import urlsplit

        return (urlsplit(self.base_url).hostname or "").lower()

    @property
    def is_local(self) -> bool:
        """True when nothing leaves this machine: a loopback server (a command may send anywhere)."""
        return not self.command and is_loopback(self.host)


def is_loopback(host: str) -> bool:
    import ipaddress  # not on the start-up path

    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _string(table: dict, key: str, limit: int = 200) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    if len(value) > limit or any(not char.isprintable() for char in value):
        raise ValueError(f"{key} must be printable text of at most {limit} characters")
    return value.strip()


def _number(table: dict, key: str, default: float, low: float, high: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{key} must be a number from {low:g} to {high:,g}")
    return value


def parse_assistant(table: Any, check_url: Any) -> AssistantSettings:
    """The `[assistant]` table checked (ValueError names the key and the problem); `check_url`
    is the config's own check of an http(s) URL."""
    if not isinstance(table, dict):
        raise ValueError("must be a table")
    model, command = _string(table, "model"), _string(table, "command", 1_000)
    base_url = check_url(table["base_url"]) if "base_url" in table else ""
    if command and base_url:
        raise ValueError("give base_url (a server) or command (a program), not both")
    if not command and not base_url:
        raise ValueError(f'needs base_url, e.g. "{OLLAMA_URL}" for Ollama, or a command')
    if base_url and not model:
        raise ValueError('needs model, the name the server knows it by, e.g. "qwen3:8b"')
    import shlex

    try:
        argv = tuple(shlex.split(command)) if command else ()
    except ValueError as error:
        raise ValueError(f"command cannot be split into words ({error})") from None
    key_env = _string(table, "api_key_env", 100)
    if key_env and not re.fullmatch(_ENV_NAME, key_env):
        raise ValueError("api_key_env must be the name of an environment variable, like OPENAI_API_KEY")
    settings = AssistantSettings(
        model=model,
        base_url=base_url,
        api_key_env=key_env,
        command=argv,
        language=_string(table, "language", 40) or "English",
        max_input_tokens=int(_number(table, "max_input_tokens", 12_000, 500, 1_000_000)),
        first_byte_seconds=float(_number(table, "first_byte_seconds", 120, 1, 3600)),
        idle_seconds=float(_number(table, "idle_seconds", 60, 1, 3600)),
    )
    if key_env and base_url.lower().startswith("http://") and not is_loopback(settings.host):
        raise ValueError(
            f"api_key_env is set but base_url is plain http to {settings.host}: the key would "
            "cross the network unencrypted; use https"
        )
    return settings


KNOWN_KEYS = {
    "model",
    "base_url",
    "api_key_env",
    "command",
    "language",
    "max_input_tokens",
    "first_byte_seconds",
    "idle_seconds",
}
