"""The document's facts, asked of the built graph with SPARQL; answers derived from the text."""

from __future__ import annotations

from conftest import DOC, rows


def test_four_recommendations_one_per_topic_section_in_order(store):
    found = rows(
        store,
        """SELECT ?topic ?heading ?recommendation WHERE {
             ?recommendation a nk:Recommendation ; nk:statedIn ?part .
             ?part a nk:RecommendationSection ; dcterms:isPartOf ?topic .
             ?topic nk:heading ?heading ; nk:order ?order } ORDER BY ?order""",
    )
    assert [(t.rsplit("/", 1)[1], h, r.rsplit("/", 1)[1]) for t, h, r in found] == [
        ("new-government", "2.韓国新政権にどう向き合うべきか", "rec-share-perception-with-progressive-ruling-party"),
        ("foreign-policy", "3.韓国新政権の外交政策に対して", "rec-loose-policy-coalition"),
        ("economic-order", "4.経済秩序動揺の中の日本と韓国", "rec-economic-security-and-trade-cooperation"),
        ("korean-society", "韓国社会へのまなざし", "rec-local-government-cooperation"),
    ]


def test_unnumbered_topic_section_keeps_its_irregular_heading(store):
    found = rows(
        store,
        """SELECT ?heading ?number WHERE { ?s a nk:TopicSection ; nk:heading ?heading .
             OPTIONAL { ?s nk:number ?number } } ORDER BY ?heading""",
    )
    assert ("韓国社会へのまなざし", None) in found
    assert sorted(n for _, n in found if n) == ["2", "3", "4"]


def test_every_recommendation_has_background_and_implications(store):
    found = rows(
        store,
        """SELECT ?r (COUNT(DISTINCT ?b) AS ?backgrounds) (COUNT(DISTINCT ?i) AS ?implications) WHERE {
             ?r a nk:Recommendation ; nk:hasBackground ?b ; nk:hasImplication ?i } GROUP BY ?r ORDER BY ?r""",
    )
    assert len(found) == 4
    assert all(int(b) >= 1 and int(i) >= 2 for _, b, i in found)
    assert sum(int(i) for _, _, i in found) == 27


def test_five_summits_under_the_lee_administration(store):
    found = rows(
        store,
        """SELECT ?date (DATATYPE(?date) AS ?type) (GROUP_CONCAT(DISTINCT ?where; separator=",") AS ?places) WHERE {
             ?summit a nk:Summit ; nk:date ?date ; nk:participant <https://w3id.org/nikkan/id/actor/lee-jae-myung> .
             OPTIONAL { ?summit nk:place ?place BIND(STRAFTER(STR(?place), "/id/") AS ?where) }
           } GROUP BY ?date ORDER BY ?date""",
    )
    month = "http://www.w3.org/2001/XMLSchema#gYearMonth"
    assert [(d, t, p or "") for d, t, p in found] == [
        ("2025-06", month, ""),
        ("2025-08", month, "actor/japan"),
        ("2025-09", month, "place/busan"),
        ("2025-10", month, ""),
        ("2026-01", month, "place/nara"),
    ]


def test_nara_summit_participants_and_shuttle_diplomacy(store):
    found = rows(
        store,
        """SELECT ?participant ?framework WHERE {
             <https://w3id.org/nikkan/id/event/summit-2026-01-nara> nk:participant ?participant ;
                 nk:partOfFramework ?framework } ORDER BY ?participant""",
    )
    assert found == [
        ("actor/japan", "actor/japan-korea-shuttle-diplomacy"),
        ("actor/lee-jae-myung", "actor/japan-korea-shuttle-diplomacy"),
        ("actor/south-korea", "actor/japan-korea-shuttle-diplomacy"),
        ("actor/takaichi-sanae", "actor/japan-korea-shuttle-diplomacy"),
    ]


def test_joint_press_release_and_busan_document(store):
    found = rows(
        store,
        """SELECT ?agreement ?date ?at (COUNT(DISTINCT ?provision) AS ?provisions) WHERE {
             VALUES ?agreement { <https://w3id.org/nikkan/id/agreement/japan-korea-joint-press-release-2025>
                                 <https://w3id.org/nikkan/id/agreement/consultative-body-operation-document-2025-09> }
             ?agreement a nk:JointDocument ; nk:date ?date ; nk:adoptedAt ?at ; nk:status nk:InPlace .
             OPTIONAL { ?agreement nk:hasProvision ?provision }
           } GROUP BY ?agreement ?date ?at ORDER BY ?date""",
    )
    assert found == [
        ("agreement/japan-korea-joint-press-release-2025", "2025-08", "event/summit-2025-08", "4"),
        ("agreement/consultative-body-operation-document-2025-09", "2025-09", "event/summit-2025-09-busan", "0"),
    ]


def test_defence_ministers_meeting_and_what_it_agreed(store):
    found = rows(
        store,
        """SELECT ?date ?provision WHERE {
             ?meeting a nk:MinisterialMeeting ; nk:date ?date .
             ?agreement nk:adoptedAt ?meeting ; nk:hasProvision/rdfs:label ?provision .
             FILTER(LANG(?provision) = "ja") } ORDER BY ?provision""",
    )
    assert {d for d, _ in found} == {"2026-01"}
    labels = " ".join(p for _, p in found)
    for agreed in ("相互訪問の毎年実施", "人的交流及び部隊交流の活性化", "先端科学技術分野", "防衛協力・交流の安定的な推進"):
        assert agreed in labels, agreed
    assert len(found) == 4


