"""Social value in commissioning: project package and core."""

from socialvalue.celery import app as celery_app

__all__ = ["celery_app"]
