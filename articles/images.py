"""Image uploads and renditions.

Uploads are checked (a real image, under the size limit), turned upright by
their EXIF orientation and re-encoded without metadata, so a reporter's
camera never publishes GPS coordinates.  Renditions at a few widths in WebP
and JPEG serve ``srcset``.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Decompression bombs: Pillow warns past this many pixels; refuse well before memory runs out.
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int
    format: str


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

    original_format = image.format
    upright = ImageOps.exif_transpose(image)
    out = BytesIO()
    if original_format == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    else:
        # Saving without passing exif/info drops the metadata.
        upright.save(out, original_format)
    name = PurePosixPath(upload.name).name
    return ContentFile(out.getvalue(), name=name)


def rendition_name(original: str, width: int, extension: str) -> str:
    path = PurePosixPath(original)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}.{extension}")


def make_renditions(field_file) -> list[Rendition]:
    """Write every rendition of ``field_file`` that is smaller than the original."""
    if not field_file:
        return []
    field_file.open("rb")
    with Image.open(field_file) as source:
        source = source.convert("RGB")
        made = []
        for width in RENDITION_WIDTHS:
            if width >= source.width:
                continue
            height = round(source.height * width / source.width)
            resized = source.resize((width, height), Image.Resampling.LANCZOS)
            for extension, pil_format in RENDITION_FORMATS.items():
                name = rendition_name(field_file.name, width, extension)
                buffer = BytesIO()
                resized.save(buffer, pil_format, quality=82)
                if default_storage.exists(name):
                    default_storage.delete(name)
                default_storage.save(name, ContentFile(buffer.getvalue()))
                made.append(Rendition(default_storage.url(name), width, height, extension))
    field_file.close()
    return made


def renditions(field_file, width: int | None, height: int | None) -> list[Rendition]:
    """The renditions that exist for an image, computed from its stored size (no file access)."""
    if not field_file or not width or not height:
        return []
    return [
        Rendition(
            default_storage.url(rendition_name(field_file.name, w, extension)),
            w,
            round(height * w / width),
            extension,
        )
        for w in RENDITION_WIDTHS
        if w < width
        for extension in RENDITION_FORMATS
    ]


def srcset(field_file, width, height, extension: str) -> str:
    entries = [f"{r.url} {r.width}w" for r in renditions(field_file, width, height) if r.format == extension]
    if extension == "jpg" and field_file:
        entries.append(f"{field_file.url} {width}w")
    return ", ".join(entries)
