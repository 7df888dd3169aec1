"""The admin's search boxes — people (also the programme editor's speaker choice, which searches
people as you type), the events list — ignore accents, case and how umlauts are typed, in both
languages at once: "treves" finds the event whose French title says "Trèves", "saarbrucken" one
in "Saarbrücken" (events/folding.py folds the words and the texts alike). The search app
extends the events list's search with the public search's matching (search/admin.py: place
names, programme, speakers); this one remains for what that cannot look for (a one-letter word).

Every word must be found in one of the admin's ``search_fields`` (plain field paths, without
Django's ``^``/``=``/``@`` prefixes); words in quotes are one word, as in Django's own search.
"""

import functools
import operator

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from ..folding import Folded, comparable


def search_words(search_term):
    """The folded words of a search, read as Django's admin reads them."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if bit.strip():
            words.append(comparable(bit))
    return words


class FoldedSearchMixin:
    """A ModelAdmin whose search ignores accents, case and the spelling of umlauts."""

    def get_search_results(self, request, queryset, search_term):
        fields = list(self.get_search_fields(request))
        words = search_words(search_term)
        if not fields or not words:
            return queryset, False
        names = {field: f"folded_{index}" for index, field in enumerate(fields)}
        queryset = queryset.alias(**{name: Folded(field) for field, name in names.items()})
        for word in words:
            queryset = queryset.filter(
                functools.reduce(operator.or_, (Q(**{f"{name}__contains": word}) for name in names.values()))
            )
        # Across a relation to many a row could come more than once (Django then adds DISTINCT).
        return queryset, not all(self._leads_to_one(field) for field in fields)

    def _leads_to_one(self, path):
        """Whether every step of the field path ``path`` leads to one object (a foreign key)."""
        model = self.model
        for part in path.split("__")[:-1]:
            field = model._meta.get_field(part)
            if field.many_to_many or field.one_to_many:
                return False
            model = field.related_model
        return True
