"""One typed settings object, read once from `EFIR_*` variables and passed explicitly."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EFIR_", extra="ignore")

    db: str = "./efir.db"
    host: str = "127.0.0.1"
    port: int = 8000
    hub: str = "memory://"
    allowed_origins: str = ""
    demo: bool = False
    demo_rate: float = Field(default=3.0, description="demo feed messages per second")

    secure_cookies: bool = False
    session_idle_minutes: int = 120
    session_absolute_hours: int = 16
    prompter_frame_ancestors: str = "'self'"  # e.g. "'self' https://studio.example" for broadcast software
    purge_interval_minutes: int = 60
    max_body_bytes: int = 8 * 1024 * 1024
    client_queue: int = 10_000  # recent events kept per show; a desk further behind is resynced
    retention_days: int = 90
    replica: str = ""  # this server's name among several on one PostgreSQL database (default: random)
    triage_workers: int = 1  # processes for the triage pipeline's text work; 0: in the server process
    replica_timeout_seconds: float = 20.0  # a replica silent this long is gone: its claims and desks are released

    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    sms_secret: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    graph_api_base: str = "https://graph.facebook.com"
    smtp_url: str = ""
    reply_backoff_seconds: float = 5.0  # first retry of a failed reply; doubles per attempt, capped at an hour
    reply_max_attempts: int = 6
    reply_poll_seconds: float = 1.0
    channel_quiet_minutes: float = 10.0  # a channel with no message this long during a live show is amber
    channel_silent_seconds: float = 120.0  # a worker with no heartbeat this long is red

    @property
    def postgres(self) -> bool:
        return self.db.startswith(("postgresql://", "postgres://"))

    @property
    def db_label(self) -> str:
        """The database for messages and logs: a file path, or a PostgreSQL URL without its password."""
        if not self.postgres:
            return str(self.sqlite_path)
        scheme, _, rest = self.db.partition("://")
        creds, at, host = rest.rpartition("@")
        return f"{scheme}://{creds.split(':')[0]}@{host}" if at else self.db

    @property
    def sqlite_path(self) -> Path:
        raw = self.db.removeprefix("sqlite:///").removeprefix("sqlite://")
        return Path(raw)

    @property
    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]
