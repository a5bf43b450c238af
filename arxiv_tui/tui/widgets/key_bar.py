"""The bottom line of keys: what Textual's Footer shows, drawn as one line by one widget.

The Footer is a container of one widget per key (ten on the reader), each styled and drawn, and
built again whenever the focus moves: 3-4 ms of every start's first frame. This draws the same
keys, in the same colours, from the screen's active bindings; a click on a key presses it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

DIM = Style(dim=True)  # a key that does nothing here now


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # (first cell, end, key) of each key drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, how it is shown, what it does, enabled) for each shown binding, one per action."""
        shown: dict[str, tuple[str, str, str, bool]] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    enabled,
                )
        return list(shown.values())

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for key, display, description, enabled in self.keys():
            start = line.cell_len
            line.append(f" {display} ", key_style if enabled else key_style + DIM)
            if description:
                line.append(f"{description} ", description_style if enabled else description_style + DIM)
            self._spans.append((start, line.cell_len, key if enabled else ""))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
