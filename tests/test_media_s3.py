"""Media on S3-compatible object storage, against moto's S3 server on this machine."""

import json
import re
import urllib.request
from io import BytesIO

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from articles.images import renditions
from articles.models import Article
from tests.factories import make_article, make_ready_article
from tests.test_workflow import _image_bytes, change_form, change_url

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


class Emulator:
    """moto's S3 server in a thread; its buckets outlive a stop and start, as a real service's would."""

    def __init__(self):
        self.port = 0
        self.start()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.client = boto3.client("s3", endpoint_url=self.endpoint, **CREDENTIALS)

    def start(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.port = self.server.get_host_and_port()[1]
        self.running = True

    def stop(self):
        self.server.stop()
        self.running = False

    def keys(self) -> set[str]:
        return {item["Key"] for item in self.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def s3_storage(settings) -> Emulator:
    """A running emulator with an empty bucket, and the site's media stored in it as MEDIA_STORAGE=s3 would."""
    emulator = Emulator()
    urllib.request.urlopen(urllib.request.Request(f"{emulator.endpoint}/moto-api/reset", method="POST")).close()
    emulator.client.create_bucket(Bucket=BUCKET)
    # Public media: readers fetch the files straight from the bucket, as the README asks of a deployment.
    public_read = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }
    policy = {"Version": "2012-10-17", "Statement": [public_read]}
    emulator.client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": emulator.endpoint,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": CREDENTIALS["region_name"],
                "querystring_auth": False,
                "file_overwrite": False,
            },
        }
    }
    return emulator


@pytest.fixture
def s3(settings):
    emulator = s3_storage(settings)
    yield emulator
    if emulator.running:
        emulator.stop()


def upload(name="photo.jpg", size=(1600, 900)):
    return SimpleUploadedFile(name, _image_bytes(size=size), content_type="image/jpeg")


def publish_with_image(editor_client, article, capture, **fields):
    data = change_form(article, image=upload(), image_alt="Blue card", status="published", **fields)
    with capture(execute=True):  # renditions are queued for after the commit
        return editor_client.post(
            change_url(article), data | {"published_at_0": "2020-01-01", "published_at_1": "10:00:00"}
        )


def test_uploads_and_renditions_go_to_the_bucket_and_pages_link_there(
    s3, editor_client, client, django_capture_on_commit_callbacks
):
    article = make_ready_article(status="draft")
    response = publish_with_image(editor_client, article, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    article.refresh_from_db()
    made = renditions(article.image, article.image_width, article.image_height)
    assert len(made) == 6, "480, 800 and 1200 wide, in WebP and JPEG"
    assert s3.keys() == {article.image.name, *(r.name for r in made)}

    html = client.get(article.get_absolute_url()).content.decode()
    urls = [entry.split()[0] for srcset in re.findall(r'srcset="([^"]+)"', html) for entry in srcset.split(", ")]
    assert len(urls) == 7, "six renditions and the original"
    assert all(url.startswith(f"{s3.endpoint}/{BUCKET}/") for url in urls), urls
    smallest = next(url for url in urls if url.endswith("-480.jpg"))
    with urllib.request.urlopen(smallest) as answer, Image.open(BytesIO(answer.read())) as served:
        assert served.size == (480, 270), "the page's link serves the rendition from the bucket"


def test_a_custom_domain_is_what_pages_link_to(s3, settings, client):
    settings.STORAGES["default"]["OPTIONS"] |= {"custom_domain": "media.example.test"}
    settings.STORAGES = dict(settings.STORAGES)  # tell Django the storage changed
    article = make_article(image="articles/photo.jpg", image_alt="Blue card", image_width=1600, image_height=900)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'src="https://media.example.test/articles/photo.jpg"' in html
    assert "https://media.example.test/renditions/articles/photo-480.webp 480w" in html


def test_storage_down_at_upload_keeps_the_edit_and_the_old_image(s3, editor_client, django_capture_on_commit_callbacks):
    article = make_ready_article(status="draft")
    publish_with_image(editor_client, article, django_capture_on_commit_callbacks)
    article.refresh_from_db()
    before = (article.image.name, article.image_width, article.image_height)
    stored = s3.keys()

    s3.stop()
    data = change_form(article, headline="Edited while the storage was down", image=upload("new.jpg", (1000, 1000)))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = editor_client.post(change_url(article), data | {"image_alt": "Blue card"}, follow=True)

    assert response.status_code == 200
    assert "The new featured image could not be stored: the media storage is not answering." in (
        response.content.decode()
    )
    article = Article.objects.get(pk=article.pk)  # refresh_from_db() would measure the image, on the storage
    assert article.headline == "Edited while the storage was down", "the rest of the edit is saved"
    assert (article.image.name, article.image_width, article.image_height) == before, "the old image stays"
    assert not queued, "no renditions queued for an image that was not stored"
    s3.start()
    assert s3.keys() == stored


def test_storage_down_when_adding_an_article_saves_it_without_the_image(s3, editor_client, world):
    from tests.test_admin import ADD, article_form

    s3.stop()
    data = article_form(headline="Brand new story", slug="brand-new-story", section=world.pk)
    response = editor_client.post(ADD, data | {"image": upload(), "image_alt": "Blue card"}, follow=True)
    assert response.status_code == 200
    assert "could not be stored" in response.content.decode()
    article = Article.objects.get(headline="Brand new story")
    assert not article.image and article.image_width is None


def test_an_oversize_upload_is_refused_in_the_form_and_never_stored(s3, editor_client, settings):
    settings.IMAGE_MAX_UPLOAD_SIZE = 1000
    article = make_article(status="draft")
    response = editor_client.post(change_url(article), change_form(article, image=upload(), image_alt="Blue card"))
    assert response.status_code == 200
    assert "images may be at most" in response.content.decode()
    assert s3.keys() == set()


def test_a_request_over_djangos_limit_is_a_400_not_a_500(s3, editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # counts the form's fields, not its files
    article = make_article(status="draft")
    data = change_form(article, image=upload(), image_alt="Blue card", image_caption="x" * 2000)
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 400
    assert s3.keys() == set()


def test_media_storage_s3_is_configured_from_the_environment():
    from tests.test_settings import manage

    show = "from django.conf import settings; print(settings.STORAGES['default'])"
    env = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_CUSTOM_DOMAIN": "media.example.test"}
    result = manage("shell", "--no-imports", "-c", show, **env)
    assert result.returncode == 0, result.stderr
    assert (
        "storages.backends.s3.S3Storage" in result.stdout and "'custom_domain': 'media.example.test'" in result.stdout
    )
    assert "'querystring_auth': False" in result.stdout, "public media: no expiring signatures by default"

    result = manage("check", MEDIA_STORAGE="s3")
    assert result.returncode != 0 and "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr
