"""Turn the validated, anchored corpus into RDF: one named graph per document."""

from __future__ import annotations

import datetime as dt
import calendar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from ..namespaces import PREFIXES
from .vocab import NK, OA, Iris
from ..sources.anchoring import Anchor
from ..sources.curated import Corpus, Document, Item

SECTION_CLASSES = {
    "front-matter": NK.FrontMatter,
    "overview": NK.OverviewSection,
    "topic": NK.TopicSection,
    "recommendation": NK.RecommendationSection,
    "background": NK.BackgroundSection,
    "implications": NK.ImplicationsSection,
}
KIND_CLASSES = {
    "post": NK.Post,
    "incumbency": NK.Incumbency,
    "issue": NK.Issue,
    "provision": NK.Provision,
    "statement": NK.Statement,
    "recommendation": NK.Recommendation,
    "claim": NK.Claim,
    "implication": NK.Implication,
}
STATUS = {"in-place": NK.InPlace, "prospective": NK.Prospective}

#: YAML reference field → predicate, for every kind that has it.
REFERENCES = {
    "ofState": NK.ofState,
    "memberOf": ORG.memberOf,
    "subOrganisationOf": ORG.subOrganizationOf,
    "hasMember": NK.hasMember,
    "ledBy": NK.ledBy,
    "governs": NK.governs,
    "locatedIn": NK.locatedIn,
    "postIn": NK.postIn,
    "holder": NK.holder,
    "post": NK.post,
    "precededBy": NK.precededBy,
    "broader": SKOS.broader,
    "place": NK.place,
    "participants": NK.participant,
    "partOf": NK.partOfFramework,
    "follows": NK.follows,
    "issues": NK.concernsIssue,
    "actors": NK.concernsActor,
    "parties": NK.party,
    "adoptedAt": NK.adoptedAt,
    "speaker": NK.speaker,
    "madeAt": NK.madeAt,
    "about": NK.about,
    "addressedTo": NK.addressedTo,
    "supports": NK.supports,
}
DATES = {
    "date": (NK.date, NK.dateEarliest, NK.dateLatest),
    "start": (NK.startDate, NK.startEarliest, NK.startLatest),
    "end": (NK.endDate, NK.endEarliest, NK.endLatest),
}


def date_literal(value: str) -> Literal:
    """A date at the precision written: xsd:gYear, xsd:gYearMonth or xsd:date."""
    datatype = {1: XSD.gYear, 2: XSD.gYearMonth, 3: XSD.date}[len(value.split("-"))]
    return Literal(value, datatype=datatype)


