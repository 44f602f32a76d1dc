"""Every copy the wire sent of a story, kept whether or not it changed anything."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Article


class WireVersion(models.Model):
    """One copy of a story as the agency sent it: its bytes, what was read from them, and what the desk did."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WAITING = "waiting", _("Waiting for an editor")
        DISMISSED = "dismissed", _("Dismissed")
        DUPLICATE = "duplicate", _("Same as an earlier copy")
        KILL = "kill", _("Kill")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wire_versions")
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=20, blank=True)
    agency_version = models.PositiveBigIntegerField(_("agency version"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent by the agency"), null=True, blank=True)
    parsed = models.JSONField(_("as read"), default=dict)
    raw = models.BinaryField(_("original bytes"), blank=True, default=b"")
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        get_latest_by = "received_at"
        verbose_name = _("wire version")
        verbose_name_plural = _("wire versions")
        indexes = [models.Index(fields=["article", "-received_at"], name="wire_version_article_idx")]

    def __str__(self):
        return f"{self.parsed.get('headline', '')} ({self.get_state_display()}, {self.received_at:%Y-%m-%d %H:%M})"

    @property
    def paragraphs(self) -> list[str]:
        return list(self.parsed.get("paragraphs", []))
