"""What an event page tells search engines and social sites about itself.

- ``event_json_ld``: a schema.org ``Event`` as a dict, written into the page as JSON-LD
  by the ``json_ld`` template filter (``json_ld_script`` below): a data block, not a script,
  so a strict Content-Security-Policy allows it;
- ``open_graph``: the values of the Open Graph and Twitter card ``<meta>`` tags.

Dates carry the venue's offset ("2017-11-22T09:30:00+01:00"); addresses are absolute.
"""

import json
from urllib.parse import urljoin

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import facts, images
from .language import other_language

ORGANISATION_NAME = "QuattroPole"
OG_LOCALES = {"de": "de_DE", "fr": "fr_FR"}

# Escaped as JSON allows (``\\u003C``): what could end the <script> element or open a comment
# (<, >, &); the line and paragraph separators (which end a line in JavaScript before ES2019); and
# what HTML forbids raw in a page — DEL, the C1 controls and surrogates (json.dumps escapes the
# C0 controls itself).
_JSON_SCRIPT_ESCAPES = {
    code: f"\\u{code:04X}"
    for code in (ord("<"), ord(">"), ord("&"), 0x2028, 0x2029, *range(0x7F, 0xA0), *range(0xD800, 0xE000))
}


def local_iso(value, tz):
    """ "2017-11-22T09:30:00+01:00": the moment in ``tz``, with its offset."""
    return value.astimezone(tz).isoformat(timespec="seconds")


def poster_url(event, base_url):
    """The poster at most 1200 px wide (what link previews show), or "" when there is none or its
    file is gone: no preview ever points at a missing image."""
    picture = images.picture(event.poster)
    return urljoin(base_url, picture.src) if picture else ""


# What apps above events add to an event's JSON-LD (``extend``): each ``add(event, data, base_url)``
# adds its properties to ``data`` (the materials app its documents as ``subjectOf``).
_EXTENSIONS = []


def extend(add):
    """Makes ``add(event, data, base_url)`` part of every event's JSON-LD (from an app's ready())."""
    if add not in _EXTENSIONS:
        _EXTENSIONS.append(add)


# schema.org's words for the event's status (Google's event guidance: a cancelled event keeps
# its date, a postponed one keeps it until the new one is known, a rescheduled one gets the new
# date and ``previousStartDate``, one moved online a ``VirtualLocation``). Full is no status there:
# the offer is sold out.
EVENT_STATUS = {
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
    "rescheduled": "https://schema.org/EventRescheduled",
    "moved_online": "https://schema.org/EventMovedOnline",
}
ATTENDANCE_MODE = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}


def event_json_ld(event, *, base_url, now=None, full=False, opens=None):
    """A schema.org Event for ``event`` in the active language; ``full``: all its places are
    taken; ``opens``: when registration opens, while it is still to come (the registration app
    knows both: events.fullness)."""
    language = translation.get_language()
    tz = event.tzinfo
    home = urljoin(base_url, reverse("home"))
    page = urljoin(base_url, event.get_absolute_url(language))
    quattropole = {"@type": "Organization", "name": ORGANISATION_NAME, "url": home}
    status = event.public_status(full=full)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page,
        "startDate": local_iso(event.start, tz),
        "endDate": local_iso(event.end, tz),
        "eventStatus": EVENT_STATUS.get(status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": ATTENDANCE_MODE[event.attendance_mode],
        "inLanguage": in_language(event, language),
        "organizer": [quattropole],
    }
    if status == event.PublicStatus.RESCHEDULED and event.previous_start:
        data["previousStartDate"] = local_iso(event.previous_start, tz)
    if event.teaser:
        data["description"] = event.teaser
    locations = []
    if event.venue_id and event.attendance_mode != event.AttendanceMode.ONLINE:
        locations.append(place(event.venue))
    if event.is_attended_online:
        # The link itself only where staff made it public; otherwise the page that says how to join.
        locations.append({"@type": "VirtualLocation", "url": event.online_url if event.online_link_is_public else page})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.project_group_id:
        data["organizer"].append(
            {"@type": "Organization", "name": str(event.project_group), "url": home, "parentOrganization": quattropole}
        )
    performers = speakers(event)
    if performers:
        data["performer"] = [person(p) for p in performers]
    if image := poster_url(event, base_url):
        data["image"] = [image]
    data["offers"] = offer(event, page, full=full, now=now, opens=opens)
    for add in _EXTENSIONS:
        add(event, data, base_url)
    return data


