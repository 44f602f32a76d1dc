"""Front pages the editors make: the stories pinned to the home page or a section front."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.links import page_url

from .content import Article, Section
from .fields import desk_user


def showing_q(now=None, prefix: str = "") -> Q:
    """Pins in force at ``now``: started, and not yet ended."""
    now = now or timezone.now()
    return Q(**{f"{prefix}starts_at__lte": now}) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": now})
    )


class FrontPagePinQuerySet(models.QuerySet):
    def showing(self):
        return self.filter(showing_q())

    def on(self, section: Section | None):
        """The pins of one page: a section's front, or the home page (``None``)."""
        return self.filter(section=section) if section else self.filter(section__isnull=True)


class FrontPagePin(models.Model):
    """A story an editor placed on a front, at a position, for a while.

    The lowest position in force is the page's lead (at the same position, the
    pin that started last); the others are its top stories in order. Only a
    published story shows: a pinned draft, scheduled, embargoed or killed story
    waits unseen, and the page falls back to the newest.
    """

    article = models.ForeignKey(Article, verbose_name=_("story"), on_delete=models.CASCADE, related_name="pins")
    section = models.ForeignKey(
        Section,
        verbose_name=_("front"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pins",
        help_text=_("Empty: the home page. A section: that section's front."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("1 is the lead; then the top stories in this order.")
    )
    starts_at = models.DateTimeField(_("from"), default=timezone.now, help_text=_("The pin takes effect at this time."))
    ends_at = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("The pin expires at this time. Empty: until removed.")
    )
    created_by = desk_user()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FrontPagePinQuerySet.as_manager()

    class Meta:
        ordering = ["section__order", "section__name", "position", "pk"]
        verbose_name = _("front-page pin")
        verbose_name_plural = _("front-page pins")
        constraints = [
            # A story appears once per page.
            models.UniqueConstraint(fields=["article"], condition=Q(section__isnull=True), name="unique_home_pin"),
            models.UniqueConstraint(
                fields=["article", "section"], condition=Q(section__isnull=False), name="unique_section_pin"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")), name="pin_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["section", "position"], name="pin_front_idx")]

    def __str__(self):
        return _("%(story)s on %(front)s, position %(position)s") % {
            "story": self.article, "front": self.front_name, "position": self.position,
        }  # fmt: skip

    def get_absolute_url(self):
        return self.section.get_absolute_url() if self.section_id else page_url("articles:home")

    @property
    def front_name(self) -> str:
        return self.section.name if self.section_id else str(_("Home page"))

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A pin must end after it starts.")})

    def is_showing(self) -> bool:
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)

    is_showing.boolean = True
    is_showing.short_description = _("in force")
