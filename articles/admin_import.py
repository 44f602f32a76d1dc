"""The admin's "Import wire copy" page: upload or paste, preview, import.

The uploaded files are kept server-side (``PendingUpload``) between the preview and the import:
the Import step posts only the upload's token, so neither the page nor the second request carries
the bytes again.
"""

import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import ingest, tasks
from .models import ImportedFile, PendingUpload, Section, WireSource
from .wire import FORMATS

#: An upload not imported within this time is deleted (when the next one is stored).
UPLOAD_KEPT_FOR = timedelta(hours=24)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # the importer reports empty files itself
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            limit = settings.WIRE_MAX_FILES_PER_UPLOAD
            if len(data) > limit:
                raise forms.ValidationError(
                    ngettext(
                        "%(count)d files chosen; the import takes at most %(limit)d file at once.",
                        "%(count)d files chosen; the import takes at most %(limit)d files at once.",
                        limit,
                    )
                    % {"count": len(data), "limit": limit}
                )
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class WireImportForm(forms.Form):
    files = MultipleFileField(label=_("Files"), required=False)
    text = forms.CharField(
        label=_("Or paste copy"), required=False, widget=forms.Textarea(attrs={"rows": 10, "cols": 80})
    )
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f) for f in FORMATS], initial="auto")
    source = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=WireSource.objects.filter(active=True),
        required=False,
        empty_label=_("Recognise from the copy"),
    )
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.all(), required=False)
    upload = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_upload(self):
        token = self.cleaned_data.get("upload")
        if token and not PendingUpload.objects.filter(token=token, user=self.user).exists():
            raise forms.ValidationError(_("This preview has expired; upload the files again."))
        return token

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("files") or cleaned.get("text", "").strip() or cleaned.get("upload") or self.errors):
            raise forms.ValidationError(_("Choose at least one file or paste some copy."))
        return cleaned

    def inputs(self) -> Iterator[tuple[str, bytes]]:
        """``(name, raw bytes)`` for each uploaded file and the pasted text, read one at a time."""
        for upload in self.cleaned_data.get("files") or []:
            yield upload.name, upload.read()
        if self.cleaned_data.get("text", "").strip():
            yield "pasted text", self.cleaned_data["text"].encode()


def store_upload(user, inputs: Iterable[tuple[str, bytes]]) -> uuid.UUID:
    """Keep the files for the Import step; returns the token the page posts back."""
    PendingUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_KEPT_FOR).delete()
    token = uuid.uuid4()
    for position, (name, raw) in enumerate(inputs):
        PendingUpload.objects.create(token=token, user=user, position=position, filename=name[:500], raw=raw)
    return token


def stored_files(token) -> Iterator[tuple[str, bytes]]:
    """The files of an upload in the order they came, fetched a few at a time."""
    rows = PendingUpload.objects.filter(token=token).order_by("position").values_list("filename", "raw")
    for name, raw in rows.iterator(chunk_size=20):
        yield name, bytes(raw)


def discard_upload(token) -> None:
    PendingUpload.objects.filter(token=token).delete()


def import_runs_link() -> str:
    return format_html('<a href="{}">{}</a>', reverse("admin:articles_importrun_changelist"), _("Import runs"))


def import_view(model_admin, request):
    if not request.user.has_perm("articles.import_wire"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import wire copy"),
    }
    form = WireImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["upload"] or store_upload(request.user, form.inputs())
        options = {"format": form.cleaned_data["format"], "source": form.cleaned_data["source"]}
        if "_import" in request.POST:
            run = ingest.start_run(user=request.user, origin="admin")
            if tasks.runs_in_background():
                return queue_import(model_admin, request, run, token, form.cleaned_data)
            options |= {"run": run, "section": form.cleaned_data["section"], "batch": ingest.ImportBatch()}
            outcomes = list(ingest.import_files(stored_files(token), **options))
            discard_upload(token)
            ingest.finish_run(run)
            level = messages.WARNING if run.failed else messages.SUCCESS
            model_admin.message_user(request, _("Import finished: %s.") % run.summary, level)
            context |= {"outcomes": outcomes, "run": run, "form": WireImportForm()}
            return TemplateResponse(request, "admin/articles/article/import.html", context)
        outcomes = list(ingest.import_files(stored_files(token), dry_run=True, batch=ingest.ImportBatch(), **options))
        preview_form = WireImportForm(initial={**options, "upload": token, "section": form.cleaned_data["section"]})
        context |= {"outcomes": outcomes, "preview": True, "form": preview_form}
        return TemplateResponse(request, "admin/articles/article/import.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/articles/article/import.html", context)


def queue_import(model_admin, request, run, token, cleaned):
    """Hand the import to a worker; its outcome lands in the run, which the import log shows."""
    tasks.import_upload.delay_on_commit(
        str(token),
        run_id=run.pk,
        format=cleaned["format"],
        source_id=cleaned["source"] and cleaned["source"].pk,
        section_id=cleaned["section"] and cleaned["section"].pk,
    )
    model_admin.message_user(request, format_html(_("Import queued; see {}."), import_runs_link()), messages.SUCCESS)
    return redirect("admin:articles_article_import")


def original_file(model_admin, request, pk: int, *, download: bool = False):
    """A logged file's bytes as the agency sent them: shown as text, or downloaded unchanged."""
    if not request.user.has_perm("articles.import_wire"):
        raise PermissionDenied
    record = get_object_or_404(ImportedFile, pk=pk)
    raw = bytes(record.raw)
    name = record.filename.replace("\\", "/").rsplit("/", 1)[-1] or "original"
    if download:
        response = HttpResponse(raw, content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": record,
        "title": _("Original of %s") % name,
        "text": raw.decode("utf-8", errors="replace"),
        "size": len(raw),
    }
    return TemplateResponse(request, "admin/articles/importedfile/original.html", context)
