"""Signed, expiring links that let someone without an account read one draft."""

from django.conf import settings
from django.http import Http404
from django.utils.cache import add_never_cache_headers

from . import services
from .views import ArticleDetailView


class PreviewView(ArticleDetailView):
    def get_object(self, queryset=None):
        article = services.article_from_preview_token(self.kwargs["token"], max_age=settings.PREVIEW_LINK_MAX_AGE)
        if article is None:
            raise Http404("This preview link is not valid or has expired.")
        return article

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(object=self.object, preview=True))
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
