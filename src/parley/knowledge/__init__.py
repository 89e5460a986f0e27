"""Knowledge base: sources, ingestion and hybrid search."""
