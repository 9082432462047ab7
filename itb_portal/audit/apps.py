from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "itb_portal.audit"
    verbose_name = "Audit log"
