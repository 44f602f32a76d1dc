"""Admin saving for models with images: the upload is stored first, its renditions made in the background."""

import logging

from django.contrib import messages
from django.utils.translation import gettext as _

from . import images, tasks

logger = logging.getLogger(__name__)


class ImageAdminMixin:
    """Stores a new upload before the row is saved.

    If the media storage is down, the editor loses only the picture, with a
    message saying so, and not the rest of the edit; the row keeps the image it
    had.  Renditions of a stored upload are queued for after the commit, and
    retried there while the storage is unreachable.
    """

    #: The model's ImageFields whose uploads this admin stores and renders.
    image_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        stored = [name for name in self.image_fields if self._store_upload(request, obj, name)]
        super().save_model(request, obj, form, change)
        for name in stored:
            tasks.enqueue_renditions(obj, name)

    def _store_upload(self, request, obj, name: str) -> bool:
        """Store a new upload of field ``name``; whether there was one and it is now stored."""
        file = getattr(obj, name)
        if not file or file._committed:
            return False
        try:
            # What FileField.pre_save would do inside save(), where a failure would lose the whole edit.
            file.save(file.name, file.file, save=False)
        except images.STORAGE_ERRORS:
            logger.exception("Could not store the upload %s for %s %s", file.name, obj._meta.label, obj.pk)
            self._keep_stored_file(obj, name)
            label = obj._meta.get_field(name).verbose_name
            self.message_user(
                request,
                _("The new %(field)s could not be stored: the media storage is not answering. The other changes "
                  "were saved; upload the picture again in a few minutes.") % {"field": label},
                messages.ERROR,
            )  # fmt: skip
            return False
        return True

    @staticmethod
    def _keep_stored_file(obj, name: str) -> None:
        """Put back the file, and its size, that the row already has (none on a new row)."""
        field = obj._meta.get_field(name)
        sizes = [column for column in (field.width_field, field.height_field) if column]
        stored = type(obj)._default_manager.filter(pk=obj.pk).values(field.attname, *sizes).first() if obj.pk else None
        # Straight into __dict__: the field's descriptor would open the old file, on that same storage, to measure it.
        obj.__dict__[field.attname] = stored[field.attname] if stored else ""
        for column in sizes:
            setattr(obj, column, stored[column] if stored else None)
