"""The wire versions of an article in the admin: the list on the change form, a version's changes, apply or dismiss."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .ingest import versions
from .models import Article, WireVersion


def versions_table(article: Article) -> str:
    """Every copy the agency sent of ``article``, newest first, each linking to its changes.

    A read-only table rather than an inline: the versions are the wire's record, not part of the form.
    """
    rows = [
        (
            date_format(timezone.localtime(version.received_at), "DATETIME_FORMAT"),
            version.get_state_display(),
            version.agency_version or "—",
            date_format(timezone.localtime(version.sent_at), "DATETIME_FORMAT") if version.sent_at else "—",
            version.format or "—",
            reverse("admin:articles_article_wire_version", args=[article.pk, version.pk]),
            _("Review and apply") if version.state == WireVersion.State.WAITING else _("Show changes"),
        )
        for version in article.wire_versions.defer("raw", "parsed")
    ]
    if not rows:
        return "—"
    head = format_html(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        _("received"), _("state"), _("agency version"), _("sent"), _("format"),
    )  # fmt: skip
    body = format_html_join(
        "", '<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href="{}">{}</a></td></tr>', rows
    )
    return format_html('<table class="wire-versions">{}{}</table>', head, body)


def version_urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "<int:article_pk>/wire-versions/<int:pk>/",
            wrap(lambda request, **kw: version_view(model_admin, request, **kw)),
            name="articles_article_wire_version",
        ),
        path(
            "<int:article_pk>/wire-versions/<int:pk>/original/",
            wrap(lambda request, **kw: version_original(model_admin, request, **kw)),
            name="articles_article_wire_version_original",
        ),
        path(
            "<int:article_pk>/acknowledge-kill/",
            wrap(require_POST(lambda request, **kw: acknowledge_kill(model_admin, request, **kw))),
            name="articles_article_acknowledge_kill",
        ),
    ]


def _article(model_admin, request, article_pk: int, *, change: bool) -> Article:
    article = get_object_or_404(Article, pk=article_pk)
    allowed = (model_admin.has_change_permission if change else model_admin.has_view_permission)(request, article)
    if not allowed:
        raise PermissionDenied
    return article


def version_view(model_admin, request, article_pk: int, pk: int):
    """A version's changes against the previous wire version and against the article now; Apply or Dismiss."""
    article = _article(model_admin, request, article_pk, change=request.method == "POST")
    version = get_object_or_404(WireVersion, pk=pk, article=article)
    if request.method == "POST":
        if request.POST.get("action") == "apply":
            versions.apply_version(version=version, user=request.user)
            model_admin.message_user(request, _("The agency's version was applied."), messages.SUCCESS)
        else:
            versions.dismiss_version(version=version, user=request.user)
            model_admin.message_user(request, _("The agency's version was dismissed."), messages.INFO)
        return redirect("admin:articles_article_change", article.pk)
    previous = versions.previous_applied(version)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": _("Wire version of “%s”") % article.headline,
        "article": article,
        "version": version,
        "previous": previous,
        "agency_changes": versions.paragraph_diff(previous.paragraphs if previous else [], version.paragraphs),
        "changes_to_article": versions.paragraph_diff(versions.current_paragraphs(article), version.paragraphs),
        "headline_changes": article.headline != version.parsed.get("headline"),
        "can_decide": version.state == WireVersion.State.WAITING
        and model_admin.has_change_permission(request, article),
    }
    return TemplateResponse(request, "admin/articles/article/wire_version.html", context)


def version_original(model_admin, request, article_pk: int, pk: int):
    """The bytes the agency sent, as a download (never rendered as HTML)."""
    article = _article(model_admin, request, article_pk, change=False)
    version = get_object_or_404(WireVersion, pk=pk, article=article)
    response = HttpResponse(bytes(version.raw), content_type="application/octet-stream")
    name = (version.filename.rsplit("/", 1)[-1] or f"version-{version.pk}").replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def acknowledge_kill(model_admin, request, article_pk: int):
    article = _article(model_admin, request, article_pk, change=True)
    versions.acknowledge_kill(article=article, user=request.user)
    model_admin.message_user(request, _("Kill acknowledged: “%s” stays off the site.") % article.headline)
    return redirect(request.POST.get("next") or "admin:index")
