"""Uploads on S3-compatible object storage (django-storages), against moto's S3 server started
on a free port: posters are stored there without metadata, with their renditions, shown from there,
and removed from there when replaced."""

import os
import subprocess
import sys
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from devtools.servers import BASE_DIR, free_port
from events import images
from events.models import Event

from .factories import EventFactory
from .helpers import html_of
from .test_images import gps_exif, image_bytes

pytestmark = pytest.mark.django_db

BUCKET = "quattropole-media"
CREDENTIALS = {"access_key": "test-access-key", "secret_key": "test-secret-key", "region_name": "eu-west-1"}


@pytest.fixture
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    address = f"http://127.0.0.1:{port}"
    yield address
    # moto keeps its buckets in the process: empty them for the next test.
    urllib.request.urlopen(urllib.request.Request(f"{address}/moto-api/reset", method="POST"), timeout=10).close()
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        region_name=CREDENTIALS["region_name"],
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "location": "media",
                "querystring_auth": False,
                "file_overwrite": False,
                **CREDENTIALS,
            },
        },
    }
    # The field keeps the storage it was built with; point it at the bucket for this test.
    field = Event._meta.get_field("poster")
    original = field.storage
    from django.core.files.storage import storages

    field.storage = storages["default"]
    yield client
    field.storage = original


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_a_poster_is_stored_clean_with_its_renditions_and_shown_from_the_bucket(bucket, client, s3_server):
    event = EventFactory(poster=SimpleUploadedFile("affiche.jpg", image_bytes(exif=gps_exif())))
    stored = keys(bucket)
    assert f"media/{event.poster.name}" in stored
    folder = images.rendition_folder(event.poster.name)
    assert f"media/{folder}/800w.webp" in stored and f"media/{folder}/renditions.json" in stored
    body = bucket.get_object(Bucket=BUCKET, Key=f"media/{event.poster.name}")["Body"].read()
    assert b"PhoneMaker" not in body and b"GPS" not in body
    page = html_of(client.get(event.get_absolute_url("de")))
    assert f'srcset="{s3_server}/{BUCKET}/media/{folder}/480w.webp 480w' in page


def test_a_replaced_poster_is_removed_from_the_bucket(bucket, django_capture_on_commit_callbacks):
    event = EventFactory(poster=SimpleUploadedFile("alt.jpg", image_bytes()))
    old = [key for key in keys(bucket) if "alt" in key]
    assert len(old) == 8
    with django_capture_on_commit_callbacks(execute=True):
        event = Event.objects.get(pk=event.pk)
        event.poster.save("neu.png", ContentFile(image_bytes(image_format="PNG")))
    remaining = keys(bucket)
    assert not set(old) & set(remaining)
    assert f"media/{event.poster.name}" in remaining


def test_the_settings_take_the_bucket_from_the_environment_and_allow_its_images():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_MEDIA_S3_BUCKET": BUCKET,
        "DJANGO_MEDIA_S3_ENDPOINT_URL": "https://s3.example.net",
        "DJANGO_MEDIA_S3_REGION": "eu-west-1",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND']); "
        "print(settings.STORAGES['default']['OPTIONS']['bucket_name']); "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "quattropole_site.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    backend, bucket_name, img_src = result.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage" and bucket_name == BUCKET
    assert img_src == "'self' data: https://s3.example.net"
