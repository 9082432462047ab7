"""gunicorn settings for production; each can be overridden from the environment."""

import gc
import multiprocessing
import os

from gunicorn.glogging import Logger

from itb_portal.security import RequestDetailsNotLogged

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
# Access logs would record query strings, and the symptom checker's choices are in its query string.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class PortalLogger(Logger):
    """gunicorn's logger, with request lines and query strings kept out of its error log."""

    def setup(self, cfg):
        super().setup(cfg)
        if not any(isinstance(f, RequestDetailsNotLogged) for f in self.error_log.filters):
            self.error_log.addFilter(RequestDetailsNotLogged())


logger_class = PortalLogger
# A worker is replaced after this many requests, in case something leaks. Each replacement costs a fork and
# a cold first request, so not too often: at 2000 a busy worker was replaced every few seconds (docs/performance.md).
max_requests = 20000
max_requests_jitter = 2000
# Load the app (and compile its templates: warm_up in itb_portal/wsgi.py) once in the master,
# then fork: a worker started again after max_requests serves at full speed at once.
preload_app = True
# gunicorn's control socket (for gunicornc) is not used. Left on, every instance on a machine would
# share one in ~/.gunicorn, and a non-root container may have no writable home for it.
control_socket_disable = True


def pre_fork(server, worker):
    # Everything loaded before the fork (Django, the templates, the content) lives as long as the
    # worker: keep it out of the garbage collector's full passes, which otherwise walk all of it and
    # stall a request now and then. Python's docs advise this before a fork (gc.freeze).
    gc.freeze()
