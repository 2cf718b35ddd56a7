"""Structured logs: one JSON object a line; phone numbers, e-mails, IINs and card numbers masked
whole before a line is written, whatever logged it; tokens and passwords are never passed to a logger."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from ingest.triage import air_text


class MaskingJSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": air_text(record.getMessage()),
        }
        if record.exc_info:
            entry["error"] = air_text(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


def setup(level: str = "info") -> dict[str, Any]:
    """Configure the root logger and return the same as a uvicorn `log_config`."""
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": MaskingJSONFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": sys.stderr}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {"uvicorn": {"level": level.upper()}, "uvicorn.error": {"level": level.upper()},
                    "uvicorn.access": {"level": "WARNING"}},
    }
    logging.config.dictConfig(config)
    return config


import logging.config  # noqa: E402  (after the class it configures)
