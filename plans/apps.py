from django.utils.translation import gettext_lazy as _

from ogp_portal import app_config


class PlansConfig(app_config.ContentAppConfig):
    name = "plans"
    verbose_name = _("Action plans")
