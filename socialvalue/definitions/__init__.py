"""Local social value definitions, priorities and market statements."""
