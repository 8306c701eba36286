"""Run a function on the other core: in a forked child that inherits its arguments.

The build's slow steps that only read (SHACL validation, the ontology page) run
beside the rest of the build; fork hands them the graphs without pickling them.
"""

from __future__ import annotations

import multiprocessing
from typing import Any, Callable


class ForkedError(RuntimeError):
    """The child died before it answered."""


class Forked:
    """``function(*args)`` started now in a forked child; :meth:`result` waits for its value or error."""

    def __init__(self, function: Callable[..., Any], *args: Any):
        context = multiprocessing.get_context("fork")
        self._answer, send = context.Pipe(duplex=False)
        self._name = getattr(function, "__name__", repr(function))
        self._process = context.Process(target=_answer, args=(send, function, args), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            succeeded, value = self._answer.recv()
        except EOFError:
            self._process.join()
            raise ForkedError(f"{self._name} died in its process (exit code {self._process.exitcode})") from None
        finally:
            self._answer.close()
        self._process.join()
        if not succeeded:
            raise value
        return value


def _answer(send, function: Callable[..., Any], args: tuple) -> None:
    try:
        outcome = (True, function(*args))
    except BaseException as error:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, error)
    send.send(outcome)
    send.close()
