"""Pages of the annotations wing: importing annotations and reading an import's report."""
