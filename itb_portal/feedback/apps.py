from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "itb_portal.feedback"
    verbose_name = "Was this page useful?"
