"""`efir` on the command line (`python -m server.cli` too); the commands are in `commands.py`.

This module stays light on purpose: a triage worker is a spawned process, and a spawned process imports
the program's main module again, so what is imported here is in every worker's memory (`commands.py`
with the store, pydantic settings and asyncpg cost a worker 14 MB).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from .commands import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
