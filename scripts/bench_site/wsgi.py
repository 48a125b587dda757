"""WSGI entry for gunicorn in the benchmark."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_site.settings")
application = get_wsgi_application()
