"""Paging without COUNT(*): a list of a million cases never counts them all.

We fetch one row more than a page holds; if it is there, a next page exists.
"""

from dataclasses import dataclass

from .forms import parse_int


@dataclass(frozen=True)
class Page:
    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


# Deep offsets get slow on a large table and nobody reads page 400: past this
# we ask the user to narrow the filters instead.
MAX_PAGE = 200


def page_of(queryset, page_param: str | None, per_page: int) -> Page:
    number = min(max(parse_int(page_param) or 1, 1), MAX_PAGE)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
