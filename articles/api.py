"""A read-only ninjs 2.1 API of published articles for partners.

``/api/ninjs/`` lists documents oldest first by (published_at, id), so pages
stay stable while new stories are added at the end; ``since``, ``section``,
``tag`` and ``author`` filter it. ``/api/ninjs/<id>/`` is one document.

Other agencies' published reports of the same event (``also_reported_by``)
are ``associations`` named ``also-reported-by``; unpublished copies never show.
"""

import mimetypes
from datetime import UTC, datetime, time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date

from .links import absolute_url, tag_url
from .models import Article
from .pagination import paginate
from .params import validate_date

NINJS_VERSION = "2.1"
NINJS_SCHEMA = f"http://www.iptc.org/std/ninjs/ninjs-schema_{NINJS_VERSION}.json"
PAGE_SIZE = 20
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link",
}


def document_uri(article: Article) -> str:
    return absolute_url(reverse("articles:api-detail", kwargs={"pk": article.pk}))


def _tag_subject(tag) -> dict:
    subject = {"name": tag.name, "rel": "about"}
    if url := tag_url(tag):
        subject["uri"] = absolute_url(url)
    return subject


def _partner_association(partner: Article) -> dict:
    """Another agency's published report of the same event, as a ninjs association."""
    association = {
        "name": "also-reported-by",
        "uri": document_uri(partner),
        "type": "text",
        "headlines": [{"role": "main", "value": partner.headline}],
        "renditions": [{"name": "web", "href": absolute_url(partner.get_absolute_url()), "contenttype": "text/html"}],
    }
    if partner.agency:
        association["infosources"] = [{"name": partner.agency, "role": "source"}]
    return association


def ninjs_document(article: Article) -> dict:
    """``article`` as a ninjs 2.1 object (uses only ``for_feed()`` and ``with_public_partners()`` prefetches)."""
    authors = article.byline_authors
    doc = {
        "uri": document_uri(article),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "firstcreated": article.created_at.isoformat(),
        "versioncreated": article.updated_at.isoformat(),
        "contentcreated": article.published_at.isoformat(),
        "pubstatus": "usable",
        "language": article.language,
        "copyrightholder": settings.SITE_NAME,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": article.body, "wordcount": article.word_count}
        ],
        "infosources": [
            {"name": settings.SITE_NAME, "role": "publisher", "uri": settings.SITE_URL},
            *([{"name": article.credit, "role": "source"}] if article.credit else []),
        ],
        "subjects": [_tag_subject(tag) for tag in article.tags.all()],
        "renditions": [{"name": "web", "href": absolute_url(article.get_absolute_url()), "contenttype": "text/html"}],
    }
    if article.summary:
        doc["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": article.summary}]
    if authors:
        doc["by"] = ", ".join(author.name for author in authors)
    if article.dateline:
        doc["located"] = article.dateline
    if article.section:
        section_uri = absolute_url(article.section.get_absolute_url())
        doc["subjects"].insert(0, {"name": article.section.name, "rel": "section", "uri": section_uri})
    if article.kicker:
        doc["genres"] = [{"name": article.kicker}]
    if article.image:
        image_url = absolute_url(article.image.url)
        picture = {"name": "featureimage", "uri": image_url, "type": "picture"}
        if article.image_caption:
            picture["headlines"] = [{"role": "caption", "value": article.image_caption}]
        if article.image_alt:
            picture["descriptions"] = [{"role": "alt", "value": article.image_alt}]
        if article.image_credit:
            picture["by"] = article.image_credit
        picture["renditions"] = [
            {"name": "original", "href": image_url, "contenttype": mimetypes.guess_type(image_url)[0] or "image/jpeg"}
        ]
        doc["associations"] = [picture]
    if partners := article.public_partners:
        doc.setdefault("associations", []).extend(_partner_association(partner) for partner in partners)
    return doc


def canceled_document(article: Article) -> dict:
    """What partners get for a story the agency killed after it was public: its id and ``pubstatus: canceled``."""
    return {
        "uri": document_uri(article),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "versioncreated": article.updated_at.isoformat(),
        "pubstatus": "canceled",
        "headlines": [{"role": "main", "value": article.headline}],
    }


def cors_get(view):
    """GET and HEAD with open CORS headers, an OPTIONS preflight answer, 405 for the rest."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        elif request.method in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
        else:
            response = JsonResponse({"error": "Read-only API: use GET."}, status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    return wrapper


def _json(data, *, status: int = 200, last_modified=None) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def _parse_since(value: str):
    """An ISO 8601 date or date-time; a bare date means its start in the newsroom's time zone."""
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime.combine(day, time.min)
    if moment is None:
        raise ValueError(value)
    validate_date(moment.date())
    # In UTC: PostgreSQL reads no offset with seconds in it ("+00:34:05"), which Python takes.
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment.astimezone(UTC)


#: The list's filters by slug: query parameter and the lookup it filters on.
SLUG_FILTERS = {"section": "section__slug", "tag": "tags__slug", "author": "authorships__author__slug"}


@cors_get
def article_list(request):
    articles = Article.objects.published().for_feed().with_public_partners().order_by("published_at", "pk")
    params = request.GET
    try:
        if params.get("since"):
            articles = articles.filter(published_at__gte=_parse_since(params["since"]))
    except (ValueError, ValidationError):
        return _json({"error": "since must be an ISO 8601 date or date-time."}, status=400)
    for name, lookup in SLUG_FILTERS.items():
        if value := params.get(name):
            try:
                validate_unicode_slug(value)
            except ValidationError:
                return _json({"error": f"{name} must be a slug."}, status=400)
            articles = articles.filter(**{lookup: value})
    try:
        page = paginate(articles, params.get("page"), PAGE_SIZE)
    except Http404:
        return _json({"error": "No such page."}, status=404)

    def page_url(number):
        query = {key: value for key, value in params.items() if key != "page"} | {"page": number}
        return absolute_url(f"{reverse('articles:api-list')}?{urlencode(query)}")

    next_url = page_url(page.next_page_number) if page.has_next else None
    previous_url = page_url(page.previous_page_number) if page.has_previous else None
    response = _json(
        {"items": [ninjs_document(article) for article in page], "next": next_url, "previous": previous_url},
        last_modified=max((article.updated_at for article in page), default=None),
    )
    links = [f'<{url}>; rel="{rel}"' for url, rel in [(next_url, "next"), (previous_url, "prev")] if url]
    if links:
        response["Link"] = ", ".join(links)
    return response


@cors_get
def article_detail(request, pk: int):
    article = Article.objects.published().for_feed().with_public_partners().filter(pk=pk).first()
    if article is None:
        killed = Article.objects.filter(pk=pk, wire_canceled=True, retracted_at__isnull=False).first()
        if killed is not None:  # partners who took the story must learn that it is withdrawn
            return _json(canceled_document(killed), last_modified=killed.updated_at)
        return _json({"error": "No published article with this id."}, status=404)
    return _json(ninjs_document(article), last_modified=article.updated_at)
