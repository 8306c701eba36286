"""Real SPARQL servers for the remote store tests: Oxigraph's server and Virtuoso.

Each runs as a child process on free loopback ports, with its data in a temporary
folder, and is stopped at teardown.  Readiness is polled (no fixed sleeps) up to
a deadline; a missing binary or a server that does not come up FAILS the tests
with the reason and the server's log, it never skips them.

Binaries come from ``bash scripts/setup.sh --test``: ``oxigraph`` from PyPI (into
the virtual environment, beside the Python running the tests) and
``virtuoso-t`` from Debian's ``virtuoso-opensource`` package.
"""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx

#: How long a server may take to answer its first query (Virtuoso creates its database).
START_DEADLINE = 60.0
SETUP_HINT = "run `bash scripts/setup.sh --test` (it installs the test servers)"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_VAD = Path("/usr/share/virtuoso-opensource-7/vad")


class ServerUnavailable(RuntimeError):
    """A test server is missing or did not start; the message says why."""


@dataclass
class Server:
    name: str  # the store dialect
    url: str  # base URL, e.g. http://127.0.0.1:43210
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_binary(name: str) -> str:
    """``name`` beside the running Python (the virtual environment), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise ServerUnavailable(f"`{name}` is not installed: {SETUP_HINT}")
    return found


def _wait_until_ready(server: Server, probe: str) -> None:
    deadline = time.monotonic() + START_DEADLINE
    last = "no answer yet"
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            if server.process.poll() is not None:
                raise ServerUnavailable(
                    f"{server.name} exited with status {server.process.returncode} while starting; "
                    f"its log ends with:\n{server.log_tail()}"
                )
            try:
                response = client.get(probe, params={"query": "ASK {}"})
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                last = str(error) or type(error).__name__
            if time.monotonic() > deadline:
                raise ServerUnavailable(
                    f"{server.name} did not answer {probe} within {START_DEADLINE:.0f} s ({last}); "
                    f"its log ends with:\n{server.log_tail()}"
                )
            time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def _running(name: str, command: list[str], folder: Path, base_url: str, probe_path: str) -> Iterator[Server]:
    log = folder / f"{name}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=folder, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Server(name, base_url, process, log)
    try:
        _wait_until_ready(server, base_url + probe_path)
        yield server
    finally:
        _stop(process)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    """``oxigraph serve`` with a store on disk in ``folder``."""
    binary = find_binary("oxigraph")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"]
    with _running("oxigraph", command, folder, f"http://127.0.0.1:{port}", "/query") as server:
        yield server


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """Debian's virtuoso.ini with the database in ``folder`` and both ports on loopback.

    The package creates no database when no service manager starts it: Virtuoso
    makes a fresh one here on first start, with the default account dba/dba.  The
    Conductor web application is not installed (it only slows the start).
    """
    if not VIRTUOSO_INI.exists():
        raise ServerUnavailable(f"{VIRTUOSO_INI} is missing: {SETUP_HINT}")
    ini = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";",), comment_prefixes=(";", "#"))
    ini.optionxform = str  # Virtuoso's keys are case-sensitive
    ini.read(VIRTUOSO_INI)
    database = {
        "DatabaseFile": "virtuoso.db",
        "ErrorLogFile": "virtuoso.log",
        "LockFile": "virtuoso.lck",
        "TransactionFile": "virtuoso.trx",
        "xa_persistent_file": "virtuoso.pxa",
    }
    for key, file in database.items():
        ini.set("Database", key, str(folder / file))
    ini.set("TempDatabase", "DatabaseFile", str(folder / "virtuoso-temp.db"))
    ini.set("TempDatabase", "TransactionFile", str(folder / "virtuoso-temp.trx"))
    vad = folder / "vad"
    vad.mkdir(exist_ok=True)
    ini.set("Parameters", "ServerPort", f"127.0.0.1:{sql_port}")
    ini.set("Parameters", "DirsAllowed", f"., {folder}, {VIRTUOSO_VAD}")
    ini.set("Parameters", "VADInstallDir", str(vad))
    ini.set("HTTPServer", "ServerPort", f"127.0.0.1:{http_port}")
    path = folder / "virtuoso.ini"
    with open(path, "w") as out:
        ini.write(out)
    return path


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Server]:
    """Virtuoso Open Source (``virtuoso-t +foreground``) on a fresh database in ``folder``."""
    binary = find_binary("virtuoso-t")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = virtuoso_ini(folder, sql_port, http_port)
    command = [binary, "+foreground", "+configfile", str(ini)]
    with _running("virtuoso", command, folder, f"http://127.0.0.1:{http_port}", "/sparql") as server:
        yield server


SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}
