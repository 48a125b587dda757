"""URLs of the whole service: the core's pages, sign-in, and each feature app's urls."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from socialvalue.core import about_views, account_views, forms, views

auth_patterns = [
    path(
        "sign-in/",
        account_views.SignInView.as_view(),
        name="sign-in",
    ),
    path(
        "confirm-email/new-link/",
        account_views.confirmation_resend_page,
        name="email-confirmation-resend",
    ),
    path("confirm-email/<str:token>/", account_views.email_confirm_page, name="email-confirm"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path(
        "password-reset/",
        account_views.LimitedPasswordResetView.as_view(
            form_class=forms.ServicePasswordResetForm,
            template_name="registration/password_reset.html",
            email_template_name="registration/email/password_reset.txt",
            subject_template_name="registration/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.UnlockingPasswordResetConfirmView.as_view(
            form_class=forms.ServiceSetPasswordForm,
            template_name="registration/password_reset_confirm.html",
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            form_class=forms.ServicePasswordChangeForm,
            template_name="registration/password_change.html",
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_changed.html"
        ),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/api-tokens/", account_views.api_token_list, name="api-tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        account_views.api_token_revoke,
        name="api-token-revoke",
    ),
    path("account/", include(auth_patterns)),
    path("register/", views.register_bidder, name="register"),
    path("register/check-your-email/", views.register_check_email, name="register-check-email"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("organisations/add-authority/", views.authority_add, name="authority-add"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    path(
        "organisations/<slug:slug>/members/<int:user_id>/",
        views.member_roles,
        name="member-roles",
    ),
    path(
        "organisations/<slug:slug>/members/<int:user_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("accessibility/", about_views.accessibility_statement, name="accessibility"),
    path("privacy/", about_views.privacy_notice, name="privacy"),
    path("cookies/", about_views.cookies, name="cookies"),
    path("status/", views.status_page, name="status"),
    path("status/audit-check/", views.audit_check_start, name="audit-check"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("reports/", include("socialvalue.reports.urls")),
    path("act/", include("socialvalue.act.urls")),
    path("definitions/", include("socialvalue.definitions.urls")),
    path("catalogue/", include("measurement.urls")),
    path("tenders/", include("tenders.urls")),
    path("compact/", include("compact.urls")),
    path("delivery/", include("measurement.delivery.urls")),
    path("api/", include("socialvalue.api_urls")),
    path("admin/", admin.site.urls),
]
