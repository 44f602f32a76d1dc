"""The Celery app for background work (image renditions, admin imports).

Configured from Django's settings, the ``CELERY_`` names.  Run a worker with
``celery -A newsroom worker`` and the scheduler with ``celery -A newsroom beat``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
