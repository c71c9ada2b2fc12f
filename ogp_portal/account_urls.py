from django.urls import path

from consultations.views import citizens
from ogp_portal import accounts

app_name = "accounts"

urlpatterns = [
    path("login/", accounts.login, name="login"),
    path("login/code/", accounts.login_code, name="login_code"),
    path("logout/", accounts.logout, name="logout"),
    path("two-step/", accounts.totp_setup, name="totp_setup"),
    path("two-step/disable/", accounts.totp_disable, name="totp_disable"),
    path("password/", accounts.password_change, name="password_change"),
    path("password/done/", accounts.password_change_done, name="password_change_done"),
    path("password/reset/", accounts.password_reset, name="password_reset"),
    path("password/reset/done/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/complete/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    # Citizens' accounts (consultations/views/citizens.py).
    path("signup/", citizens.signup, name="signup"),
    path("signup/done/", citizens.signup_done, name="signup_done"),
    path(
        "signup/confirm/<str:uidb64>/<str:token>/", citizens.signup_confirm, name="signup_confirm"
    ),
    path("privacy/", citizens.privacy, name="privacy"),
    path("profile/", citizens.profile, name="profile"),
    path("profile/my-data/", citizens.data_export, name="data_export"),
    path("profile/delete/", citizens.delete_account, name="delete"),
]
