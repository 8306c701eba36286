"""Consumers that ask the store questions: the query catalogue and its CLI."""
