"""Links that put the site's calendars into people's calendar apps, as plain links (no script of
another site, nothing loaded from it: the Content-Security-Policy stays as it is).

- ``subscription(url, name)``: the calendar of upcoming events (events/calendar.py writes it) to
  subscribe to — the app fetches it again by itself, so new and changed events arrive without
  the visitor doing anything: Apple Calendar and most others through ``webcal://``, Google
  Calendar, Outlook.com and Outlook of Microsoft 365 through their "add from the web" pages.
- ``event_links(…)``: one event added once — Google Calendar's and Outlook's forms filled in
  with its title, times, place and page; Apple Calendar and the others open its .ics file.

The services' addresses are not documented by their makers; they are the ones their own
"add to calendar" buttons use and every add-to-calendar library relies on.
"""

import datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
GOOGLE_EVENT = "https://calendar.google.com/calendar/render"
OUTLOOK_HOSTS = {"outlook": "https://outlook.live.com", "microsoft365": "https://outlook.office.com"}


def webcal(url):
    """``https://host/path?query`` as ``webcal://host/path?query``: the address calendar apps
    subscribe to when it is opened."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))


def subscription(url, name):
    """Every way to subscribe to the calendar at ``url`` (an absolute http(s) address), named
    ``name`` where the app asks for a name."""
    return {
        "address": url,
        "webcal": webcal(url),
        "google": f"{GOOGLE_SUBSCRIBE}?{urlencode({'cid': webcal(url)})}",
        **{
            key: f"{host}/calendar/0/addfromweb?{urlencode({'url': url, 'name': name})}"
            for key, host in OUTLOOK_HOSTS.items()
        },
    }


def _utc(moment, separators):
    text = moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text if separators else text.replace("-", "").replace(":", "")


def event_links(*, title, start, end, location, details, time_zone, ics_url):
    """The links that add one event to a calendar: ``title``, ``location`` and ``details`` as
    the app should show them, ``start`` and ``end`` aware datetimes, ``time_zone`` the event's
    (an IANA name: Google shows the times in it), ``ics_url`` the event's calendar file."""
    google = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_utc(start, False)}/{_utc(end, False)}",
        "details": details,
        "location": location,
        "ctz": time_zone,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": _utc(start, True),
        "enddt": _utc(end, True),
        "body": details,
        "location": location,
    }
    return {
        "google": f"{GOOGLE_EVENT}?{urlencode(google)}",
        **{key: f"{host}/calendar/0/deeplink/compose?{urlencode(outlook)}" for key, host in OUTLOOK_HOSTS.items()},
        "ics": ics_url,
    }
