"""``{% responsive_image %}``: a stored image as <picture> with its renditions (see events.images)."""

from django import template
from django.template.loader import render_to_string

from events import images

register = template.Library()


@register.simple_tag
def responsive_image(
    image, alt="", sizes="100vw", alt_lang="", loading="lazy", landscape_sizes=None, fetchpriority=None
):
    """<picture> with a WebP <source srcset> and an <img srcset sizes width height alt>, or
    nothing at all when there is no image or its file is gone (never a broken <img>).

    ``sizes`` must say how wide the stylesheet shows the image at each breakpoint, so that the
    browser fetches the smallest rendition that is sharp enough; where a landscape image is
    laid out wider than a portrait one, ``landscape_sizes`` says so for landscape images (the
    <picture> is then marked ``picture--landscape`` for the stylesheet). The width and height
    attributes give the box its aspect ratio before the file arrives (no layout shift).
    ``fetchpriority="high"`` belongs on the page's main image only, with ``loading="eager"``.

    ``alt_lang`` is the output of ``{% field_lang obj "field" as alt_lang %}``, to mark a
    text alternative shown in the other language. With ``as name`` the result can be tested,
    to leave out a wrapper: ``{% if name %}<figure>{{ name }}</figure>{% endif %}``.
    """
    picture = images.picture(image)
    if picture is None:
        return ""
    landscape = picture.is_landscape and landscape_sizes is not None
    return render_to_string(
        "includes/picture.html",
        {
            "picture": picture,
            "alt": alt,
            "sizes": landscape_sizes if landscape else sizes,
            "landscape": landscape,
            "alt_lang": alt_lang,
            "loading": loading,
            "fetchpriority": fetchpriority,
        },
    )
