from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The site itself, the top layer: home pages, navigation, login, the API's root, demo data."""

    name = "fuwu.site"
    label = "site"
    verbose_name = _("Site")
