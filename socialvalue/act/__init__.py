"""The Social Value Act check: the pure engine, its dated data, and the pages around it."""
