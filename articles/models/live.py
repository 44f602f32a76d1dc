"""Live coverage: short timestamped updates on a live article, newest first."""

from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.params import moment_value
from articles.sanitize import sanitize_html, strip_tags

from .content import Article
from .fields import desk_user


class LiveUpdateQuerySet(models.QuerySet):
    def posted(self):
        """Updates the desk has posted. Readers see them only on a public article: views, feeds and the
        fragment find the article through ``Article.objects.published()`` first."""
        return self.filter(status=LiveUpdate.Status.POSTED)

    def newest_first(self):
        return self.order_by("-posted_at", "-pk")


class LiveUpdate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="live_updates"
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Optional; a few words, shown in bold and in key points.")
    )
    body = models.TextField(_("text"), help_text=_("A few sentences. Scripts, styles and unsafe links are removed."))
    key_point = models.BooleanField(
        _("key point"), default=False, help_text=_("Pinned in the key points at the top of the live page.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("A posted update of a public article reaches readers at once."),
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True, editable=False)
    image = models.ImageField(
        _("image"), upload_to="live/%Y/%m/", blank=True, width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("alt text"), max_length=300, blank=True, help_text=_("Describe the picture for readers who cannot see it.")
    )
    image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: Readers' pages ask for what changed after the newest time they hold (``articles.live``).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = desk_user(_("created by"))

    objects = LiveUpdateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-posted_at", "-pk"]
        get_latest_by = "posted_at"
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [models.Index(fields=["article", "status", "-posted_at"], name="liveupdate_article_idx")]

    def __str__(self):
        return self.title or Truncator(self.text).chars(60)

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if self.status == self.Status.POSTED and self.posted_at is None:
            self.posted_at = timezone.now()
        elif self.status == self.Status.DRAFT:
            self.posted_at = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The permalink: the update's anchor on its live page."""
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"

    @property
    def text(self) -> str:
        return strip_tags(self.body)

    @property
    def summary(self) -> str:
        """The title, or the text's first words: key points, feed titles and JSON-LD headlines."""
        return self.title or Truncator(self.text).chars(110)

    @property
    def version(self) -> str:
        """Changes with every save: a reader's page replaces an update it holds when this differs."""
        return moment_value(self.updated_at)
