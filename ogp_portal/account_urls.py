from django.urls import path

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
]
