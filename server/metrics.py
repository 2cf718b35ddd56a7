"""Prometheus metrics, one registry per app (tests run many apps in one process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.ingested = Counter("efir_ingest_messages_total", "Messages received, by channel and result",
                                ["channel", "result"], registry=self.registry)
        self.commit_seconds = Histogram("efir_commit_seconds", "Time of one SQLite write batch",
                                        registry=self.registry,
                                        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
        self.commit_batch = Histogram("efir_commit_batch_jobs", "Write jobs per commit", registry=self.registry,
                                      buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512))
        self.queue_depth = Gauge("efir_write_queue_depth", "Writes waiting for the writer", registry=self.registry)
        self.clients = Gauge("efir_live_clients", "Connected live clients", ["kind"], registry=self.registry)
        self.resyncs = Counter("efir_desk_resyncs_total", "Desks that fell behind and got a fresh snapshot",
                               registry=self.registry)
        self.dead_letters = Counter("efir_dead_letters_total", "Messages a channel could not read, kept as "
                                    "dead letters, by channel", ["channel"], registry=self.registry)
        self.dead_letters_open = Gauge("efir_dead_letters_open", "Dead letters waiting for a retry, by channel",
                                       ["channel"], registry=self.registry)
        labels = ["name", "channel"]
        self.channel_state = Gauge("efir_channel_state", "Channel health: 0 green, 1 amber (quiet during a live "
                                   "show), 2 red (silent worker, failing, dead letters)", labels,
                                   registry=self.registry)
        self.channel_age = Gauge("efir_channel_last_message_age_seconds",
                                 "Seconds since the channel's newest message", labels, registry=self.registry)
        self.channel_lag = Gauge("efir_channel_lag_seconds", "Seconds from the platform to Efir for the newest message",
                                 labels, registry=self.registry)
        self.channel_errors = Gauge("efir_channel_error_rate", "Share of failed polls or deliveries", labels,
                                    registry=self.registry)
        self.actions = Counter("efir_actions_total", "Moderation actions, by action and outcome",
                               ["action", "outcome"], registry=self.registry)

    def observe_commit(self, seconds: float, jobs: int) -> None:
        self.commit_seconds.observe(seconds)
        self.commit_batch.observe(jobs)

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))
