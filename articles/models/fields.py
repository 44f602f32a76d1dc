"""Fields several models share."""

from django.conf import settings
from django.db import models


def desk_user(verbose_name=None) -> models.ForeignKey:
    """Who on the desk did something to a row (wrote, published, took, spiked it). Not a form field; the row
    outlives the account (``SET_NULL``), and users get no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