def test_refuelling_support_cancelled_then_realised(store):
    found = rows(
        store,
        """SELECT ?kind ?date ?issue ?follows WHERE {
             ?e a ?kind ; nk:date ?date .
             VALUES ?kind { nk:Cancellation nk:Operation }
             OPTIONAL { ?e nk:concernsIssue <https://w3id.org/nikkan/id/issue/takeshima-issue> BIND("takeshima" AS ?issue) }
             OPTIONAL { ?e nk:follows ?follows } } ORDER BY ?date""",
    )
    assert found == [
        ("https://w3id.org/nikkan/ontology#Cancellation", "2025-11", "takeshima", None),
        ("https://w3id.org/nikkan/ontology#Operation", "2026-01", None, "event/refuelling-support-cancellation-2025-11"),
    ]
    place = rows(store, "SELECT ?p WHERE { ?e a nk:Cancellation ; nk:place ?p }")
    assert place == [("place/sdf-base",)]


def test_office_holders_and_succession(store):
    found = rows(
        store,
        """SELECT ?post ?holder ?start ?end ?predecessor WHERE {
             ?i nk:post ?post ; nk:holder ?holder .
             OPTIONAL { ?i nk:startDate ?start } OPTIONAL { ?i nk:endDate ?end }
             OPTIONAL { ?i nk:precededBy/nk:holder ?predecessor } } ORDER BY ?post ?start""",
    )
    assert found == [
        ("post/president-of-korea", "actor/yoon-suk-yeol", None, None, None),
        ("post/president-of-korea", "actor/lee-jae-myung", "2025-06", None, "actor/yoon-suk-yeol"),
        ("post/prime-minister-of-japan", "actor/ishiba-shigeru", None, "2025-10", None),
        ("post/prime-minister-of-japan", "actor/takaichi-sanae", "2025-10", None, "actor/ishiba-shigeru"),
    ]


def test_change_of_prime_minister_is_an_event_of_october_2025(store):
    found = rows(store, "SELECT ?date WHERE { ?e a nk:GovernmentChange ; nk:date ?date ; nk:concernsActor <https://w3id.org/nikkan/id/actor/takaichi-sanae> }")
    assert found == [("2025-10",)]


def test_dates_keep_their_precision_and_get_day_bounds(store):
    found = rows(
        store,
        """SELECT ?date ?earliest ?latest WHERE {
             <https://w3id.org/nikkan/id/event/defence-ministers-meeting-2026-01> nk:date ?date ;
                 nk:dateEarliest ?earliest ; nk:dateLatest ?latest }""",
    )
    assert found == [("2026-01", "2026-01-01", "2026-01-31")]
    finalised = rows(store, f"SELECT ?d (DATATYPE(?d) AS ?t) WHERE {{ <https://w3id.org/nikkan/id/document/{DOC}> nk:finalised ?d }}")
    assert finalised == [("2026-03-16", "http://www.w3.org/2001/XMLSchema#date")]


def test_issue_hierarchy_examples(store):
    def path(issue):
        return [
            r[0]
            for r in rows(
                store,
                f"SELECT ?up WHERE {{ <https://w3id.org/nikkan/id/issue/{issue}> skos:broader+ ?up }} ORDER BY ?up",
            )
        ]

    assert "issue/territorial-issues" in path("takeshima-issue") and "issue/security" in path("takeshima-issue")
    for leaf in ("rare-earths", "energy"):
        assert {"issue/supply-chains", "issue/economic-security", "issue/economy"} <= set(path(leaf)), leaf
    assert "issue/trade" in path("cptpp")
    for leaf in ("population-decline", "capital-region-concentration", "regional-revitalisation", "foreign-residents-coexistence", "human-rights"):
        assert "issue/society" in path(leaf), leaf


def test_labels_are_bilingual_and_korean_where_natural(store):
    found = rows(
        store,
        """SELECT ?ja ?en ?ko WHERE { <https://w3id.org/nikkan/id/actor/lee-jae-myung> rdfs:label ?ja , ?en , ?ko .
             FILTER(LANG(?ja) = "ja" && LANG(?en) = "en" && LANG(?ko) = "ko") }""",
    )
    assert found == [("李在明", "Lee Jae-myung", "이재명")]


def test_propositions_carry_a_translated_summary(store):
    missing = rows(
        store,
        """SELECT ?p WHERE { ?p a/rdfs:subClassOf* nk:Proposition .
             FILTER NOT EXISTS { ?p nk:summary ?s FILTER(LANG(?s) = "en") } }""",
    )
    assert missing == []
    counts = rows(
        store,
        """SELECT ?class (COUNT(?p) AS ?n) WHERE { VALUES ?class { nk:Recommendation nk:Claim nk:Implication }
             ?p a ?class } GROUP BY ?class ORDER BY ?class""",
    )
    assert [(c.rsplit("#", 1)[1], n) for c, n in counts] == [("Claim", "55"), ("Implication", "27"), ("Recommendation", "4")]


def test_document_provenance(store):
    found = rows(
        store,
        f"""SELECT ?by ?sha WHERE {{ <https://w3id.org/nikkan/id/document/{DOC}> prov:wasAttributedTo ?by ; nk:sha256 ?sha }}""",
    )
    assert found == [("actor/korea-politics-diplomacy-subcommittee", "63a07083dcc0e7b4e0ba14a68eaf5866b38110fa6740b5f471adb3a45e084001")]
