from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from taggit.utils import parse_tags

from .models import Article


class ArticleAdminForm(forms.ModelForm):
    """Tags are picked from the vocabulary by autocomplete; new ones are typed beside it."""

    tag_choices = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
    )
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        help_text=_("Tags not in the list yet, separated by commas."),
    )

    class Meta:
        model = Article
        exclude = ["tags"]  # noqa: DJ006 - edited through tag_choices and new_tags

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_choices"].initial = list(self.instance.tags.all())

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and (cleaned.get("wire_canceled") if "wire_canceled" in cleaned else self.instance.wire_canceled)
        ):
            raise forms.ValidationError(
                _("The agency killed this story. Clear “killed by the agency” before publishing it.")
            )
        return cleaned

    def tag_names(self) -> list[str]:
        names = [tag.name for tag in self.cleaned_data.get("tag_choices") or []]
        return names + parse_tags(self.cleaned_data.get("new_tags") or "")
