"""Reference data and the demo / large shop generators."""
