"""Every catalogue query runs and returns exactly what the document supports."""

from __future__ import annotations

import pytest
import yaml

from conftest import BASE, DOC, _plain
from nikkan.query.catalogue import Catalogue
from nikkan.query.params import bind
from nikkan.settings import PROJECT_ROOT

CATALOGUE = Catalogue.load(PROJECT_ROOT / "queries")


def run(store, name, **params):
    entry = CATALOGUE.get(name)
    result = store.query(entry.sparql, bind(entry, params, BASE))
    variables = [v.value for v in result.variables if v.value not in params]
    return [{v: _plain(s[v]) for v in variables} for s in result]


def short(value):
    return value.rsplit("/", 1)[-1] if value else value


def test_catalogue_has_bilingual_documented_questions():
    assert len(CATALOGUE) >= 15
    for entry in CATALOGUE:
        assert entry.question_en and entry.question_ja, entry.name
        assert entry.examples and f"query {entry.name}" in entry.examples[0], entry.name
        for parameter in entry.parameters:
            assert f"?{parameter.name}" in entry.sparql.split("WHERE")[0], f"{entry.name}: {parameter.name} not projected"


def test_every_example_runs(store):
    """Examples run on the built dataset; those that need imported data run in test_store_import."""
    for entry in CATALOGUE:
        if entry.requires:
            continue
        params = dict(arg.split("=", 1) for arg in entry.examples[0].split("--param ")[1:])
        params = {k: v.strip() for k, v in params.items()}
        assert run(store, entry.name, **params), f"{entry.name}: example returned no rows"


def test_recommendations(store):
    found = run(store, "recommendations")
    assert [(r["section"], short(r["recommendation"])) for r in found] == [
        ("韓国新政権にどう向き合うべきか", "rec-share-perception-with-progressive-ruling-party"),
        ("韓国新政権の外交政策に対して", "rec-loose-policy-coalition"),
        ("経済秩序動揺の中の日本と韓国", "rec-economic-security-and-trade-cooperation"),
        ("韓国社会へのまなざし", "rec-local-government-cooperation"),
    ]
    assert set(found[2]["issues"].split(" | ")) >= {"CPTPP", "Rare earths", "Energy", "Supply chains", "Economic security"}
    assert found[0]["addressed_to"] == "Japan"
    assert set(found[3]["addressed_to"].split(" | ")) == {"Japan", "Republic of Korea"}


def test_implications_of_one_recommendation(store):
    found = run(store, "implications-of-recommendation", recommendation=f"document/{DOC}/recommendation/rec-loose-policy-coalition")
    # One row per evidence span, in text order; fpi-design-for-differences has two.
    assert list(dict.fromkeys(short(r["implication"]) for r in found)) == [
        "fpi-coalition-premised-on-differences",
        "fpi-design-for-differences",
        "fpi-combine-deterrence-and-engagement",
        "fpi-shuttle-diplomacy-as-venue",
        "fpi-separate-territory-and-security",
        "fpi-overcome-halting-structure",
        "fpi-predictable-security-cooperation",
        "fpi-coalition-for-trilateral-summit",
        "fpi-embed-management-of-differences",
    ]
    assert len(found) == 10
    separate = next(r for r in found if short(r["implication"]) == "fpi-separate-territory-and-security")
    assert separate["quote"] == "領土問題と安全保障協力を分離して対応することを原則とすべきである"


def test_timeline(store):
    found = run(store, "timeline")
    assert [(r["date"], short(r["event"])) for r in found] == [
        ("2025-06", "rok-government-change-2025-06"),
        ("2025-06", "summit-2025-06"),
        ("2025-08", "summit-2025-08"),
        ("2025-08", "lee-visit-to-japan-2025-08"),
        ("2025-09", "summit-2025-09-busan"),
        ("2025-10", "japan-government-change-2025-10"),
        ("2025-10", "summit-2025-10"),
        ("2025-11", "refuelling-support-cancellation-2025-11"),
        ("2026-01", "defence-ministers-meeting-2026-01"),
        ("2026-01", "leaders-press-conference-2026-01"),
        ("2026-01", "summit-2026-01-nara"),
        ("2026-01", "refuelling-support-2026-01"),
    ]
    busan = next(r for r in found if short(r["event"]) == "summit-2025-09-busan")
    assert busan["places"] == "Busan"
    assert busan["outcomes"] == "Document on the operation of the Japan–ROK consultative body on common social problems"


@pytest.mark.parametrize(
    "post, date, expected",
    [
        ("prime-minister-of-japan", "2025-12-01", [("takaichi-sanae", "certain: no end recorded")]),
        ("prime-minister-of-japan", "2025-10-15", [("ishiba-shigeru", "possible: start not in the sources"), ("takaichi-sanae", "possible: month of change")]),
        ("prime-minister-of-japan", "2025-09-01", [("ishiba-shigeru", "possible: start not in the sources")]),
        ("president-of-korea", "2025-07-01", [("lee-jae-myung", "certain: no end recorded")]),
        ("president-of-korea", "2025-06-15", [("yoon-suk-yeol", "possible: start not in the sources"), ("lee-jae-myung", "possible: month of change")]),
    ],
)
def test_office_holder_on_date(store, post, date, expected):
    found = run(store, "office-holder-on-date", post=f"post/{post}", date=date)
    assert sorted((short(r["holder"]), r["certainty"]) for r in found) == sorted(expected)


