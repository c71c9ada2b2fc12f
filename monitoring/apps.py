from django.utils.translation import gettext_lazy as _

from ogp_portal import app_config


class MonitoringConfig(app_config.ContentAppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")
    # Reports are private drafts until published; publishing bumps the page
    # cache itself (services.report_publish), so a monitor's saves do not.
    public_models = ("MonitoringBody", "MonitoringBodyMember")
