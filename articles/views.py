from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.views.generic import DetailView, TemplateView
from taggit.models import Tag

from . import detail, selectors
from .cards import card_page, card_rows
from .feeds import alternate_links, corrections_feed_links, live_feed_links
from .links import tag_url
from .live import live_page
from .models import Article, Author, Correction, Section
from .pagination import paginate
from .related import related_reading
from .search import SearchForm, search
from .structured_data import article_meta, json_ld_script, listing_meta, live_blog_posting, news_article


def is_staff(request) -> bool:
    return request.user.is_authenticated and request.user.is_staff


class ArticleListMixin:
    """A paginated list of published articles, newest first, with its ``page``."""

    paginate_by = selectors.LIST_PAGE_SIZE
    template_name = "articles/article_list.html"

    def get_articles(self):
        return Article.objects.published()

    def first_page(self) -> list[dict] | None:
        """The first page's card rows by a prepared query, where there is one."""
        return None

    def get_meta(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = card_rows(self.get_articles())
        page = card_page(paginate(rows, self.request.GET.get("page"), self.paginate_by, first=self.first_page))
        meta = self.get_meta()
        if meta and page.number > 1:  # each page of a list is its own canonical page
            meta.canonical += f"?page={page.number}"
        return context | {"page": page, "meta": meta}


class ScopedListMixin(ArticleListMixin):
    """A section, tag or author page: its own feeds, title, description and canonical link.
    Only a name with a public story has one."""

    def get_object(self, queryset=None):
        if name := selectors.public_name(self.model, self.kwargs["slug"]):
            return name
        raise Http404(f"No public {self.model._meta.verbose_name} here.")

    def first_page(self):
        return selectors.first_page(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"feed_links": alternate_links(self.object)}


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.home_page()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    parts = None

    def get_object(self, queryset=None):
        if story := detail.story(self.kwargs["slug"], staff=is_staff(self.request)):
            self.parts = story.parts
            return story.article
        raise Http404("No article here.")

    def retracted_article(self) -> Article | None:
        """A withdrawn article leaves a notice for readers rather than a bare 404."""
        return (
            Article.objects.filter(slug=self.kwargs["slug"], retracted_at__isnull=False)
            .exclude(status=Article.Status.PUBLISHED)
            .only("headline", "retracted_at", "retraction_notice")
            .first()
        )

    def moved_article(self) -> Article | None:
        """The story that had this slug before its address was changed: old links keep working."""
        articles = Article.objects.all() if is_staff(self.request) else Article.objects.published()
        had_it = Article.history.filter(slug=self.kwargs["slug"]).values("id")
        moved = articles.filter(pk__in=had_it)
        return moved.only("slug", "status", "published_at", "embargoed_until", "created_at").first()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            if retracted := self.retracted_article():
                return TemplateResponse(request, "articles/retracted.html", {"article": retracted}, status=410)
            if moved := self.moved_article():
                return redirect(moved.get_absolute_url(), permanent=moved.is_published())
            raise
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=self.object.is_published())
        response = self.render_to_response(self.get_context_data(object=self.object))
        if self.object.is_published():
            response["Last-Modified"] = http_date(self.object.updated_at.timestamp())
        else:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        parts = self.parts or detail.parts(article)
        bylines, tags = parts.bylines, parts.tags
        structured_data = news_article(article, authors=bylines, tags=tags, corrections=parts.corrections)
        feed_links = alternate_links(article.section) if article.section else []
        live = live_page(article, polling="preview" not in kwargs) if article.is_live else {}
        if live:
            structured_data = live_blog_posting(structured_data, article, live["live_updates"])
            feed_links = live_feed_links(article) + feed_links
        return context | {
            "bylines": bylines,
            "tag_links": [(tag, tag_url(tag)) for tag in tags],
            "related": related_reading(article, tags=tags, links=parts.links, busy=parts.busy_tags),
            "corrections": parts.corrections,
            "meta": article_meta(article, authors=bylines, tags=tags),
            "structured_data": json_ld_script(structured_data),
            "feed_links": feed_links,
            **live,
        }


class SectionView(ScopedListMixin, DetailView):
    """A section's front: the stories its editors pinned (lead first), then the rest, newest first."""

    model = Section
    context_object_name = "section"

    def get_articles(self):
        return super().get_articles().filter(section=self.object).exclude(pk__in=[card.pk for card in self.front])

    def first_page(self):
        return selectors.first_page(self.object, exclude=[card.pk for card in self.front])

    def get_context_data(self, **kwargs):
        self.front = selectors.section_front(self.object)
        context = super().get_context_data(**kwargs)
        if context["page"].number == 1 and self.front:
            context |= {"lead": self.front[0], "top_stories": self.front[1:]}
        return context

    def get_meta(self):
        section = self.object
        return listing_meta(
            title=section.name,
            description=section.description or f"The latest {section.name} stories from {settings.SITE_NAME}.",
            path=section.get_absolute_url(),
        )


class AuthorView(ScopedListMixin, DetailView):
    model = Author
    context_object_name = "author"
    template_name = "articles/author_detail.html"

    def get_articles(self):
        return super().get_articles().filter(authorships__author=self.object)

    def get_meta(self):
        author = self.object
        description = " ".join(author.bio.split()[:30]) or f"Stories by {author.name} on {settings.SITE_NAME}."
        return listing_meta(title=author.name, description=description, path=author.get_absolute_url())


class TagView(ScopedListMixin, DetailView):
    model = Tag
    context_object_name = "tag"

    def get_articles(self):
        return super().get_articles().tagged(self.object)

    def get_meta(self):
        tag = self.object
        return listing_meta(
            title=tag.name,
            description=f"Stories tagged {tag.name} on {settings.SITE_NAME}.",
            path=tag_url(tag),
        )


class CorrectionsView(TemplateView):
    """The corrections to public stories, newest first, each linked to the note at the foot of its story."""

    template_name = "articles/corrections.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        page = paginate(Correction.objects.public(), self.request.GET.get("page"), self.paginate_by)
        meta = listing_meta(
            title="Corrections",
            description=f"Every correction to a story published by {settings.SITE_NAME}, newest first.",
            path=reverse("articles:corrections") + (f"?page={page.number}" if page.number > 1 else ""),
        )
        return super().get_context_data(**kwargs) | {"page": page, "meta": meta, "feed_links": corrections_feed_links()}


class SearchView(TemplateView):
    template_name = "articles/search.html"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        """The form and its errors, answered as a bad request when a filter is invalid."""
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context["form"].errors else 200)

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        searched = form.is_valid() and any(form.cleaned_data.values())
        page = None
        if searched:
            page = search(**form.cleaned_data, page=self.request.GET.get("page"), per_page=self.paginate_by)
        query = form.cleaned_data.get("q", "") if form.is_valid() else ""
        return super().get_context_data(**kwargs) | {"form": form, "page": page, "query": query, "searched": searched}
