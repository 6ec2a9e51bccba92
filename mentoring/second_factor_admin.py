"""The programme office's view of second factors: who has one, and a reset for a lost one.

Two lists, one per kind: authenticator apps and security keys (django-otp-webauthn).

Replaces django-otp's own admin pages, which create and edit devices and can show their
secrets: here a device is only listed and deleted, and deleting either kind forgets all of
the person's apps, keys and backup codes (``second_factor_reset``). Imported by
``mentoring.admin``, which the admin loads before django-otp's admin modules: theirs then
find TOTP devices taken.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .second_factor import second_factor_reset


@admin.register(TOTPDevice)
class SecondFactorAdmin(admin.ModelAdmin):
    """Authenticator apps."""

    list_display = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    list_select_related = ["user"]
    list_filter = ["confirmed"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    fields = list_display
    readonly_fields = fields
    ordering = ["user__last_name", "user__first_name", "user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting a device (one, or several with "delete selected", each logged) is the reset.
    def delete_model(self, request, obj):
        second_factor_reset(user=obj.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            second_factor_reset(user=device.user)


@admin.register(WebAuthnCredential)
class SecurityKeyAdmin(SecondFactorAdmin):
    """Security keys and passkeys: the name she gave, never the key's data."""

    list_display = ["user", "name", "created_at", "last_used_at"]
    list_filter = []
    fields = list_display
    readonly_fields = fields


# Backup codes are reset with the app above and never shown to anyone in the admin: load
# django-otp's registration now, then take it back.
import django_otp.plugins.otp_static.admin  # noqa: E402,F401,I001

admin.site.unregister(StaticDevice)
