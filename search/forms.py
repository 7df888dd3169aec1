"""The search form: the query and the event list's filters (city, category, year), with
upcoming/past."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.forms import EventFilterForm, FilterSelect

from .text import query_words

MAX_QUERY_LENGTH = 100


class SearchForm(EventFilterForm):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": _("Please shorten your search to at most %(limit_value)d characters (it has %(show_value)d).")
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Upcoming and past")), ("upcoming", _("Upcoming events")), ("past", _("Past events"))],
        widget=FilterSelect,
    )
    field_order = ["q", "city", "category", "when", "year"]

    def words(self):
        """The query's words that can be searched for (search.text.query_words)."""
        return query_words(self.cleaned_data.get("q") or "")

    def selection(self):
        chosen = super().selection()
        return {name: chosen[name] for name in self.fields if name in chosen}
