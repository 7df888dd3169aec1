from django.urls import path, re_path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(mode="upcoming"), name="list"),
    path(_("past/"), views.EventListView.as_view(mode="past"), name="past"),
    path(_("calendar.ics"), views.UpcomingCalendarView.as_view(), name="calendar"),
    path("feed/", feeds.UpcomingEventsFeed(), name="feed"),
    # The month view: /de/veranstaltungen/kalender/2017/11/, /fr/evenements/calendrier/2017/11/.
    path(_("calendar/"), views.CurrentMonthView.as_view(), name="month_current"),
    re_path(
        format_lazy(r"^{}(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/$", _("calendar/")),
        views.MonthView.as_view(),
        name="month",
    ),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path(format_lazy("<slug:slug>/{}", _("programme/")), views.EventProgrammeView.as_view(), name="programme"),
    path(format_lazy("<slug:slug>/{}", _("calendar.ics")), views.EventCalendarView.as_view(), name="event_calendar"),
]
