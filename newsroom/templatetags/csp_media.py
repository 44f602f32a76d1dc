"""``{% media_with_nonce media %}``: form media rendered with this request's CSP nonce.

The body editor's media includes an inline ``<script type="importmap">``,
which ``script-src`` governs like any inline script.
"""

from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    nonce = context["request"].csp_nonce
    return Media.from_media(media).with_nonce(str(nonce)).render()
