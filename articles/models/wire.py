"""Wire agencies and the import log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.wire import Agency
from articles.wire.refine import RuleError, compile_rule

from .content import non_blank_lines


class WireSource(models.Model):
    """A news agency whose copy the desk imports, with its rules as data."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    aliases = models.TextField(
        _("dateline names"),
        blank=True,
        help_text=_('How the agency names itself in datelines and headers, one per line, e.g. "AP", "TEMPO.CO".'),
    )
    boilerplate = models.TextField(
        _("boilerplate rules"),
        blank=True,
        help_text=_("Lines to drop from the body: one regular expression per line, matched against each paragraph."),
    )
    credit_patterns = models.TextField(
        _("credit rules"),
        blank=True,
        help_text=_('Lines kept as credits rather than body ("Reporting by ..."): one regular expression per line.'),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Only active agencies' rules are applied. An agency first met in a story's metadata is added "
            "inactive: check its name and rules, then activate it."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire source")
        verbose_name_plural = _("wire sources")

    def __str__(self):
        return self.name

    def clean(self):
        """Refuse a rule the importer could not run, naming its line."""
        errors = {}
        for field in ("boilerplate", "credit_patterns"):
            for number, line in enumerate(getattr(self, field).splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    compile_rule(line.strip())
                except RuleError as exc:
                    errors.setdefault(field, []).append(
                        ValidationError(
                            _("Line %(number)d, %(rule)s: %(problem)s."),
                            code="invalid_rule",
                            params={"number": number, "rule": repr(line.strip()), "problem": exc},
                        )
                    )
        if errors:
            raise ValidationError(errors)

    def as_agency(self) -> Agency:
        return Agency(
            name=self.name,
            aliases=non_blank_lines(self.aliases),
            boilerplate=non_blank_lines(self.boilerplate),
            credits=non_blank_lines(self.credit_patterns),
        )


class ImportRun(models.Model):
    """One batch: a command invocation or an upload in the admin."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    origin = models.CharField(_("from"), max_length=20, default="command")
    channel = models.ForeignKey(
        "articles.Channel",
        verbose_name=_("channel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"Import {self.started_at:%Y-%m-%d %H:%M} ({self.summary})"

    @property
    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.duplicates} duplicates, {self.failed} failed"


class ImportedFile(models.Model):
    """One story (or one failed file) of a run; failures keep the raw bytes to re-run."""

    class Result(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DUPLICATE = "duplicate", _("duplicate")
        WAITING = "waiting", _("newer version waiting")
        KILLED = "killed", _("killed by the agency")
        ERROR = "error", _("error")
        NEW = "new", _("new (dry run)")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(_("file"), max_length=500)
    format = models.CharField(_("format"), max_length=20, blank=True)
    source = models.ForeignKey(WireSource, on_delete=models.SET_NULL, null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    warnings = models.TextField(_("warnings"), blank=True)
    raw = models.BinaryField(_("original file"), blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")

    def __str__(self):
        return f"{self.filename}: {self.result}"


class PendingUpload(models.Model):
    """One file uploaded on the import page, kept between the preview and the import.

    The files of one upload share a ``token``; the Import step posts only that token, so the
    browser never sends the bytes twice (nor holds them in a form field).
    """

    token = models.UUIDField(_("upload"), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    filename = models.CharField(_("file"), max_length=500)
    raw = models.BinaryField(_("file contents"), blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["token", "position"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return self.filename
