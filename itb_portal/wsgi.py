import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itb_portal.settings")
# As django.core.wsgi.get_wsgi_application(), with our hardened request class.
django.setup(set_prefix=False)

from itb_portal.handlers import PortalWSGIHandler  # noqa: E402
from itb_portal.symptoms.checks import require_sound_data  # noqa: E402

# Refuse to start with rules or contact data that would give a patient wrong advice or numbers.
require_sound_data()

application = PortalWSGIHandler()

from itb_portal.pagecache.warm import warm_up  # noqa: E402  (needs the apps loaded)

warm_up()
