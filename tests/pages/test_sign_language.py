"""The sign-language page (BITV 2.0 § 4): DGS videos on the German page, LSF on the French one,
each with captions served from this host and a transcript; uploads checked from their content,
with errors in the staff member's language; a language without a video says so and links the
other's; removed videos leave no file behind."""

from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from reversion import create_revision
from reversion.models import Version

from pages import demo
from pages.forms import SignLanguageVideoForm
from pages.models import SignLanguageVideo, SitePage
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

DEMO_VIDEO = (demo.DEMO_FILES / "beispiel.mp4").read_bytes()
CAPTIONS = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nGuten Tag.\n"
PROGRAM = b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


@pytest.fixture
def sign_page(site_pages):
    return SitePage.objects.get(kind="sign_language")


def form_errors(language, files, data=None, field=None):
    """The errors of the admin's video form, in ``language``, for ``files`` (name: (filename, bytes))."""
    with translation.override(language):
        form = SignLanguageVideoForm(
            data={
                "language": "de",
                "title": "Über diese Website",
                "transcript": "Guten Tag.",
                "order": 0,
                **(data or {}),
            },
            files={name: SimpleUploadedFile(filename, content) for name, (filename, content) in files.items()},
        )
        form.is_valid()
        return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def test_the_german_page_plays_the_dgs_video_with_captions_and_transcript(client, sign_page):
    response = client.get("/de/gebaerdensprache/")
    page = html_of(response)
    video = sign_page.videos.get(language="de")
    assert ">Gebärdensprache</h1>" in page
    assert f'<video class="sign-video__player" controls preload="none" poster="{video.poster.url}">' in page
    assert f'<source src="{video.video.url}" type="video/mp4">' in page
    assert (
        f'<track kind="captions" src="/de/gebaerdensprache/{video.pk}.vtt" srclang="de" label="Untertitel" default>'
        in page
    )
    transcript = page[page.index('<details class="sign-video__transcript">') :]
    assert "<summary>Abschrift (das Video als Text)</summary>" in transcript
    assert "Beispiel: Hier steht später ein Video in Deutscher Gebärdensprache." in transcript.split("</details>")[0]
    # Videos and captions from this host only: no other origin in the policy.
    assert "media-src 'self';" in response["Content-Security-Policy"] + ";"
    assert "style=" not in page and "<script>" not in page


def test_the_captions_are_served_as_webvtt_at_the_videos_language_only(client, sign_page):
    video = sign_page.videos.get(language="fr")
    response = client.get(f"/fr/langue-des-signes/{video.pk}.vtt")
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content.startswith(b"WEBVTT")
    assert "langue des signes française" in response.content.decode()
    # The French video's captions have one address, the French one.
    assert client.get(f"/de/gebaerdensprache/{video.pk}.vtt").status_code == 404


def test_a_page_without_a_video_in_its_language_says_so_and_links_the_other(client, sign_page):
    sign_page.videos.filter(language="fr").delete()
    german = sign_page.videos.get(language="de")
    page = html_of(client.get("/fr/langue-des-signes/"))
    assert "Il n’y a pas encore de vidéo en langue des signes française (LSF) sur cette page." in page
    assert "<video" not in page
    assert (
        f'<a href="/de/gebaerdensprache/#video-{german.pk}" hreflang="de" lang="de">'
        "Beispiel: Über diese Website in Deutscher Gebärdensprache</a>"
    ) in page
    # Staff see what is missing before the page is complete.
    assert sign_page.missing_texts() == [SignLanguageVideo.Language.LSF.label]


def test_a_renamed_program_is_refused_in_the_staff_members_language():
    files = {"video": ("erklaerung.mp4", PROGRAM), "captions": ("untertitel.vtt", CAPTIONS)}
    assert form_errors("de", files)["video"] == [
        "Diese Datei ist ein Programm, was auch immer ihr Name sagt: Programme können nicht hochgeladen werden. "
        "Laden Sie das Video als MP4 oder WebM hoch."
    ]
    [french] = form_errors("fr", files)["video"]
    assert french.startswith("Ce fichier est un programme, quoi qu’en dise son nom\u00a0:")
    assert french.endswith("Téléversez la vidéo au format MP4 ou WebM.")


