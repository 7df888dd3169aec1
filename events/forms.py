"""Forms visitors fill in: the event list filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, City


class FilterSelect(forms.Select):
    """A select whose options are written by its own template, not one included template per
    option: the year filter alone has an option per year with events."""

    template_name = "events/filter_select.html"


class EventFilterForm(forms.Form):
    """The list filters. Values are language-neutral codes, so a filtered list keeps
    its filters when the visitor switches language. The calendar subscription takes
    the same ``city`` and ``category`` values."""

    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All cities"),
        widget=FilterSelect,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
        widget=FilterSelect,
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None, widget=FilterSelect)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(str(y), str(y)) for y in years]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("city"):
            queryset = queryset.filter(cities=data["city"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("year"):
            queryset = queryset.filter(start__year=data["year"])
        return queryset

    def selection(self):
        """The chosen filters of a valid form as language-neutral codes, in field order, the
        empty ones left out: ``{"city": "metz", "year": "2017"}``."""
        chosen = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return {name: getattr(value, "code", value) for name, value in chosen.items()}
