"""The project's command line timed as a user starts it: each call a fresh `python -m helpers`
process, its imports included."""

from __future__ import annotations

import subprocess
import sys
import time

HELPERS = [sys.executable, "-m", "helpers"]


def timed(*args: str) -> float:
    """Seconds `python -m helpers ARGS` took (raises if it failed)."""
    started = time.perf_counter()
    subprocess.run([*HELPERS, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started
