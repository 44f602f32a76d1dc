"""The public pages' Jinja2 helpers keep Django's meaning (newsroom/jinja2.py, articles/markup.py)."""

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from articles.markup import byline
from newsroom.jinja2 import date

MOMENT = datetime(2026, 3, 29, 23, 30, 5, tzinfo=UTC)


@pytest.mark.parametrize("format_string", ["c", "j F Y, H:i T", "j M Y, H:i", "H:i", "Y"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "America/Sao_Paulo"])
def test_date_is_django_date_in_the_active_time_zone(format_string, zone):
    with timezone.override(zone):
        assert date(MOMENT, format_string) == django_date(timezone.template_localtime(MOMENT), format_string)
    assert date(None, format_string) == ""


def test_date_follows_the_active_language():
    with translation.override("de"):
        german = date(MOMENT, "j F Y")
    assert date(MOMENT, "j F Y") == "29 March 2026" and german == "29 März 2026"


@pytest.mark.django_db
def test_a_remembered_byline_follows_the_names_it_is_given():
    assert byline([("Ana <b>Costa</b>", "ana")]) == (
        '<span class="byline">By <a href="/author/ana/" rel="author">Ana &lt;b&gt;Costa&lt;/b&gt;</a></span>'
    )
    assert "Ben Weber" in byline([("Ana Costa", "ana"), ("Ben Weber", "ben")])
    assert byline([]) == ""
