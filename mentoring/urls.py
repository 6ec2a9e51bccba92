from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from cohorts import views as cohort_views
from mentoring import consent_views, second_factor_keys, second_factor_views
from mentoring import views as account_views
from mentoring.forms import LoginForm

urlpatterns = [
    path("", cohort_views.call, name="home"),
    path("programm/", include("cohorts.urls")),
    path("bewerbung/", include("applications.urls")),
    path("", include("tandems.urls")),
    path("", include("workshops.urls")),
    path("", include("evaluation.urls")),
    path(
        "impressum/", TemplateView.as_view(template_name="pages/impressum.html"), name="impressum"
    ),
    path("datenschutz/", consent_views.privacy, name="privacy"),
    path(
        "datenschutz/version/<int:version>/",
        consent_views.privacy_version,
        name="privacy_version",
    ),
    path("barrierefreiheit/", account_views.accessibility, name="accessibility"),
    path(
        "barrierefreiheit/rueckmeldung/",
        account_views.accessibility_feedback,
        name="accessibility_feedback",
    ),
    path(
        "barrierefreiheit/rueckmeldung/gesendet/",
        account_views.accessibility_feedback_sent,
        name="accessibility_feedback_sent",
    ),
    path(
        "leichte-sprache/",
        TemplateView.as_view(template_name="pages/easy_language.html"),
        name="easy_language",
    ),
    path("start/", account_views.start, name="start"),
    path("konto/", account_views.profile, name="profile"),
    path("konto/daten/", account_views.personal_data, name="personal_data"),
    path("konto/einwilligungen/", consent_views.consents, name="consents"),
    path("konto/einwilligungen/bestaetigen/", consent_views.renew, name="consents_renew"),
    path("konto/einwilligungen/<str:kind>/erteilen/", consent_views.give, name="consent_give"),
    path(
        "konto/einwilligungen/<str:kind>/widerrufen/",
        consent_views.withdraw,
        name="consent_withdraw",
    ),
    path(
        "konto/anmelden/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/zweiter-faktor/einrichten/", second_factor_views.setup, name="second_factor_setup"),
    path("konto/zweiter-faktor/", second_factor_views.verify, name="second_factor_verify"),
    path(
        "konto/zweiter-faktor/notfallcodes/",
        second_factor_views.backup_codes,
        name="second_factor_backup_codes",
    ),
    path(
        "konto/zweiter-faktor/schluessel/<int:key_id>/entfernen/",
        second_factor_views.key_delete,
        name="second_factor_key_delete",
    ),
    # The JSON steps of a security key's ceremonies (static/js/security-keys.js).
    path(
        "konto/zweiter-faktor/schluessel/einrichten/start/",
        second_factor_keys.RegisterBegin.as_view(),
        name="second_factor_key_register_begin",
    ),
    path(
        "konto/zweiter-faktor/schluessel/einrichten/abschluss/",
        second_factor_keys.RegisterComplete.as_view(),
        name="second_factor_key_register_complete",
    ),
    path(
        "konto/zweiter-faktor/schluessel/pruefen/start/",
        second_factor_keys.VerifyBegin.as_view(),
        name="second_factor_key_verify_begin",
    ),
    path(
        "konto/zweiter-faktor/schluessel/pruefen/abschluss/",
        second_factor_keys.VerifyComplete.as_view(),
        name="second_factor_key_verify_complete",
    ),
    path("konto/registrieren/", account_views.register, name="register"),
    path("konto/registriert/", account_views.registered, name="registered"),
    path("konto/bestaetigen/<str:token>/", account_views.verify_email, name="verify_email"),
    path(
        "konto/bestaetigen/erneut/",
        account_views.resend_verification,
        name="resend_verification",
    ),
    path(
        "konto/passwort/vergessen/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "konto/passwort/vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/passwort/neu/<uidb64>/<token>/",
        account_views.PasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/passwort/neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "konto/passwort/aendern/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "konto/passwort/aendern/fertig/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("verwaltung/", admin.site.urls),
]