def in_language(event, language):
    """The languages the event is held in (IETF codes; "another language" has none), or, when
    none is recorded, the language of the page."""
    codes = [code for code in event.languages if code != event.Language.OTHER]
    if not codes:
        return language
    return codes[0] if len(codes) == 1 else codes


def offer(event, page, *, full=False, now=None, opens=None):
    """Taking part is free: price 0 in euros; sold out when full, a pre-order while registration
    is not yet open (valid from its opening), in stock otherwise (valid from publication)."""
    tz = event.tzinfo
    if full:
        availability = "https://schema.org/SoldOut"
    elif opens:
        availability = "https://schema.org/PreOrder"
    else:
        availability = "https://schema.org/InStock"
    data = {
        "@type": "Offer",
        # The registration form while it is open; otherwise the event page (no link to a closed form).
        "url": event.registration_url if event.registration_state(now) == event.RegistrationState.OPEN else page,
        "price": 0,
        "priceCurrency": "EUR",
        "availability": availability,
        "validFrom": local_iso(opens or event.first_published_at or event.created, tz),
    }
    if event.registration_url and (closes := event.registration_closes_at()):
        data["validThrough"] = local_iso(closes, tz)  # also once passed: a reader sees it closed
    return data


def place(venue):
    address = {"@type": "PostalAddress", "addressLocality": venue.locality, "addressCountry": venue.country_code}
    for key, value in (
        ("streetAddress", venue.street),
        ("postalCode", venue.postal_code),
    ):
        if value:
            address[key] = value
    data = {"@type": "Place", "name": venue.name, "address": address}
    if features := amenity_features(venue):
        data["amenityFeature"] = features
    if venue.latitude is not None and venue.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return data


def amenity_features(venue):
    """The venue's accessibility flags as schema.org ``LocationFeatureSpecification``s (name in
    the page's language, value true: "Step-free access for wheelchair users"). Only what is
    recorded as true, and nothing when the values are examples (the demo's, not the venue's):
    search engines are told no made-up fact. Event-level facts (sign language) have no term:
    schema.org's ``accessibilityFeature`` belongs to CreativeWork, which an Event is not."""
    if venue.accessibility_example:
        return []
    return [
        {"@type": "LocationFeatureSpecification", "name": text(), "value": True}
        for name, text in facts.ACCESSIBILITY_TEXTS.items()
        if getattr(venue, name)
    ]


def person(person):
    data = {"@type": "Person", "name": person.name}
    if person.role:
        data["jobTitle"] = person.role
    if person.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": person.affiliation}
    return data


def speakers(event):
    """The people speaking in the programme, each once, in programme order."""
    slots = getattr(event, "programme", None)
    if slots is None:
        slots = event.slots.prefetch_related("slotspeaker_set__person")
    people = {}
    for slot in slots:
        links = getattr(slot, "speaker_links", None)
        if links is None:
            links = slot.slotspeaker_set.all()
        for link in links:
            people.setdefault(link.person.pk, link.person)
    return list(people.values())


def open_graph(event, *, base_url):
    """Open Graph and Twitter card values for the event page in the active language."""
    language = translation.get_language()
    image = poster_url(event, base_url)
    picture = images.picture(event.poster) if image else None
    return {
        "title": event.title,
        "description": event.teaser,
        "url": urljoin(base_url, event.get_absolute_url(language)),
        "image": image,
        "image_alt": event.poster_alt if image else "",
        "image_width": picture.width if picture else None,
        "image_height": picture.height if picture else None,
        "type": "website",
        "site_name": ORGANISATION_NAME,
        "locale": OG_LOCALES.get(language, language),
        "locale_alternate": OG_LOCALES.get(other_language(language), ""),
        "twitter_card": "summary_large_image" if image else "summary",
    }


def json_ld_script(data):
    """``<script type="application/ld+json">…</script>``, escaped like Django's json_script
    (which can only write ``type="application/json"``)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
