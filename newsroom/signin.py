"""Sign-in lockout: the address a failure counts against, a limit per count, the page a locked-out user sees."""

import ipaddress
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.contrib import admin
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The peer's address or, behind ``TRUSTED_PROXY_COUNT`` proxies, the one the outermost proxy saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so only the last
    ``TRUSTED_PROXY_COUNT`` entries are trustworthy: anything before them the client wrote itself.
    """
    count = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if count and len(hops) >= count:
        try:
            return str(ipaddress.ip_address(hops[-count]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit for each of ``AXES_LOCKOUT_PARAMETERS``.

    Axes compares one number with ``AXES_FAILURE_LIMIT``; ``get_failures`` scales each count by
    its own limit so that reaching any limit reaches that one.
    """

    @staticmethod
    def _limit(parameter) -> int:
        if parameter == "username":
            return settings.LOGIN_ACCOUNT_FAILURE_LIMIT
        if parameter == "ip_address":
            return settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return settings.AXES_FAILURE_LIMIT

    def _counts(self, request, credentials):
        """(failures, limit, latest failure) for each count, within the cool-off."""
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            totals = attempts.aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
            yield totals["failures"] or 0, self._limit(parameter), totals["latest"]

    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        return max((failures * base // limit for failures, limit, _ in self._counts(request, credentials)), default=0)

    def locked_until(self, request, credentials=None) -> datetime | None:
        """When the counts that reached their limits will have cooled off (at the latest)."""
        latest = [last for failures, limit, last in self._counts(request, credentials) if failures >= limit]
        return max(latest) + get_cool_off(request) if latest else None


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page for a locked-out sign-in, saying when to try again (also in ``Retry-After``)."""
    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    context = admin.site.each_context(request) | {"title": _("Too many failed sign-ins"), "until": until}
    response = render(request, "admin/locked_out.html", context, status=429)
    if until:
        response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds()) + 1))
    return response
