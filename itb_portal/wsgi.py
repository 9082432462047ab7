import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itb_portal.settings")
# As django.core.wsgi.get_wsgi_application(), with our hardened request class.
django.setup(set_prefix=False)

from itb_portal.handlers import PortalWSGIHandler  # noqa: E402

application = PortalWSGIHandler()

from itb_portal.pagecache.warm import warm_up  # noqa: E402  (needs the apps loaded)

warm_up()
