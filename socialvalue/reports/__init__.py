"""The report engine: PDF reports rendered in the background, one row per report.

A layer of its own between the core and the features: it uses the core's organisations,
permissions, audit trail and job sweep, and features register their report kinds with it from
their `registrations.py` (`registry.register(ReportKind(...))`), as they register dashboard panels.
"""
