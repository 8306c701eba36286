"""Every network view in Debian's headless Chromium, offline, counted against SPARQL.

Each page is written to a temporary folder and opened from a file:// URL with
every other request aborted.  The page must log no console error or warning,
try no request off disk, and hold in its vis-network DataSets exactly the nodes
and edges that SPARQL queries written for this test (tests/network_helpers.py)
expect.  The in-page filters (class checkboxes, date range) and the language
switch are exercised, and a screenshot of the whole graph, taken once the
layout has settled, goes to graph/screenshots/network.png.

Needs ``apt-get install chromium`` and ``pip install playwright==1.65.2`` (no
``playwright install``): without them the test fails, it does not skip.
"""

from __future__ import annotations

import time

import pytest

from nikkan.network.pages import Explorer, ViewOptions, build_pages, write_page

from network_helpers import (
    ALL_NODES,
    BASE,
    NK,
    PROJECT,
    class_members,
    dataset_counts,
    edges_among,
    expected_issues,
    expected_neighbourhood,
    expected_recommendation,
    expected_timeline,
    expected_whole,
    hover_tooltip,
    iris,
    open_page,
    recommendations,
)

SCREENSHOT = PROJECT / "graph" / "screenshots" / "network.png"
TAKAICHI = BASE + "actor/takaichi-sanae"


@pytest.fixture(scope="module")
def explorer(store, built):
    return Explorer(store, built.base_iri)


@pytest.fixture(scope="module")
def pages(explorer, store, tmp_path_factory):
    """(file, expected nodes, expected edges) of each view."""
    folder = tmp_path_factory.mktemp("network-pages")
    recs = recommendations(store)
    assert recs, "the data has no recommendation"
    out = {
        "graph": (explorer.whole(), expected_whole(store)),
        "issues": (explorer.issues(), expected_issues(store)),
        "timeline": (explorer.timeline(), expected_timeline(store)),
        "neighbourhood-1": (explorer.neighbourhood(TAKAICHI, 1), expected_neighbourhood(store, TAKAICHI, 1)),
        "neighbourhood-2": (explorer.neighbourhood("高市早苗", 2), expected_neighbourhood(store, TAKAICHI, 2)),
        "recommendation": (explorer.recommendation(recs[0]), expected_recommendation(store, recs[0])),
        "recommendation-last": (explorer.recommendation(recs[-1], ViewOptions(lang="en", size="degree")),
                                expected_recommendation(store, recs[-1])),
        "timeline-filtered": (explorer.timeline(ViewOptions(date_from="2025-09-01", date_to="2025-12-31")),
                              expected_timeline(store, "2025-09-01", "2025-12-31")),
    }
    return {name: (write_page(folder / f"{name}.html", html), expected) for name, (html, expected) in out.items()}


@pytest.mark.parametrize("view", ["graph", "issues", "timeline", "neighbourhood-1", "neighbourhood-2",
                                  "recommendation", "recommendation-last", "timeline-filtered"])
def test_view_offline_with_expected_counts(view, pages, browser):
    path, (nodes, edges) = pages[view]
    assert nodes > 0
    visit = open_page(browser, path)
    try:
        counts = dataset_counts(visit.page)
        assert visit.problems == []
        assert visit.external == []
        assert visit.dialogs == []
        assert (counts["nodes"], counts["edges"]) == (nodes, edges)
        # nothing is hidden at first, and vis-network draws all of it
        assert (counts["shownNodes"], counts["shownEdges"]) == (nodes, edges)
        assert (counts["drawnNodes"], counts["drawnEdges"]) == (nodes, edges)
        # one script for vis-network, one JSON data island, one for the page: nothing else
        assert visit.page.evaluate("document.scripts.length") == 3
        assert visit.page.evaluate("document.querySelectorAll('link, iframe, img, object, embed').length") == 0
    finally:
        visit.close()


