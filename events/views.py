"""Public pages: home, the upcoming and past event lists, and the event page."""

from django import forms
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from .models import Category, City, Event, ProgrammeSlot, SlotSpeaker


def programme_prefetch():
    """The whole programme of an event in three queries, whatever its size."""
    return Prefetch(
        "slots",
        queryset=ProgrammeSlot.objects.prefetch_related(
            "workshops",
            Prefetch(
                "slotspeaker_set",
                queryset=SlotSpeaker.objects.select_related("person"),
                to_attr="speaker_links",
            ),
        ),
        to_attr="programme",
    )


class EventFilterForm(forms.Form):
    """The list filters. Values are language-neutral codes, so a filtered list keeps
    its filters when the visitor switches language."""

    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.all(), to_field_name="code", required=False, empty_label=_("All cities")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

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


class PublicEventsMixin:
    """Events a visitor may see: published ones; staff also see drafts (as a preview)."""

    def visible_events(self):
        return Event.objects.published()


class EventListView(PublicEventsMixin, ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 10
    mode = "upcoming"

    def get_queryset(self):
        now = timezone.now()
        events = self.visible_events()
        years = sorted({d.year for d in events.dates("start", "year")}, reverse=True)
        self.filter_form = EventFilterForm(self.request.GET or None, years=years)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            raise Http404("Unknown filter value")
        if self.filter_form.is_bound:
            events = self.filter_form.filter(events)
        events = events.upcoming(now) if self.mode == "upcoming" else events.past(now)
        return events.for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            mode=self.mode,
            filter_form=self.filter_form,
            is_filtered=any(self.request.GET.get(name) for name in self.filter_form.fields),
            filter_query=query.urlencode(),
            page_title=_("Upcoming events") if self.mode == "upcoming" else _("Past events"),
        )
        return context


class EventDetailView(PublicEventsMixin, DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        events = Event.objects.all() if self.request.user.is_staff else self.visible_events()
        return events.select_related(
            "category", "project_group", "venue", "moderator", "contact", "host"
        ).prefetch_related("cities", programme_prefetch())

    def get_object(self, queryset=None):
        matches = list(self.get_queryset().by_slug(self.kwargs["slug"])[:2])
        if not matches:
            raise Http404("No such event")
        language = translation.get_language()
        # A slug of this language wins over a fallback from the other one.
        matches.sort(key=lambda e: getattr(e, f"slug_{language}") != self.kwargs["slug"])
        return matches[0]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # Reached through the other language's slug: send the visitor to this language's.
            return redirect(canonical, permanent=True)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        now = timezone.now()
        context.update(
            translatable_object=event,
            has_ended=event.has_ended(now),
            registration_state=event.registration_state(now),
            is_preview=not event.is_published,
        )
        return context


class HomeView(PublicEventsMixin, TemplateView):
    template_name = "events/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            upcoming=list(self.visible_events().upcoming(now).for_listing()[:3]),
            recent=list(self.visible_events().past(now).for_listing()[:3]),
        )
        return context


def root_redirect(request):
    """``/`` → ``/de/`` or ``/fr/``: the language cookie, then Accept-Language, else German."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        from django.urls import reverse

        return redirect(reverse("home"))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
