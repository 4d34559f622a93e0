"""rejection-tui: a private, offline coach for rejection therapy."""

__version__ = "0.1.0"
