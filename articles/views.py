from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, TemplateView
from taggit.models import Tag

from . import selectors
from .models import Article, Author, Section
from .pagination import paginate


def is_staff(request) -> bool:
    return request.user.is_authenticated and request.user.is_staff


class ArticleListMixin:
    """A paginated list of published articles, newest first, with its ``page``."""

    paginate_by = 20
    template_name = "articles/article_list.html"

    def get_articles(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paginate(self.get_articles(), self.request.GET.get("page"), self.paginate_by)
        return context


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.home_page()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        articles = Article.objects.for_detail()
        return articles if is_staff(self.request) else articles.published()

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=self.object.is_published())
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context["bylines"] = article.byline_authors
        context["related_links"] = article.public_related_links()
        context["tags"] = list(article.tags.all())
        return context


class SectionView(ArticleListMixin, DetailView):
    model = Section
    context_object_name = "section"

    def get_articles(self):
        return super().get_articles().filter(section=self.object)


class AuthorView(ArticleListMixin, DetailView):
    model = Author
    context_object_name = "author"
    template_name = "articles/author_detail.html"

    def get_articles(self):
        return super().get_articles().filter(authorships__author=self.object)


class TagView(ArticleListMixin, DetailView):
    model = Tag
    context_object_name = "tag"

    def get_articles(self):
        return super().get_articles().filter(tags=self.object)


class SearchView(ArticleListMixin, TemplateView):
    template_name = "articles/search.html"

    def get_articles(self):
        query = self.request.GET.get("q", "").strip()
        if not query:
            return Article.objects.none()
        matches = Q()
        for word in query.split():
            matches &= Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
        return super().get_articles().filter(matches)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"query": self.request.GET.get("q", "").strip()}
