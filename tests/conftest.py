"""Shared fixtures: the real build, made once per test session into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nikkan.build.pipeline import build
from nikkan.settings import PROJECT_ROOT, Settings
from nikkan.store import open_store

SOURCE_NAME = "korea-peninsula-fy2025-korea-politics-diplomacy-recommendations.ja.txt"
DOC = "kp-fy2025-korea-politics-diplomacy"
BASE = "https://w3id.org/nikkan/id/"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Settings:
    """Settings pointing at a fresh build of the project's real data."""
    settings = Settings(out_dir=tmp_path_factory.mktemp("graph"))
    build(settings)
    return settings


@pytest.fixture(scope="session")
def store(built):
    """The built dataset in the default (in-memory Oxigraph) store."""
    with open_store(built) as opened:
        yield opened


@pytest.fixture(scope="session")
def source_text() -> str:
    return (PROJECT_ROOT / "data" / "sources" / SOURCE_NAME).read_text(encoding="utf-8")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", target)
    return target


def rows(store, sparql: str, **bindings) -> list[tuple]:
    """SELECT rows as tuples of plain values (IRIs shortened against the base)."""
    result = store.query(PREFIXES + sparql, bindings or None)
    variables = [v.value for v in result.variables if v.value not in bindings]
    return [tuple(_plain(solution[v]) for v in variables) for solution in result]


def _plain(term):
    if term is None:
        return None
    value = term.value
    return value[len(BASE) :] if value.startswith(BASE) else value


PREFIXES = """
PREFIX nk: <https://w3id.org/nikkan/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no bundled browser). Fails, never skips."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install playwright==1.65.2 (no `playwright install`)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()
