"""The project's own error types: every failure the core reports is one of these."""


class ArxivTuiError(Exception):
    """Base class for errors the app explains to the user."""


class FetchError(ArxivTuiError):
    """A request failed: timeout, connection, HTTP status, or a body that is no usable feed.

    Whatever httpx, the network or the parser raised, a request fails with this (or a subclass),
    so a caller handles one type and the reader never ends on a bad answer.
    """


class FeedError(FetchError):
    """A response or file that is not a usable arXiv feed (error feed, malformed XML...)."""


class ArxivErrorFeed(FeedError):
    """arXiv answered with its own error feed (bad category, bad query); the message is arXiv's."""


class ConfigError(ArxivTuiError):
    """config.toml is unreadable or invalid; the message names the file and the key."""


class StateError(ArxivTuiError):
    """state.json or the archive could not be read or written."""
