"""``{% responsive_image %}``: a stored image as <picture> with its renditions (see events.images)."""

from django import template
from django.template.loader import render_to_string

from events import images

register = template.Library()


@register.simple_tag
def responsive_image(image, alt="", sizes="100vw", alt_lang="", loading="lazy"):
    """<picture> with a WebP <source srcset> and an <img srcset sizes width height alt>, or
    nothing at all when there is no image or its file is gone (never a broken <img>).

    ``alt_lang`` is the output of ``{% field_lang obj "field" as alt_lang %}``, to mark a
    text alternative shown in the other language. With ``as name`` the result can be tested,
    to leave out a wrapper: ``{% if name %}<figure>{{ name }}</figure>{% endif %}``.
    """
    picture = images.picture(image)
    if picture is None:
        return ""
    return render_to_string(
        "includes/picture.html",
        {"picture": picture, "alt": alt, "sizes": sizes, "alt_lang": alt_lang, "loading": loading},
    )
