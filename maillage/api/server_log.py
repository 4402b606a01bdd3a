"""What ``maillage serve`` prints while it runs, in French unless ``--lang en``.

uvicorn states its own lines in English (« Uvicorn running on http://… (Press CTRL+C to
quit) », « Started server process », « Application startup complete »). In French,
:func:`log_config` gives uvicorn a logging configuration (its ``log_config``: nothing of
uvicorn is patched) whose filter turns the line that says the server listens into maillage's
own (the address to open, « Ctrl+C pour arrêter »), drops the start-up and shut-down chatter,
and writes warnings and errors after « attention : » / « erreur : ». The access log (one line
per request) says the time, the request and its status, « 12:03:01 GET /api/poles 200 », without
uvicorn's « INFO: » and client address (:class:`FrenchAccess`). In English, uvicorn's
configuration as it is.
"""

from __future__ import annotations

import copy
import errno
import logging
import re
from typing import Any

#: uvicorn's own lines (its message templates), in French; None: not printed.
LINES: dict[str, str | None] = {
    "Started server process [%d]": None,
    "Waiting for application startup.": None,
    "Application startup complete.": None,
    "Waiting for application shutdown.": None,
    "Application shutdown complete.": None,
    "Finished server process [%d]": None,
    "Shutting down": "Arrêt du service…",
    "Waiting for connections to close. (CTRL+C to force quit)":
        "Attente de la fin des requêtes en cours (Ctrl+C à nouveau pour forcer l'arrêt)…",
    "Waiting for background tasks to complete. (CTRL+C to force quit)":
        "Attente de la fin des tâches en cours (Ctrl+C à nouveau pour forcer l'arrêt)…",
    "Application startup failed. Exiting.": "le démarrage du service a échoué : arrêt",
}
RUNNING = "Uvicorn running on "
WILDCARD = ("0.0.0.0", "::")


def started_line(scheme: str, host: str, port: int) -> str:
    """maillage's line once the server listens on ``host``:``port``.

    >>> started_line("http", "127.0.0.1", 8000)
    'maillage est en service : ouvrez http://127.0.0.1:8000/ dans un navigateur (Ctrl+C pour arrêter)'
    >>> started_line("http", "0.0.0.0", 8000).split(" ; ")[1]
    'il écoute sur toutes les adresses de cette machine'
    >>> started_line("http", "::1", 8000).split()[6]
    'http://[::1]:8000/'
    """
    shown = "127.0.0.1" if host in WILDCARD else f"[{host}]" if ":" in host else host
    where = f"{scheme}://{shown}:{port}/"
    also = " ; il écoute sur toutes les adresses de cette machine" if host in WILDCARD else ""
    return f"maillage est en service : ouvrez {where} dans un navigateur (Ctrl+C pour arrêter){also}"


class FrenchLines(logging.Filter):
    """uvicorn's own lines (logger ``uvicorn.error``) in French, or dropped (:data:`LINES`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.msg
        if isinstance(msg, OSError) and msg.errno == errno.EADDRINUSE:
            m = re.search(r"\('([^']*)', (\d+)", str(msg))  # asyncio's « on address ('127.0.0.1', 8000) »
            where = f"le port {m[2]} de {m[1]}" if m else "cette adresse"
            said = f"{where} est déjà pris (un autre maillage serve ?) : choisissez-en un autre avec --port"
        elif not isinstance(msg, str):
            return True
        elif msg.startswith(RUNNING) and len(record.args or ()) == 3:
            said = started_line(*record.args)  # type: ignore[misc, arg-type]
        elif msg in LINES:
            said = LINES[msg]
            if said is None:
                return False
        else:
            return True
        record.msg, record.args = said, ()
        record.__dict__.pop("color_message", None)  # uvicorn's coloured copy of the English line
        return True


class FrenchFormatter(logging.Formatter):
    """The message alone, after « attention : » or « erreur : » from a warning up."""

    PREFIX = {"WARNING": "attention : ", "ERROR": "erreur : ", "CRITICAL": "erreur : "}

    def format(self, record: logging.LogRecord) -> str:
        return self.PREFIX.get(record.levelname, "") + super().format(record)


class FrenchAccess(logging.Formatter):
    """One request as a line: its local time, method, path and status (« 12:03:01 GET /health 200 »).

    >>> r = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
    ...                       ("127.0.0.1:5400", "GET", "/api/poles?q=a", "1.1", 200), None)
    >>> FrenchAccess().format(r)[8:]
    ' GET /api/poles?q=a 200'
    """

    def __init__(self) -> None:
        super().__init__(datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if not (isinstance(args, tuple) and len(args) == 5):  # not uvicorn's access line: its text
            return f"{self.formatTime(record, self.datefmt)} {record.getMessage()}"
        _client, method, path, _http, status = args
        return f"{self.formatTime(record, self.datefmt)} {method} {path} {status}"


def log_config(lang: str = "fr") -> dict[str, Any]:
    """uvicorn's ``log_config`` for ``maillage serve`` in ``lang`` (see the module docstring)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    if lang == "en":
        return config
    config["formatters"]["default"] = {"()": f"{__name__}.FrenchFormatter"}
    config["formatters"]["access"] = {"()": f"{__name__}.FrenchAccess"}
    config["filters"] = {"french": {"()": f"{__name__}.FrenchLines"}}
    config["handlers"]["default"]["filters"] = ["french"]
    return config


__all__ = ["log_config", "started_line", "FrenchLines", "FrenchFormatter", "FrenchAccess", "LINES"]
