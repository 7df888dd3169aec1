"""The footer's links to the legal pages and its accessibility mention (RGAA: "Accessibilité :
partiellement conforme"), read from the cache, else from the stored evidence (pages/accessibility.py)."""

from django import template

from .. import accessibility

register = template.Library()


@register.simple_tag(takes_context=True)
def accessibility_status(context):
    """The label of the site's status ("partially compliant"), or "" when it cannot be known."""
    status = accessibility.footer_status(context.get("request"))
    return accessibility.STATUS_LABELS.get(status, "")