def test_a_video_over_the_limit_is_refused(settings):
    settings.SIGN_LANGUAGE_MAX_VIDEO_BYTES = 4 * 1024
    files = {"video": ("erklaerung.mp4", DEMO_VIDEO), "captions": ("untertitel.vtt", CAPTIONS)}
    assert form_errors("de", files)["video"] == ["Dieses Video hat 0,0 MB; ein Video darf höchstens 0,0 MB haben."]
    settings.SIGN_LANGUAGE_MAX_VIDEO_BYTES = 1024 * 1024
    assert "video" not in form_errors("de", files)


def test_a_cut_off_mp4_is_refused_as_damaged():
    files = {"video": ("erklaerung.mp4", DEMO_VIDEO[:2000]), "captions": ("untertitel.vtt", CAPTIONS)}
    assert form_errors("de", files)["video"] == [
        "Dieses Video ist beschädigt oder unvollständig (es lässt sich nicht von Anfang an abspielen). "
        "Laden Sie das Video als MP4 oder WebM hoch."
    ]


def test_captions_and_transcript_are_required_and_captions_must_be_webvtt():
    errors = form_errors("de", {"video": ("erklaerung.mp4", DEMO_VIDEO)}, data={"transcript": ""})
    assert errors["captions"] == ["Dieses Feld ist zwingend erforderlich."]
    assert errors["transcript"] == ["Dieses Feld ist zwingend erforderlich."]
    srt = b"1\n00:00:00,000 --> 00:00:02,500\nBonjour.\n"
    errors = form_errors("fr", {"video": ("explication.mp4", DEMO_VIDEO), "captions": ("sous-titres.vtt", srt)})
    assert errors["captions"] == [
        "Ceci est un fichier SRT\u00a0: enregistrez les sous-titres au format WebVTT (.vtt), par exemple avec "
        "Subtitle Edit."
    ]


def test_a_webm_named_mp4_is_stored_as_webm():
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm\x42\x87\x81\x04" + b"\x18\x53\x80\x67" + b"\x00" * 64
    with translation.override("de"):
        form = SignLanguageVideoForm(
            data={"language": "de", "title": "Video", "transcript": "Text", "order": 0},
            files={
                "video": SimpleUploadedFile("Erklärung Übersicht.mp4", webm),
                "captions": SimpleUploadedFile("untertitel.txt", CAPTIONS),
            },
        )
        assert form.is_valid(), form.errors
    assert form.instance.media_type == "video/webm"
    assert form.cleaned_data["video"].name == "erklaerung-uebersicht.webm"
    assert form.cleaned_data["captions"].name == "untertitel.vtt"


def test_the_secretariat_uploads_a_video_on_the_pages_form(secretary, sign_page, settings):
    base = f"/admin/pages/sitepage/{sign_page.pk}/change/"
    form = html_of(secretary.get(base))
    assert "Videos in Gebärdensprache (mit Untertiteln und Abschrift)" in form
    # Each video is named by its title, marked with the title's language (an LSF video's is French).
    assert '<span class="inline_label" lang="fr">Exemple\u202f: ce site en langue des signes française' in form
    existing = list(sign_page.videos.order_by("pk"))
    data = {
        "kind": "sign_language",
        "title_de": "Gebärdensprache",
        "title_fr": "Langue des signes",
        "slug_de": "",
        "slug_fr": "",
        "summary_de": "",
        "summary_fr": "",
        "body_de": "Text",
        "body_fr": "Texte",
        "published": "on",
        "order": "50",
        "videos-TOTAL_FORMS": str(len(existing) + 1),
        "videos-INITIAL_FORMS": str(len(existing)),
        "videos-MIN_NUM_FORMS": "0",
        "videos-MAX_NUM_FORMS": "1000",
    }
    for index, video in enumerate(existing):
        data |= {
            f"videos-{index}-id": video.pk,
            f"videos-{index}-page": sign_page.pk,
            f"videos-{index}-language": video.language,
            f"videos-{index}-title": video.title,
            f"videos-{index}-transcript": video.transcript,
            f"videos-{index}-order": video.order,
        }
    new = len(existing)
    data |= {
        f"videos-{new}-page": sign_page.pk,
        f"videos-{new}-language": "de",
        f"videos-{new}-title": "Navigation",
        f"videos-{new}-transcript": "So finden Sie sich zurecht.",
        f"videos-{new}-order": "1",
        f"videos-{new}-video": SimpleUploadedFile("navigation.exe.mp4", PROGRAM),
        f"videos-{new}-captions": SimpleUploadedFile("navigation.vtt", CAPTIONS),
    }
    refused = secretary.post(base, data)
    assert refused.status_code == 200
    assert "Diese Datei ist ein Programm, was auch immer ihr Name sagt" in html_of(refused)
    assert not sign_page.videos.filter(title="Navigation").exists()

    data[f"videos-{new}-video"] = SimpleUploadedFile("Navigation.mp4", DEMO_VIDEO)
    data[f"videos-{new}-captions"] = SimpleUploadedFile("navigation.vtt", CAPTIONS)
    assert secretary.post(base, data).status_code == 302
    video = sign_page.videos.get(title="Navigation")
    assert video.video.name == f"sign-language/{video.folder}/navigation.mp4"
    assert Path(settings.MEDIA_ROOT, video.captions.name).read_bytes() == CAPTIONS


