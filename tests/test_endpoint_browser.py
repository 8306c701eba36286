"""The home page in Debian's headless Chromium (Playwright, no bundled browser).

Every request to a host other than 127.0.0.1/localhost is aborted and
recorded: the page must make none, log no console error, list the catalogue
(the project's queries plus one whose question holds markup) and show the
document's four recommendations after that query is run from it, on the real
build.  A screenshot goes to graph/screenshots/endpoint.png.

Needs ``apt-get install chromium`` and ``pip install playwright==1.65.2``
(no ``playwright install``): without them the test fails, it does not skip.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from endpoint_fixtures import running_server

SCREENSHOT = Path(__file__).resolve().parents[1] / "graph" / "screenshots" / "endpoint.png"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

ID = "https://w3id.org/nikkan/id/"
DOC = "kp-fy2025-korea-politics-diplomacy"
QUERIES = Path(__file__).resolve().parents[1] / "queries"
RECOMMENDATIONS = [
    "rec-share-perception-with-progressive-ruling-party",
    "rec-loose-policy-coalition",
    "rec-economic-security-and-trade-cooperation",
    "rec-local-government-cooperation",
]
GRAPHS_QUERY = """\
# Question: How many triples does each named graph hold (<graph> & count)?
# 質問: 名前付きグラフごとのトリプル数は。
SELECT ?graph (COUNT(*) AS ?triples)
WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph
ORDER BY ?graph
"""


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    queries = tmp_path_factory.mktemp("queries")
    for rq in QUERIES.glob("*.rq"):
        shutil.copy(rq, queries / rq.name)
    (queries / "graph-sizes.rq").write_text(GRAPHS_QUERY, encoding="utf-8")
    settings = built.with_(queries_dir=queries)
    with running_server(settings, timeout=10, max_rows=1000, workers=2) as live:
        yield live


def test_home_page_offline_query(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="en-GB",
                                  service_workers="block")
    page = context.new_page()
    foreign, requests, problems = [], [], []

    def route(route):
        url = route.request.url
        requests.append((route.request.method, url))
        if urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: urlparse(request.url).hostname in LOCAL_HOSTS
            and problems.append(f"request failed: {request.url} {request.failure}"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}"))

    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)

    # the catalogue, both languages, escaped
    names = sorted([rq.stem for rq in QUERIES.glob("*.rq")] + ["graph-sizes"])
    assert page.locator("#catalogue li.entry").count() == len(names)
    assert page.locator("#catalogue button.load").all_inner_texts() == names
    questions = page.locator("#catalogue .q-en").all_inner_texts()
    assert "How many triples does each named graph hold (<graph> & count)?" in questions
    assert "名前付きグラフごとのトリプル数は。" in page.locator("#catalogue .q-ja").all_inner_texts()
    assert page.locator("#catalogue graph").count() == 0  # the markup in the question stayed text
    # the first query is in the editor; Yasgui sends to this server's endpoint
    assert page.evaluate("window.nikkanYasgui.getTab().getQuery()") == (QUERIES / f"{names[0]}.rq").read_text(encoding="utf-8")
    assert page.evaluate("window.nikkanYasgui.getTab().getEndpoint()") == server.endpoint

    page.click("#catalogue button.load[data-query=recommendations]")
    assert page.inner_text("#current-en").startswith("What does each recommendation say")
    assert page.inner_text("#current-ja").startswith("各提言は何を述べ")
    assert page.evaluate("window.nikkanYasgui.getTab().getQuery()") == (QUERIES / "recommendations.rq").read_text(encoding="utf-8")

    with page.expect_response(lambda response: response.url == server.endpoint) as answer:
        page.click(".yasqe_queryButton")
    assert answer.value.status == 200
    assert answer.value.request.method == "POST"
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.nth(3).wait_for(timeout=15_000)
    cells = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert [row[2] for row in cells] == [f"<{ID}document/{DOC}/recommendation/{r}>" for r in RECOMMENDATIONS]
    assert cells[0][1] == '"韓国新政権にどう向き合うべきか"@ja'

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    assert foreign == [], f"the page tried to reach other hosts: {foreign}"
    assert problems == [], problems
    assert {urlparse(url).path for _, url in requests} <= {
        "/", "/sparql", "/static/endpoint.js", "/static/endpoint.css",
        "/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css",
    }

    # control: the guard does see and stop a request to another host (from a page without our CSP)
    control = context.new_page()
    control.goto("about:blank")
    control.evaluate("fetch('http://example.org/probe').catch(() => null)")
    assert foreign == ["http://example.org/probe"]
    context.close()
