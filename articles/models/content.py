"""Articles, their bylines, sections and related reading."""

import math
import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from articles.links import article_url, page_url
from articles.sanitize import sanitize_html, strip_tags

from .fields import desk_user

WORDS_PER_MINUTE = 230


def non_blank_lines(text: str) -> tuple[str, ...]:
    """The stripped, non-empty lines of a one-item-per-line text field."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


#: Slugs made from a headline are at most this long, cut at a word.
DERIVED_SLUG_LENGTH = 60


def _cut_at_word(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    return cut.rsplit("-", 1)[0] if "-" in cut.strip("-") else slug[:max_length]


def _slug_base(text: str, max_length: int) -> str:
    return _cut_at_word(slugify(text), max_length).strip("-") or "story"


def slug_derives_from(slug: str, text: str) -> bool:
    """Whether ``slug`` is what ``unique_slug`` makes of ``text`` (or made before slugs were cut at a
    word, or the admin's script makes), perhaps with a "-2" suffix, rather than an address someone chose."""
    made = {_slug_base(text, DERIVED_SLUG_LENGTH), slugify(text)[:200].strip("-")}
    return bool({slug, re.sub(r"-[0-9]+$", "", slug)} & made)


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = DERIVED_SLUG_LENGTH, taken=frozenset()) -> str:
    """A slug for ``text`` not yet used by another row of ``model``, nor in ``taken``."""
    base = _slug_base(text, max_length)
    slug, n = base, 2
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    while slug in taken or others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{_cut_at_word(base, max_length - len(suffix)).strip('-')}{suffix}"
        n += 1
    return slug