def test_evidence_matches_the_curated_quotes(store):
    data = yaml.safe_load((PROJECT_ROOT / "data" / "documents" / f"{DOC}.yaml").read_text(encoding="utf-8"))
    curated = next(a for a in data["actors"] if a["id"] == "takaichi-sanae")["evidence"]
    found = run(store, "evidence", entity="actor/takaichi-sanae")
    assert sorted(r["quote"] for r in found) == sorted(e["quote"] for e in curated)
    assert [int(r["start"]) for r in found] == sorted(int(r["start"]) for r in found)


def test_neighbourhood_one_step(store):
    found = run(store, "neighbourhood", entity="actor/takaichi-sanae", steps="1")
    assert sorted(r["node"] for r in found) == sorted([
        f"document/{DOC}/implication/ngi-advance-shuttle-diplomacy-state-visit",
        f"document/{DOC}/claim/ov-good-relationship-carried-over",
        "event/japan-government-change-2025-10",
        "event/leaders-press-conference-2026-01",
        "event/summit-2026-01-nara",
        "actor/japan",
        "actor/takaichi-administration",
        "incumbency/takaichi-sanae-prime-minister",
        "statement/takaichi-japan-us-rok-importance-2026-01",
        "statement/takaichi-cooperation-willingness-2026-01",
    ])
    assert {r["distance"] for r in found} == {"1"}
    two = run(store, "neighbourhood", entity="actor/takaichi-sanae", steps="2")
    assert {r["node"] for r in found} < {r["node"] for r in two}
    assert "post/prime-minister-of-japan" in {r["node"] for r in two if r["distance"] == "2"}


def test_issue_hierarchy_counts(store):
    found = run(store, "issue-hierarchy")
    assert [(short(r["top"]), r["recommendations"], r["implications"]) for r in found] == [
        ("diplomacy", "3", "17"),
        ("security", "1", "7"),
        ("society", "1", "7"),
        ("economy", "1", "6"),
        ("domestic-politics", "0", "2"),
        ("history-perception", "0", "1"),
    ]
    assert sum(int(r["issues"]) for r in found) >= 79  # every issue sits under some top concept


def test_territorial_issue_and_its_separation_from_security_cooperation(store):
    found = run(store, "propositions-on-issue", issue="issue/territorial-issues")
    assert [short(r["proposition"]) for r in found] == [
        "ngi-do-not-stir-public-opinion",
        "fp-territory-constrains-security-cooperation",
        "fpi-separate-territory-and-security",
        "fpi-overcome-halting-structure",
        "fpi-predictable-security-cooperation",
    ]
    separate = found[2]
    assert separate["under_recommendation"].startswith("Build a loose policy coalition")
    assert "Security cooperation" in separate["also_concerns"]
    assert separate["quote"] == "領土問題と安全保障協力を分離して対応することを原則とすべきである"


def test_co_participants(store):
    found = run(store, "co-participants")
    assert [(r["a_en"], r["b_en"], r["events"]) for r in found] == [
        ("Japan", "Republic of Korea", "7"),
        ("Japan", "Lee Jae-myung", "6"),
        ("Lee Jae-myung", "Republic of Korea", "6"),
        ("Japan", "Takaichi Sanae", "2"),
        ("Lee Jae-myung", "Takaichi Sanae", "2"),
        ("Republic of Korea", "Takaichi Sanae", "2"),
        ("Ishiba Shigeru", "Japan", "1"),
        ("Ishiba Shigeru", "Lee Jae-myung", "1"),
        ("Ishiba Shigeru", "Republic of Korea", "1"),
    ]
    assert set(found[1]["dates"].split(", ")) == {"2025-06", "2025-08", "2025-09", "2025-10", "2026-01"}


def test_path_between_takaichi_and_cptpp(store):
    found = run(store, "path-between", **{"from": "actor/takaichi-sanae", "to": "issue/cptpp"})
    assert {r["length"] for r in found} == {"3"}
    assert [(r["step1"], r["via1"], r["step2"], r["step3"]) for r in found] == [
        ("→ of state", "Japan", "← addressed to", "→ concerns issue"),
        ("→ of state", "Japan", "← addressed to", "→ concerns issue"),
    ]
    assert {r["via2"] for r in found} == {
        "Japan should actively back Korea's accession to CPTPP",
        "Make agreed economic-security cooperation concrete (supply chains and technology for energy and rare earths) and promote trade cooperation for free trade such as CPTPP",
    }


