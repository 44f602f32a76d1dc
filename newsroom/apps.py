from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from newsroom.otp_admin import TOTPDeviceAdmin

        # django-otp registers its own on import; ours answers 404 for a device that does not exist.
        self.module.site.unregister(TOTPDevice)
        self.module.site.register(TOTPDevice, TOTPDeviceAdmin)


class NewsroomConfig(AppConfig):
    """The site's own operations commands (backup, restore); no models."""

    name = "newsroom"
    verbose_name = "Newsroom site"
