"""Security headers that settings alone do not set."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``CONTENT_SECURITY_POLICY_ADMIN`` added to the policy under the admin.

    The admin's views are Django's, so they cannot be decorated with ``csp_update``.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None and request.path.startswith(reverse("admin:index")):
            parts.update = settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts


def permissions_policy(get_response):
    """Send ``PERMISSIONS_POLICY`` ({feature: allowlist}) as the Permissions-Policy header."""
    header = ", ".join(f"{feature}={allowlist}" for feature, allowlist in settings.PERMISSIONS_POLICY.items())

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", header)
        return response

    return middleware
