"""Ingest channels: where wire copy arrives by itself (a drop folder, a feed, a ninjs endpoint)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .content import Section
from .wire import WireSource


class Channel(models.Model):
    """One place the desk receives copy from, polled on its own schedule; its state is what the dashboard shows."""

    class Kind(models.TextChoices):
        FOLDER = "folder", _("Drop folder")
        FEED = "feed", _("RSS/Atom feed")
        NINJS = "ninjs", _("ninjs JSON endpoint")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    location = models.CharField(
        _("folder or URL"),
        max_length=500,
        help_text=_("A folder on the server for a drop folder; an http(s) URL for a feed or a ninjs endpoint."),
    )
    source = models.ForeignKey(
        WireSource,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Credit every story to this agency. Empty: recognise the agency from the copy."),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("default section"), on_delete=models.SET_NULL, null=True, blank=True
    )
    poll_interval = models.PositiveIntegerField(
        _("poll every (seconds)"), default=60, help_text=_("At least 10 seconds.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    publish_on_arrival = models.BooleanField(
        _("publish on arrival"),
        default=False,
        help_text=_("Publish stories as they arrive, when they pass the publishing checklist. Off: drafts."),
    )
    quiet_after = models.PositiveIntegerField(
        _("alert when quiet for (minutes)"),
        default=60,
        help_text=_("The dashboard warns when no new story arrived for this long. 0: never."),
    )

    # State, written by the poller.
    next_poll_at = models.DateTimeField(_("next poll"), default=timezone.now, editable=False)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_new_story_at = models.DateTimeField(_("last new story"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ingest channel")
        verbose_name_plural = _("ingest channels")
        indexes = [models.Index(fields=["enabled", "next_poll_at"], name="channel_due_idx")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.FOLDER:
            if "://" in self.location:
                raise ValidationError({"location": _("A drop folder is a path on the server, not a URL.")})
        elif not self.location.startswith(("http://", "https://")):
            raise ValidationError({"location": _("A feed or ninjs endpoint needs an http(s) URL.")})
        if self.poll_interval < 10:
            raise ValidationError({"poll_interval": _("Poll at most every 10 seconds.")})

    def quiet_for(self, now=None) -> timedelta | None:
        """How long the channel has gone without a new story, when that is longer than its threshold."""
        if not self.enabled or not self.quiet_after:
            return None
        since = self.last_new_story_at or self.created_at
        quiet = (now or timezone.now()) - since
        return quiet if quiet > timedelta(minutes=self.quiet_after) else None
