import os
from wsgiref.util import setup_testing_defaults

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itb_portal.settings")
# As django.core.wsgi.get_wsgi_application(), with our hardened request class.
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.template import engines  # noqa: E402

from itb_portal.contacts.directory import load_directory  # noqa: E402
from itb_portal.handlers import PortalWSGIHandler  # noqa: E402
from itb_portal.pagecache import enabled  # noqa: E402
from itb_portal.pagecache.models import fingerprint  # noqa: E402
from itb_portal.symptoms.checks import require_sound_data  # noqa: E402
from itb_portal.symptoms.rules import load_rules  # noqa: E402

# Refuse to start with rules or contact data that would give a patient wrong advice or numbers.
require_sound_data()

application = PortalWSGIHandler()


def warm_up() -> None:
    """Work done once, when the app is loaded, instead of in some patient's first request.

    With gunicorn's preload_app the master runs this before it forks, so every worker (and every
    worker started again after max_requests) begins with compiled templates and loaded data.
    The data may be read from the database (text a clinical approver published in the admin), so
    every connection is closed afterwards: one opened before the fork would be shared by the workers,
    and their answers would cross (seen on PostgreSQL under load).
    """
    if not enabled():
        return
    env = engines["jinja2"].env
    # Compiling the NHS.UK macros costs over a second; a page needs a dozen of them.
    for name in env.list_templates(extensions=("html", "jinja")):
        env.get_template(name)
    load_rules()
    load_directory()
    fingerprint()
    first_request()


def first_request() -> None:
    """The home page, once, through every middleware and the URLconf. What Django builds on a process's first
    request (the URLconf imports every view; middleware import and compile what they need) is then built here,
    not in each worker's first request after every restart (max_requests): 0.1 s of CPU that made the latency tail.
    """
    host = next((host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"), "localhost")
    environ = {"PATH_INFO": "/", "HTTP_HOST": host, "SERVER_NAME": host, "wsgi.url_scheme": "https"}
    setup_testing_defaults(environ)
    b"".join(application(environ, lambda status, headers, exc_info=None: None))


warm_up()
connections.close_all()  # after require_sound_data() and warm_up(), before gunicorn forks
