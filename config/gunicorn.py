"""gunicorn's settings in production: `gunicorn -c config/gunicorn.py config.wsgi:application`.

Shared by deploy/ (systemd, the container) and tests/processes.py (make prod-check, the
fault tests), so what is tested is what is deployed. Overridable with gunicorn's own
command-line options (``--bind``, ``--workers``).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 60
graceful_timeout = 20
# Import the service once, before forking: a worker answers its first request at once,
# and a restart costs one import, not one per worker.
preload_app = True
# Several servers may share a machine (and a home directory): no control socket.
control_socket_disable = True
# No access log: the service writes its own JSON request line without the query string,
# which may carry a child's name typed into a search (swc.core.logs).
accesslog = None
errorlog = "-"
# gunicorn's own lines (start, worker boot, timeouts) as JSON too, like the service's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "swc.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
