from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: the security log's receivers and the
    site-wide management commands (backup, restore)."""

    name = "ogp_portal"
    verbose_name = "OGP Local portal"

    def ready(self):
        from ogp_portal.security_log import connect_receivers

        connect_receivers()
