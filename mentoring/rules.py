"""Site-wide permission predicates. Domain apps combine these with their own scope."""

import rules

from .enums import UserRole


@rules.predicate
def is_programme_office(user):
    return user.is_authenticated and user.is_active and user.is_programme_office


@rules.predicate
def has_officer_role(user):
    return user.is_authenticated and user.is_active and user.role == UserRole.OFFICER


@rules.predicate
def is_self(user, other):
    return other is not None and user.pk == other.pk


# Users are personal data: only the programme office manages accounts.
rules.add_perm("mentoring.view_user", is_programme_office)
rules.add_perm("mentoring.add_user", is_programme_office)
rules.add_perm("mentoring.change_user", is_programme_office)
rules.add_perm("mentoring.delete_user", is_programme_office)
# Erasure on request (Art. 17 DSGVO), the erasure log and what the retention job erases
# next: the programme office alone (mentoring.erasure_admin).
rules.add_perm("mentoring.erase_user", is_programme_office)
rules.add_perm("mentoring.view_erasurerecord", is_programme_office)
# The reminder log: the programme office checks what went out and what failed.
rules.add_perm("mentoring.view_sentreminder", is_programme_office)
# ... and sends a reminder that failed for good again (mentoring.reminders.resend).
rules.add_perm("mentoring.resend_sentreminder", is_programme_office)
# The mail log: what the app's tasks sent, and what the mail server refused.
rules.add_perm("mentoring.view_sentmail", is_programme_office)
# Login throttling (django-axes): the programme office sees the locked accounts and
# addresses and lifts a lock by deleting its failed attempts.
rules.add_perm("axes.view_accessattempt", is_programme_office)
rules.add_perm("axes.delete_accessattempt", is_programme_office)
# The second factor (django-otp): the programme office sees who has one and resets a lost
# one by deleting it (mentoring.second_factor_admin); nobody adds or edits one there.
rules.add_perm("otp_totp.view_totpdevice", is_programme_office)
rules.add_perm("otp_totp.delete_totpdevice", is_programme_office)
rules.add_perm("django_otp_webauthn.view_webauthncredential", is_programme_office)
rules.add_perm("django_otp_webauthn.delete_webauthncredential", is_programme_office)
