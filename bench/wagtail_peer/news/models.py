"""News pages built as Wagtail's tutorial and bakerydemo build a blog: an index page, article pages
with rich text, ordered author snippets and ClusterTaggableManager tags."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=255)

    panels = [FieldPanel("name")]

    def __str__(self):
        return self.name


class NewsPageAuthor(Orderable):
    page = ParentalKey("NewsPage", related_name="news_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, related_name="+", on_delete=models.CASCADE)

    panels = [FieldPanel("author")]


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["news.NewsPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = (
            NewsPage.objects.live()
            .descendant_of(self)
            .order_by("-date")
            .prefetch_related(Prefetch("news_authors", queryset=NewsPageAuthor.objects.select_related("author")))
        )
        context["stories"] = Paginator(stories, 20).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    # Indexed (the tutorial's date is not): both pages order by it, and ours has the matching index.
    date = models.DateTimeField("Post date", db_index=True)
    intro = models.TextField()
    body = RichTextField()
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("news_authors", label="Authors"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["credits"] = self.news_authors.select_related("author")
        context["latest"] = NewsPage.objects.live().exclude(pk=self.pk).order_by("-date")[:5]
        return context
