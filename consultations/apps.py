from django.utils.translation import gettext_lazy as _

from ogp_portal import app_config


class ConsultationsConfig(app_config.ContentAppConfig):
    name = "consultations"
    verbose_name = _("Co-creation and consultations")