def date_bounds(value: str) -> tuple[Literal, Literal]:
    """First and last day a date of any precision allows."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    if len(parts) == 3:
        first = last = dt.date(*parts)
    elif len(parts) == 2:
        first, last = dt.date(year, parts[1], 1), dt.date(year, parts[1], calendar.monthrange(year, parts[1])[1])
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Literal(first.isoformat(), datatype=XSD.date), Literal(last.isoformat(), datatype=XSD.date)


class Emitter:
    def __init__(self, corpus: Corpus, iris: Iris):
        self.corpus = corpus
        self.iris = iris

    def iri(self, item: Item) -> URIRef:
        if item.kind == "provision":
            return self.iris.provision(item.parent.id, item.id)
        if item.document is not None and item.kind in ("recommendation", "claim", "implication"):
            return self.iris.in_document(item.document, item.kind, item.id)
        return self.iris.entity(item.kind, item.id)

    def ref(self, ref: str, document: str | None) -> URIRef:
        target = self.corpus.resolve(ref, document)
        if target == "section":
            return self.iris.in_document(document, "section", ref)
        return self.iri(target)

    def document_graphs(self) -> dict[str, Graph]:
        """One graph per document, holding what its file declares and the evidence it gives."""
        graphs: dict[str, Graph] = {}
        for doc in self.corpus.documents.values():
            graph = Graph()
            for prefix, ns in PREFIXES.items():
                graph.bind(prefix, ns)
            graph.bind("id", self.iris.ns)
            self._document(graph, doc)
            graphs[doc.id] = graph
        for item in self.corpus.items():
            if item.document is not None:
                self._item(graphs[item.document], item)
            for doc_id, anchor in item.evidence:
                self._evidence(graphs[doc_id], self.iri(item), doc_id, anchor)
        for doc in self.corpus.documents.values():
            self._structure_links(graphs[doc.id], doc)
        return graphs

    # -- documents and sections

    def _document(self, g: Graph, doc: Document) -> None:
        spec, node = doc.spec, self.iris.document(doc.id)
        g.add((node, RDF.type, NK.PolicyDocument))
        for lang, text in spec["title"].items():
            g.add((node, DCTERMS.title, Literal(text, lang=lang)))
            g.add((node, RDFS.label, Literal(text, lang=lang)))
        g.add((node, DCTERMS.language, Literal(spec["language"])))
        g.add((node, NK.finalised, date_literal(spec["finalised"])))
        g.add((node, NK.sha256, Literal(spec["sha256"])))
        g.add((node, DCTERMS.source, Literal(spec["source"].rsplit("/", 1)[-1])))
        for actor in spec.get("attributedTo", []):
            g.add((node, URIRef("http://www.w3.org/ns/prov#wasAttributedTo"), self.ref(actor, doc.id)))
        for anchor in doc.evidence:
            self._evidence(g, node, doc.id, anchor)
        for span in doc.source.sections.values():
            section = self.iris.in_document(doc.id, "section", span.id)
            parent = self.iris.in_document(doc.id, "section", span.parent) if span.parent else node
            g.add((section, RDF.type, SECTION_CLASSES[span.kind]))
            g.add((section, DCTERMS.isPartOf, parent))
            g.add((parent, DCTERMS.hasPart, section))
            g.add((section, NK.order, Literal(span.order)))
            self._labels(g, section, span.spec)
            if "number" in span.spec:
                g.add((section, NK.number, Literal(span.spec["number"])))
            if span.heading_end is not None:
                heading = doc.source.text[span.start : span.heading_end]
                g.add((section, NK.heading, Literal(heading)))

    def _structure_links(self, g: Graph, doc: Document) -> None:
        """Recommendation → claims of its topic's background, implications of its implications."""
        sections = doc.source.sections
        topic_of = {span.id: span.parent for span in sections.values()}
        by_topic: dict[str, dict[str, list[Item]]] = {}
        for item in doc.items.values():
            topic = topic_of.get(item.spec["section"])
            kind = sections[item.spec["section"]].kind
            by_topic.setdefault(topic, {}).setdefault(kind, []).append(item)
        for parts in by_topic.values():
            for recommendation in (i for i in parts.get("recommendation", []) if i.kind == "recommendation"):
                for claim in (i for i in parts.get("background", []) if i.kind == "claim"):
                    g.add((self.iri(recommendation), NK.hasBackground, self.iri(claim)))
                for implication in (i for i in parts.get("implications", []) if i.kind == "implication"):
                    g.add((self.iri(recommendation), NK.hasImplication, self.iri(implication)))

    # -- entities and propositions

    def _labels(self, g: Graph, node: URIRef, spec: dict) -> None:
        for lang, text in spec.get("label", {}).items():
            g.add((node, RDFS.label, Literal(text, lang=lang)))
        for lang, texts in spec.get("altLabels", {}).items():
            for text in texts:
                g.add((node, SKOS.altLabel, Literal(text, lang=lang)))

    def _item(self, g: Graph, item: Item) -> None:
        spec, node, doc = item.spec, self.iri(item), item.document
        cls = NK[spec["type"]] if "type" in spec else KIND_CLASSES[item.kind]
        g.add((node, RDF.type, cls))
        self._labels(g, node, spec)
        for key, predicate in REFERENCES.items():
            values = spec.get(key)
            for value in [values] if isinstance(values, str) else values or []:
                g.add((node, predicate, self.ref(value, doc)))
        for key, (predicate, earliest, latest) in DATES.items():
            if key in spec:
                g.add((node, predicate, date_literal(spec[key])))
                first, last = date_bounds(spec[key])
                g.add((node, earliest, first))
                g.add((node, latest, last))
        if "dateNote" in spec:
            g.add((node, NK.dateNote, Literal(spec["dateNote"], lang="en")))
        if "summary" in spec:
            g.add((node, NK.summary, Literal(spec["summary"]["en"], lang="en")))
        if "section" in spec:
            g.add((node, NK.statedIn, self.iris.in_document(doc, "section", spec["section"])))
        if "isoCode" in spec:
            g.add((node, NK.isoCode, Literal(spec["isoCode"])))
        if "status" in spec:
            g.add((node, NK.status, STATUS[spec["status"]]))
        for provision in spec.get("provisions", []):
            g.add((node, NK.hasProvision, self.iris.provision(item.id, provision["id"])))
        if item.kind == "issue":
            self._concept(g, node, spec)
        if item.kind == "incumbency":
            # Shortcut for simple queries: the person holds the post (org:holds).
            g.add((self.ref(spec["holder"], doc), ORG.holds, self.ref(spec["post"], doc)))
            holder, post = (self.corpus.entities[spec[k]].spec["label"] for k in ("holder", "post"))
            g.add((node, RDFS.label, Literal(f"{holder['ja']}({post['ja']})", lang="ja")))
            g.add((node, RDFS.label, Literal(f"{holder['en']} as {post['en']}", lang="en")))

    def _concept(self, g: Graph, node: URIRef, spec: dict) -> None:
        scheme = self.iris.issue_scheme()
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, RDFS.label, Literal("争点体系", lang="ja")))
        g.add((scheme, RDFS.label, Literal("Issue scheme", lang="en")))
        g.add((node, SKOS.inScheme, scheme))
        for lang, text in spec["label"].items():
            g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((node, SKOS.definition, Literal(spec["definition"]["en"], lang="en")))
        if not spec.get("broader"):
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))
        for parent in spec.get("broader", []):
            g.add((self.iris.entity("issue", parent), SKOS.narrower, node))

    # -- evidence: W3C Web Annotation selectors

    def _evidence(self, g: Graph, subject: URIRef, doc: str, anchor: Anchor) -> None:
        node = self.iris.evidence(doc, anchor.start, anchor.end)
        quote, position = URIRef(f"{node}/quote"), URIRef(f"{node}/position")
        g.add((subject, NK.evidence, node))
        g.add((node, RDF.type, NK.Evidence))
        g.add((node, OA.hasSource, self.iris.document(doc)))
        g.add((node, NK.inSection, self.iris.in_document(doc, "section", anchor.section)))
        g.add((node, OA.hasSelector, quote))
        g.add((node, OA.hasSelector, position))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(anchor.exact)))
        g.add((quote, OA.prefix, Literal(anchor.prefix)))
        g.add((quote, OA.suffix, Literal(anchor.suffix)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(anchor.start, datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(anchor.end, datatype=XSD.nonNegativeInteger)))
