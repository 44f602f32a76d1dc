"""The admin's "Import wire copy" page: upload or paste, preview, import."""

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import ingest, tasks
from .models import Section, WireSource
from .wire import FORMATS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # the importer reports empty files itself
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
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
    payload = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("files") or cleaned.get("text", "").strip() or cleaned.get("payload")):
            raise forms.ValidationError(_("Choose at least one file or paste some copy."))
        return cleaned

    def inputs(self) -> list[tuple[str, bytes]]:
        """``(name, raw bytes)`` for each file, pasted text, or previewed payload."""
        if self.cleaned_data.get("payload"):
            return decode_payload(self.cleaned_data["payload"])
        inputs = [(upload.name, upload.read()) for upload in self.cleaned_data.get("files") or []]
        if self.cleaned_data.get("text", "").strip():
            inputs.append(("pasted text", self.cleaned_data["text"].encode()))
        return inputs


def encode_payload(inputs: list[tuple[str, bytes]]) -> str:
    return "\n".join(
        f"{base64.b64encode(name.encode()).decode()}:{base64.b64encode(raw).decode()}" for name, raw in inputs
    )


def decode_payload(payload: str) -> list[tuple[str, bytes]]:
    inputs = []
    for line in payload.splitlines():
        name, _, raw = line.partition(":")
        try:
            inputs.append((base64.b64decode(name).decode(), base64.b64decode(raw)))
        except ValueError:
            raise forms.ValidationError(_("The preview data was damaged; upload the files again.")) from None
    return inputs


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
    form = WireImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        inputs = form.inputs()
        options = {
            "format": form.cleaned_data["format"],
            "source": form.cleaned_data["source"],
            "batch": ingest.ImportBatch(),
        }
        if "_import" in request.POST:
            run = ingest.start_run(user=request.user, origin="admin")
            if tasks.runs_in_background():
                return queue_import(model_admin, request, run, inputs, form.cleaned_data)
            options |= {"run": run, "section": form.cleaned_data["section"]}
            outcomes = list(ingest.import_files(inputs, **options))
            ingest.finish_run(run)
            level = messages.WARNING if run.failed else messages.SUCCESS
            model_admin.message_user(request, _("Import finished: %s.") % run.summary, level)
            context |= {"outcomes": outcomes, "run": run, "form": WireImportForm()}
            return TemplateResponse(request, "admin/articles/article/import.html", context)
        outcomes = list(ingest.import_files(inputs, dry_run=True, **options))
        preview_form = WireImportForm(
            initial={
                "payload": encode_payload(inputs),
                "format": options["format"],
                "source": options["source"],
                "section": form.cleaned_data["section"],
            }
        )
        context |= {"outcomes": outcomes, "preview": True, "form": preview_form}
        return TemplateResponse(request, "admin/articles/article/import.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/articles/article/import.html", context)


def queue_import(model_admin, request, run, inputs, cleaned):
    """Hand the import to a worker; its outcome lands in the run, which the import log shows."""
    tasks.import_upload.delay_on_commit(
        encode_payload(inputs),
        run_id=run.pk,
        format=cleaned["format"],
        source_id=cleaned["source"] and cleaned["source"].pk,
        section_id=cleaned["section"] and cleaned["section"].pk,
    )
    model_admin.message_user(request, format_html(_("Import queued; see {}."), import_runs_link()), messages.SUCCESS)
    return redirect("admin:articles_article_import")
