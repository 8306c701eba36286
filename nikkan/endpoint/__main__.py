"""``python -m nikkan.endpoint``: serve the dataset over SPARQL."""

from .server import main

if __name__ == "__main__":  # guarded: worker processes (spawn) import this module too
    raise SystemExit(main())