def unique_slugs(model, texts: list[str], *, max_length: int = DERIVED_SLUG_LENGTH) -> list[str]:
    """``unique_slug`` for many new rows at once: one query, and one more per slug already taken."""
    bases = [_slug_base(text, max_length) for text in texts]
    taken = set(model._default_manager.filter(slug__in=bases).values_list("slug", flat=True))
    slugs = []
    for text, base in zip(texts, bases, strict=True):
        slug = base if base not in taken else unique_slug(model, text, max_length=max_length, taken=taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown on the section page and in search results.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in the navigation.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("articles:section", slug=self.slug)


class Author(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    role = models.CharField(
        _("role"), max_length=150, blank=True, help_text=_('Job title, e.g. "Political correspondent".')
    )
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="authors/", blank=True, width_field="photo_width", height_field="photo_height"
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True, help_text=_("For the desk only; never shown publicly."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
    )
    website = models.URLField(_("website"), blank=True)
    social_links = models.TextField(
        _("social links"), blank=True, help_text=_("One profile URL per line (Mastodon, Bluesky, X...).")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("articles:author", slug=self.slug)

    @property
    def social_link_list(self) -> list[str]:
        return list(non_blank_lines(self.social_links))


def new_preview_nonce() -> str:
    return secrets.token_urlsafe(12)


def published_q(now=None) -> Q:
    """The one definition of what a reader may see."""
    now = now or timezone.now()
    return Q(status=Article.Status.PUBLISHED, published_at__lte=now) & (
        Q(embargoed_until__isnull=True) | Q(embargoed_until__lte=now)
    )


#: What the other agencies' copies of a story show beside it: agency, headline, state.
PARTNER_FIELDS = (
    "headline", "slug", "credit", "status", "published_at", "embargoed_until", "created_at", "spiked_at",
    "wire_canceled", "source__name",
)  # fmt: skip


def bylines_prefetch() -> Prefetch:
    """An article's authors in byline order, as ``Article.byline_authors`` reads them."""
    return Prefetch(
        "authorships",
        queryset=Authorship.objects.select_related("author")
        .only("article_id", "position", "author__name", "author__slug")
        .order_by("position", "pk"),
        to_attr="ordered_authorships",
    )


def incoming_q() -> Q:
    """The wire desk's Incoming queue: agency copy not yet published, spiked or killed."""
    # A literal status: Article's Meta reads this (a partial index) before the class exists.
    return Q(source__isnull=False, spiked_at__isnull=True, wire_canceled=False) & ~Q(status="published")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_q(now))

    def incoming(self):
        return self.filter(incoming_q())

    def group_leads(self):
        """One story per event: those of this queryset not listed under an earlier one of it.

        Near-duplicates (``also_reported_by``) form a group led by its earliest
        story. A story is left out when an earlier partner in this queryset
        leads (has no earlier partner itself); it shows under that one, so
        every story is either a lead or listed under one, even when the links
        are not transitive.
        """
        members = self.order_by().values("pk")
        partners = Article.also_reported_by.through.objects.filter(to_article__in=members)
        led_by_earlier = partners.filter(from_article=OuterRef("pk"), to_article__lt=OuterRef("pk")).filter(
            ~Exists(partners.filter(from_article=OuterRef("to_article"), to_article__lt=OuterRef("to_article")))
        )
        return self.filter(~Exists(led_by_earlier))

    def for_queue(self):
        """What a row of the Incoming queue shows: agency, section, taker, version count and the group."""
        versions = Article._meta.get_field("wire_versions").related_model.objects.filter(article=OuterRef("pk"))
        return (
            self.select_related("source", "section", "assignee")
            .defer("body", "search_vector")
            .annotate(
                version_count=Coalesce(
                    Subquery(versions.values("article").annotate(n=Count("pk")).values("n")),
                    0,
                )
            )
            .prefetch_related(
                Prefetch(
                    "also_reported_by",
                    queryset=Article.objects.select_related("source").only(*PARTNER_FIELDS).order_by("pk"),
                    to_attr="partners",
                )
            )
        )

    def with_public_partners(self):
        """The other agencies' copies of each story that readers may see, as ``public_partners``."""
        return self.prefetch_related(
            Prefetch(
                "also_reported_by",
                queryset=Article.objects.published().select_related("source").only(*PARTNER_FIELDS).order_by("pk"),
                to_attr="public_partners",
            )
        )

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def tagged(self, tag, content_type=None):
        """Articles carrying ``tag``. A semi-join, not a join, leaves PostgreSQL free to walk the
        newest articles and stop after a page when the tag is common (a join sorted them all)."""
        content_type = content_type or article_type_id()
        return self.filter(
            Exists(TaggedItem.objects.filter(content_type=content_type, object_id=OuterRef("pk"), tag=tag))
        )

    def with_bylines(self):
        return self.prefetch_related(bylines_prefetch())

    def for_feed(self):
        """Feeds and the ninjs API: full body, section, bylines and tags fetched once."""
        return self.select_related("section").defer("search_vector").with_bylines().prefetch_related("tags")


class RevisionParts(models.Model):
    """A revision's copy of the story's other rows, so restoring it restores what readers saw
    (``articles.revisions``). Empty (None) on revisions made before it existed."""

    related = models.JSONField(_("bylines, tags, links and corrections"), null=True, editable=False)

    class Meta:
        abstract = True


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(_("headline"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "The last part of the URL. Made from the headline until the story first goes public, then fixed; "
            "change it by hand and the old address redirects."
        ),
    )
    kicker = models.CharField(
        _("kicker"), max_length=100, blank=True, help_text=_('A label above the headline, e.g. "Analysis".')
    )
    dek = models.TextField(
        _("standfirst"), blank=True, help_text=_("One or two sentences under the headline; also the summary.")
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("HTML. Scripts, styles and unsafe links are removed on save.")
    )
    dateline = models.CharField(
        _("dateline"), max_length=100, blank=True, help_text=_('Where the story was filed, e.g. "Jakarta".')
    )
    credits = models.TextField(
        _("credits"), blank=True, help_text=_('Reporting and editing credits, e.g. "Reporting by ...".')
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("authors"), through="Authorship", related_name="articles", blank=True
    )
    tags = TaggableManager(_("tags"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("A future time schedules the story: it goes public then, not before."),
    )
    embargoed_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "Kept off every public page until this time, whatever the status. A published story's publish "
            "time moves to it: readers first see the story then."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    image = models.ImageField(
        _("featured image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    image_credit = models.CharField(_("credit"), max_length=150, blank=True)
    image_alt = models.CharField(
        _("alt text"), max_length=300, blank=True, help_text=_("Describe the picture for readers who cannot see it.")
    )
    language = models.CharField(_("language"), max_length=10, default=settings.SITE_LANGUAGE)
    word_count = models.PositiveIntegerField(_("words"), default=0, editable=False)
    # Weighted headline (A) > dek (B) > body (C). On PostgreSQL a trigger keeps
    # it current on every write, save() or update() alike, and a GIN index
    # serves it (migration 0005); elsewhere it stays empty and search falls back.
    search_vector = SearchVectorField(null=True, editable=False)

    # Wire provenance: filled by the importer, optional for everything else.
    source = models.ForeignKey(
        "articles.WireSource",
        verbose_name=_("wire source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    source_story_id = models.CharField(_("agency story id"), max_length=255, blank=True)
    wire_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    wire_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    needs_headline = models.BooleanField(
        _("needs headline"), default=False, help_text=_("The wire copy had no headline; one was derived.")
    )
    wire_canceled = models.BooleanField(
        _("killed by the agency"),
        default=False,
        help_text=_("The agency withdrew this story. Clear only after checking; it cannot be published until then."),
    )
    wire_update_available = models.BooleanField(
        _("newer wire version"),
        default=False,
        help_text=_("The agency sent a newer version after an editor's changes."),
    )
    edited_since_import = models.BooleanField(default=False, editable=False)
    wire_sent_at = models.DateTimeField(_("agency time of the applied copy"), null=True, blank=True, editable=False)
    kill_acknowledged_at = models.DateTimeField(_("kill acknowledged"), null=True, blank=True, editable=False)
    kill_acknowledged_by = desk_user()
    credit = models.CharField(
        _("credit"),
        max_length=100,
        blank=True,
        help_text=_(
            'The agency whose copy this is, e.g. "AP", "Tempo"; shown beside the byline. Empty for staff work.'
        ),
    )
    copyright_notice = models.CharField(
        _("copyright"), max_length=255, blank=True, help_text=_("The agency's copyright line, where it sent one.")
    )
    wire_keywords = models.JSONField(
        _("agency keywords"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The agency's keywords and subjects: for the desk and tag suggestions, never shown to readers."),
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Bumped on every save; a stale form cannot overwrite newer work.")
    )
    preview_nonce = models.CharField(
        max_length=32,
        default=new_preview_nonce,
        editable=False,
        help_text=_("Signed into preview links; a new one makes every link shared so far stop working."),
    )
    created_by = desk_user(_("created by"))
    published_by = desk_user(_("published by"))
    retracted_at = models.DateTimeField(_("retracted"), null=True, blank=True, editable=False)
    retraction_notice = models.TextField(
        _("retraction notice"),
        blank=True,
        help_text=_("Shown to readers at the article's address after it is retracted."),
    )
    is_live = models.BooleanField(
        _("live page"),
        default=False,
        help_text=_("Breaking news: timestamped updates, newest first, under the body, and a “Live” badge."),
    )
    live_ended_at = models.DateTimeField(
        _("live coverage ended"),
        null=True,
        blank=True,
        help_text=_("Set when the coverage ends: the badge goes and readers' pages stop asking for updates."),
    )
    also_reported_by = models.ManyToManyField("self", verbose_name=_("also reported by"), blank=True, symmetrical=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The agency's urgency on the IPTC scale: 1 most urgent, 5 normal, 9 least."),
    )
    slugline = models.CharField(
        _("slugline"), max_length=255, blank=True, editable=False, help_text=_("The agency's slug or keyword line.")
    )
    # The Incoming queue's desk state: who took the story, and whether it was spiked (kept, out of the queue).
    assignee = desk_user(_("taken by"))
    spiked_at = models.DateTimeField(_("spiked"), null=True, blank=True, editable=False)
    spiked_by = desk_user(_("spiked by"))

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        # The queue's desk state is not the story's text: restoring a revision never takes or spikes it.
        excluded_fields=[
            "word_count",
            "wire_fingerprint",
            "version",
            "search_vector",
            "preview_nonce",
            "assignee",
            "spiked_at",
            "spiked_by",
        ],  # fmt: skip
        bases=[RevisionParts],
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("publish_article", _("Can publish, unpublish and schedule articles")),
            ("import_wire", _("Can import wire copy")),
        ]
        indexes = [
            # embargoed_until last: deep pages skip thousands of entries without reading the rows.
            models.Index(fields=["status", "-published_at", "-id", "embargoed_until"], name="article_public_idx"),
            models.Index(
                fields=["section", "status", "-published_at", "-id", "embargoed_until"], name="article_section_idx"
            ),
            models.Index(fields=["-published_at", "-id"], name="article_latest_idx"),
            # The few embargoed stories, for when the next one goes public (``caching.publication_moments``).
            models.Index(
                fields=["embargoed_until"], condition=Q(embargoed_until__isnull=False), name="article_embargo_idx"
            ),
            # Related reading walks the public stories near an article by id (``related._candidates``).
            models.Index(fields=["id"], condition=Q(status="published"), name="article_published_idx"),
            # The importer's near-duplicate check reads the newest stories.
            models.Index(fields=["-created_at"], name="article_created_idx"),
            # Wire "Read: <headline>" links find their article by headline, ignoring case.
            models.Index(Upper("headline"), name="article_headline_upper_idx"),
            # The Incoming queue, newest first.
            models.Index(fields=["-created_at", "-id"], condition=incoming_q(), name="article_incoming_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_story_id"],
                condition=~Q(source_story_id=""),
                name="unique_wire_story",
            ),
            models.UniqueConstraint(
                fields=["wire_fingerprint"],
                condition=~Q(wire_fingerprint=""),
                name="unique_wire_fingerprint",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if self.pk:
            self.version += 1
        self.fill_derived_fields()
        super().save(*args, **kwargs)
        self.remember_loaded()

    def get_absolute_url(self):
        return article_url(self.slug, self.published_at, self.created_at)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article.remember_loaded()
        return article

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.remember_loaded()

    def remember_loaded(self) -> None:
        """Keep what ``fill_derived_fields`` compares with: the row as read (or last saved)."""
        self._loaded = {name: self.__dict__.get(name) for name in ("headline", "published_at", "embargoed_until")}

    def fill_derived_fields(self) -> None:
        """Sanitise the body and fill what follows from the other fields; ``save()`` does it, and so
        does the importer before it writes many articles in one INSERT."""
        if not self.slug or self._slug_follows_headline():
            self.slug = unique_slug(Article, self.headline, instance_pk=self.pk)
        self.body = sanitize_html(self.body)
        self.word_count = len(strip_tags(self.body).split())
        if self.status == self.Status.PUBLISHED:
            self._stamp_public_time()

    def _went_public(self) -> bool:
        """Whether the story as read had gone public (and may be unpublished since): its address is out."""
        loaded = getattr(self, "_loaded", {})
        published_at = loaded.get("published_at")
        lifted = loaded.get("embargoed_until") or published_at
        return published_at is not None and max(published_at, lifted) <= timezone.now()

    def _slug_follows_headline(self) -> bool:
        """Until a story first goes public its derived address follows its headline; from then on it
        stays (one changed by hand leaves the old one redirecting: ``ArticleDetailView``). A derived
        slug longer than ``DERIVED_SLUG_LENGTH`` (the admin's script makes them) is derived again."""
        if self._went_public():
            return False
        loaded = getattr(self, "_loaded", {}).get("headline")
        if loaded and loaded != self.headline and slug_derives_from(self.slug, loaded):
            return True
        return len(self.slug) > DERIVED_SLUG_LENGTH and slug_derives_from(self.slug, self.headline)

    def _stamp_public_time(self) -> None:
        """A published story's publish time is when readers first see it: a later embargo's end, and a
        publish time that an embargo set (not yet reached) moves with that embargo. Whole seconds, as
        the admin form writes them, so saving the form changes no time."""
        now = timezone.now().replace(microsecond=0)
        loaded = getattr(self, "_loaded", {})
        was = loaded.get("published_at")
        tied = was is not None and was == loaded.get("embargoed_until") and was > now
        if tied and self.published_at == was and self.embargoed_until != was:
            self.published_at = max(self.embargoed_until or now, now)
        if self.published_at is None:
            self.published_at = now
        if self.embargoed_until and self.published_at < self.embargoed_until:
            self.published_at = self.embargoed_until

    def is_published(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargoed_until is None or self.embargoed_until <= now)
        )

    is_published.boolean = True
    is_published.short_description = _("public")

    @property
    def live_now(self) -> bool:
        """A live page whose coverage has not ended: it wears the badge and readers' pages poll it."""
        return self.is_live and (self.live_ended_at is None or self.live_ended_at > timezone.now())

    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and bool(self.published_at) and self.published_at > timezone.now()

    @property
    def agency(self) -> str:
        """The agency whose copy this is, as the desk calls it."""
        return self.source.name if self.source_id else self.credit

    @property
    def reading_time(self) -> int:
        """Minutes to read, at least one."""
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def byline_authors(self) -> list[Author]:
        """Authors in byline order; uses the ``with_bylines()`` prefetch when present."""
        authorships = getattr(self, "ordered_authorships", None)
        if authorships is None:
            authorships = self.authorships.select_related("author").order_by("position", "pk")
        return [authorship.author for authorship in authorships]

    @property
    def summary(self) -> str:
        return summary_of(self.dek, self.body)

    def public_related_links(self) -> list["RelatedLink"]:
        """Related links a reader may follow: published articles and external URLs."""
        return [link for link in self.related_links.all() if link.is_public()]


def summary_of(dek: str, body: str) -> str:
    """A story's summary (``Article.summary``), from its columns: its dek, or the start of its text."""
    return dek or strip_tags(body)[:280]


def article_type_id() -> int:
    """The content type of ``Article``, as taggit's items name it (cached by ``ContentType``)."""
    return ContentType.objects.get_for_model(Article).pk


#: What the public corrections page and feed need of a correction's story: its title and address.
CORRECTED_ARTICLE_FIELDS = ("article__headline", "article__slug", "article__published_at", "article__created_at")


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections (not updates) of the stories readers may see, newest first, with their story."""
        return (
            self.filter(kind=Correction.Kind.CORRECTION, article__in=Article.objects.published())
            .select_related("article")
            .only("kind", "text", "created_at", "article_id", *CORRECTED_ARTICLE_FIELDS)
            .order_by("-created_at", "-pk")
        )


class Correction(models.Model):
    """A correction or update note shown at the foot of a published article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(_("text"), help_text=_("What was wrong and what is right now, in plain words."))
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    created_by = desk_user()

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class Authorship(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_byline")]
        indexes = [models.Index(fields=["author", "article"], name="authorship_author_idx")]

    def __str__(self):
        return f"{self.author} on {self.article}"


class RelatedLink(models.Model):
    """A "related reading" link: to an article, to a URL, or a wire title not yet resolved."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="linked_from",
    )
    url = models.URLField(_("external URL"), max_length=500, blank=True)
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Leave blank to use the linked article's headline.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("related link")
        verbose_name_plural = _("related links")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False) | ~Q(url="") | ~Q(title=""),
                name="related_link_not_empty",
            )
        ]
        indexes = [
            # Every imported story looks for earlier "Read: <headline>" links waiting for it.
            models.Index(Upper("title"), condition=Q(target__isnull=True, url=""), name="related_link_unresolved_idx"),
        ]

    def __str__(self):
        return self.display_title

    def clean(self):
        if not (self.target_id or self.url or self.title):
            raise ValidationError(_("Choose an article, give a URL, or at least a title."))

    @property
    def display_title(self) -> str:
        return self.title or (self.target.headline if self.target_id else self.url)

    @property
    def href(self) -> str:
        if self.target_id:
            return self.target.get_absolute_url()
        return self.url

    def is_public(self) -> bool:
        return self.target.is_published() if self.target_id else bool(self.url)


class IncomingStory(Article):
    """The wire desk's Incoming queue in the admin: the same rows, listed by ``incoming()``."""

    class Meta:
        proxy = True
        ordering = ["-created_at", "-pk"]
        verbose_name = _("incoming story")
        verbose_name_plural = _("incoming wire copy")
