"""Every statement is anchored: quotes equal the source span they point to."""

from __future__ import annotations

from conftest import rows


def test_every_quote_equals_its_source_span(store, source_text):
    spans = rows(
        store,
        """SELECT ?evidence ?exact ?start ?end ?prefix ?suffix WHERE {
             ?evidence a nk:Evidence ; oa:hasSelector ?q , ?p .
             ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
             ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end . }""",
    )
    assert len(spans) > 150
    for evidence, exact, start, end, prefix, suffix in spans:
        start, end = int(start), int(end)
        assert source_text[start:end] == exact, evidence
        assert source_text[:start].endswith(prefix) and source_text[end:].startswith(suffix), evidence
        assert evidence.endswith(f"/evidence/{start}-{end}")


def test_evidence_lies_in_the_section_it_names(store, source_text):
    spans = rows(
        store,
        """SELECT ?start ?end ?heading WHERE {
             ?evidence a nk:Evidence ; nk:inSection ?section ;
                       oa:hasSelector [ oa:start ?start ; oa:end ?end ] .
             OPTIONAL { ?section nk:heading ?heading } }""",
    )
    for start, end, heading in spans:
        if heading is None:  # front matter: before the first heading
            assert int(end) <= source_text.index("1.総論")
        else:
            before = source_text[: int(start)]
            assert heading in before.splitlines(), (heading, start)


def test_every_proposition_event_and_claim_has_evidence(store):
    missing = rows(
        store,
        """SELECT ?thing WHERE {
             VALUES ?class { nk:Recommendation nk:Implication nk:Claim nk:Event nk:Agreement nk:Statement nk:Actor }
             ?thing a/rdfs:subClassOf* ?class .
             FILTER NOT EXISTS { ?thing nk:evidence ?e } }""",
    )
    assert missing == []


def test_recommendations_quote_their_recommendation_section(store):
    found = rows(
        store,
        """SELECT ?heading (COUNT(DISTINCT ?r) AS ?n) WHERE {
             ?r a nk:Recommendation ; nk:evidence/nk:inSection ?s .
             ?s nk:heading ?heading . } GROUP BY ?heading""",
    )
    assert found == [("提言", "4")]
