"""A request id on every request: taken from ``X-Request-ID`` when the proxy sent a sane one,
else made here; echoed on the response and written on every log line of the request."""

import re
import uuid
from contextvars import ContextVar

import sentry_sdk
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
#: ``-`` outside a request (commands, start-up).
current_request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Letters, digits and the punctuation of UUIDs and trace headers (AWS's
# "Root=1-…;Parent=…"); anything else could forge log lines or headers.
_SANE = re.compile(r"[A-Za-z0-9._:;=+/-]{1,128}\Z")


def request_id_from(headers) -> str:
    offered = headers.get(HEADER, "")
    return offered if _SANE.match(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_from(request.headers)
        # Kept until the response is closed: Django logs error responses after the
        # middleware has returned them.
        current_request_id.set(request.id)
        sentry_sdk.set_tag("request_id", request.id)
        response = self.get_response(request)
        response[HEADER] = request.id
        return response


@receiver(request_finished)
def forget_request_id(**kwargs):
    current_request_id.set("-")
