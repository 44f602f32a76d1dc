"""django-otp's TOTP device admin, registered on the desk's admin site by ``NewsroomAdminConfig.ready``.

Kept out of newsroom.admin: importing django-otp's admin registers on the default site, which newsroom.admin defines.
"""

from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp import admin as totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice


class TOTPDeviceAdmin(totp_admin.TOTPDeviceAdmin):
    """django-otp's device admin (with the QR code to scan), answering 404 for a device that does not exist."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)
