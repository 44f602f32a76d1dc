"""simple_history's history pages, with the desk's guards."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import policy


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """A revert needs the same rights as the change form (simple_history checks only view rights on a
    POST), runs in one transaction, and a malformed id in the URL is a 404, not a 500. Refusals answer
    403 with one log line (``policy.refusals_answer_403``)."""

    def get_urls(self):
        return [
            URLPattern(url.pattern, policy.refusals_answer_403(url.callback), url.default_args, url.name)
            for url in super().get_urls()
        ]

    def _history_ids_or_404(self, object_id, version_id=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                self.model.history.model._meta.get_field("history_id").to_python(version_id)
        except ValidationError:
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._history_ids_or_404(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_ids_or_404(object_id, version_id)
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST":
                current = self.get_object(request, unquote(object_id))
                if current is None or not self.has_change_permission(request, current):
                    raise PermissionDenied(_("You may not change this %s.") % self.model._meta.verbose_name)
            return super().history_form_view(request, object_id, version_id, extra_context)
