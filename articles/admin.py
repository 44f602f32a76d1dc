from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Length
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from taggit import admin as taggit_admin
from taggit.models import Tag

from . import admin_import, policy, revisions, services, tagging, tasks
from .admin_history import GuardedHistoryAdmin
from .admin_incoming import other_copies, partners_of
from .admin_media import ImageAdminMixin
from .admin_versions import version_urls, versions_table
from .dashboard import timesince_text
from .forms import ArticleAdminForm, AuthorAdminForm, LiveUpdateAdminForm
from .models import (
    Article,
    Author,
    Authorship,
    Channel,
    Correction,
    FrontPagePin,
    ImportedFile,
    ImportRun,
    LiveUpdate,
    RelatedLink,
    Section,
    WireSource,
)
from .models.content import new_preview_nonce
from .search import SEARCH_CONFIG


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (in byline order)")


#: Links typed without a scheme are read as https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    formfield_overrides = HTTPS_URLS
    fk_name = "article"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["target", "url", "title", "position"]
    verbose_name_plural = _("related reading (in display order)")


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]
    verbose_name_plural = _("corrections and updates (shown at the foot of the article)")


class ScheduledFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("live", _("Public now")), ("scheduled", _("Scheduled")), ("embargoed", _("Embargoed"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "embargoed":
            return queryset.filter(embargoed_until__gt=now)
        return queryset


class WireFlagFilter(admin.SimpleListFilter):
    title = _("wire desk")
    parameter_name = "wire"

    def lookups(self, request, model_admin):
        return [
            ("needs_headline", _("Needs a headline")),
            ("killed", _("Killed by the agency")),
            ("update", _("Newer wire version")),
            ("wire", _("All wire copy")),
        ]

    def queryset(self, request, queryset):
        return {
            "needs_headline": lambda: queryset.filter(needs_headline=True),
            "killed": lambda: queryset.filter(wire_canceled=True),
            "update": lambda: queryset.filter(wire_update_available=True),
            "wire": lambda: queryset.filter(source__isnull=False),
        }.get(self.value(), lambda: queryset)()


@admin.register(Article)
class ArticleAdmin(ImageAdminMixin, GuardedHistoryAdmin):
    """The desk's article admin.

    Roles are permissions; ``articles.policy`` says what each may do, and this
    admin, its form and the services ask it. Refused requests answer 403
    with one INFO log line (``policy.refusals_answer_403``).
    """

    form = ArticleAdminForm
    image_fields = ("image",)
    list_display = ["headline", "section", "bylines", "state", "is_published", "published_at"]
    list_filter = ["status", ScheduledFilter, WireFlagFilter, "section", "source"]
    list_select_related = ["section", "source"]
    search_fields = ["headline", "dek", "source_story_id"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section"]
    inlines = [AuthorshipInline, RelatedLinkInline, CorrectionInline]
    actions = ["publish_now", "unpublish", "retract", "revoke_preview_links", "end_live_coverage"]
    readonly_fields = [
        "word_count", "created_at", "updated_at", "wire_status", "wire_versions", "publication_record", "preview_link",
        "publish_checklist", "tag_suggestions", "agency_keywords", "live_updates_links", "revision_parts",
        "other_copies",
    ]  # fmt: skip
    history_list_display = ["status"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["publish_checklist", "kicker", "headline", "slug", "dek", "body", "opened_version"]}),
        (_("Other agencies' copies of this event"), {"fields": ["other_copies"], "classes": ["other-copies-set"]}),
        (
            _("Placement"),
            {
                "fields": [
                    "section",
                    "tag_choices",
                    "tag_suggestions",
                    "new_tags",
                    "agency_keywords",
                    "dateline",
                    "credit",
                    "language",
                ]
            },
        ),  # fmt: skip
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "embargoed_until", "publication_record", "preview_link"]},
        ),
        (_("Live coverage"), {"fields": ["is_live", "live_ended_at", "live_updates_links"]}),
        (
            _("Featured image"),
            {"fields": ["image", "image_alt", "image_caption", "image_credit"], "classes": ["collapse"]},
        ),
        (
            _("Wire provenance"),
            {
                "fields": [
                    "wire_status",
                    "source",
                    "source_story_id",
                    "copyright_notice",
                    "credits",
                    "needs_headline",
                    "wire_canceled",
                    "wire_update_available",
                    "wire_versions",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Retraction"), {"fields": ["retraction_notice"], "classes": ["collapse"]}),
        (_("Record"), {"fields": ["word_count", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["admin/js/article_counts.js", "admin/js/tag_suggestions.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector").with_bylines()

    def get_search_results(self, request, queryset, search_term):
        """``search_fields`` as Django matches them, or the body: through the full-text vector on PostgreSQL
        (as the public search reads it), by substring elsewhere."""
        matches, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return matches, may_have_duplicates
        if connections[queryset.db].vendor == "postgresql":
            in_body = Q(search_vector=SearchQuery(search_term, search_type="websearch", config=SEARCH_CONFIG))
        else:
            in_body = Q(body__icontains=search_term)
        return matches | queryset.filter(in_body), may_have_duplicates

    def get_urls(self):
        import_view = self.admin_site.admin_view(lambda request: admin_import.import_view(self, request))
        urls = [path("import/", import_view, name="articles_article_import"), *version_urls(self)]
        own = [
            URLPattern(url.pattern, policy.refusals_answer_403(url.callback), url.default_args, url.name)
            for url in urls
        ]
        return own + super().get_urls()  # GuardedHistoryAdmin wraps Django's and simple_history's

    @admin.display(description=_("bylines"))
    def bylines(self, obj):
        return ", ".join(author.name for author in obj.byline_authors)

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.wire_canceled:
            return _("KILLED")
        if obj.spiked_at:
            return _("Spiked")
        if obj.retracted_at and obj.status != Article.Status.PUBLISHED:
            return _("Retracted")
        now = timezone.now()
        if obj.embargoed_until and obj.embargoed_until > now:
            return _("Embargoed until %s") % date_format(timezone.localtime(obj.embargoed_until), "j M H:i")
        if obj.is_scheduled():
            return _("Scheduled for %s") % date_format(timezone.localtime(obj.published_at), "j M H:i")
        return obj.get_status_display()

    @admin.display(description=_("published"))
    def publication_record(self, obj):
        if not obj.pk or not obj.published_at or obj.status != Article.Status.PUBLISHED:
            return "—"
        who = obj.published_by or _("the system")
        return _("%(when)s by %(who)s") % {"when": date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT"),
                                          "who": who}  # fmt: skip

    @admin.display(description=_("ready to publish?"))
    def publish_checklist(self, obj):
        """The publishing checklist as saved: what the form or the publish action would refuse."""
        if blockers := policy.publish_blockers(obj):
            return format_html("<strong>{}</strong> {}", _("Not yet:"), "; ".join(blockers))
        return _("Yes")

    @admin.display(description=_("share a preview"))
    def preview_link(self, obj):
        """Shown only to those who may change the story (``get_fieldsets``)."""
        if not obj.pk or obj.is_published() or services.preview_withheld(obj):
            return "—"
        url = settings.SITE_URL + services.preview_url(obj)
        return format_html(
            '<input type="text" readonly value="{}" size="60" aria-label="{}"> <div class="help">{}</div>',
            url,
            _("Preview link"),
            _(
                "Anyone with this link can read this draft (and nothing else) for a week, until the story is "
                "retracted, killed or embargoed again. To stop the links shared so far, use the action "
                "“Revoke preview links of selected articles” on the article list."
            ),
        )

    @admin.display(description=_("suggested tags"))
    def tag_suggestions(self, obj):
        """Existing tags only, one click each (``tag_suggestions.js`` adds them to the tags field)."""
        suggestions = tagging.suggested_tags(obj) if obj.wire_keywords or obj.headline or obj.body else []
        if not suggestions:
            return "—"
        buttons = format_html_join(
            " ",
            '<button type="button" class="button tag-suggestion" data-tag-id="{}" data-tag-name="{}">+ {}</button>',
            ((pk, name, name) for name, pk in suggestions),
        )
        return format_html(
            '<div class="tag-suggestions" data-field="id_tag_choices">{}</div><div class="help">{}</div>',
            buttons,
            _("Existing tags the agency's keywords name or the text mentions. Click to add; save to keep."),
        )

    @admin.display(description=_("agency keywords"))
    def agency_keywords(self, obj):
        """The wire's keywords and subjects, for the desk: they are not tags and readers never see them."""
        return ", ".join(obj.wire_keywords) or "—"

    @admin.display(description=_("updates"))
    def live_updates_links(self, obj):
        if not obj.pk or not obj.is_live:
            return "—"
        changelist = reverse("admin:articles_liveupdate_changelist")
        return format_html(
            '<a href="{}?article={}">{}</a> · <a href="{}?article__id__exact={}">{}</a>',
            reverse("admin:articles_liveupdate_add"),
            obj.pk,
            _("Post an update"),
            changelist,
            obj.pk,
            _("All updates (%d)") % obj.live_updates.count(),
        )

    @admin.display(description=_("wire versions"))
    def wire_versions(self, obj):
        return versions_table(obj) if obj.pk else "—"

    @admin.display(description=_("side by side"))
    def other_copies(self, obj):
        return other_copies(obj) if obj.pk else "—"

    @admin.display(description=_("wire status"))
    def wire_status(self, obj):
        notes = []
        if obj.spiked_at:
            notes.append((_("Spiked by %(who)s on %(when)s: restore it from the Incoming queue to publish it.") % {
                "who": obj.spiked_by or _("someone"),
                "when": date_format(timezone.localtime(obj.spiked_at), "DATETIME_FORMAT")},))  # fmt: skip
        if obj.assignee_id:
            notes.append((_("Taken by %s.") % obj.assignee,))
        if obj.wire_canceled:
            notes.append((_("KILLED by the agency: do not publish."),))
        if obj.wire_update_available:
            notes.append((_("The agency sent a newer version after your edits."),))
        if obj.needs_headline:
            notes.append((_("Headline was derived from the first sentence: write a real one."),))
        return format_html_join("", "<p><strong>{}</strong></p>", notes) or "—"

    def has_publish_permission(self, request):
        return policy.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        stored = self._stored_article(obj)
        return stored is not None and policy.can_change(request.user, stored)

    @staticmethod
    def _stored_article(obj):
        """The article as saved now: simple_history's revision views pass a historical copy,
        and rights are judged on what would be overwritten, not on the old revision."""
        revision = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if revision is None:
            return obj
        if not hasattr(revision, "stored_article"):
            revision.stored_article = Article.objects.filter(pk=obj.pk).first()
        return revision.stored_article

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each entry lists what it changed, its bylines, tags, links and corrections included."""
        records = list(historical_records)
        for new, old in zip(records, records[1:], strict=False):
            new.history_delta_changes = revisions.changes(new, old)

    @admin.display(description=_("also restored"))
    def revision_parts(self, obj):
        """Shown on the revert form in place of the tag fields: the rows the revert brings back."""
        revision = revisions.revision_of(obj)
        return revisions.parts_summary(revision) if revision else "—"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) or revisions.revision_of(obj):
            fields += policy.PUBLISHER_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        left_out = {"revision_parts"}
        if revisions.revision_of(obj):
            left_out = {"tag_choices", "new_tags"}  # the revert restores the revision's tags itself
            fieldsets = [(None, fieldsets[0][1] | {"fields": [*fieldsets[0][1]["fields"], "revision_parts"]}),
                         *fieldsets[1:]]  # fmt: skip
        if obj is not None and not self.has_change_permission(request, obj):
            left_out.add("preview_link")
        if obj is None or not partners_of(obj):
            left_out.add("other_copies")
        fieldsets = [
            (name, options | {"fields": [f for f in options["fields"] if f not in left_out]})
            for name, options in fieldsets
        ]
        return [(name, options) for name, options in fieldsets if options["fields"]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if revisions.revision_of(obj) and (stored := self._stored_article(obj)) is not None:
            revisions.keep_current(obj, stored)
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if not policy.can_edit_corrections(request.user):
            inlines = [inline for inline in inlines if inline is not CorrectionInline]
        return inlines

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.source_id and change:
            obj.edited_since_import = True
        if "status" in form.changed_data and obj.status == Article.Status.PUBLISHED:
            obj.published_by = request.user
            obj.retracted_at = None
        if "wire_canceled" in form.changed_data:
            # Killed, or cleared after checking: links shared before the kill stay dead.
            obj.preview_nonce = new_preview_nonce()
        super().save_model(request, obj, form, change)
        if revision := revisions.revision_of(obj):  # simple_history's revert saves no inlines
            revisions.restore_parts(article=obj, revision=revision, user=request.user)
            revisions.settle(obj)

    def save_formset(self, request, form, formset, change):
        """The article was saved just before (``save_model``), so its modified time has moved already."""
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and not instance.created_by_id:
                instance.created_by = request.user
        formset.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.tags.set(form.tag_names())
        revisions.settle(form.instance)

    @admin.action(description=_("Publish selected articles now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        published = 0
        for article in queryset:
            try:
                services.article_publish(article=article, user=request.user)
            except ValidationError as blocked:
                refusal = _("Not published: “%(headline)s”: %(missing)s") % {
                    "headline": article.headline, "missing": "; ".join(blocked.messages),
                }  # fmt: skip
                self.message_user(request, refusal, messages.ERROR)
                continue
            published += 1
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", published) % published,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(~Q(status=Article.Status.DRAFT)):
            services.article_unpublish(article=article, user=request.user)
            count += 1
        self.message_user(
            request, ngettext("%d article unpublished.", "%d articles unpublished.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Retract selected articles (leave a notice for readers)"), permissions=["publish"])
    def retract(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            services.article_retract(article=article, user=request.user)
            count += 1
        self.message_user(
            request, ngettext("%d article retracted.", "%d articles retracted.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("End live coverage of selected articles"), permissions=["change"])
    def end_live_coverage(self, request, queryset):
        count = 0
        for article in queryset.filter(is_live=True, live_ended_at__isnull=True):
            if policy.can_change(request.user, article):
                services.live_coverage_end(article=article, user=request.user)
                count += 1
        self.message_user(
            request,
            ngettext("Live coverage of %d article ended.", "Live coverage of %d articles ended.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Revoke preview links of selected articles"), permissions=["change"])
    def revoke_preview_links(self, request, queryset):
        count = 0
        for article in queryset:
            if policy.can_change(request.user, article):
                services.preview_links_revoke(article=article)
                count += 1
        self.message_user(
            request,
            ngettext("Preview links of %d article revoked.", "Preview links of %d articles revoked.", count) % count,
            messages.SUCCESS,
        )


@admin.register(LiveUpdate)
class LiveUpdateAdmin(ImageAdminMixin, GuardedHistoryAdmin):
    """Updates to live pages, each saved on its own, so the desk posts them while others edit the story.

    Rights follow the story (``policy.can_change_live_updates``): on a public
    story only editors add, change or delete them.
    """

    form = LiveUpdateAdminForm
    image_fields = ("image",)
    list_display = ["__str__", "article", "status", "key_point", "posted_at", "created_by"]
    list_filter = ["status", "key_point"]
    search_fields = ["title", "body", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "posted_at"
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["article", "title", "body", "key_point", "status"]}),
        (_("Image"), {"fields": ["image", "image_alt", "image_caption"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "created_by")
            .defer("article__body", "article__search_vector")
        )

    def get_changeform_initial_data(self, request):
        """``?article=<id>``, as the article's "Post an update" link sends, picks the story; posted by default."""
        return {"status": LiveUpdate.Status.POSTED} | super().get_changeform_initial_data(request)

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj is not None else []

    def get_actions(self, request):
        """Deleting in bulk would check the right to delete updates, not the right on each story."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return policy.can_change_live_updates(request.user, obj.article, "change")

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return policy.can_change_live_updates(request.user, obj.article, "delete")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.status == LiveUpdate.Status.POSTED or "status" in form.changed_data:
            services.live_updates_changed(article=obj.article)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if obj.status == LiveUpdate.Status.POSTED:
            services.live_updates_changed(article=obj.article)


@admin.register(Author)
class AuthorAdmin(ImageAdminMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    image_fields = ("photo",)
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "role", "email", "user"]
    search_fields = ["name", "role", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        return tagging.check_tag_name(self.cleaned_data["name"], tag_pk=self.instance.pk)


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(taggit_admin.TagAdmin):
    """taggit's tag admin (merging included), with the newsroom's rule for names (``articles.tagging``)."""

    form = TagAdminForm

    def merge_tags_view(self, request):
        """Merging into an existing tag is what merging is for; only a name in capitals is refused."""
        name = " ".join(request.POST.get("new_tag_name", "").split())
        if request.method == "POST" and tagging.is_shouting(name):
            self.message_user(request, tagging.shouting_error(name).messages[0], messages.ERROR)
            return redirect(request.get_full_path())
        return super().merge_tags_view(request)


class PinInForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "showing"

    def lookups(self, request, model_admin):
        return [("yes", _("In force now")), ("later", _("Starting later")), ("ended", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        return {
            "yes": lambda: queryset.showing(),
            "later": lambda: queryset.filter(starts_at__gt=now),
            "ended": lambda: queryset.filter(ends_at__lte=now),
        }.get(self.value(), lambda: queryset)()


class PinForm(forms.ModelForm):
    """Every input labelled for screen readers: a changelist row's with the story it places (a column
    header is no label), and the date and time halves of a time (Django labels only their fieldset)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        story = f"({self.instance.article.headline})" if self.instance.article_id else ""
        for field in self.fields.values():
            parts = getattr(field.widget, "widgets", [field.widget])
            names = [_("date"), _("time")] if len(parts) == 2 else [""]
            for widget, part in zip(parts, names, strict=True):
                widget.attrs["aria-label"] = " ".join(str(word) for word in (field.label, part, story) if word)


@admin.register(FrontPagePin)
class FrontPagePinAdmin(admin.ModelAdmin):
    """The fronts as the editors order them: change the positions in the list and save.

    Placing a story is publishing: only those who may publish pin (``policy.can_publish``).
    """

    list_display = ["front", "position", "article", "story_state", "starts_at", "ends_at", "is_showing"]
    list_display_links = ["article"]
    list_editable = ["position"]
    list_filter = [PinInForceFilter, "section"]
    list_select_related = ["article", "section"]
    # A plain id field with a search pop-up: the autocomplete box has no accessible name.
    raw_id_fields = ["article"]
    form = PinForm
    fields = ["article", "section", "position", "starts_at", "ends_at"]
    search_fields = ["article__headline"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__body", "article__search_vector")

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=PinForm, **kwargs)

    @admin.display(description=_("front"), ordering="section__order")
    def front(self, pin):
        return pin.front_name

    @admin.display(description=_("public?"))
    def story_state(self, pin):
        """Only a public story shows: a pinned draft or scheduled story waits unseen."""
        return _("yes") if pin.article.is_published() else _("no: not shown")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and policy.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and policy.can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and policy.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WireSource)
class WireSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name", "aliases"]


def import_log_queryset(queryset):
    """The import log without the files' bytes, which only the original's own page reads."""
    return queryset.defer("raw").annotate(raw_size=Length("raw"))


def may_see_originals(request) -> bool:
    """Those who may import may read, download and re-run what failed."""
    return request.user.has_perm("articles.import_wire")


@admin.display(description=_("error"))
def import_error_summary(record):
    """The first words of the error; the whole of it is on the file's own page."""
    return Truncator(record.error).chars(90)


@admin.display(description=_("original file"))
def original_file_links(record):
    if not record.raw_size:
        return "—"
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a> ({})',
        reverse("admin:articles_importedfile_original", args=[record.pk]),
        _("view as text"),
        reverse("admin:articles_importedfile_original_download", args=[record.pk]),
        _("download"),
        filesizeformat(record.raw_size),
    )


class ImportedFileInline(admin.TabularInline):
    model = ImportedFile
    extra = 0
    can_delete = False
    fields = ["filename", "format", "result", "headline", "article", "error_summary"]
    readonly_fields = [*fields, "original"]
    show_change_link = True

    def get_queryset(self, request):
        return import_log_queryset(super().get_queryset(request))

    def get_fields(self, request, obj=None):
        return [*self.fields, "original"] if may_see_originals(request) else self.fields

    def has_add_permission(self, request, obj=None):
        return False

    error_summary = staticmethod(import_error_summary)
    original = staticmethod(original_file_links)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Where copy arrives by itself; the state columns are the poller's, read-only."""

    list_display = ["name", "kind", "location", "source", "enabled", "last_polled_at", "last_new_story_at", "health"]
    list_filter = ["kind", "enabled", "source"]
    search_fields = ["name", "location"]
    autocomplete_fields = ["section"]
    readonly_fields = ["last_polled_at", "last_new_story_at", "failures", "last_error", "last_error_at", "next_poll_at"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "location", "source", "section", "enabled"]}),
        (_("Schedule"), {"fields": ["poll_interval", "quiet_after", "publish_on_arrival"]}),
        (_("State"), {"fields": readonly_fields}),
    ]

    @admin.display(description=_("health"))
    def health(self, channel):
        if channel.failures:
            return _("%(n)d failures: %(error)s") % {"n": channel.failures, "error": channel.last_error[:120]}
        quiet = channel.quiet_for()
        return _("quiet for %s") % timesince_text(quiet) if quiet else _("OK")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "user", "origin", "dry_run", "created", "updated", "duplicates", "failed"]
    list_filter = ["origin", "dry_run"]
    date_hierarchy = "started_at"
    list_select_related = ["user"]
    inlines = [ImportedFileInline]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportedFile)
