"""Image uploads and renditions.

Uploads are checked (a real image, under the size limit), turned upright by
their EXIF orientation and re-encoded without metadata (EXIF, XMP, comments,
PNG text), so a reporter's camera never publishes GPS coordinates, and named
after their real format.  Renditions at a few widths in WebP and JPEG serve
``srcset``.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
# Each format we accept, with the extension its stored file gets.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# What re-encoding keeps of the original's ``info``; Pillow writes some other
# keys back (a JPEG or GIF comment).  The ICC profile is colour, not the
# photographer's data: without it a wide-gamut phone photo looks washed out.
KEPT_INFO = ("transparency", "icc_profile")
# Decompression bombs: Pillow warns past this many pixels; refuse well before memory runs out.
MAX_PIXELS = 50_000_000
#: What storing or reading a file raises when the storage is unreachable: OSError from a disk, botocore's from S3.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError, S3UploadFailedError)


@dataclass(frozen=True)
class Rendition:
    name: str  # in the default storage
    width: int
    height: int
    format: str

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


def clean_upload(upload) -> ContentFile:
    """Validate an uploaded image and return it upright and stripped of metadata."""
    limit = settings.IMAGE_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; images may be at most %(limit).1f MB.")
            % {"name": upload.name, "size": upload.size / 2**20, "limit": limit / 2**20}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise ValidationError(_("%(name)s is a %(format)s file; upload a JPEG, PNG, WebP or GIF.")
                                  % {"name": upload.name, "format": image.format})  # fmt: skip
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("%(name)s is too large in pixels.") % {"name": upload.name})
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("%(name)s is not an image we can read.") % {"name": upload.name}) from None

    upright = ImageOps.exif_transpose(image)
    stripped = upright.convert("RGB") if image.format == "JPEG" else upright
    stripped.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    if stripped.mode != image.mode:  # a CMYK or grey profile does not describe the RGB copy
        stripped.info.pop("icc_profile", None)
    options = {"quality": 90, "optimize": True} if image.format == "JPEG" else {}
    out = BytesIO()
    stripped.save(out, image.format, icc_profile=stripped.info.get("icc_profile"), **options)
    return ContentFile(out.getvalue(), name=stored_name(upload.name, image.format))


def stored_name(name: str, format: str) -> str:
    """``name`` with an extension of its real ``format``: a PNG called photo.pdf is stored as photo.png."""
    path = PurePosixPath(name)
    extensions = {ext for ext, registered in Image.registered_extensions().items() if registered == format}
    if path.suffix.lower() in extensions:
        return path.name
    return f"{path.stem}.{ACCEPTED_FORMATS[format]}"


def rendition_name(original: str, width: int, extension: str) -> str:
    path = PurePosixPath(original)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}.{extension}")


def renditions(image, width: int | None, height: int | None) -> list[Rendition]:
    """The renditions of an image (its file field, or its stored name) of this size: the smaller widths,
    in every format (no file access)."""
    if not image or not width or not height:
        return []
    name = getattr(image, "name", image)
    return [
        Rendition(rendition_name(name, w, extension), w, round(height * w / width), extension)
        for w in RENDITION_WIDTHS
        if w < width
        for extension in RENDITION_FORMATS
    ]


def make_renditions(field_file) -> list[Rendition]:
    """Write every rendition of ``field_file`` that ``renditions`` promises."""
    if not field_file:
        return []
    field_file.open("rb")
    with Image.open(field_file) as source:
        source = source.convert("RGB")
        planned = renditions(field_file, source.width, source.height)
        resized = {}
        for rendition in planned:
            size = (rendition.width, rendition.height)
            if size not in resized:
                resized[size] = source.resize(size, Image.Resampling.LANCZOS)
            buffer = BytesIO()
            resized[size].save(buffer, RENDITION_FORMATS[rendition.format], quality=82)
            if default_storage.exists(rendition.name):
                default_storage.delete(rendition.name)
            default_storage.save(rendition.name, ContentFile(buffer.getvalue()))
    field_file.close()
    return planned


def srcset(image, width, height, extension: str) -> str:
    """The ``srcset`` of a stored image (its file field, or its name in the default storage)."""
    entries = [f"{r.url} {r.width}w" for r in renditions(image, width, height) if r.format == extension]
    if extension == "jpg" and image:
        entries.append(f"{default_storage.url(getattr(image, 'name', image))} {width}w")
    return ", ".join(entries)
