"""The build of the seed document: ``build()`` in-process with the time of each phase (child
``run.py --child-build SPEC``), and ``python build_graph.py`` end to end."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from children import ROOT, emit


def child_build(spec: dict) -> None:
    """``build()`` in-process, cold then warm, with the time of each phase."""
    started = time.perf_counter()
    from nikkan.build import pipeline
    from nikkan.settings import Settings

    imported = time.perf_counter() - started
    phases: dict[str, float] = {}
    # Functions the build calls in this process (not those it hands to a helper process, which must pickle).
    wrapped = ["assemble", "union_graph", "validate", "shacl_violations", "quality_violations", "serialise_graph",
               "serialise_dataset", "void_description", "write_atomically"]

    def timed(name, function):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    for name in wrapped:
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    for run in range(spec["runs"]):
        phases.clear()
        settings = Settings(out_dir=Path(spec["scratch"]) / f"build-{run}")
        t0 = time.perf_counter()
        result = pipeline.build(settings)
        total = time.perf_counter() - t0
        emit({"kind": "build", "run": run, "seconds": total, "import_s": imported if run == 0 else 0.0,
              "triples": result.triples, "phases": dict(phases)})


def end_to_end(scratch: Path, note) -> dict:
    """``python build_graph.py`` (with and without docs) three times each, and the import of its CLI."""
    timings = {}
    for label, extra in (("build_graph.py", []), ("build_graph.py --no-docs", ["--no-docs"])):
        times = []
        for run in range(3):
            out = Path(scratch) / f"e2e-{len(extra)}-{run}"
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "build_graph.py", "--out-dir", str(out), *extra], cwd=ROOT,
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if done.returncode != 0:
                note(f"{label} failed: {done.stderr[-500:]}")
                break
        timings[label] = {"runs": times, "median": statistics.median(times)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import nikkan.build.cli"], cwd=ROOT, check=True)
    seconds = time.perf_counter() - t0
    timings["python -c 'import nikkan.build.cli'"] = {"runs": [seconds], "median": seconds}
    return timings
