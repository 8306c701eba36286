"""A read-only SPARQL 1.1 Protocol endpoint (``nikkan serve``) with an offline query editor."""

from .app import create_app
from .server import add_arguments, main, run, serve

__all__ = ["add_arguments", "create_app", "main", "run", "serve"]
