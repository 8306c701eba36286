"""Measuring in child processes: ``run.py --child-<mode> SPEC`` prints one JSON record a line, the parent reads them."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

#: The project (children and servers run there).
ROOT = Path(__file__).resolve().parent.parent
#: The entry point the children run (with a hidden ``--child-<mode>`` or ``--serve-rdflib-endpoint`` flag).
RUN_SCRIPT = Path(__file__).resolve().parent / "run.py"


def emit(record: dict) -> None:
    """A child's result line (the parent reads stdout line by line)."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def run_child(mode: str, spec: dict, deadline: float, inactivity: float | None = None) -> tuple[list[dict], str | None]:
    """Run ``run.py --child-<mode>``; kill it at ``deadline`` seconds, or when a query (from its
    ``query-start`` record on) runs longer than ``inactivity`` seconds.

    Returns its records and why it was killed (``query``, ``deadline``), or None if it ended; a
    child that failed on its own gets a ``crashed`` record with the end of its stderr.
    """
    command = [sys.executable, str(RUN_SCRIPT), f"--child-{mode}", json.dumps(spec)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    errors: list[str] = []

    def read_out():
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def read_err():
        for line in process.stderr:
            errors.append(line)

    threading.Thread(target=read_out, daemon=True).start()
    threading.Thread(target=read_err, daemon=True).start()
    records, in_query_since, reason = [], None, None
    started = time.perf_counter()
    while True:
        try:
            line = lines.get(timeout=1.0)
        except queue.Empty:
            line = ""
        if line is None:
            break
        if line.strip().startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if record is not None:
                records.append(record)
                in_query_since = time.perf_counter() if record.get("kind") == "query-start" else None
        now = time.perf_counter()
        if inactivity is not None and in_query_since is not None and now - in_query_since > inactivity:
            reason = "query"
        elif now - started > deadline:
            reason = "deadline"
        if reason:
            process.kill()
            break
    process.wait()
    if reason is None and process.returncode != 0:
        records.append({"kind": "crashed", "returncode": process.returncode, "stderr": "".join(errors[-15:])[-2000:]})
    return records, reason
