"""Pure domain: models, validation, rules and statistics.

Nothing here imports Textual or TinyDB (tests/test_layering.py enforces it).
"""
