"""The footer's links to the legal pages and its accessibility mention (RGAA: "Accessibilité :
partiellement conforme"), read from the cache only (pages/accessibility.py says why)."""

from django import template

from .. import accessibility

register = template.Library()


@register.simple_tag
def accessibility_status():
    """The label of the site's status ("partially compliant"), or "" when it is not known here."""
    status = accessibility.cached_status()
    return accessibility.STATUS_LABELS.get(status, "")
