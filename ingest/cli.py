"""`efir ingest CHANNEL …`: run one ingest worker as its own process."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ingest` subcommand and its channels to the `efir` parser."""


def run(args: argparse.Namespace) -> int:
    raise SystemExit("efir ingest: no channel workers are installed")
