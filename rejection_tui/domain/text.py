"""Text from people and files, made safe to show on a terminal.

Control characters (C0 other than tab and newline, DEL, and C1) would reach
the terminal as escape sequences: a title could set the window title, write
the clipboard or clear the screen. They are shown as visible placeholders
instead; the stored text itself is never changed.
"""

from __future__ import annotations

# C0 controls become their Unicode "control picture" (U+2400 + code: ESC → ␛);
# DEL becomes ␡; C1 controls (U+0080–U+009F) have no pictures, so they show
# as the replacement character. Tab and newline are layout, not commands.
_PLACEHOLDERS: dict[int, str | None] = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
    # Bidirectional overrides and isolates reorder the text around them, so
    # a title could show as something other than what it says.
    **{code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    # The emoji variation selector: terminals draw "❤️" two cells wide while
    # width tables count one, which shifts the rest of a table row. Without
    # it the heart is drawn in its one-cell text form.
    0xFE0F: None,
}


def visible(text: str) -> str:
    """``text`` with every control character replaced by a visible placeholder."""
    return text.translate(_PLACEHOLDERS)


def one_line(text: str) -> str:
    """``visible`` text on one line: newlines and tabs shown as spaces (for table cells)."""
    return visible(text).replace("\n", " ").replace("\t", " ")


def counted(count: int, word: str, plural: str | None = None) -> str:
    """ "1 rejection day", "3 rejection days": a count with its noun in the right number."""
    return f"{count} {word if count == 1 else plural or word + 's'}"
