"""The Celery app. Configuration comes from Django settings (the CELERY_ names).

A worker bootstep records a heartbeat row every WORKER_HEARTBEAT_SECONDS, so the status page can tell
whether any worker is alive, whatever the broker (Redis or the embedded filesystem transport).
"""

import logging
import os
import socket

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialvalue.settings")

logger = logging.getLogger(__name__)

app = Celery("socialvalue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Heartbeat(bootsteps.StartStopStep):
    """Writes this worker's heartbeat to the database on a timer."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None
        self.hostname = getattr(worker, "hostname", None) or socket.gethostname()

    def start(self, worker):
        from django.conf import settings

        self.beat()
        self.tref = worker.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, self.beat)

    def stop(self, worker):
        if self.tref:
            self.tref.cancel()
            self.tref = None

    def beat(self):
        from django.db import DatabaseError, close_old_connections
        from django.utils import timezone

        # Deferred, as the Django imports above: the worker imports this module before Django's
        # apps are loaded (socialvalue.apps imports it in ready()), so models come when it beats.
        from socialvalue.core.models import WorkerHeartbeat

        close_old_connections()
        now = timezone.now()
        try:
            heartbeat, created = WorkerHeartbeat.objects.get_or_create(
                hostname=self.hostname, defaults={"last_seen": now, "started_at": now}
            )
            if not created:
                WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(last_seen=now)
        except DatabaseError:
            # A missed beat only makes the status page say the worker is quiet; keep working.
            logger.warning("Could not record the worker heartbeat", exc_info=True)


app.steps["worker"].add(Heartbeat)