class ImportedFileAdmin(admin.ModelAdmin):
    """The import log, read-only; a failed file keeps its bytes so it can be read, downloaded and re-run."""

    actions = ["rerun"]
    list_display = ["filename", "format", "result", "headline", "error_summary", "source", "created_at"]
    list_filter = ["result", "format", "source"]
    list_select_related = ["source"]
    search_fields = ["filename", "headline", "error"]
    exclude = ["raw"]
    readonly_fields = [
        "run", "filename", "format", "source", "result", "article", "headline", "error", "warnings", "original"
    ]  # fmt: skip

    def get_queryset(self, request):
        return import_log_queryset(super().get_queryset(request))

    def get_urls(self):
        def wrap(download):
            view = partial(admin_import.original_file, self, download=download)
            return self.admin_site.admin_view(view)

        return [
            path("<int:pk>/original/", wrap(False), name="articles_importedfile_original"),
            path("<int:pk>/original/download/", wrap(True), name="articles_importedfile_original_download"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        if may_see_originals(request):
            return self.readonly_fields
        return [field for field in self.readonly_fields if field != "original"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_rerun_permission(self, request):
        return may_see_originals(request)

    error_summary = staticmethod(import_error_summary)
    original = staticmethod(original_file_links)

    @admin.action(description=_("Import the selected failed files again"), permissions=["rerun"])
    def rerun(self, request, queryset):
        tasks.rerun_failed_files.delay_on_commit(list(queryset.values_list("pk", flat=True)), request.user.pk)
        self.message_user(request, format_html(_("Re-run queued; see {}."), admin_import.import_runs_link()))
