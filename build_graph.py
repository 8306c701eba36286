#!/usr/bin/env python3
"""Build the knowledge graph: check data/ and ontology/, write graph/. See README.md."""

import sys

from nikkan.build.cli import main

if __name__ == "__main__":
    sys.exit(main())
