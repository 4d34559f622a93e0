"""Persistence on TinyDB: the safe storage, the journal and its repository."""
