"""A request id on every request: taken from ``X-Request-ID`` when the proxy sent a sane one,
else made here; echoed on the response and written on every log line of the request."""

import re
import uuid
from contextvars import ContextVar

import sentry_sdk

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
        token = current_request_id.set(request.id)
        sentry_sdk.set_tag("request_id", request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.id
        return response
