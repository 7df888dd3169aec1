"""Filters every template has without ``{% load %}`` (settings.TEMPLATES' ``builtins``).

``truncatewords`` is Django's, except that words joined by a no-break space stay joined: Django's
splits at any whitespace and joins the words again with ordinary spaces, so the admin's
breadcrumbs turned a French title's "Immigrations\u00a0: une chance" into "Immigrations : une
chance", a colon that a line can begin with. A no-break space joins, it does not separate.
"""

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.text import Truncator

register = template.Library()

NO_BREAK_SPACES = ("\u00a0", "\u202f")
# Private-use characters: not whitespace, never in a title, so the words stay one while counted.
STAND_INS = ("\ue000", "\ue001")


@register.filter(is_safe=True)
@stringfilter
def truncatewords(value, arg):
    """Django's ``truncatewords`` (``{{ title|truncatewords:"18" }}``), keeping no-break spaces."""
    try:
        length = int(arg)
    except ValueError:  # invalid literal for int(): fail silently, as Django's does
        return value
    for space, stand_in in zip(NO_BREAK_SPACES, STAND_INS, strict=True):
        value = value.replace(space, stand_in)
    value = Truncator(value).words(length, truncate=" …")
    for space, stand_in in zip(NO_BREAK_SPACES, STAND_INS, strict=True):
        value = value.replace(stand_in, space)
    return value
