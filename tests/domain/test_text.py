"""Text shown on a terminal: control characters visible, widths that agree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from rejection_tui.domain.text import one_line, visible


def test_control_characters_become_visible_placeholders() -> None:
    assert visible("a\x1b]0;t\x07b\x7fc\x9bd\te\nf") == "a␛]0;t␇b␡c\ufffdd\te\nf"


def test_an_emoji_heart_is_one_cell_as_counted() -> None:
    # "❤️" is U+2764 + U+FE0F: terminals draw it two cells wide, width tables one.
    shown = one_line("I ❤️ asking")
    assert shown == "I ❤ asking" and cell_len(shown) == len(shown)


@given(st.text())
def test_visible_never_lets_a_control_character_through(text: str) -> None:
    shown = visible(text)
    assert not any(
        (ord(ch) < 0x20 and ch not in "\t\n") or 0x7F <= ord(ch) < 0xA0 for ch in shown
    )


def test_bidirectional_overrides_cannot_reorder_what_is_shown() -> None:
    assert visible("Ask \u202eesiar a rof\u202c") == "Ask \ufffdesiar a rof\ufffd"
