from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from xeploai.accounts import views
from xeploai.accounts.views import activation, manage

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("activate/", activation.activate, name="activate"),
    # Django's own password change and reset, with this site's templates.
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_done.html"),
        name="password_reset_complete",
    ),
    path("accounts/", manage.accounts_home, name="accounts_home"),
    path("units/<int:pk>/accounts/", manage.unit_accounts, name="unit_accounts"),
    path("units/<int:pk>/accounts/codes/", manage.account_codes, name="account_codes"),
    path(
        "units/<int:pk>/accounts/deactivate/", manage.account_deactivate, name="account_deactivate"
    ),
    path("units/<int:pk>/grants/", manage.grant_add, name="grant_add"),
    path("units/<int:pk>/staff/new/", manage.staff_new, name="staff_new"),
    path("grants/<int:pk>/end/", manage.grant_end, name="grant_end"),
]
