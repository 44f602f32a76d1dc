"""What a reader may put in a public URL, checked before it reaches the database.

One check per kind of parameter, so every view, feed, sitemap and API call
refuses the same inputs the same way: a huge page number overflows the SQL
``OFFSET``, a date at the edge of the calendar overflows when a day's bounds
are computed, and a NUL byte is a ``DataError`` on PostgreSQL.
"""

import re
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404

#: A slug as ``slugify(allow_unicode=True)`` writes it ("zürich", "東京"), taggit's tag slugs included.
#: Paths match it; query strings are checked with Django's ``validate_unicode_slug``, the same pattern.
SLUG_PATTERN = r"[-\w]+"
#: Far beyond any list's last page (20 million stories at 20 a page), far below an overflowing offset.
MAX_PAGE = 1_000_000
#: A day from ``datetime``'s limits, so a day's start and end stay representable in any time zone.
EARLIEST_DATE, LATEST_DATE = date(1, 1, 2), date(9999, 12, 30)

_PAGE = re.compile(r"[0-9]{1,7}")
#: Microseconds since 1970, up to the year 5138: within ``datetime``'s range.
_MOMENT = re.compile(r"[0-9]{1,17}")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def page_number(value: str | None) -> int:
    """The page a ``?page=`` asks for, 1 when absent; 404 for anything but a number from 1 to ``MAX_PAGE``."""
    if not value:
        return 1
    if not _PAGE.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
        raise Http404("No such page.")
    return int(value)


def validate_date(value: date) -> None:
    """A form and API validator: the date lies between ``EARLIEST_DATE`` and ``LATEST_DATE``."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            code="date_range",
            params={"earliest": EARLIEST_DATE, "latest": LATEST_DATE},
        )


def moment(value: str | None) -> datetime:
    """The time a ``?after=`` names (a live page's cursor, microseconds since 1970); the epoch when absent,
    404 for anything else."""
    if not value:
        return EPOCH
    if not _MOMENT.fullmatch(value):
        raise Http404("No such moment.")
    return EPOCH + timedelta(microseconds=int(value))


def moment_value(when: datetime) -> str:
    """``moment``'s inverse, exact to the microsecond."""
    return str((when - EPOCH) // timedelta(microseconds=1))
