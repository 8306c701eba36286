"""The query CLI: catalogue, formats, safe parameters, clear errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from nikkan.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def nikkan(built):
    def run(*args, check=True):
        result = subprocess.run(
            [sys.executable, "-m", "nikkan.cli", "--out-dir", str(built.out_dir), *args],
            capture_output=True, text=True, cwd=PROJECT_ROOT,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result
    return run


def test_list_shows_every_query_in_both_languages(nikkan):
    out = nikkan("query", "--list").stdout
    assert "office-holder-on-date" in out and "Who held a given office" in out and "ある日付にある役職" in out
    assert "--param post=<iri> --param date=<date>" in out


def test_table_is_aligned_for_wide_characters(nikkan):
    from nikkan.query.results import width

    header, _rule, *body, count = nikkan("query", "succession").stdout.splitlines()
    assert count == "(4 rows)"
    column = width(header[: header.index("holder_ja")])
    names = ["尹錫悦", "李在明", "石破茂", "高市早苗"]
    assert [next(n for n in names if n in line) for line in body] == names
    for line, name in zip(body, names):
        assert width(line[: line.index(name)]) == column  # CJK characters count two cells


def test_csv_tsv_json_are_standard_sparql_results(nikkan):
    args = ("query", "office-holder-on-date", "-p", "post=post/prime-minister-of-japan", "-p", "date=2025-12-01")
    rows = list(csv.DictReader(io.StringIO(nikkan(*args, "-f", "csv").stdout)))
    assert [(r["holder_en"], r["certainty"]) for r in rows] == [("Takaichi Sanae", "certain: no end recorded")]
    tsv = nikkan(*args, "-f", "tsv").stdout.splitlines()
    assert tsv[0].startswith("?post\t?date\t?holder") and '"Takaichi Sanae"@en' in tsv[1]
    data = json.loads(nikkan(*args, "-f", "json").stdout)
    assert data["results"]["bindings"][0]["holder_ja"] == {"type": "literal", "value": "高市早苗", "xml:lang": "ja"}


def test_construct_as_turtle(nikkan, tmp_path):
    rq = tmp_path / "summits.rq"
    rq.write_text(
        "PREFIX nk: <https://w3id.org/nikkan/ontology#>\n"
        "CONSTRUCT { ?s nk:date ?d } WHERE { ?s a nk:Summit ; nk:date ?d }\n",
        encoding="utf-8",
    )
    out = nikkan("query", "--file", str(rq), "-f", "turtle").stdout
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert sorted(t.object.value for t in triples) == ["2025-06", "2025-08", "2025-09", "2025-10", "2026-01"]


def test_describe_and_evidence_by_japanese_or_english_label(nikkan):
    out = nikkan("describe", "釜山").stdout
    assert out.startswith("# https://w3id.org/nikkan/id/place/busan")
    assert "event/summit-2025-09-busan" in out
    ambiguous = nikkan("describe", "竹島", check=False)  # a place and, as alternative label, an issue
    assert ambiguous.returncode == 2 and "2 entities are labelled '竹島'" in ambiguous.stderr
    evidence = nikkan("evidence", "Takaichi Sanae").stdout
    assert "高市早苗首相と李大統領にも引き継がれ" in evidence
    missing = nikkan("describe", "Nobody at all", check=False)
    assert missing.returncode == 2 and "no entity is labelled 'Nobody at all'" in missing.stderr


INJECTIONS = ['"} ; DROP ALL ; #', "x\" } } UNION { ?s ?p ?o } #", "'; CLEAR DEFAULT ; '", "\\\" . } #"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_string_parameter_cannot_change_the_query(nikkan, tmp_path, value):
    rq = tmp_path / "by-label.rq"
    rq.write_text(
        "# Question: Which entity has this exact English label?\n"
        "# 質問: この英語ラベルを持つ実体は何か。\n"
        "# Parameter: label string  The label\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label ?entity WHERE { ?entity rdfs:label ?l FILTER(STR(?l) = ?label) }\n",
        encoding="utf-8",
    )
    result = nikkan("query", "--file", str(rq), "-p", f"label={value}", "-f", "json")
    assert json.loads(result.stdout)["results"]["bindings"] == []
    # the dataset is untouched and the same query still finds a real label
    found = json.loads(nikkan("query", "--file", str(rq), "-p", "label=Takaichi Sanae", "-f", "json").stdout)
    assert [b["entity"]["value"] for b in found["results"]["bindings"]] == ["https://w3id.org/nikkan/id/actor/takaichi-sanae"]


@pytest.mark.parametrize("value", ['actor/x> } ; DROP ALL ; #', "actor/a b", 'actor/"quoted"'])
def test_iri_parameter_rejects_injection(nikkan, value):
    result = nikkan("query", "evidence", "-p", f"entity={value}", check=False)
    assert result.returncode == 2
    assert "is not a valid IRI" in result.stderr and "Traceback" not in result.stderr


def test_syntax_error_names_the_position(nikkan, tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("SELECT ?s\nWHERE { ?s ?p ?o } LIMT 5\n", encoding="utf-8")
    result = nikkan("query", "--file", str(rq), check=False)
    assert result.returncode == 2
    assert f"{rq}:2:26: syntax error" in result.stderr
    assert "WHERE { ?s ?p ?o } LIMT 5\n  " + " " * 25 + "^" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_prefix_is_named(nikkan, tmp_path):
    rq = tmp_path / "prefix.rq"
    rq.write_text("SELECT ?s WHERE { ?s foo:bar ?o }\n", encoding="utf-8")
    result = nikkan("query", "--file", str(rq), check=False)
    assert result.returncode == 2 and "unknown prefix foo:" in result.stderr and f"{rq}:1:" in result.stderr


def test_unknown_and_missing_parameters(nikkan):
    unknown = nikkan("query", "succession", "-p", "post=post/x", check=False)
    assert unknown.returncode == 2 and "query 'succession' has no parameter post" in unknown.stderr
    missing = nikkan("query", "office-holder-on-date", "-p", "post=post/prime-minister-of-japan", check=False)
    assert missing.returncode == 2 and "needs --param date=…" in missing.stderr
    bad_date = nikkan("query", "office-holder-on-date", "-p", "post=post/x", "-p", "date=2025-13-01", check=False)
    assert bad_date.returncode == 2 and "parameter date: '2025-13-01': expected a date YYYY-MM-DD" in bad_date.stderr


def test_unknown_query_name(nikkan):
    result = nikkan("query", "no-such-query", check=False)
    assert result.returncode == 2 and "no query named 'no-such-query'" in result.stderr


def test_python_api_runs_one_catalogue_query_and_names_unknown_ones(built, store):
    from nikkan.query import run_catalogue_query
    from nikkan.query.catalogue import CatalogueError

    rows = run_catalogue_query(built, store, "office-holder-on-date", post="post/prime-minister-of-japan", date="2025-12-01")
    assert [row["holder_en"].value for row in rows] == ["Takaichi Sanae"]
    for name in ("no-such-query", "../ontology/checks/label-whitespace"):
        with pytest.raises(CatalogueError, match="no query named"):
            run_catalogue_query(built, store, name)
