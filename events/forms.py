"""Forms visitors fill in: the event list filters."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Category, City, Event

# What a visitor may need of the venue (OpenAgenda's five flags: Venue.access_<value>).
ACCESS_CHOICES = [
    ("", _("Any venue")),
    ("motor", _("step-free access")),
    ("hearing", _("for people with a hearing impairment")),
    ("visual", _("for people with a visual impairment")),
    ("psychic", _("for people with a psychic impairment")),
    ("intellectual", _("for people with an intellectual impairment")),
]
HELD_IN_CHOICES = [
    ("", _("All languages")),
    ("fr", _("in French")),
    ("de", _("in German")),
    ("lb", _("in Luxembourgish")),
    ("en", _("in English")),
]
INTERPRETATION_CHOICES = [("", _("With or without")), ("yes", _("with interpretation"))]


class FilterSelect(forms.Select):
    """A select whose options are written by its own template, not one included template per
    option: the year filter alone has an option per year with events."""

    template_name = "events/filter_select.html"


class EventFilterForm(forms.Form):
    """The list filters. Values are language-neutral codes, so a filtered list keeps
    its filters when the visitor switches language. The calendar subscription takes
    the same ``city`` and ``category`` values.

    ``years``: the years that have visible events (any other year is an unknown value).
    ``offered``: what the list's own events have — ``{"years": […], "cities": [ids],
    "categories": [ids]}`` — when only those are to be offered as choices (the year 2027 is
    no choice among past events, a category without upcoming events none among upcoming
    ones). Every known value is still accepted: the other list's filters, carried over by its
    tab, show "no events match" rather than an error; the chosen value stays among the
    choices, so that the select shows what the list is filtered by."""

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
    # The facts a visitor decides by (issue 27): the venue's accessibility, the language the event
    # is held in, interpretation.
    access = forms.ChoiceField(label=_("Accessibility"), choices=ACCESS_CHOICES, required=False, widget=FilterSelect)
    language = forms.ChoiceField(label=_("Language"), choices=HELD_IN_CHOICES, required=False, widget=FilterSelect)
    interpretation = forms.ChoiceField(
        label=_("Interpretation"), choices=INTERPRETATION_CHOICES, required=False, widget=FilterSelect
    )

    def __init__(self, *args, years=(), offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(str(y), str(y)) for y in years]
        if offered is not None:
            self._offer_only(offered)

    def _offer_only(self, offered):
        chosen = {name: self.data.get(name) or None for name in self.fields} if self.is_bound else {}
        for name, ids in (("city", offered["cities"]), ("category", offered["categories"])):
            field = self.fields[name]
            shown = Q(pk__in=ids)
            if chosen.get(name):
                shown |= Q(**{field.to_field_name: chosen[name]})
            # One query, as the field's own choices would make.
            field.widget.choices = [("", field.empty_label)] + [
                (getattr(obj, field.to_field_name), field.label_from_instance(obj))
                for obj in field.queryset.filter(shown)
            ]
        years = {str(year) for year in offered["years"]} | ({chosen["year"]} if chosen.get("year") else set())
        self.fields["year"].widget.choices = [
            (v, label) for v, label in self.fields["year"].choices if not v or v in years
        ]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("city"):
            queryset = queryset.filter(cities=data["city"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("year"):
            queryset = queryset.filter(start__year=data["year"])
        if data.get("access"):
            queryset = queryset.filter(**{f"venue__access_{data['access']}": True})
        if data.get("language"):
            queryset = queryset.filter(**{f"held_in_{data['language']}": True})
        if data.get("interpretation"):
            queryset = queryset.exclude(interpretation_kind=Event.Interpretation.NONE)
        return queryset

    def chosen_names(self, names=("city", "category", "access", "language", "interpretation")):
        """The chosen filters among ``names`` (not the year: a month, a calendar to subscribe to
        have none) in the visitor's words, in field order: ["Metz", "step-free access"]."""
        chosen = []
        for name in names:
            value = self.cleaned_data.get(name) if name in self.fields else None
            if value in (None, ""):
                continue
            field = self.fields[name]
            chosen.append(str(value) if isinstance(field, forms.ModelChoiceField) else str(dict(field.choices)[value]))
        return chosen

    def selection(self):
        """The chosen filters of a valid form as language-neutral codes, in field order, the
        empty ones left out: ``{"city": "metz", "year": "2017"}``."""
        chosen = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return {name: getattr(value, "code", value) for name, value in chosen.items()}


class MonthFilterForm(EventFilterForm):
    """The list's city and category filters, with the same values, for the month view (whose
    address names the month: no year filter)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["year"]
