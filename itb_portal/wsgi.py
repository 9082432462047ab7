import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itb_portal.settings")
application = get_wsgi_application()

from itb_portal.pagecache.warm import warm_up  # noqa: E402  (needs the apps loaded)

warm_up()
