"""The build: curated sources → validated RDF dataset and its outputs."""
