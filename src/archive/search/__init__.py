"""Stage 8, search: Chinese analysis → the Whoosh index (derived from the records) → the query language,
the searcher, highlights and facets."""
