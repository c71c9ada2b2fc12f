from django.utils.translation import gettext_lazy as _

from ogp_portal import app_config


class MonitoringConfig(app_config.ContentAppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")
