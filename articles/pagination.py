"""Pagination that never counts the archive.

Django's ``Paginator`` runs ``COUNT(*)`` over the whole list on every
request, which grows with the archive.  Readers only need "newer" and
"older", so we fetch one row more than a page to know whether there is a
next one.
"""

from dataclasses import dataclass

from django.http import Http404

from .params import page_number


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)


def paginate(queryset, page_param, per_page: int, first=None) -> Page:
    """Return one ``Page`` of ``queryset``; 404 for a malformed or empty page past the first.
    ``first()``, where given, reads the first page's ``per_page + 1`` rows (a prepared query)."""
    number = page_number(page_param)
    offset = (number - 1) * per_page
    if first and not offset:
        rows = first()
    elif offset:
        # Deep pages: skip the offset in the index, reading ids only, then load just this page's rows.
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + per_page + 1])
        rows = list(queryset.filter(pk__in=ids)) if ids else []
    else:
        rows = list(queryset[: per_page + 1])
    if number > 1 and not rows:
        raise Http404("No such page.")
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
