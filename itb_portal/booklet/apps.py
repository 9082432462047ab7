from django.apps import AppConfig


class BookletConfig(AppConfig):
    name = "itb_portal.booklet"
    verbose_name = "Booklet"
