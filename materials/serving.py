"""A material's file as a response, for the views that check who may have it (registration's
page of a registrant serves the registrants-only materials through the registrant's link)."""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def file_response(material):
    """The file of ``material``, to open in the browser (a PDF) or save, under its safe name;
    a 404 when it has no file or the file is gone from the storage. Never kept by a shared
    cache: it is someone's."""
    if not material.file:
        raise Http404("No file")
    try:
        handle = material.file.open("rb")
    except (OSError, ValueError) as error:
        raise Http404("File gone") from error
    response = FileResponse(
        handle,
        as_attachment=not material.media_type.startswith(("application/pdf", "image/")),
        filename=material.file.name.rsplit("/", 1)[-1],
        content_type=material.media_type or "application/octet-stream",
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["X-Content-Type-Options"] = "nosniff"
    return response
