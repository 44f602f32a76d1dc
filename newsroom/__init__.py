# Loaded with Django so that @shared_task binds to this app and tasks sent from
# the web process go to its broker.
from .celery import app as celery_app

__all__ = ("celery_app",)
