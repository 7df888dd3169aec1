"""Public pages: home, the upcoming and past event lists, the month view, the event page, its
bilingual programme, its calendar file and the calendar to subscribe to."""

import datetime
from urllib.parse import urlencode

from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, RedirectView, TemplateView, View

from . import calendar, calendar_links, facts, fullness, month, structured_data
from .derived import remembered
from .forms import EventFilterForm, MonthFilterForm
from .language import other_language, shown_text
from .models import Event, load_programme


class PublicEventsMixin:
    """Events a visitor may see at this moment: the published ones whose "publish at" moment has
    come (event pages add drafts and scheduled events for staff)."""

    def visible_events(self, now=None):
        return Event.objects.published(now)


class EventGone(Exception):
    """The event was visible once and is no longer: its addresses answer 410 Gone."""

    def __init__(self, event):
        super().__init__(f"Event {event.pk} is no longer published")
        self.event = event


class EventListView(PublicEventsMixin, ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 10
    mode = "upcoming"

    def get_queryset(self):
        now = timezone.now()
        events = self.visible_events(now)
        # Reading every event's year, city and category costs as much as the rest of the list at
        # 10,000 events: they are remembered until the content changes or an event ends
        # (events.derived, kept by the page cache).
        choices = remembered("event-filter-choices", lambda: filter_choices(events, now))
        years = sorted({*choices["upcoming"]["years"], *choices["past"]["years"]}, reverse=True)
        self.filter_form = EventFilterForm(self.request.GET or None, years=years, offered=choices[self.mode])
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            raise Http404("Unknown filter value")
        if self.filter_form.is_bound:
            events = self.filter_form.filter(events)
        # The number of events (for the pages) is counted without the upcoming list's index hint.
        self.to_count = events.upcoming(now, start_hint=False) if self.mode == "upcoming" else events.past(now)
        events = events.upcoming(now) if self.mode == "upcoming" else events.past(now)
        return events.for_listing()

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        paginator.count = self.to_count.order_by().count()
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The events this page shows (read once: the template shows the same list), for the page cache.
        self.request.page_cache_events = [event.pk for event in context["events"]]
        filter_query = self.filter_query()
        page = context["page_obj"].number
        # Each entry's status says "full" when registration says so: one question for the page.
        context["events"] = fullness.mark(context["events"])
        context.update(
            mode=self.mode,
            filter_form=self.filter_form,
            is_filtered=any(self.request.GET.get(name) for name in self.filter_form.fields),
            # The filters alone (tabs and pagination add their own page), and with the page number:
            # the canonical link, hreflang alternates and language switcher carry nothing else.
            filter_query=filter_query,
            content_query="&".join(part for part in (filter_query, f"page={page}" if page > 1 else "") if part),
            page_title=_("Upcoming events") if self.mode == "upcoming" else _("Past events"),
            # The calendar to subscribe to takes the filters of what (not the year).
            calendar_query=(calendar_query := self.calendar_query()),
            subscription=calendar_links.subscription(
                self.request.build_absolute_uri(
                    reverse("events:calendar") + (f"?{calendar_query}" if calendar_query else "")
                ),
                name=" – ".join([gettext("QuattroPole events"), *self.calendar_filters()]),
            ),
            subscription_name=", ".join(self.calendar_filters()),
        )
        return context

    def calendar_query(self):
        selection = self.filter_form.selection() if self.filter_form.is_bound else {}
        return urlencode({name: value for name, value in selection.items() if name in CALENDAR_FILTERS})

    def calendar_filters(self):
        """The filters the calendar is filtered by, named as the calendar file names them
        (events/calendar.py: "QuattroPole events – Metz – Culture – step-free access")."""
        return self.filter_form.chosen_names(CALENDAR_FILTERS) if self.filter_form.is_bound else []

    def filter_query(self):
        """The filters that select what the list shows, as a query string: the validated values
        (language-neutral codes) in the form's order. Anything else the request carries
        (tracking parameters, junk) is never echoed into links."""
        return urlencode(self.filter_form.selection()) if self.filter_form.is_bound else ""


# What a calendar to subscribe to is filtered by: what the list is filtered by, but the year (it
# holds the upcoming events).
CALENDAR_FILTERS = ("city", "category", "access", "language", "interpretation")


def filter_choices(events, now):
    """What the events of each list have to filter by, in one query:
    ``{"upcoming": {"years": [2028, 2027], "cities": [ids], "categories": [ids]}, "past": {…}}``
    (an event not yet ended is upcoming, as in ``EventQuerySet.upcoming``)."""
    rows = (
        events.order_by()
        .annotate(ended=ExpressionWrapper(Q(end__lt=now), output_field=BooleanField()), year=ExtractYear("start"))
        .values_list("ended", "year", "category_id", "cities")
        .distinct()
    )
    found = {mode: {"years": set(), "cities": set(), "categories": set()} for mode in ("upcoming", "past")}
    for ended, year, category, city in rows:
        choices = found["past" if ended else "upcoming"]
        choices["years"].add(year)
        choices["categories"].add(category)
        if city is not None:
            choices["cities"].add(city)
    return {
        mode: {
            "years": sorted(c["years"], reverse=True),
            "cities": sorted(c["cities"]),
            "categories": sorted(c["categories"]),
        }
        for mode, c in found.items()
    }


class MonthView(PublicEventsMixin, TemplateView):
    """A month as a calendar: the visible events of each day, past or upcoming, filtered like the
    list (?city=<code>&category=<code>). Months from January of the year the first event starts
    (or this year) to December of the year the last one ends (or this year) exist; any other, and
    an unknown filter value, is a 404. The same queries, however many events the month has."""

    template_name = "events/event_month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        year, number = int(self.kwargs["year"]), int(self.kwargs["month"])
        years = self.years(now)
        if not (1 <= number <= 12 and years[0] <= year <= years[-1]):
            raise Http404("No such month")
        form = MonthFilterForm(self.request.GET or None)
        if form.is_bound and not form.is_valid():
            raise Http404("Unknown filter value")
        start, end = month.bounds(year, number)
        events = self.visible_events(now).filter(start__lt=end, end__gt=start)
        if form.is_bound:
            events = form.filter(events)
        events = fullness.mark(events.select_related("venue").order_by("start", "id"))
        today = timezone.localdate(now)
        if start.date() <= today < end.date():
            # Today's mark moves at midnight, which no edit or event announces to the page cache.
            self.request.page_cache_until = month.start_of(today + datetime.timedelta(days=1))
        filter_query = urlencode(form.selection()) if form.is_bound else ""
        first_day = datetime.date(year, number, 1)
        context.update(
            month_name=formats.date_format(first_day, "YEAR_MONTH_FORMAT"),
            first_day=first_day,
            weekdays=month.weekday_names(),
            weeks=month.weeks(year, number, events, today),
            event_count=len(events),
            filter_form=form,
            filters=form.chosen_names() if form.is_bound else [],
            is_filtered=bool(filter_query),
            filter_query=filter_query,
            content_query=filter_query,
            previous=self.month_link(*month.neighbour(year, number, -1), years, filter_query),
            next=self.month_link(*month.neighbour(year, number, 1), years, filter_query),
        )
        return context

    def years(self, now):
        """The first and last year that have months: from the earliest start to the latest end
        of the visible events (remembered until the content changes), and this year."""
        events = self.visible_events(now)
        span = remembered("month-view-span", lambda: events.aggregate(first=Min("start"), last=Max("end")))
        this_year = timezone.localdate(now).year
        first = timezone.localdate(span["first"]).year if span["first"] else this_year
        last = timezone.localdate(span["last"]).year if span["last"] else this_year
        return [min(first, this_year), max(last, this_year)]

    def month_link(self, year, number, years, query):
        """The address and name of a neighbouring month, or None past the first or last year."""
        if not years[0] <= year <= years[-1]:
            return None
        url = reverse("events:month", kwargs={"year": f"{year:04d}", "month": f"{number:02d}"})
        return {
            "url": f"{url}?{query}" if query else url,
            "name": formats.date_format(datetime.date(year, number, 1), "YEAR_MONTH_FORMAT"),
        }


class CurrentMonthView(RedirectView):
    """The month view of this month (where the lists link to: a link to a given month on a cached
    list would point to a past month once the month is over). Keeps the list's filters."""

    query_string = False
    http_method_names = ["get", "head"]  # RedirectView answers any method; this page is only shown

    def get_redirect_url(self, *args, **kwargs):
        form = MonthFilterForm(self.request.GET or None)
        if form.is_bound and not form.is_valid():
            raise Http404("Unknown filter value")
        today = timezone.localdate()
        url = reverse("events:month", kwargs={"year": f"{today.year:04d}", "month": f"{today.month:02d}"})
        query = urlencode(form.selection()) if form.is_bound else ""
        return f"{url}?{query}" if query else url


class EventPageMixin(PublicEventsMixin):
    """A page of one event, found by its slug in the page's language (or the other language's
    where this one has none); drafts are a 404 except for staff, who see a preview. Reached
    through the other language's slug, it redirects to its own address: ``url_name``."""

    context_object_name = "event"
    url_name = "events:detail"

    def get_queryset(self):
        events = Event.objects.all() if self.request.user.is_staff else self.visible_events()
        return events.select_related(*EVENT_PAGE_RELATED)

    def get_object(self, queryset=None):
        event = self.find(self.get_queryset())
        if event is None:
            gone = self.find(Event.objects.gone())
            if gone is not None:
                raise EventGone(gone)
            raise Http404("No such event")
        return load_programme(event)

    def find(self, events):
        """The event of the slug in the address, or None. The slug of the page's language, as
        addresses are, comes first and alone: one simple query in all but the rare cases."""
        language = translation.get_language()
        slug = self.kwargs["slug"]
        events = events.order_by()
        found = list(events.filter(**{f"slug_{language}": slug})[:1])
        if found:
            return found[0]
        matches = list(events.by_slug(slug)[:2])
        if not matches:
            # The other language's slug under this language's path (a link copied from the other
            # version, or an edited address): found here, redirected to this language's by get().
            matches = list(events.filter(**{f"slug_{other_language(language)}": slug})[:1])
        # A slug of this language wins over a fallback from the other one.
        matches.sort(key=lambda e: getattr(e, f"slug_{language}") != slug)
        return matches[0] if matches else None

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except EventGone as gone:
            return event_gone(request, gone.event, self.url_name)
        request.page_cache_event = self.object.pk  # its pages are refreshed with its registrations
        canonical = self.object.page_url(self.url_name)
        if request.path != canonical:
            # Reached through the other language's slug: send the visitor to this language's.
            return redirect(canonical, permanent=True)
        return self.respond(self.object)

    def respond(self, event):
        return self.render_to_response(self.get_context_data(object=event))


# What an event page shows of an event's related rows, read with it.
EVENT_PAGE_RELATED = ("category", "project_group", "venue", "moderator", "contact", "host")


class EventDetailView(EventPageMixin, DetailView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        now = timezone.now()
        context.update(
            translatable_object=event,
            has_ended=event.has_ended(now),
            registration_state=event.registration_state(now),
            is_preview=not event.is_visible(now),
            structured_data=structured_data.event_json_ld(
                event,
                base_url=base_url(self.request),
                now=now,
                full=fullness.is_full(event),
                opens=fullness.registration_opens(event, now),
            ),
            open_graph=structured_data.open_graph(event, base_url=base_url(self.request)),
            # Added to a calendar once (Google, Outlook, Apple and the others through the .ics),
            # while that still makes sense: not for an event that has ended or is cancelled.
            add_to_calendar=None if event.is_cancelled or event.has_ended(now) else self.calendar_links(event),
            programme_html=self.programme_html(event),
            **self.facts(event),
        )
        return context

    def facts(self, event):
        """The status at the top of the page, and the facts box: languages, interpretation,
        attendance and accessibility (events/facts.py)."""
        status = fullness.status(event)
        venue = event.venue if event.venue_id else None
        return {
            "public_status": status,
            "status_sentence": facts.status_sentence(event, status),
            "language_names": facts.language_names(event),
            "interpretation_text": facts.interpretation(event),
            "accessibility_lines": facts.accessibility(event),
            "accessibility_note": venue.accessibility_note if venue else "",
            "accessibility_example": bool(venue and venue.accessibility_example),
        }

    def programme_html(self, event):
        """The programme as the page shows it, rendered once per version of the event's content
        and language (events.derived): the page is rendered again for each change of its
        registrations, its programme only after an edit of what it shows. It depends on nothing
        but the event's content and the language."""
        return remembered(
            f"event-programme:{event.pk}:{translation.get_language()}",
            lambda: render_to_string(
                "includes/programme.html",
                {"programme": event.programme, "print_url": event.get_programme_url(), "event": event},
            ),
            event=event.pk,
        )

    def calendar_links(self, event):
        page = self.request.build_absolute_uri(event.get_absolute_url())
        teaser = shown_text(event, "teaser")
        return calendar_links.event_links(
            title=str(event),
            start=event.start,
            end=event.end,
            location=calendar.location(event.venue) if event.venue_id else "",
            details=f"{teaser}\n\n{page}" if teaser else page,
            time_zone=str(event.tzinfo),
            ics_url=event.get_calendar_url(),
        )


class EventPage:
    """One page of an event in any language, for the language switcher and hreflang links
    (which ask for ``get_absolute_url(language)``)."""

    def __init__(self, event, url_name):
        self.event, self.url_name = event, url_name

    def get_absolute_url(self, language=None):
        return self.event.page_url(self.url_name, language)


class EventProgrammeView(EventPageMixin, DetailView):
    """The programme in French and German side by side, slot by slot as on the printed
    invitations, for printing on A4. An event without a programme has no such page."""

    template_name = "events/event_programme.html"
    url_name = "events:programme"
    columns = ("fr", "de")  # in this order on the invitations

    def get_object(self, queryset=None):
        event = super().get_object(queryset)
        if not event.programme:
            raise Http404("No programme")
        return event

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context.update(
            translatable_object=EventPage(event, self.url_name),
            columns=self.columns,
            titles=[
                (code, shown_text(event, "title", code)) for code in self.columns if getattr(event, f"title_{code}")
            ],
            is_preview=not event.is_visible(),
        )
        return context


class EventCalendarView(EventPageMixin, View):
    """The event as a calendar file (.ics) in the page's language; past events keep theirs."""

    url_name = "events:event_calendar"

    def respond(self, event):
        language = translation.get_language()
        content = calendar.event_calendar(event, language=language, base_url=base_url(self.request))
        return calendar_response(content, filename=f"{event.slug_in(language)}.ics")


class UpcomingCalendarView(PublicEventsMixin, View):
    """The upcoming events as a calendar to subscribe to, filtered like the list
    (?city=<code>&category=<code>); an unknown filter value is a 404."""

    def get(self, request, *args, **kwargs):
        form = EventFilterForm(request.GET or None)
        events = self.visible_events()
        if form.is_bound:
            if not form.is_valid():
                raise Http404("Unknown filter value")
            events = form.filter(events)
        events = events.upcoming().select_related("category", "venue")  # the programmes as needed (calendar.py)
        content = calendar.upcoming_calendar(
            events,
            language=translation.get_language(),
            base_url=base_url(request),
            filters=form.chosen_names(CALENDAR_FILTERS) if form.is_bound else [],
        )
        return calendar_response(content)


def base_url(request):
    """``https://host`` of the request, to make absolute addresses."""
    return request.build_absolute_uri("/").rstrip("/")


def calendar_response(content, filename=None):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class HomeView(PublicEventsMixin, TemplateView):
    template_name = "events/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            upcoming=fullness.mark(self.visible_events(now).upcoming(now).for_listing()[:3]),
            recent=fullness.mark(self.visible_events(now).past(now).for_listing()[:3]),
        )
        # The events this page shows, for the page cache.
        self.request.page_cache_events = [event.pk for event in (*context["upcoming"], *context["recent"])]
        return context


def event_gone(request, event, url_name):
    """410 Gone, in the page's language: the event was published and no longer is. Links shared on
    announcement day say what happened instead of "not found"."""
    context = {"event_title": str(event), "translatable_object": EventPage(event, url_name)}
    return render(request, "410.html", context, status=410)