def test_external_links(store):
    found = run(store, "external-links")
    assert {(short(r["entity"]), r["target"].rsplit("/", 1)[1]) for r in found} == {
        ("busan", "Q16520"), ("china", "Q148"), ("ishiba-shigeru", "Q1335527"), ("japan", "Q17"),
        ("korean-peninsula", "Q483134"), ("lee-jae-myung", "Q12612463"), ("north-korea", "Q423"),
        ("south-korea", "Q884"), ("takaichi-sanae", "Q1705028"), ("donald-trump", "Q22686"),
        ("united-states", "Q30"), ("ukraine-war", "Q110999040"), ("yoon-suk-yeol", "Q16090635"),
    }
    assert {r["status"] for r in found} == {"VERIFIED"}
    assert {r["property"] for r in found if short(r["entity"]) == "ukraine-war"} == {"http://www.w3.org/2004/02/skos/core#exactMatch"}


def test_agreements(store):
    found = run(store, "agreements")
    assert {short(r["agreement"]): r["status_en"] for r in found} == {
        "cptpp-agreement": "in place",
        "japan-korea-economic-security-cooperation": "in place",
        "japan-korea-acsa": "prospective",
        "consultative-body-agreement-2025-08": "in place",
        "japan-korea-joint-press-release-2025": "in place",
        "consultative-body-operation-document-2025-09": "in place",
        "defence-ministers-agreement-2026-01": "in place",
    }
    press = next(r for r in found if short(r["agreement"]) == "japan-korea-joint-press-release-2025")
    assert set(press["provisions"].split(" | ")) == {
        "Strengthening the sharing of strategic perceptions",
        "Cooperation in future industries and response to common challenges",
        "Expanding people-to-people exchange",
        "Cooperation on the North Korea issue and global challenges",
    }


def test_statements(store):
    found = run(store, "statements")
    assert [(r["speaker_en"], short(r["statement"])) for r in found] == [
        ("Lee Jae-myung", "lee-japan-china-rok-common-ground-2026-01"),
        ("Lee Jae-myung", "lee-japan-us-rok-importance-2026-01"),
        ("Takaichi Sanae", "takaichi-cooperation-willingness-2026-01"),
        ("Takaichi Sanae", "takaichi-japan-us-rok-importance-2026-01"),
    ]
    assert {r["date"] for r in found} == {"2026-01"}


def test_events_in_window(store):
    january = run(store, "events-in-window", **{"from": "2026-01-01", "to": "2026-01-31"})
    assert sorted(short(r["event"]) for r in january) == [
        "defence-ministers-meeting-2026-01", "leaders-press-conference-2026-01",
        "refuelling-support-2026-01", "summit-2026-01-nara",
    ]
    # A window inside a month still finds that month's events: the month overlaps it.
    mid_november = run(store, "events-in-window", **{"from": "2025-11-10", "to": "2025-11-12"})
    assert [short(r["event"]) for r in mid_november] == ["refuelling-support-cancellation-2025-11"]


def test_succession(store):
    found = run(store, "succession")
    assert [(r["post_en"], r["holder_en"], r["start"], r["end"], r["predecessor_en"]) for r in found] == [
        ("President of the Republic of Korea", "Yoon Suk Yeol", None, None, None),
        ("President of the Republic of Korea", "Lee Jae-myung", "2025-06", None, "Yoon Suk Yeol"),
        ("Prime Minister of Japan", "Ishiba Shigeru", None, "2025-10", None),
        ("Prime Minister of Japan", "Takaichi Sanae", "2025-10", None, "Ishiba Shigeru"),
    ]


def test_argument_structure_three_reasons(store):
    found = run(store, "argument-structure")
    reasons = {short(r["reason"]) for r in found if short(r["supported"]) == "ng-pragmatic-diplomacy-supported"}
    assert {"ng-reason-1-progressive-government", "ng-reason-2-awareness-among-progressives", "ng-reason-3-lee-non-ideological"} <= reasons
    assert len(found) == len({(r["supported"], r["reason"]) for r in found})  # one row per reason


def test_addressees(store):
    found = run(store, "addressees")
    assert [(r["actor_en"], r["recommendations"], r["implications"]) for r in found] == [
        ("Japan", "4", "27"),
        ("Republic of Korea", "3", "11"),
    ]


def test_document_structure(store):
    found = run(store, "document-structure")
    assert len(found) == 18
    assert [r["position"] for r in found[:4]] == ["1.0", "2.0", "3.0", "3.1"]
    assert sum(int(r["recommendations"]) for r in found) == 4
    assert sum(int(r["claims"]) for r in found) == 55
    assert sum(int(r["implications"]) for r in found) == 27


def test_actors(store):
    found = run(store, "actors")
    kinds = {}
    for r in found:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    assert kinds == {
        "agency": 1, "government or administration": 7, "international framework": 4, "local government": 1,
        "military": 2, "organisation": 4, "person": 5, "political party or camp": 3, "research group": 3, "state": 5,
    }
    lee = next(r for r in found if short(r["actor"]) == "lee-jae-myung")
    assert (lee["label_ja"], lee["state_en"], lee["documents"]) == ("李在明", "Republic of Korea", "1")
