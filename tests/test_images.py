"""Uploaded images: refused when not a sound JPEG/PNG/WebP within the limits, stored without
metadata, and shown as <picture> with renditions; never a broken <img>."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from events import images
from events.models import Event

from .factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db


def image_bytes(size=(1600, 1000), image_format="JPEG", exif=None, colour=(200, 80, 40)):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, colour).save(buffer, image_format, **options)
    return buffer.getvalue()


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (49.0, 7.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (6.0, 10.0, 30.0),
    }
    return exif


def png_claiming(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb's
    calling card, refused before anything is decoded."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def media_path(name):
    return Path(default_storage.path(name))


# --- Validation ---------------------------------------------------------------------------


# Staff without a language preference read the admin in German, the site's default.
NOT_AN_IMAGE = "Bitte laden Sie ein JPEG-, PNG- oder WebP-Bild hoch. Diese Datei ist keines oder beschädigt."
TOO_MANY_PIXELS = "Dieses Bild hat zu viele Pixel; ein Bild darf höchstens 40 Megapixel haben."


def field_errors(event):
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return caught.value.message_dict.get("poster", [])


def test_a_text_file_named_jpg_is_refused():
    event = EventFactory.build(poster=SimpleUploadedFile("poster.jpg", b"Not an image at all.\n" * 50))
    assert field_errors(event) == [NOT_AN_IMAGE]


def test_a_gif_is_refused_whatever_its_name():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    event = EventFactory.build(poster=SimpleUploadedFile("poster.png", buffer.getvalue()))
    assert field_errors(event) == [NOT_AN_IMAGE]


def test_a_truncated_jpeg_is_refused():
    data = image_bytes()
    event = EventFactory.build(poster=SimpleUploadedFile("poster.jpg", data[: len(data) // 2]))
    assert field_errors(event) == [NOT_AN_IMAGE]


@pytest.mark.parametrize("width,height", [(20_000, 20_000), (10_000, 10_000), (8_000, 6_000)])
def test_a_pixel_bomb_is_refused_with_a_clear_message(width, height):
    # 400 MP: Pillow's own error; 100 MP: Pillow's warning; 48 MP: only our limit (40 MP).
    event = EventFactory.build(poster=SimpleUploadedFile("bomb.png", png_claiming(width, height)))
    assert field_errors(event) == [TOO_MANY_PIXELS]


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_FILE_BYTES", 1024 * 1024)
    data = image_bytes(size=(2000, 2000), image_format="PNG")
    data += b"\0" * (1024 * 1024 + 1 - len(data))  # trailing bytes past IEND: a valid PNG, too big
    event = EventFactory.build(poster=SimpleUploadedFile("big.png", data))
    [message] = field_errors(event)
    assert re.fullmatch(r"Diese Datei ist 1[.,]0 MB groß; ein Bild darf höchstens 1 MB groß sein\.", message)


def test_the_error_is_translated():
    event = EventFactory.build(poster=SimpleUploadedFile("bomb.png", png_claiming(20_000, 20_000)))
    with translation.override("fr"):
        message = field_errors(event)[0]
    assert message == "Cette image a trop de pixels\u00a0; une image peut avoir au plus 40 mégapixels."


def test_real_jpeg_png_and_webp_pass():
    for image_format, name in (("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")):
        images.check_image(SimpleUploadedFile(name, image_bytes(image_format=image_format)))


def test_a_stored_poster_missing_from_disk_does_not_block_editing_the_event():
    event = EventFactory(poster=ContentFile(image_bytes(), name="poster.jpg"))
    media_path(event.poster.name).unlink()
    event.refresh_from_db()
    event.full_clean()  # no error, no crash


def test_a_new_file_replacing_a_stored_poster_is_checked():
    event = EventFactory(poster=ContentFile(image_bytes(), name="poster.jpg"))
    event.refresh_from_db()
    event.full_clean()  # the stored poster passes
    event.poster = SimpleUploadedFile("poster.jpg", b"Not an image at all.\n" * 50)
    assert field_errors(event) == [NOT_AN_IMAGE]


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "secret")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "content,message",
    [
        (png_claiming(20_000, 20_000), "Dieses Bild hat zu viele Pixel"),
        (b"GIF89a, or rather not: plain text.", "Bitte laden Sie ein JPEG-, PNG- oder WebP-Bild hoch."),
    ],
)
def test_the_admin_person_form_shows_the_error_instead_of_failing(admin_client, content, message):
    response = admin_client.post(
        reverse("admin:events_person_add"),
        {"name": "Lisa Huth", "photo": SimpleUploadedFile("photo.jpg", content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PersonFactory._meta.model.objects.filter(name="Lisa Huth").exists()


# --- Stored without metadata --------------------------------------------------------------


def test_gps_and_camera_data_are_removed_on_save():
    original = image_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file has it

    event = EventFactory(poster=SimpleUploadedFile("holiday.jpg", original))

    with Image.open(media_path(event.poster.name)) as stored:
        assert stored.format == "JPEG"
        assert "exif" not in stored.info
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in stored.getexif()


def test_orientation_is_applied_before_the_metadata_goes():
    # Orientation 6: the camera held upright, the pixels stored lying on their side.
    event = EventFactory(poster=SimpleUploadedFile("upright.jpg", image_bytes(size=(400, 200), exif=gps_exif(6))))
    with Image.open(media_path(event.poster.name)) as stored:
        assert stored.size == (200, 400)
        assert ExifTags.Base.Orientation not in stored.getexif()


def test_a_person_photo_loses_its_gps_too():
    person = PersonFactory(photo=SimpleUploadedFile("me.jpg", image_bytes(size=(600, 600), exif=gps_exif())))
    with Image.open(media_path(person.photo.name)) as stored:
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_the_file_is_named_after_its_real_format():
    event = EventFactory(poster=SimpleUploadedFile("poster.jpg", image_bytes(image_format="PNG")))
    assert event.poster.name.endswith(".png")


# --- Renditions and <picture> --------------------------------------------------------------


def test_renditions_are_made_on_save_in_webp_and_the_original_format():
    event = EventFactory(poster=SimpleUploadedFile("poster.jpg", image_bytes(size=(1600, 1000))))
    folder = media_path(images.rendition_folder(event.poster.name))
    for width in (480, 800, 1200):
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(folder / f"{width}w.{extension}") as rendition:
                assert rendition.format == image_format
                assert rendition.size == (width, round(1000 * width / 1600))


def test_a_small_image_is_never_enlarged():
    event = EventFactory(poster=SimpleUploadedFile("small.png", image_bytes(size=(600, 300), image_format="PNG")))
    picture = images.picture(event.poster)
    assert [part.split()[-1] for part in picture.srcset.split(", ")] == ["480w", "600w"]
    assert (picture.width, picture.height) == (600, 300)
    assert picture.srcset.count(".png") == 2


@pytest.mark.parametrize(
    "mode,image_format,expected_mode",
    [("CMYK", "JPEG", "RGB"), ("P", "PNG", "RGBA"), ("RGBA", "WEBP", "RGBA"), ("L", "JPEG", "RGB")],
)
def test_renditions_of_every_colour_mode(mode, image_format, expected_mode):
    buffer = io.BytesIO()
    options = {"transparency": 0} if mode == "P" else {}
    Image.new(mode, (900, 600)).save(buffer, image_format, **options)
    event = EventFactory(poster=SimpleUploadedFile(f"poster.{image_format.lower()}", buffer.getvalue()))
    picture = images.picture(event.poster)
    assert (picture.width, picture.height) == (900, 600)
    with Image.open(media_path(images.rendition_folder(event.poster.name)) / "480w.webp") as rendition:
        assert rendition.mode == expected_mode


def test_renditions_missing_from_disk_are_made_again():
    event = EventFactory(poster=SimpleUploadedFile("poster.jpg", image_bytes()))
    folder = media_path(images.rendition_folder(event.poster.name))
    for path in folder.iterdir():
        path.unlink()
    assert images.picture(event.poster) is not None
    assert (folder / "800w.webp").exists()


def img_tags(html):
    return re.findall(r"<img\b[^>]*>", html)


def poster_img(html):
    """The <img> of the poster (the header's logo is one too)."""
    return [tag for tag in img_tags(html) if "/media/" in tag or "poster" in tag]


def test_the_event_page_shows_the_poster_as_picture_with_srcset_sizes_and_dimensions(client):
    event = EventFactory(
        poster=SimpleUploadedFile("affiche.jpg", image_bytes(size=(1600, 1000))),
        poster_alt_de="Plakat mit den vier Städten",
        poster_alt_fr="",
    )
    html = client.get(event.get_absolute_url("de")).content.decode()

    folder = images.rendition_folder(event.poster.name)
    assert re.search(
        rf'<source type="image/webp" srcset="/media/{folder}/480w\.webp 480w, /media/{folder}/800w\.webp 800w, '
        rf'/media/{folder}/1200w\.webp 1200w" sizes="[^"]+">',
        html,
    )
    [img] = poster_img(html)
    jpegs = ", ".join(f"/media/{folder}/{width}w.jpg {width}w" for width in (480, 800, 1200))
    assert f'srcset="{jpegs}"' in img
    assert 'sizes="' in img
    assert 'width="1200" height="750"' in img
    assert 'alt="Plakat mit den vier Städten"' in img
    assert "lang=" not in img

    # In French the alternative text falls back to German and says so.
    html = client.get(event.get_absolute_url("fr")).content.decode()
    [img] = poster_img(html)
    assert 'alt="Plakat mit den vier Städten" lang="de"' in img


def test_the_french_description_of_the_poster_is_written_with_french_typography(client):
    """What the secretariat typed ("Affiche : quatre carrés ; « Immigrations »") is shown as
    French is written, with a no-break space before : ; and inside « » (events/typography.py),
    as the page's other texts are."""
    event = EventFactory(
        poster=SimpleUploadedFile("affiche.jpg", image_bytes()),
        poster_alt_fr="Affiche : quatre carrés ; le titre « Immigrations »",
    )
    [img] = poster_img(client.get(event.get_absolute_url("fr")).content.decode())
    assert 'alt="Affiche\u00a0: quatre carrés\u00a0; le titre «\u00a0Immigrations\u00a0»"' in img


def test_an_event_without_poster_shows_no_poster(client):
    event = EventFactory()
    html = client.get(event.get_absolute_url("de")).content.decode()
    assert "<picture" not in html
    assert 'class="event__poster"' not in html
    assert poster_img(html) == []


def test_a_poster_whose_file_is_gone_shows_nothing_rather_than_a_broken_image(client):
    event = EventFactory(poster=SimpleUploadedFile("gone.jpg", image_bytes()))
    media_path(event.poster.name).unlink()
    response = client.get(event.get_absolute_url("de"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<picture" not in html
    assert 'class="event__poster"' not in html
    assert poster_img(html) == []


def test_every_image_the_page_points_to_exists(client):
    event = EventFactory(poster=SimpleUploadedFile("poster.webp", image_bytes(image_format="WEBP")))
    html = client.get(event.get_absolute_url("de")).content.decode()
    urls = re.findall(r"/media/(\S+?) \d+w", html) + re.findall(r'src="/media/([^"]+)"', html)
    assert urls
    for name in urls:
        assert default_storage.exists(name), name
    # A WebP poster needs no WebP <source>: its own renditions are WebP.
    assert "<source" not in html


def test_the_tag_renders_nothing_for_an_empty_field():
    template = Template('{% load images %}[{% responsive_image event.poster alt="x" %}]')
    assert template.render(Context({"event": Event()})) == "[]"


@pytest.mark.parametrize(
    ("size", "sizes", "landscape"),
    [
        # What site.css shows: a portrait poster at most 26rem wide, a landscape one at most 36rem.
        ((1000, 1414), "(min-width: 28rem) 26rem, calc(100vw - 2rem)", False),
        ((1600, 1000), "(min-width: 38rem) 36rem, calc(100vw - 2rem)", True),
    ],
)
def test_the_poster_says_how_wide_the_stylesheet_shows_it_and_loads_first(client, size, sizes, landscape):
    event = EventFactory(poster=SimpleUploadedFile("affiche.jpg", image_bytes(size=size)))
    html = client.get(event.get_absolute_url("de")).content.decode()
    [img] = poster_img(html)
    assert f'sizes="{sizes}"' in img
    assert re.search(rf'<source type="image/webp" srcset="[^"]+" sizes="{re.escape(sizes)}">', html)
    assert ('<picture class="picture--landscape">' in html) is landscape
    # The poster is the page's main image: fetched first, and the only image that asks for it.
    assert 'loading="eager"' in img and 'fetchpriority="high"' in img
    assert html.count("fetchpriority=") == 1


# --- Files no longer used are removed ---------------------------------------------------------


def stored_files(event):
    """The poster's file and the files of its renditions, as paths on disk."""
    folder = media_path(images.rendition_folder(event.poster.name))
    return [media_path(event.poster.name), *folder.iterdir()]


def test_a_replaced_poster_goes_with_its_renditions(django_capture_on_commit_callbacks):
    event = EventFactory(poster=SimpleUploadedFile("alt.jpg", image_bytes()))
    old_files = stored_files(event)
    assert len(old_files) == 1 + 3 * 2 + 1  # the image, three widths in two formats, the manifest
    with django_capture_on_commit_callbacks(execute=True):
        event = Event.objects.get(pk=event.pk)  # as the admin loads it
        event.poster.save("neu.png", ContentFile(image_bytes(image_format="PNG")))
    assert not any(path.exists() for path in old_files)
    assert all(path.exists() for path in stored_files(event))


def test_a_cleared_poster_and_a_deleted_event_leave_nothing_behind(django_capture_on_commit_callbacks):
    cleared = EventFactory(poster=SimpleUploadedFile("a.jpg", image_bytes()))
    deleted = EventFactory(poster=SimpleUploadedFile("b.jpg", image_bytes()))
    photographed = PersonFactory(photo=SimpleUploadedFile("c.jpg", image_bytes()))
    files = stored_files(cleared) + stored_files(deleted) + [media_path(photographed.photo.name)]
    with django_capture_on_commit_callbacks(execute=True):
        cleared.poster = ""
        cleared.save()
        deleted.delete()
        photographed.delete()
    assert not any(path.exists() for path in files)


def test_a_poster_shared_by_a_duplicated_event_stays_while_one_uses_it(django_capture_on_commit_callbacks):
    from events.admin import duplicate_event

    original = EventFactory(poster=SimpleUploadedFile("geteilt.jpg", image_bytes()))
    copy = duplicate_event(original)
    assert copy.poster.name == original.poster.name
    files = stored_files(original)
    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()
    assert all(path.exists() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        original.delete()
    assert not any(path.exists() for path in files)


def test_a_deleted_events_poster_stays_while_its_history_names_it(django_capture_on_commit_callbacks):
    from django.core.management import call_command
    from reversion import create_revision
    from reversion.models import Revision, Version

    event = EventFactory(poster=SimpleUploadedFile("plakat.jpg", image_bytes()))
    with create_revision():
        event.save()
    files = stored_files(event)
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert all(path.exists() for path in files)  # recovering the event brings its poster back
    with django_capture_on_commit_callbacks(execute=True):
        Version.objects.get_deleted(Event).get().revision.revert()
    assert Event.objects.get().poster.name == event.poster.name
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.get().delete()
    Revision.objects.all().delete()  # the history purged: the nightly sweep removes the poster
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remove_unused_files", verbosity=0)
    assert not any(path.exists() for path in files)


def test_files_go_only_once_the_change_is_committed(django_capture_on_commit_callbacks):
    event = EventFactory(poster=SimpleUploadedFile("bleibt.jpg", image_bytes()))
    files = stored_files(event)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event.delete()
    assert callbacks  # the removal waits for a commit that, here, never comes
    assert all(path.exists() for path in files)
