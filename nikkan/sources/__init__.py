"""Sources: the curated YAML files and the document texts they quote."""
