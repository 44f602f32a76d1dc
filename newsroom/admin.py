from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm


class SignInForm(OTPAdminAuthenticationForm):
    """The admin's sign-in: a password, then a code from an authenticator app for those who have one.

    With ``STAFF_2FA`` on, staff without a confirmed device are refused and told to ask for one.
    """

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        help_text=_("The six digits from your authenticator app, if you sign in with one."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = AdminAuthenticationForm.error_messages | {
        "no_device": _(
            "Staff must sign in with an authenticator app, and none is set up for your account. "
            "Ask an administrator to add one for you."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length after the field is built, so nothing enforces it, and
        # a longer name reached the lockout records (255 characters) and failed there.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def clean(self):
        # AdminAuthenticationForm checks the password and staff status; the code is checked here.
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        self.devices = list(devices_for_user(user)) if user else []
        if self.devices:
            self.clean_otp(user)
        elif user and settings.STAFF_2FA:
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        return self.cleaned_data

    def _chosen_device(self, user):
        # django-otp will not guess among several devices; with one there is nothing to choose.
        return super()._chosen_device(user) or (self.devices[0] if len(self.devices) == 1 else None)


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom desk")
    site_title = _("Newsroom desk")
    index_title = _("Desk")
    index_template = "admin/newsroom_index.html"
    login_form = SignInForm

    def has_permission(self, request):
        # The sign-in form asks for a code whenever the user has a device; with STAFF_2FA every
        # request must also come from a session a device verified.
        return super().has_permission(request) and (request.user.is_verified() or not settings.STAFF_2FA)

    def index(self, request, extra_context=None):
        from articles.dashboard import desk_dashboard

        extra_context = (extra_context or {}) | {"desk": desk_dashboard(request)}
        return super().index(request, extra_context)
