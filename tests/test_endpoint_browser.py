"""The home page in Debian's headless Chromium (Playwright, no bundled browser).

Every request to a host other than 127.0.0.1/localhost is aborted and
recorded: the page must make none, log no console error, list the catalogue
(two queries in a temporary folder) and show the right rows after a query
is run from it.  A screenshot goes to graph/screenshots/endpoint.png.

Needs ``apt-get install chromium`` and ``pip install playwright==1.65.2``
(no ``playwright install``): without them the test fails, it does not skip.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

try:
    from .endpoint_fixtures import running_server, write_dataset
except ImportError:  # tests/ is not a package
    from endpoint_fixtures import running_server, write_dataset

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "graph" / "screenshots" / "endpoint.png"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

NK = "https://w3id.org/nikkan/ontology#"
ID = "https://w3id.org/nikkan/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ISSUES = {  # test data only
    "economic-security": ("Economic security", "経済安全保障"),
    "export-controls": ("Export controls", "輸出管理"),
    "history": ("Historical issues", "歴史問題"),
}
ISSUES_NT = "".join(
    f'<{ID}issue/{key}> <{RDF_TYPE}> <{NK}Issue> .\n'
    f'<{ID}issue/{key}> <{SKOS}prefLabel> "{en}"@en .\n'
    f'<{ID}issue/{key}> <{SKOS}prefLabel> "{ja}"@ja .\n'
    for key, (en, ja) in ISSUES.items()
)
ISSUES_QUERY = f"""\
# Question: Which issues does the dataset describe, in English and Japanese?
# 質問: データセットはどの争点を英語と日本語で記述しているか。
PREFIX nk: <{NK}>
PREFIX skos: <{SKOS}>
SELECT ?issue ?en ?ja
WHERE {{
  ?issue a nk:Issue ;
         skos:prefLabel ?en , ?ja .
  FILTER (lang(?en) = "en" && lang(?ja) = "ja")
}}
ORDER BY ?en
"""
GRAPHS_QUERY = """\
# Question: How many triples does each named graph hold (<graph> & count)?
# 質問: 名前付きグラフごとのトリプル数は。
SELECT ?graph (COUNT(*) AS ?triples)
WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph
ORDER BY ?graph
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    settings = write_dataset(folder, {ID + "graph/issues": ISSUES_NT})
    (settings.queries_dir / "issues.rq").write_text(ISSUES_QUERY, encoding="utf-8")
    (settings.queries_dir / "graph-sizes.rq").write_text(GRAPHS_QUERY, encoding="utf-8")
    with running_server(settings, timeout=10, max_rows=1000, workers=2) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install playwright==1.65.2 (no `playwright install`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


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
    entries = page.locator("#catalogue li.entry")
    assert entries.count() == 2
    assert page.locator("#catalogue button.load").all_inner_texts() == ["graph-sizes", "issues"]
    assert page.locator("#catalogue .q-en").all_inner_texts() == [
        "How many triples does each named graph hold (<graph> & count)?",
        "Which issues does the dataset describe, in English and Japanese?",
    ]
    assert page.locator("#catalogue .q-ja").all_inner_texts() == [
        "名前付きグラフごとのトリプル数は。", "データセットはどの争点を英語と日本語で記述しているか。",
    ]
    assert page.locator("#catalogue graph").count() == 0  # the markup in the question stayed text
    # the first query is in the editor; Yasgui sends to this server's endpoint
    assert page.evaluate("window.nikkanYasgui.getTab().getQuery()") == GRAPHS_QUERY
    assert page.evaluate("window.nikkanYasgui.getTab().getEndpoint()") == server.endpoint

    page.click("#catalogue button.load[data-query=issues]")
    assert page.inner_text("#current-en") == "Which issues does the dataset describe, in English and Japanese?"
    assert page.inner_text("#current-ja") == "データセットはどの争点を英語と日本語で記述しているか。"
    assert page.evaluate("window.nikkanYasgui.getTab().getQuery()") == ISSUES_QUERY

    with page.expect_response(lambda response: response.url == server.endpoint) as answer:
        page.click(".yasqe_queryButton")
    assert answer.value.status == 200
    assert answer.value.request.method == "POST"
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.nth(2).wait_for(timeout=15_000)
    cells = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert [row[2:] for row in cells] == [
        ['"Economic security"@en', '"経済安全保障"@ja'],
        ['"Export controls"@en', '"輸出管理"@ja'],
        ['"Historical issues"@en', '"歴史問題"@ja'],
    ]
    assert [row[1] for row in cells] == [
        f"<{ID}issue/economic-security>", f"<{ID}issue/export-controls>", f"<{ID}issue/history>",
    ]

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
