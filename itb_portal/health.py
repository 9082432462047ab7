"""The health probe, answered before anything reads the Host header.

Orchestrators and the Dockerfile's HEALTHCHECK probe the app by IP address, and an IP address is
rarely in DJANGO_ALLOWED_HOSTS: past this point Django would refuse the probe with a 400 and the
container would be marked unhealthy. The probe's answer names no host, so any Host may ask.
The middlewares that add security headers still wrap it, as they wrap every other response.
"""

from csp.middleware import CSPMiddleware
from django.middleware.security import SecurityMiddleware

from .middleware import PermissionsPolicyMiddleware
from .views import health

HEALTH_PATH = "/health/"


class HealthProbeMiddleware:
    """First in MIDDLEWARE: /health/ goes straight to its view, past host validation."""

    def __init__(self, get_response):
        self.get_response = get_response
        # None of these reads the Host: /health/ is exempt from the HTTPS redirect (settings.py).
        self.probe = CSPMiddleware(PermissionsPolicyMiddleware(SecurityMiddleware(health)))

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return self.probe(request)
        return self.get_response(request)
