"""The categories of the challenge library, in display order."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "small_talk": "Small talk",
    "shops": "Shops & services",
    "favours": "Favours from strangers",
    "standing_out": "Standing out",
    "boundaries": "Boundaries",
    "work": "Work",
    "social": "Friends & dating",
}


def category_label(key: str) -> str:
    return CATEGORIES.get(key, key.replace("_", " ").capitalize())


def category_error(value: object) -> str | None:
    if not isinstance(value, str) or value not in CATEGORIES:
        return "Category must be one of: " + ", ".join(CATEGORIES.values())
    return None
