"""A read-only SPARQL 1.1 Protocol endpoint (``nikkan serve``) with an offline query editor."""

from importlib import import_module

__all__ = ["add_arguments", "create_app", "main", "run", "serve"]


def __getattr__(name: str):
    """Import Starlette and the workers only when the app itself is asked for."""
    if name == "create_app":
        return import_module(".app", __name__).create_app
    if name in __all__:
        return getattr(import_module(".server", __name__), name)
    raise AttributeError(name)
