"""The wire desk's Incoming queue: newest agency copy first, one row per event, and the desk's actions on it.

A changelist of the ``IncomingStory`` proxy: Django's filters, search,
pagination and actions work as everywhere in the admin, with JavaScript or
without. Another agency's copy of the same event shows under the event's
first story ("also reported by"), not as a row of its own. A small script
(``static/admin/js/incoming.js``) asks ``status/`` whether the queue changed
and, when it did, merges the first page's new rows in without a reload.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import incoming, policy
from .ingest.versions import current_paragraphs
from .models import Article, IncomingStory

#: IPTC urgency, as the desk names it.
URGENCY_NAMES = {1: _("Flash"), 2: _("Bulletin"), 3: _("Urgent"), 4: _("Urgent")}
URGENCY_NAMES |= {n: _("Normal") for n in (5, 6)} | {n: _("Low") for n in (7, 8, 9)}


class ShelfFilter(admin.SimpleListFilter):
    """The queue itself (taken or not), or what was spiked out of it."""

    title = _("shelf")
    parameter_name = "shelf"

    def lookups(self, request, model_admin):
        return [("untaken", _("Not taken")), ("mine", _("Taken by me")), ("spiked", _("Spiked"))]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Incoming")
        return choices

    def queryset(self, request, queryset):
        if self.value() == "spiked":
            return queryset.filter(spiked_at__isnull=False)
        queryset = queryset.incoming()
        if self.value() == "untaken":
            return queryset.filter(assignee__isnull=True)
        if self.value() == "mine":
            return queryset.filter(assignee=request.user)
        return queryset


class PriorityFilter(admin.SimpleListFilter):
    title = _("priority")
    parameter_name = "priority"
    RANGES = {"flash": (1, 2), "urgent": (3, 4), "normal": (5, 6), "low": (7, 9)}

    def lookups(self, request, model_admin):
        return [
            ("flash", _("Flash and bulletin (1–2)")),
            ("urgent", _("Urgent (3–4)")),
            ("normal", _("Normal (5–6)")),
            ("low", _("Low (7–9)")),
            ("none", _("Not given")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(urgency__isnull=True)
        if self.value() in self.RANGES:
            return queryset.filter(urgency__range=self.RANGES[self.value()])
        return queryset


class ReceivedFilter(admin.SimpleListFilter):
    title = _("received")
    parameter_name = "received"
    HOURS = {"1h": 1, "6h": 6, "24h": 24, "3d": 72}

    def lookups(self, request, model_admin):
        return [
            ("1h", _("Last hour")),
            ("6h", _("Last 6 hours")),
            ("24h", _("Last 24 hours")),
            ("3d", _("Last 3 days")),
        ]

    def queryset(self, request, queryset):
        if self.value() in self.HOURS:
            return queryset.filter(created_at__gte=timezone.now() - timedelta(hours=self.HOURS[self.value()]))
        return queryset


class IncomingChangeList(ChangeList):
    """Filters and search pick the stories; then each event becomes one row, led by its earliest story."""

    def get_queryset(self, request, exclude_parameters=None):
        members = super().get_queryset(request, exclude_parameters)
        if exclude_parameters is None:  # not a filter's facet counts
            self.members = members
        return members.group_leads().for_queue()


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Article.objects.none(), label=_("Merge into"))
    merge_as = forms.ChoiceField(
        label=_("As"),
        widget=forms.RadioSelect,
        initial=incoming.MergeAs.VERSION,
        choices=[
            (incoming.MergeAs.VERSION, _("a version: its copy waits on the story for an editor to apply or dismiss")),
            (incoming.MergeAs.SOURCE, _("a source: listed as another agency's report of the same event")),
        ],
    )

    def __init__(self, *args, stories, **kwargs):
        """The other copies of the same events first, then the desk's stories of the last two days."""
        super().__init__(*args, **kwargs)
        chosen = [story.pk for story in stories]
        partners = Article.objects.filter(also_reported_by__in=chosen).exclude(pk__in=chosen)
        recent = Article.objects.filter(created_at__gte=timezone.now() - timedelta(days=2))
        candidates = (partners | recent).exclude(pk__in=chosen).filter(wire_canceled=False).distinct()
        shown = candidates.order_by("-created_at", "-pk").values_list("pk", flat=True)[:200]
        self.fields["into"].queryset = Article.objects.filter(pk__in=list(shown)).order_by("-created_at", "-pk")
        self.fields["into"].label_from_instance = lambda article: f"{article.headline} ({article.agency or '—'})"


@admin.register(IncomingStory)
class IncomingAdmin(admin.ModelAdmin):
    """The desk's Incoming queue. Its rights are the article's: viewing it is viewing articles, and each
    action asks ``articles.policy`` about each story."""

    list_display = ["priority", "agency", "story", "section", "received", "versions", "taken"]
    list_display_links = None
    list_filter = [ShelfFilter, ("source", admin.RelatedOnlyFieldListFilter), PriorityFilter, "section", ReceivedFilter]
    search_fields = ["headline", "slugline", "source_story_id"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["take_selected", "spike_selected", "restore_selected", "merge_selected", "kill_selected"]

    class Media:
        js = ["admin/js/incoming.js"]

    def get_queryset(self, request):
        return Article.objects.filter(source__isnull=False)

    def get_changelist(self, request, **kwargs):
        return IncomingChangeList

    def response_action(self, request, queryset):
        """The ticked stories, also those listed under another (the queue's rows are only each event's lead);
        "select all" means every row the filters show."""
        if request.POST.get("select_across") == "1":
            return super().response_action(request, queryset)
        return super().response_action(request, self.get_queryset(request))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        urls = [
            path("status/", wrap(self.status_view), name="articles_incomingstory_status"),
            path("<int:pk>/take/", wrap(require_POST(self.take_view)), name="articles_incomingstory_take"),
            *super().get_urls(),
        ]
        return [
            URLPattern(url.pattern, policy.refusals_answer_403(url.callback), url.default_args, url.name)
            for url in urls
        ]

    def changelist_view(self, request, extra_context=None):
        context = {"refresh_seconds": settings.INCOMING_REFRESH_SECONDS, "title": _("Incoming wire copy")}
        return super().changelist_view(request, (extra_context or {}) | context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A story is edited on its article's page."""
        return redirect("admin:articles_article_change", object_id)

    # Rights: the article's, whatever the proxy's own permissions say.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_publish_permission(self, request):
        return policy.can_publish(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Columns
    @admin.display(description=_("priority"), ordering="urgency")
    def priority(self, obj):
        if obj.urgency is None:
            return "—"
        return format_html(
            '<span class="urgency urgency-{}">{}<br>{}</span>',
            obj.urgency,
            obj.urgency,
            URGENCY_NAMES.get(obj.urgency, ""),
        )

    @admin.display(description=_("agency"), ordering="source__name")
    def agency(self, obj):
        return obj.agency

    @admin.display(description=_("story"), ordering="headline")
    def story(self, obj):
        headline = format_html(
            '<a class="incoming-headline" href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[obj.pk]),
            obj.headline,
        )
        slug = format_html('<div class="incoming-slug" title="{0}">{0}</div>', obj.slugline) if obj.slugline else ""
        return format_html("{}{}{}", headline, slug, also_reported_by(obj.partners))

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, obj):
        return format_html(
            '<time datetime="{}">{}</time>',
            obj.created_at.isoformat(),
            date_format(timezone.localtime(obj.created_at), "j M H:i"),
        )

    @admin.display(description=_("versions"))
    def versions(self, obj):
        return obj.version_count

    @admin.display(description=_("taken by"))
    def taken(self, obj):
        if obj.spiked_at:
            return _("spiked")
        button = format_html(
            '<button type="submit" class="button incoming-take" formaction="{}" aria-label="{}">{}</button>',
            reverse("admin:articles_incomingstory_take", args=[obj.pk]),
            _("Take “%s”") % obj.headline,
            _("Take"),
        )
        if obj.assignee_id:
            return format_html("{}<br>{}", obj.assignee, button)
        return button

    # Views
    def take_view(self, request, pk: int):
        """The row's Take button: the story is the editor's, and its form opens."""
        article = get_object_or_404(Article, pk=pk)
        try:
            incoming.take(article=article, user=request.user)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return redirect("admin:articles_incomingstory_changelist")
        return redirect("admin:articles_article_change", article.pk)

    def status_view(self, request):
        """What the refresh script compares: changes whenever a story joins, leaves or is taken."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return JsonResponse({"error": "These filters do not apply to the queue."}, status=400)
        state = changelist.members.order_by().aggregate(
            n=Count("pk"), last=Max("pk"), taken=Count("assignee"), updated=Max("updated_at")
        )
        stamp = "{n}-{last}-{taken}-{updated}".format(**state)
        return JsonResponse({"stamp": stamp}, headers={"Cache-Control": "no-store"})

    # Actions
    def _each(self, request, queryset, service, done_message: str, **kwargs) -> int:
        done = 0
        for article in queryset:
            try:
                service(article=article, user=request.user, **kwargs)
            except (PermissionDenied, ValidationError) as refused:
                reason = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
                self.message_user(request, _("Not done: “%(headline)s”: %(reason)s") % {
                    "headline": article.headline, "reason": reason or _("not allowed")}, messages.ERROR)  # fmt: skip
                continue
            done += 1
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        return done

    @admin.action(description=_("Take selected stories (assign to me)"), permissions=["change"])
    def take_selected(self, request, queryset):
        stories = list(queryset)
        taken = self._each(request, stories, incoming.take, _("Taken: %(n)d."))
        if taken and len(stories) == 1:
            return redirect("admin:articles_article_change", stories[0].pk)
        return None

    @admin.action(description=_("Spike selected stories (out of the queue, kept)"), permissions=["change"])
    def spike_selected(self, request, queryset):
        self._each(request, queryset, incoming.spike, _("Spiked: %(n)d. Restore them from the “Spiked” shelf."))

    @admin.action(description=_("Restore selected spiked stories to the queue"), permissions=["change"])
    def restore_selected(self, request, queryset):
        self._each(request, queryset.filter(spiked_at__isnull=False), incoming.restore, _("Restored: %(n)d."))

    @admin.action(description=_("Kill selected stories"), permissions=["publish"])
    def kill_selected(self, request, queryset):
        self._each(request, queryset, incoming.kill, _("Killed: %(n)d. They can never be published."))

    @admin.action(description=_("Merge selected stories into an existing story…"), permissions=["change"])
    def merge_selected(self, request, queryset):
        stories = list(queryset)
        form = MergeForm(request.POST if "merge" in request.POST else None, stories=stories)
        if form.is_valid():
            into = form.cleaned_data["into"]
            merged = self._each(request, stories, self._merge_one, _("Merged: %(n)d."),
                                into=into, merge_as=form.cleaned_data["merge_as"])  # fmt: skip
            if merged:
                return redirect("admin:articles_article_change", into.pk)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge into an existing story"),
            "stories": stories,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/incomingstory/merge.html", context)

    @staticmethod
    def _merge_one(*, article, user, into, merge_as):
        incoming.merge(story=article, into=into, user=user, merge_as=merge_as)


def also_reported_by(partners) -> str:
    """ "Also reported by AFP, Reuters", each linking to that copy."""
    if not partners:
        return ""
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:articles_article_change", args=[p.pk]), p.agency or p.headline) for p in partners),
    )
    return format_html('<div class="incoming-also">{} {}</div>', _("Also reported by"), links)


def other_copies(article: Article) -> str:
    """The other agencies' copies of ``article``'s event, side by side, for its change form."""
    cards = [
        (
            partner.agency or "—",
            date_format(timezone.localtime(partner.created_at), "j M H:i"),
            partner_state(partner),
            reverse("admin:articles_article_change", args=[partner.pk]),
            partner.headline,
            format_html_join("", "<p>{}</p>", ((text,) for text in partner_lead(partner))),
        )
        for partner in partners_of(article)
    ]
    if not cards:
        return "—"
    return format_html(
        '<div class="other-copies">{}</div>',
        format_html_join(
            "",
            '<section class="other-copy"><h3>{} <small>{} · {}</small></h3><p><a href="{}">{}</a></p>{}</section>',
            cards,
        ),
    )


def partners_of(article: Article) -> list[Article]:
    """The other copies of ``article``'s event, read once per request (the queue prefetches them)."""
    if not hasattr(article, "partners"):
        article.partners = list(article.also_reported_by.select_related("source").order_by("pk"))
    return article.partners


def partner_state(article: Article) -> str:
    if article.wire_canceled:
        return _("killed")
    if article.spiked_at:
        return _("spiked")
    if article.is_published():
        return _("published")
    return article.get_status_display().lower()


def partner_lead(article: Article, paragraphs: int = 3) -> list[str]:
    return current_paragraphs(article)[:paragraphs]
