from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from taggit.models import Tag
from taggit.utils import parse_tags

from . import images, policy, tagging
from .models import Article, Author, Authorship, LiveUpdate
from .sanitize import sanitize_html

#: What the body editor can make: exactly the body sanitiser's allow-list
#: (tests/test_workflow.py checks that the two agree).
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,
}


#: Reads the byline inline's rows (``AuthorshipInline``) so the publishing checklist sees unsaved bylines.
AuthorshipFormSet = forms.inlineformset_factory(Article, Authorship, fields=["author", "position"])


class StaleVersion(forms.ValidationError):
    pass


class ArticleAdminForm(forms.ModelForm):
    """The desk's article form.

    Tags are picked from the vocabulary by autocomplete, new ones typed
    beside it.  ``opened_version`` carries the version the editor opened: a save
    from a stale form, or from one without it, is refused and the form comes
    back with the editor's input, so nothing typed is lost.

    The instance may be a historical copy (simple_history's revert), so the
    publishing checks compare with the row as stored, not with the instance.
    """

    #: Set by ``ArticleAdmin.get_form``: the user editing.
    user = None
    #: The publisher-only fields as stored, read with the version.
    _stored = {}

    body = ProseEditorFormField(
        label=_("Body"), required=False, extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_html
    )
    tag_choices = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
    )
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        help_text=_(
            "Tags not in the list yet, separated by commas, written as readers should see them (not in capitals). "
            "A name that is an existing tag's or section's in another case or without accents is that one."
        ),
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        exclude = ["tags"]  # noqa: DJ006 - edited through tag_choices and new_tags

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_choices"].initial = list(self.instance.tags.all())
            self.fields["opened_version"].initial = self.instance.version
        if "status" in self.fields and not self.can_publish:
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] != Article.Status.PUBLISHED
            ]
            self.fields["status"].help_text = _("Set “In review” to hand the story to an editor.")

    @property
    def can_publish(self) -> bool:
        return bool(self.user and policy.can_publish(self.user))

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            return images.clean_upload(image)
        return image

    def clean_new_tags(self):
        return tagging.tag_names(parse_tags(self.cleaned_data.get("new_tags") or ""))

    def clean(self):
        cleaned = super().clean()
        self._check_version()
        if cleaned.get("image") and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Describe the picture for readers who cannot see it."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # self.instance now holds the edited values
        self._clear_needs_headline()
        if not self.can_publish:
            # Read-only in this form, but a reverted revision brings its own values.
            for name, value in self._stored.items():
                setattr(self.instance, name, value)
        if self.instance.status == Article.Status.PUBLISHED:
            if not self.can_publish:
                self.add_error(None, _("You may not publish articles; set the status to “In review”."))
            if blockers := policy.publish_blockers(self.instance, bylines=self._bylines()):
                self.add_error(None, _("Not ready to publish: %s.") % "; ".join(blockers))

    def _clear_needs_headline(self):
        """An editor who rewrites a derived headline has reviewed it (unless they ticked the flag themselves)."""
        if "headline" in self.changed_data and "needs_headline" not in self.changed_data:
            self.instance.needs_headline = False

    def _bylines(self):
        """The authors the byline inline posted with this form is about to save; ``None`` when there is none."""
        formset = AuthorshipFormSet(self.data, instance=self.instance)
        if not formset.management_form.is_valid():
            return None
        return [
            form.cleaned_data["author"]
            for form in formset.forms
            if form.is_valid() and form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]

    def _check_version(self):
        if not self.instance.pk:
            return
        opened = self.cleaned_data.get("opened_version")
        if opened is None:
            raise forms.ValidationError(
                _("This form does not say which version of the article it was opened at; reload the article.")
            )
        stored = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values("version", *policy.PUBLISHER_FIELDS)
            .first()
        )
        if stored is None:
            return
        if opened != stored.pop("version"):
            latest = self.instance.history.select_related("history_user").first()
            who = latest.history_user if latest and latest.history_user else _("someone else")
            raise StaleVersion(
                _(
                    "%(who)s saved this article after you opened it. Your changes are still in the form "
                    "below: copy what you need, reload the article, and apply them again."
                )
                % {"who": who}
            )
        self._stored = stored

    def tag_names(self) -> list[str]:
        names = [tag.name for tag in self.cleaned_data.get("tag_choices") or []]
        return list({tagging.fold(name): name for name in [*names, *self.cleaned_data.get("new_tags", [])]}.values())


class LiveUpdateAdminForm(forms.ModelForm):
    """An update to a live page: its text in the same editor, and through the same sanitiser, as a body.

    Who may write on which story is ``policy.can_change_live_updates``; asked
    here so that a refused update is a form error naming the story.
    """

    #: Set by ``LiveUpdateAdmin.get_form``: the user editing.
    user = None

    body = ProseEditorFormField(label=_("Text"), extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_html)

    class Meta:
        model = LiveUpdate
        fields = ["article", "title", "body", "key_point", "status", "image", "image_alt", "image_caption"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            return images.clean_upload(image)
        return image

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or (self.instance.article if self.instance.article_id else None)
        if article is not None:
            action = "change" if self.instance.pk else "add"
            if not article.is_live:
                self.add_error(None, _("“%s” is not a live page: tick “live page” on the article first.") % article)
            elif self.user is not None and not policy.can_change_live_updates(self.user, article, action):
                self.add_error(None, _("You may not write updates on “%s”; an editor may.") % article)
        if cleaned.get("image") and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Describe the picture for readers who cannot see it."))
        return cleaned


def https_urls(field, **kwargs):
    """Links typed without a scheme are read as https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class AuthorAdminForm(forms.ModelForm):
    class Meta:
        model = Author
        formfield_callback = https_urls
        fields = ["name", "slug", "role", "bio", "photo", "email", "user", "website", "social_links"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and "photo" in self.changed_data:
            return images.clean_upload(photo)
        return photo
