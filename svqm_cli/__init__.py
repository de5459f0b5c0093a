"""svqm: build and validate Social Value Quality Mark evidence packs."""

__version__ = "0.1.0"
