from django.utils.translation import gettext_lazy as _

from ogp_portal import app_config


class CommitmentsConfig(app_config.ContentAppConfig):
    name = "commitments"
    verbose_name = _("Commitments")
