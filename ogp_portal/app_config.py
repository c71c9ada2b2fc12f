from django.apps import AppConfig


class ContentAppConfig(AppConfig):
    """An app whose models are public content: any write invalidates the
    anonymous page cache (ogp_portal/page_cache.py). An app whose other
    models are private working data names its public ones in `public_models`.

    Apps subclass it through the module (`app_config.ContentAppConfig`): a
    class imported by name into apps.py would count as a second candidate
    config and Django would then use neither."""

    default_auto_field = "django.db.models.BigAutoField"
    # Names of the models whose writes change public pages; None: all of them.
    public_models: tuple[str, ...] | None = None

    def ready(self):
        from ogp_portal.page_cache import connect_invalidation

        connect_invalidation(self, models=self.public_models)
