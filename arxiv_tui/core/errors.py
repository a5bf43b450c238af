"""The project's own error types: every failure the core reports is one of these."""


class ArxivTuiError(Exception):
    """Base class for errors the app explains to the user."""


class FeedError(ArxivTuiError):
    """A response or file that is not a usable arXiv feed (error feed, malformed XML...)."""


class ArxivErrorFeed(FeedError):
    """arXiv answered with its own error feed (bad category, bad query); the message is arXiv's."""


class FetchError(ArxivTuiError):
    """The network request failed (timeout, connection, HTTP status)."""


class ConfigError(ArxivTuiError):
    """config.toml is unreadable or invalid; the message names the file and the key."""


class StateError(ArxivTuiError):
    """state.json or the archive could not be read or written."""
