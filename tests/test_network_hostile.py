"""Hostile text in every view: labels, quotes, class and property labels and IRIs that look like markup.

A copy of data/ gets markup in labels (an actor, an issue, an event, a
recommendation, a section) and goes through the real build; then RDF crafted
for the test adds what the curated format cannot carry: a quote with markup, an
entity whose IRI holds percent-encoded ``<script>`` and quote characters, and
hostile labels on an ontology class and a relation.  Every view is opened in
Chromium: no dialog may fire, no ``img[src=x]`` (or any injected element) may
exist, and the hostile text must show literally in the tooltip, heading or
legend.  The notebook's iframe wrapper is checked the same way.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from nikkan.build.pipeline import build
from nikkan.network.notebook import iframe
from nikkan.network.pages import Explorer, ViewOptions, write_page
from nikkan.settings import PROJECT_ROOT, Settings
from nikkan.store import open_store

from network_helpers import BASE, NK, dataset_counts, hover_tooltip, open_page

DOC = "kp-fy2025-korea-politics-diplomacy"
IMG = "<img src=x onerror=alert(1)>"
HREF = '<a href="javascript:alert(2)"><img src=x onerror=alert(2)></a>'
SCRIPT = "</script><script>alert(3)</script>"
SVG = "<svg onload=alert(4)>\u2028& <!-- x"
SECTION = "</script><img src=x onerror=alert(5)>"
QUOTE = "</script><img src=x onerror=alert(6)> & \u2029 <a href=\"#\">"
CLASS = "<img src=x onerror=alert(7)> class"
PROPERTY = "<img src=x onerror=alert(8)> prop"
WEIRD_IRI = BASE + "actor/%3Cscript%3Ealert(9)%3C%2Fscript%3E'onmouseover=alert(10)&x=%22"
WEIRD_LABEL = "<img src=x onerror=alert(11)> weird"
HOSTILE = (IMG, HREF, SCRIPT, SVG, SECTION, QUOTE, CLASS, PROPERTY, WEIRD_LABEL)

QUOTE_NQ = QUOTE.replace('"', '\\"').replace("\u2029", "\\u2029")  # an N-Quads string literal
CRAFTED = f"""
<{WEIRD_IRI}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{NK}Person> <{BASE}graph/hostile> .
<{WEIRD_IRI}> <http://www.w3.org/2000/01/rdf-schema#label> "{WEIRD_LABEL}"@en <{BASE}graph/hostile> .
<{WEIRD_IRI}> <{NK}ofState> <{BASE}actor/japan> <{BASE}graph/hostile> .
<{WEIRD_IRI}> <{NK}evidence> <{BASE}document/{DOC}/evidence/hostile> <{BASE}graph/hostile> .
<{BASE}actor/takaichi-sanae> <{NK}evidence> <{BASE}document/{DOC}/evidence/hostile> <{BASE}graph/hostile> .
<{BASE}document/{DOC}/evidence/hostile> <http://www.w3.org/ns/oa#hasSelector> _:q <{BASE}graph/hostile> .
_:q <http://www.w3.org/ns/oa#exact> "{QUOTE_NQ}" <{BASE}graph/hostile> .
<{BASE}document/{DOC}/evidence/hostile> <{NK}inSection> <{BASE}document/{DOC}/section/overview> <{BASE}graph/hostile> .
<{NK}Person> <http://www.w3.org/2000/01/rdf-schema#label> "{CLASS}"@en <{BASE}graph/hostile> .
<{NK}ofState> <http://www.w3.org/2000/01/rdf-schema#label> "{PROPERTY}"@en <{BASE}graph/hostile> .
"""


def _sections(sections):
    for section in sections:
        yield section
        yield from _sections(section.get("sections", []))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store built from a doctored copy of data/, plus crafted RDF; and what is hostile where."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    path = data / "documents" / f"{DOC}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    actor = next(a for a in doc["actors"] if a["id"] == "takaichi-sanae")
    actor["label"]["en"] = IMG
    issue = next(i for i in doc["issues"] if i["id"] == "cptpp")
    issue["label"]["en"] = HREF
    event = next(e for e in doc["events"] if e.get("date") and e.get("participants"))
    event["label"]["en"] = SCRIPT
    rec = doc["recommendations"][0]
    rec["label"]["en"] = SVG
    next(s for s in _sections(doc["document"]["sections"]) if s["id"] == "overview")["label"]["en"] = SECTION
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    settings = Settings(data_dir=data, out_dir=root / "graph")
    build(settings, docs=False)
    store = open_store(settings)
    import pyoxigraph as ox

    store.load(CRAFTED.encode("utf-8"), ox.RdfFormat.N_QUADS)
    targets = {
        "actor": BASE + "actor/takaichi-sanae",
        "issue": BASE + "issue/cptpp",
        "event": BASE + f"event/{event['id']}",
        "recommendation": BASE + f"document/{DOC}/recommendation/{rec['id']}",
        "weird": WEIRD_IRI,
    }
    yield settings, store, targets
    store.close()


def _views(settings, store, targets):
    explorer = Explorer(store, settings.base_iri)
    return {
        # view name: (html, node to hover, texts that must show literally in its tooltip)
        "graph": (explorer.whole(), targets["actor"], [IMG, QUOTE, SECTION]),
        "graph-community-en": (explorer.whole(ViewOptions(colour="community", lang="en")), targets["weird"],
                               [WEIRD_LABEL, QUOTE, CLASS]),
        "neighbourhood": (explorer.neighbourhood(WEIRD_IRI, 1), targets["weird"], [WEIRD_LABEL, WEIRD_IRI]),
        "neighbourhood-actor": (explorer.neighbourhood(targets["actor"], 1), targets["actor"], [IMG, QUOTE]),
        "recommendation": (explorer.recommendation(targets["recommendation"]), targets["recommendation"], [SVG]),
        "timeline": (explorer.timeline(), targets["event"], [SCRIPT]),
        "issues": (explorer.issues(), targets["issue"], [HREF]),
        "aggregated": (explorer.whole(ViewOptions(max_nodes=200)), targets["actor"], [IMG]),
    }


def _assert_inert(visit):
    page = visit.page
    assert visit.dialogs == []
    assert visit.problems == []
    assert visit.external == []
    injected = page.evaluate("""() => ({
        img: document.querySelectorAll('img').length,
        imgX: document.querySelectorAll('img[src=x]').length,
        anchors: document.querySelectorAll('a').length,
        scripts: document.scripts.length,
        handlers: Array.from(document.querySelectorAll('*')).filter(
            e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
        svgOnload: document.querySelectorAll('svg[onload]').length,
    })""")
    assert injected == {"img": 0, "imgX": 0, "anchors": 0, "scripts": 3, "handlers": 0, "svgOnload": 0}


def test_hostile_text_is_inert_and_literal_in_every_view(hostile, browser, tmp_path):
    settings, store, targets = hostile
    for name, (html, node, texts) in _views(settings, store, targets).items():
        # nothing hostile reaches the HTML as markup
        for text in HOSTILE:
            assert text not in html, f"{name}: {text!r} is in the page source unescaped"
        visit = open_page(browser, write_page(tmp_path / f"{name}.html", html))
        try:
            page = visit.page
            assert dataset_counts(page)["nodes"] > 0
            tooltip = hover_tooltip(page, node)
            for text in texts:
                expected = text.replace("\u2028", "\n").replace("\u2029", "\n")
                if text == WEIRD_IRI:
                    assert text in tooltip, f"{name}: the IRI is not shown literally in {tooltip!r}"
                else:
                    assert expected.split("\n")[0].strip() in tooltip, f"{name}: {text!r} not literal in {tooltip!r}"
            assert page.evaluate("document.querySelectorAll('div.vis-tooltip *').length") > 0
            assert page.evaluate("document.querySelectorAll('div.vis-tooltip img, div.vis-tooltip a').length") == 0
            panel = page.inner_text("#panel")
            if name.startswith("graph"):
                assert CLASS in panel  # the legend shows the class label as text
            if name == "neighbourhood":
                assert WEIRD_LABEL in page.inner_text("#title")
            # switching language relabels with text too
            page.check("input[name=lang][value=en]")
            page.check("input[name=lang][value=both]")
            _assert_inert(visit)
        finally:
            visit.close()


def test_notebook_iframe_escapes_the_page(hostile, browser, tmp_path):
    settings, store, targets = hostile
    html = Explorer(store, settings.base_iri).neighbourhood(targets["actor"], 1)
    wrapper = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{iframe(html, 600)}</body></html>"
    path = tmp_path / "notebook.html"
    path.write_text(wrapper, encoding="utf-8")
    assert IMG not in wrapper
    context = browser.new_context(viewport={"width": 1200, "height": 700})
    page = context.new_page()
    dialogs, external = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "about:", "data:"))
                  else (external.append(r.request.url), r.abort()))
    try:
        page.goto(path.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("body[data-settled=true]").wait_for(state="attached", timeout=30000)
        assert page.evaluate("document.querySelectorAll('img, script').length") == 0
        assert page.evaluate("document.querySelectorAll('iframe').length") == 1
        inner = page.frames[1]
        assert inner.evaluate("window.nikkanNetwork.nodes.length") > 0
        assert inner.evaluate("document.querySelectorAll('img').length") == 0
        assert dialogs == [] and external == []
    finally:
        context.close()
