"""The platform: organisations, people, roles, permissions, audit, jobs, notify and the web shell."""
