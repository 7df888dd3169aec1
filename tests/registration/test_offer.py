"""The JSON-LD offer of an event with built-in registration follows where registration stands:
a pre-order before it opens (valid from its opening), in stock once open, sold out when full.
Events knows none of it: the registration app tells it (events.fullness)."""

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.helpers import html_of

from .factories import event_with_form

pytestmark = pytest.mark.django_db


def offer(event, language="de"):
    response = Client().get(event.get_absolute_url(language))
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html_of(response), re.S)
    return json.loads(block)["offers"]


def test_a_pre_order_until_registration_opens_then_in_stock(cities):
    opens = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    event = event_with_form(opens_at=opens)
    before = offer(event, "fr")
    assert before["availability"] == "https://schema.org/PreOrder"
    # Google: validFrom is when tickets go on sale.
    assert before["validFrom"] == opens.astimezone(event.tzinfo).isoformat(timespec="seconds")
    assert before["url"] == "http://testserver" + event.get_absolute_url("fr")
    with time_machine.travel(opens + datetime.timedelta(minutes=1), tick=False):
        after = offer(event, "fr")  # the cached page ended when registration opened
    assert after["availability"] == "https://schema.org/InStock"
    assert after["validFrom"] != before["validFrom"]


def test_sold_out_when_the_last_place_is_taken(register, cities):
    event = event_with_form(capacity=1)
    assert offer(event)["availability"] == "https://schema.org/InStock"
    register(event, cities["metz"])
    assert offer(event)["availability"] == "https://schema.org/SoldOut"