def test_whole_graph_screenshot_language_and_class_filter(pages, browser, store):
    path, (nodes, edges) = pages["graph"]
    started = time.perf_counter()
    visit = open_page(browser, path, viewport=(1600, 1000))
    settle_seconds = time.perf_counter() - started
    page = visit.page
    try:
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        assert SCREENSHOT.stat().st_size > 20000
        assert settle_seconds < 30, f"the whole graph took {settle_seconds:.1f} s to settle"
        # physics is off once the layout settled: nothing keeps the CPU busy
        assert page.evaluate("window.nikkanNetwork.network.physics.physicsEnabled") is False

        # the language switch relabels nodes (Japan's label in each language, from the store)
        ja = iris(store, f'SELECT ?l WHERE {{ <{BASE}actor/japan> rdfs:label ?l FILTER(LANG(?l) = "ja") }}')
        en = iris(store, f'SELECT ?l WHERE {{ <{BASE}actor/japan> rdfs:label ?l FILTER(LANG(?l) = "en") }}')
        japan = f"{BASE}actor/japan"
        read_label = "(id) => window.nikkanNetwork.nodes.get(id).label"
        assert page.evaluate(read_label, japan) == f"{min(ja)}\n{min(en)}"
        page.check("input[name=lang][value=en]")
        assert page.evaluate(read_label, japan) == min(en)
        page.check("input[name=lang][value=ja]")
        assert page.evaluate(read_label, japan) == min(ja)

        # unticking "issue" hides exactly the issues and the relations touching them
        all_nodes = iris(store, ALL_NODES)
        issues = class_members(store, NK + "Issue", all_nodes)
        page.uncheck(f"input[data-class='{NK}Issue']")
        counts = dataset_counts(page)
        assert counts["shownNodes"] == nodes - len(issues)
        assert counts["shownEdges"] == edges_among(store, all_nodes - issues)
        assert counts["nodes"] == nodes  # hidden, not removed
        page.click("#classes-none")
        assert dataset_counts(page)["shownNodes"] == 0
        page.click("#classes-all")
        assert (dataset_counts(page)["shownNodes"], dataset_counts(page)["shownEdges"]) == (nodes, edges)

        # a tooltip is text: type, labels, evidence with its section
        tooltip = hover_tooltip(page, TAKAICHI)
        assert "人物" in tooltip and "高市早苗" in tooltip and "根拠" in tooltip
        assert visit.problems == [] and visit.external == []
    finally:
        visit.close()


def test_timeline_date_filter_in_page(pages, browser, store):
    path, (nodes, edges) = pages["timeline"]
    visit = open_page(browser, path)
    try:
        page = visit.page
        page.fill("#date-from", "2025-09-01")
        page.fill("#date-to", "2025-12-31")
        page.dispatch_event("#date-to", "change")
        expected_nodes, expected_edges = expected_timeline(store, "2025-09-01", "2025-12-31")
        counts = dataset_counts(page)
        assert (counts["shownNodes"], counts["shownEdges"]) == (expected_nodes, expected_edges)
        assert 0 < expected_nodes < nodes
        page.click("#date-clear")
        counts = dataset_counts(page)
        assert (counts["shownNodes"], counts["shownEdges"]) == (nodes, edges)
        # x follows the date: events sorted by x are sorted by their earliest date
        order = page.evaluate("""() => {
            const net = window.nikkanNetwork.network;
            return window.nikkanNetwork.nodes.get().map(n => [net.getPosition(n.id).x, n.id]);
        }""")
        dates = {row[0].value: row[1].value for row in store.query(
            "SELECT ?e ?d WHERE { ?e <https://w3id.org/nikkan/ontology#dateEarliest> ?d }")}
        by_x = [dates[node] for _, node in sorted(order)]
        assert by_x == sorted(by_x)
        assert visit.problems == [] and visit.external == []
    finally:
        visit.close()


def test_build_pages_fast_and_complete(built, store, tmp_path, browser):
    started = time.perf_counter()
    result = build_pages(built, tmp_path / "network", store=store)
    elapsed = time.perf_counter() - started
    names = sorted(path.name for path in result.files)
    recs = recommendations(store)
    assert result.problems == []
    assert names == sorted(["graph.html", "issues.html", "timeline.html", "index.html",
                            *(f"recommendation-{rec.rsplit('/', 1)[1]}.html" for rec in recs)])
    assert elapsed < 3.0, f"build_pages took {elapsed:.2f} s"
    visit = open_page(browser, tmp_path / "network" / "graph.html")
    visit.close()
    # the index is a plain page of links, loading nothing
    index = (tmp_path / "network" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index and "://" not in index


def test_aggregates_or_refuses_above_max_nodes(explorer, store, tmp_path, browser):
    from nikkan.network.pages import ViewTooLarge

    nodes, _ = expected_whole(store)
    limit = nodes - 50
    with pytest.raises(ViewTooLarge, match="max_nodes"):
        explorer.whole(ViewOptions(max_nodes=limit, aggregate=False))
    with pytest.raises(ViewTooLarge, match="even with evidence and propositions collapsed"):
        explorer.whole(ViewOptions(max_nodes=5))
    html = explorer.whole(ViewOptions(max_nodes=limit))
    drawn = explorer.last_view.graph
    assert len(drawn) <= limit
    assert any(data.get("kind") == "aggregate" for _, data in drawn.nodes(data=True))
    visit = open_page(browser, write_page(tmp_path / "aggregated.html", html))
    try:
        counts = dataset_counts(visit.page)
        assert counts["nodes"] == len(drawn) and counts["edges"] == drawn.number_of_edges()
        assert "collapsed into one node" in visit.page.inner_text("#panel")
        assert visit.problems == [] and visit.external == []
    finally:
        visit.close()