def test_a_deleted_video_leaves_no_file_behind(sign_page, settings, django_capture_on_commit_callbacks):
    video = sign_page.videos.get(language="de")
    folder = Path(settings.MEDIA_ROOT, "sign-language", video.folder)
    assert {path.suffix for path in folder.iterdir()} == {".mp4", ".vtt", ".jpg"}
    with django_capture_on_commit_callbacks(execute=True):
        video.delete()
    assert not folder.exists()


def test_a_replaced_captions_file_is_removed(sign_page, settings, django_capture_on_commit_callbacks):
    video = sign_page.videos.get(language="fr")
    old = Path(settings.MEDIA_ROOT, video.captions.name)
    with django_capture_on_commit_callbacks(execute=True):
        video.captions.save("neu.vtt", SimpleUploadedFile("neu.vtt", CAPTIONS))
    assert not old.exists()
    assert Path(settings.MEDIA_ROOT, video.captions.name).read_bytes() == CAPTIONS


def test_a_new_video_is_on_the_page_at_the_next_request(sign_page):
    visitor = Client()
    assert visitor.get("/fr/langue-des-signes/")["X-Page-Cache"] == "miss"
    assert visitor.get("/fr/langue-des-signes/")["X-Page-Cache"] == "hit"
    video = sign_page.videos.get(language="fr")
    video.title = "Exemple\u202f: la navigation en LSF"
    video.save()
    after = visitor.get("/fr/langue-des-signes/")
    assert after["X-Page-Cache"] == "miss"
    assert "Exemple\u202f: la navigation en LSF" in html_of(after)


def test_the_pages_queries_do_not_grow_with_its_videos(sign_page):
    def queries():
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert Client().get("/de/gebaerdensprache/").status_code == 200
        return len(captured)

    one = queries()
    german = sign_page.videos.get(language="de")
    for number in range(3):
        SignLanguageVideo.objects.create(
            page=sign_page,
            language="de",
            title=f"Teil {number}",
            video=german.video.name,
            captions=german.captions.name,
            transcript="Text",
        )
    assert queries() == one
    assert html_of(Client().get("/de/gebaerdensprache/")).count("<video ") == 4


def test_a_deleted_video_restored_from_the_pages_history_plays_again(
    sign_page, settings, django_capture_on_commit_callbacks
):
    """Like the events' materials: a version in the history keeps the video's files, so a
    restore brings back a video that plays; the nightly sweep removes them once the version is gone."""
    video = sign_page.videos.get(language="de")
    names = [video.video.name, video.captions.name]
    with create_revision():
        SitePage.objects.get(pk=sign_page.pk).save()
    with django_capture_on_commit_callbacks(execute=True):
        video.delete()
    assert all(Path(settings.MEDIA_ROOT, name).exists() for name in names)

    [version] = Version.objects.get_for_object(sign_page)
    with django_capture_on_commit_callbacks(execute=True):
        version.revision.revert(delete=True)
    restored = sign_page.videos.get(language="de")
    assert [restored.video.name, restored.captions.name] == names
    assert f'src="{restored.video.url}"' in Client().get("/de/gebaerdensprache/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        restored.delete()
    Version.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remove_unused_files", verbosity=0)
    assert not any(Path(settings.MEDIA_ROOT, name).exists() for name in names)
