"""Radio buttons and checkboxes whose state shows as a mark, not by colour alone."""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox, RadioButton


def _marked_button(button: RadioButton | Checkbox, mark: str) -> Content:
    # As ToggleButton._button draws it, with the inside blank while off: on a
    # terminal without colour, or for someone who can't tell the two colours
    # apart, ticked and unticked still look different.
    button_style = button.get_visual_style("toggle--button")
    side_style = Style(foreground=button_style.background, background=button.background_colors[1])
    return Content.assemble(
        (button.BUTTON_LEFT, side_style),
        (mark if button.value else " ", button_style),
        (button.BUTTON_RIGHT, side_style),
    )


class MarkedRadioButton(RadioButton):
    @property
    def _button(self) -> Content:
        return _marked_button(self, "●")


class MarkedCheckbox(Checkbox):
    @property
    def _button(self) -> Content:
        return _marked_button(self, "✓")
