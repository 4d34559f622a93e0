"""No UI module builds markup from values itself: markup with values goes through ``styled()``.

A static check over ``rejection_tui/ui/**/*.py``. It fails where a string
that contains a Rich/Textual markup tag (``[b]``, ``[/]``, ``[dim]``,
``[bold red]``, ``[$accent]``, ``[@click=…]``, ``[link=…]``) is combined
with a value in code:

- an f-string whose literal parts hold a tag and that interpolates anything;
- ``"[b]%s[/]" % value`` and ``"[b]{}[/]".format(value)``;
- ``"[b]" + value`` (a tagged string concatenated with a non-literal);
- ``"\\n".join([...])`` of a list (written inline, or built up in a local
  variable) that mixes tagged strings and non-literal items, as when a
  heading in markup is joined with a note someone typed;
- a user field (title, challenge_title, tip, safety, worry, lesson, note,
  path) formatted into a string handed straight to something that reads a
  ``str`` as markup (``Static``, ``Label``, ``Option``, ``add_row``,
  ``update``) without ``markup=False``: no tag in sight, but the widget
  parses the title's own brackets.

Such text is parsed as markup with the value inside it: a title with ``[/]``
crashes the screen, ``[@click=app.quit]`` becomes a button. The fix is
``styled("[b]$title[/]", title=value)`` (or ``plain``/``cell``) from
``rejection_tui/ui/text.py``, where values are substituted as literal text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import rejection_tui.ui

UI = Path(rejection_tui.ui.__file__).parent

# A markup tag: [b], [/], [/b], [dim], [bold red], [$accent], [@click=...], [link=...], [#ff0000].
TAG = re.compile(r"\[(?:/[\w .$@#=-]*|[a-z@$#][^\[\]\n]*)\]")


def has_tag(node: ast.AST) -> bool:
    """A string literal, or the literal parts of an f-string, that hold a markup tag."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return TAG.search(node.value) is not None
    if isinstance(node, ast.JoinedStr):
        # Each value stands in as "x", so "[{colour}]" and "[b]{x}[/]" read as tags too.
        literal = "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "x"
            for part in node.values
        )
        return TAG.search(literal) is not None
    return False


def is_literal(node: ast.AST) -> bool:
    """Text fixed in the source: constants, f-strings without values, and choices or sums of them."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(part, ast.Constant) for part in node.values)
    if isinstance(node, ast.IfExp):
        return is_literal(node.body) and is_literal(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_literal(node.left) and is_literal(node.right)
    return False


def _concat_operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _concat_operands(node.left) + _concat_operands(node.right)
    return [node]


def _list_items(node: ast.AST) -> list[ast.AST] | None:
    if isinstance(node, ast.List | ast.Tuple):
        return list(node.elts)
    return None


# Widgets and methods that read a plain ``str`` as markup (unless given ``markup=False``),
# and the names of fields that hold what people typed or files supplied.
MARKUP_SINKS = frozenset({"Static", "Label", "Option", "add_row", "update"})
USER_FIELDS = frozenset(
    {"title", "challenge_title", "tip", "safety", "worry", "lesson", "note", "path", "journal_path"}
)


def _names_user_field(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr in USER_FIELDS)
        or (isinstance(n, ast.Name) and n.id in USER_FIELDS)
        for n in ast.walk(node)
    )


def _formats_user_text(node: ast.AST) -> bool:
    """A string built right here (f-string, ``%``, ``.format``, ``+``) around a user field."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(p, ast.FormattedValue) and _names_user_field(p) for p in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return any(_formats_user_text(o) or _names_user_field(o) for o in _concat_operands(node)) and any(
            isinstance(o, ast.Constant | ast.JoinedStr) for o in _concat_operands(node)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return isinstance(node.left, ast.Constant) and _names_user_field(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant) and any(
            _names_user_field(a) for a in [*node.args, *[k.value for k in node.keywords]]
        )
    return False


class Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        # Local lists built up in the function being read: name -> items.
        self.lists: list[dict[str, list[ast.AST]]] = [{}]

    def flag(self, node: ast.AST, why: str) -> None:
        self.problems.append((getattr(node, "lineno", 0), why))

    # -- scopes: remember list variables per function --------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.lists.append({})
        self.generic_visit(node)
        self.lists.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        items = _list_items(node.value)
        if items is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.lists[-1][target.id] = list(items)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        items = _list_items(node.value) if node.value else None
        if items is not None and isinstance(node.target, ast.Name):
            self.lists[-1][node.target.id] = list(items)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id in self.lists[-1]:
            items = _list_items(node.value)
            self.lists[-1][node.target.id] += items if items is not None else [node.value]
        self.generic_visit(node)

    # -- the patterns ---------------------------------------------------------

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        values = [part for part in node.values if isinstance(part, ast.FormattedValue)]
        if values and has_tag(node):
            self.flag(node, "f-string puts values into markup")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Mod) and has_tag(node.left):
            self.flag(node, "%-formatting puts values into markup")
        if isinstance(node.op, ast.Add):
            operands = _concat_operands(node)
            if any(has_tag(o) for o in operands) and not all(is_literal(o) for o in operands):
                self.flag(node, "markup concatenated with a value")
            # Only the outermost + of a chain is read; skip to the operands.
            for operand in operands:
                self.visit(operand)
            return
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        plain_text = any(
            k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        )
        if name in MARKUP_SINKS and not plain_text:
            for arg in node.args:
                if _formats_user_text(arg):
                    self.flag(node, f"{name}() reads as markup a string built from user text")
        if isinstance(func, ast.Attribute):
            if func.attr == "format" and has_tag(func.value) and (node.args or node.keywords):
                self.flag(node, ".format() puts values into markup")
            if func.attr == "join" and isinstance(func.value, ast.Constant) and node.args:
                items = self._items(node.args[0])
                if items and any(has_tag(i) for i in items) and not all(is_literal(i) for i in items):
                    self.flag(node, "join() mixes markup with values")
        self.generic_visit(node)

    def _items(self, node: ast.AST) -> list[ast.AST] | None:
        items = _list_items(node)
        if items is None and isinstance(node, ast.Name):
            items = self.lists[-1].get(node.id)
        if items is None:
            return None
        # A starred or comprehension item is a value; nested lists are read through.
        return [i.value if isinstance(i, ast.Starred) else i for i in items]


def problems_in(source: str) -> list[tuple[int, str]]:
    finder = Finder()
    finder.visit(ast.parse(source))
    return sorted(finder.problems)


def test_no_ui_module_formats_values_into_markup() -> None:
    found = [
        f"{path.relative_to(UI.parent.parent)}:{line}: {why}"
        for path in sorted(UI.rglob("*.py"))
        for line, why in problems_in(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Use styled()/plain()/cell() from rejection_tui/ui/text.py:\n" + "\n".join(found)


BAD = """
def show(challenge, count, lines):
    a = f"[b]{challenge.title}[/]"
    b = "[b]%s[/]" % challenge.title
    c = "[dim]{}[/]".format(challenge.tip)
    d = "[b]" + challenge.title + "[/]"
    e = "\\n".join(["[b]How to ask[/]", challenge.tip])
    notes = ["[b]Be kind[/]"]
    notes += [challenge.safety]
    f = "\\n".join(notes)
    g = f"[@click=app.go]{count}[/]"
    h = f"Next: [$accent]{challenge.title}[/]"
    Static(f"Your journal: {journal.path}")
    options.add_option(Option(f"L{challenge.level}  {challenge.title}"))
    table.add_row(str(count), "— " + attempt.challenge_title)
    label.update(f"Did it happen? ({attempt.worry})")
"""

GOOD = """
from rejection_tui.ui.text import plain, styled

def show(challenge, count, week, goal):
    a = styled("[b]$title[/]", title=challenge.title)
    b = styled("[b]$week / $goal[/]\\nthis week", week=week, goal=goal)
    c = plain(challenge.tip)
    d = "[b]Saved[/]"
    e = f"{count} attempts written"
    f = "[dim]enter to close[/]" + "\\n" + "[b]?[/] help"
    j = styled("[b]$title[/]" + ("\\n[dim]$tip[/]" if challenge.tip else ""), title=1, tip=2)
    g = "\\n".join(["[b]How to ask[/]", "[dim]n to plan[/]"])
    h = " · ".join([challenge.title, str(count)])
    i = re.sub(r"[^a-z0-9]+", "-", challenge.title)
    Static(plain(f"Your journal: {journal.path}"), id="path")
    Label(f"Your journal: {journal.path}", markup=False)
    table.add_row(f"{when:%Y-%m-%d}", cell(challenge.title))
    hint.update(f"{count} — {week}")
"""


def test_the_check_flags_markup_built_from_values() -> None:
    lines = [line for line, _ in problems_in(BAD)]
    assert lines == [3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16], problems_in(BAD)


def test_the_check_passes_styled_plain_and_literal_markup() -> None:
    assert problems_in(GOOD) == []
