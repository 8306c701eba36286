"""Synthetic corpora of any size, made by the project's own build path, for benchmarks and scale tests.

``python -m nikkan.synthetic --triples 100000 --seed 1 --out DIR`` writes ``DIR/dataset.nq``
(and ``dataset.trig``): the ontology graph plus one named graph per synthetic document,
exactly as ``build_graph.py`` lays out ``graph/dataset.nq``, so every store loads it the
same way.  ``DIR/synthetic.json`` records the seed, the size, the checks made and, for
every parameterised catalogue query, values that exist in the data.

Nothing here writes RDF by itself.  For each document the generator writes a source
text (``DIR/data/sources/<doc>.ja.txt``) and the curated facts about it (the same
mappings ``data/documents/*.yaml`` hold; ``--yaml`` also writes them as YAML, so
``build_graph.py --data-dir DIR/data`` rebuilds the same graphs), then runs them
through the build's own code: :class:`~nikkan.sources.anchoring.SourceText` locates the
sections and anchors every quote, :class:`~nikkan.build.emit.Emitter` emits the
document's graph, and :func:`~nikkan.build.outputs.serialise_dataset` serialises it.

The world the documents describe grows with them: states, international frameworks
and research groups, posts held over time (incumbencies chained by ``precededBy``),
persons, governments, parties, places, an issue hierarchy (SKOS) that every document
extends, events (summits, meetings, visits, ... dated to the day, the month or the
year, with places, participants, frameworks and ``follows`` chains), agreements with
provisions, statements, and in every document a front matter, an overview and topic
sections with recommendations, background claims (``supports``) and implications.
Later documents mention entities that earlier ones declared, with evidence of their own.

Documents are emitted one at a time (each is one named graph), so memory stays flat
up to 10M triples; the number of documents is whatever reaches the requested number
of statements (quads in ``dataset.nq``) within half a document.  The same seed gives
the same bytes.  Below 1M statements the whole dataset is validated as the build
validates it (JSON Schema of each document's facts, SHACL shapes with the ontology,
quality rules); from 1M on SHACL is skipped (pySHACL would take many minutes) and the
JSON Schema and quality rules still run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from .settings import DEFAULT_BASE_IRI, PROJECT_ROOT, Settings

#: Bump when the generated data changes for a given seed and size (benchmark caches key on it).
GENERATOR_VERSION = 2
#: From this many statements on, SHACL validation is skipped (the other checks still run).
SHACL_LIMIT = 1_000_000
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
DOC_PREFIX = "synthetic-doc-"
#: Where the synthetic time line starts, and how many years the documents span.
EPOCH = dt.date(1996, 1, 1)
SPAN_YEARS = 30
#: Rough statements per ordinary document, only to spread the documents' dates over the span.
TYPICAL_DOCUMENT = 1000

STATES = [
    # id suffix, ja, en, ko, user-assigned ISO 3166 code (Q*: never a real country)
    ("01", "合成国01", "Synthetic State 01", "합성국01", "QM"),
    ("02", "合成国02", "Synthetic State 02", "합성국02", "QN"),
    ("03", "合成国03", "Synthetic State 03", None, "QO"),
    ("04", "合成国04", "Synthetic State 04", None, "QP"),
    ("05", "合成国05", "Synthetic State 05", None, "QQ"),
    ("06", "合成国06", "Synthetic State 06", None, "QR"),
]
ROLES = [  # post kinds of every state
    ("president", "大統領", "President"),
    ("prime-minister", "首相", "Prime Minister"),
    ("foreign-minister", "外相", "Foreign Minister"),
    ("defence-minister", "防衛相", "Defence Minister"),
]
THEMES = [
    ("安全保障", "security"), ("経済", "economy"), ("外交", "diplomacy"), ("社会", "society"),
]
EVENT_TYPES = [
    ("Summit", "首脳会談", "summit", 0.40),
    ("MinisterialMeeting", "閣僚会合", "ministerial meeting", 0.22),
    ("PressConference", "記者会見", "press conference", 0.12),
    ("Visit", "訪問", "visit", 0.12),
    ("GovernmentChange", "政権交代", "change of government", 0.06),
    ("Operation", "共同作戦", "joint operation", 0.04),
    ("Cancellation", "中止", "cancellation", 0.02),
    ("Situation", "情勢", "situation", 0.02),
]
PLACE_TYPES = ["City", "City", "Region", "Facility", "Territory", "Place"]
AGREEMENT_TYPES = ["Agreement", "JointDocument", "TradeAgreement"]
TOPIC_SUBSECTIONS = [
    ("recommendation", "提言", "Recommendation"),
    ("background", "背景", "Background"),
    ("implications", "日本の対韓政策に関するインプリケーション", "Implications for Japan's Korea policy"),
]
GLOBAL_LISTS = ("actors", "places", "posts", "incumbencies", "issues", "events", "agreements", "statements")
DOCUMENT_LISTS = ("recommendations", "claims", "implications")


class SyntheticError(Exception):
    """The generated data failed a check (a bug in the generator), or bad arguments."""


def parse_size(text: str) -> int:
    """``10k``, ``1m``, ``2.5M`` or ``100000`` → a number of statements."""
    value = str(text).strip().lower().replace("_", "").replace(",", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", value)
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 10k, 100k, 1m or 250000)")
    number = float(match[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[match[2]]
    if number < 1000:
        raise ValueError(f"size {text!r} is too small: at least 1000 statements")
    return int(number)


def size_label(triples: int) -> str:
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}m"
    if triples % 1000 == 0:
        return f"{triples // 1000}k"
    return str(triples)


# ----------------------------------------------------------------------------- dates


def _day(value: dt.date) -> str:
    return value.isoformat()


def _month(value: dt.date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _year(value: dt.date) -> str:
    return f"{value.year:04d}"


def _bounds(text: str) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _ja_date(text: str) -> str:
    parts = [int(p) for p in text.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, ("年", "月", "日")))


# ----------------------------------------------------------------------------- the world


@dataclass
class Known:
    """A global entity some document declared: what later documents need to refer to it."""

    kind: str
    id: str
    spec: dict
    label_ja: str
    label_en: str
    document: str


@dataclass
class Post:
    id: str
    state: str
    chain: list[str] = field(default_factory=list)  # incumbency ids, oldest first
    last: dt.date | None = None  # the latest start or end date in the chain


@dataclass
class DocumentPlan:
    """One synthetic document: its text by section and its curated facts (a YAML file's content)."""

    id: str
    number: int
    date: dt.date
    sections: list[dict]  # the document block's section tree
    text: str
    data: dict  # {"document": …, "actors": […], …} as in data/documents/*.yaml


class World:
    """Everything declared so far, and the random source; plans documents one after another."""

    def __init__(self, seed: int, target: int):
        self.rng = random.Random(seed)
        self.known: dict[str, Known] = {}
        self.by_kind: dict[str, list[str]] = {}
        self.posts: list[Post] = []
        self.issue_depth: dict[str, int] = {}
        self.framework_last_event: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        documents = max(1, target // TYPICAL_DOCUMENT)
        self.days_per_document = max(1.0, SPAN_YEARS * 365.25 / documents)
        #: per document: a few ids that the benchmark binds catalogue parameters to
        self.samples: dict[str, dict] = {}

    def next(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def add(self, known: Known, group: str) -> None:
        self.known[known.id] = known
        self.by_kind.setdefault(group, []).append(known.id)

    def pick(self, group: str, k: int = 1, exclude: tuple = ()) -> list[str]:
        pool = [i for i in self.by_kind.get(group, []) if i not in exclude]
        if not pool:
            return []
        return self.rng.sample(pool, min(k, len(pool)))

    def pick_recent(self, group: str, k: int = 1, window: int = 200) -> list[str]:
        """Mostly recent entities (documents discuss their own time), sometimes any."""
        pool = self.by_kind.get(group, [])
        if not pool:
            return []
        if self.rng.random() < 0.8:
            pool = pool[-window:]
        return self.rng.sample(pool, min(k, len(pool)))

    def document_date(self, number: int) -> dt.date:
        return EPOCH + dt.timedelta(days=int((number - 1) * self.days_per_document) + 30)

    def precision(self, day: dt.date, weights=(0.5, 0.35, 0.15)) -> str:
        roll = self.rng.random()
        if roll < weights[0]:
            return _day(day)
        if roll < weights[0] + weights[1]:
            return _month(day)
        return _year(day)


class _Writer:
    """Collects one document's sentences (section by section) and its facts."""

    def __init__(self, world: World, number: int):
        self.world = world
        self.rng = world.rng
        self.number = number
        self.id = f"{DOC_PREFIX}{number:04d}"
        self.date = world.document_date(number)
        self.sentences: dict[str, list[str]] = {}
        self.data: dict[str, list] = {key: [] for key in (*GLOBAL_LISTS, *DOCUMENT_LISTS, "mentions")}
        self.count = 0

    def say(self, section: str, phrase: str) -> dict:
        """Add a sentence to ``section``; the quote is unique in the whole text (its ordinal)."""
        self.count += 1
        quote = f"第{self.count}に、{phrase}"
        self.sentences.setdefault(section, []).append(quote + "。")
        return {"section": section, "quote": quote}

    def declare(self, kind: str, group: str, spec: dict, list_name: str) -> dict:
        self.data[list_name].append(spec)
        known = Known(kind, spec["id"], spec, spec["label"]["ja"] if "label" in spec else "",
                      spec["label"]["en"] if "label" in spec else "", self.id)
        self.world.add(known, group)
        return spec

    def label(self, id: str) -> tuple[str, str]:
        known = self.world.known[id]
        return known.label_ja, known.label_en


def _labels(ja: str, en: str, ko: str | None = None) -> dict:
    labels = {"ja": ja, "en": en}
    if ko:
        labels["ko"] = ko
    return labels


def plan_document(world: World, number: int) -> DocumentPlan:
    """The next document: declare new entities, mention earlier ones, state propositions."""
    w = _Writer(world, number)
    rng = w.rng
    doc = w.id
    topics = 3
    evidence_sections = ["overview"] + [f"topic-{t}-background" for t in range(1, topics + 1)]

    def somewhere() -> str:
        return rng.choice(evidence_sections)

    if number == 1:
        _declare_base_world(w, somewhere)

    # --- new persons (two or three), some of them party members
    persons = []
    for _ in range(rng.randint(2, 3)):
        n = world.next("person")
        pid = f"synthetic-person-{n:04d}"
        state = rng.choice(STATES)
        spec = {"id": pid, "type": "Person",
                "label": _labels(f"合成人物{n:04d}", f"Synthetic Person {n:04d}",
                                 f"합성인물{n:04d}" if rng.random() < 0.3 else None),
                "ofState": f"synthetic-state-{state[0]}"}
        if rng.random() < 0.3:
            spec["altLabels"] = {"ja": [f"人物{n:04d}氏"]}
        parties = [p for p in world.by_kind.get("party", []) if world.known[p].spec["ofState"] == spec["ofState"]]
        if parties and rng.random() < 0.6:
            spec["memberOf"] = [rng.choice(parties[-20:])]
        spec["evidence"] = [w.say(somewhere(), f"{state[1]}の{spec['label']['ja']}は重要な役割を担っている")]
        if rng.random() < 0.4:
            spec["evidence"].append(w.say(somewhere(), f"{spec['label']['ja']}の発言は注目を集めた"))
        w.declare("actor", "person", spec, "actors")
        persons.append(pid)

    # --- a new party now and then
    if rng.random() < 0.3:
        n = world.next("party")
        state = rng.choice(STATES)
        spec = {"id": f"synthetic-party-{n:04d}", "type": "PoliticalGroup",
                "label": _labels(f"合成党{n:04d}", f"Synthetic Party {n:04d}"),
                "ofState": f"synthetic-state-{state[0]}"}
        if rng.random() < 0.5:
            spec["hasMember"] = [persons[0]]
        spec["evidence"] = [w.say(somewhere(), f"{state[1]}の{spec['label']['ja']}は支持を広げている")]
        w.declare("actor", "party", spec, "actors")

    # --- a government (administration) led by one of the new persons
    government = None
    if rng.random() < 0.5:
        n = world.next("government")
        leader = persons[0]
        leader_ja, leader_en = w.label(leader)
        state = rng.choice(STATES)
        start = w.date - dt.timedelta(days=rng.randint(0, 200))
        spec = {"id": f"synthetic-government-{n:04d}", "type": "Government",
                "label": _labels(f"{leader_ja}政権", f"{leader_en} administration"),
                "governs": f"synthetic-state-{state[0]}", "ledBy": leader, "start": _month(start)}
        spec["evidence"] = [w.say(somewhere(), f"{_ja_date(spec['start'])}に発足した{leader_ja}政権")]
        w.declare("actor", "government", spec, "actors")
        government = spec["id"]

    # --- a place
    places = []
    if rng.random() < 0.6:
        n = world.next("place")
        state = rng.choice(STATES)
        spec = {"id": f"synthetic-place-{n:04d}", "type": rng.choice(PLACE_TYPES),
                "label": _labels(f"合成地{n:04d}", f"Synthetic Place {n:04d}"),
                "locatedIn": f"synthetic-state-{state[0]}"}
        spec["evidence"] = [w.say(somewhere(), f"{state[1]}の{spec['label']['ja']}で会合が開かれた")]
        w.declare("place", "place", spec, "places")
        places.append(spec["id"])

    # --- a new issue below an existing one (the hierarchy grows with the corpus)
    new_issue = None
    if number > 1:
        parents = [i for i in world.by_kind["issue"][-300:] if world.issue_depth[i] < 4] or world.by_kind["issue"][:4]
        parent = rng.choice(parents)
        n = world.next("issue")
        parent_ja, parent_en = w.label(parent)
        spec = {"id": f"synthetic-issue-{n:04d}",
                "label": _labels(f"合成争点{n:04d}", f"Synthetic issue {n:04d}"),
                "definition": {"en": f"A synthetic issue, narrower than {parent_en}."},
                "broader": [parent]}
        spec["evidence"] = [w.say(somewhere(), f"{parent_ja}のうち{spec['label']['ja']}が新たな課題となっている")]
        w.declare("issue", "issue", spec, "issues")
        world.issue_depth[spec["id"]] = world.issue_depth[parent] + 1
        new_issue = spec["id"]

    def issues(k: int) -> list[str]:
        chosen = []
        if new_issue and rng.random() < 0.5:
            chosen.append(new_issue)
        pool = [i for i in world.by_kind["issue"] if world.issue_depth[i] >= 1]
        recent = world.by_kind["issue"][-100:]
        while len(chosen) < k:
            candidate = rng.choice(recent if rng.random() < 0.5 else pool)
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def states(k: int) -> list[str]:
        return [f"synthetic-state-{s[0]}" for s in rng.sample(STATES, k)]

    # --- incumbencies: a new holder for one or two posts
    for holder in persons[: rng.randint(1, 2)]:
        post = rng.choice(world.posts)
        start = max(w.date - dt.timedelta(days=rng.randint(0, 90)), (post.last or EPOCH) + dt.timedelta(days=1))
        n = world.next("incumbency")
        holder_ja, _ = w.label(holder)
        post_ja, _ = w.label(post.id)
        spec = {"id": f"synthetic-incumbency-{n:04d}", "holder": holder, "post": post.id,
                "start": _month(start) if rng.random() < 0.6 else _day(start)}
        last = _bounds(spec["start"])[1]
        if post.chain:
            spec["precededBy"] = post.chain[-1]
        if rng.random() < 0.25:
            end = start + dt.timedelta(days=rng.randint(120, 900))
            spec["end"] = _month(end)
            last = _bounds(spec["end"])[1]
            spec["dateNote"] = "Synthetic: the term's end is given by the text."
        spec["evidence"] = [w.say(somewhere(), f"{_ja_date(spec['start'])}に{holder_ja}が{post_ja}に就任した")]
        w.declare("incumbency", "incumbency", spec, "incumbencies")
        post.chain.append(spec["id"])
        post.last = last

    # --- events: three per document, some in a framework's series
    events = []
    kinds = list(EVENT_TYPES)
    for _ in range(3):
        kind = rng.choices(kinds, weights=[t[3] for t in kinds])[0]
        n = world.next("event")
        day = w.date - dt.timedelta(days=rng.randint(0, 300))
        date = world.precision(day)
        spec = {"id": f"synthetic-event-{n:04d}", "type": kind[0],
                "label": _labels(f"合成{kind[1]}{n:04d}({_ja_date(date)})",
                                 f"Synthetic {kind[2]} {n:04d} ({date})"),
                "date": date}
        if rng.random() < 0.2:
            spec["dateNote"] = "Synthetic: dated as precisely as the text allows."
        if places or world.by_kind.get("place"):
            spec["place"] = [rng.choice(places or world.pick("place"))]
        elif rng.random() < 0.5:
            spec["place"] = states(1)
        participants = states(2) + rng.sample(persons, 1) + world.pick_recent("person", 1)
        spec["participants"] = list(dict.fromkeys(participants))
        if rng.random() < 0.5:
            framework = rng.choice(world.by_kind["framework"])
            spec["partOf"] = framework
            if framework in world.framework_last_event:
                spec["follows"] = [world.framework_last_event[framework]]
            world.framework_last_event[framework] = spec["id"]
        spec["issues"] = issues(rng.randint(1, 2))
        if government and kind[0] == "GovernmentChange":
            spec["actors"] = [government]
        if rng.random() < 0.5:
            spec["summary"] = {"en": f"A synthetic {kind[2]} of {date}."}
        spec["evidence"] = [w.say(somewhere(), f"{_ja_date(date)}の{spec['label']['ja']}では協力が確認された")]
        w.declare("event", "event", spec, "events")
        events.append((spec["id"], date))

    # --- an agreement with provisions, adopted at one of the events
    if rng.random() < 0.5:
        n = world.next("agreement")
        event, date = rng.choice(events)
        spec = {"id": f"synthetic-agreement-{n:04d}", "type": rng.choice(AGREEMENT_TYPES),
                "label": _labels(f"合成合意{n:04d}", f"Synthetic Agreement {n:04d}"),
                "status": "in-place" if rng.random() < 0.7 else "prospective",
                "date": date, "parties": states(2), "adoptedAt": event, "issues": issues(1),
                "summary": {"en": f"Synthetic agreement {n:04d}, adopted at {event}."}}
        spec["provisions"] = []
        for k in range(1, rng.randint(1, 3) + 1):
            provision = {"id": f"synthetic-provision-{n:04d}-{k}",
                         "label": _labels(f"合成合意{n:04d}第{k}項", f"Provision {k} of Synthetic Agreement {n:04d}"),
                         "issues": issues(1)}
            provision["evidence"] = [w.say(somewhere(), f"{spec['label']['ja']}の第{k}項は協力の具体化を定める")]
            spec["provisions"].append(provision)
        spec["evidence"] = [w.say(somewhere(), f"{spec['label']['ja']}が締結された")]
        w.declare("agreement", "agreement", spec, "agreements")

    # --- statements made at the events
    statements = []
    for _ in range(2):
        n = world.next("statement")
        speaker = rng.choice(persons + world.pick_recent("person", 1))
        event, date = rng.choice(events)
        speaker_ja, speaker_en = w.label(speaker)
        spec = {"id": f"synthetic-statement-{n:04d}", "speaker": speaker, "madeAt": event,
                "label": _labels(f"{speaker_ja}の発言{n:04d}", f"Statement {n:04d} by {speaker_en}"),
                "summary": {"en": f"{speaker_en} spoke about cooperation ({date})."},
                "issues": issues(rng.randint(1, 2))}
        if rng.random() < 0.4:
            spec["actors"] = states(1)
        spec["evidence"] = [w.say(somewhere(), f"{speaker_ja}は協力の重要性を強調した(発言{n:04d})")]
        w.declare("statement", "statement", spec, "statements")
        statements.append(spec["id"])

    # --- mentions of entities earlier documents declared, with evidence here
    mentioned = []
    for group, k in (("state", 1), ("person", 2), ("event", 1), ("government", 1)):
        for entity in world.pick_recent(group, k):
            if entity in mentioned or world.known[entity].document == doc:
                continue
            label_ja = world.known[entity].label_ja
            w.data["mentions"].append({"entity": entity, "evidence": [w.say(somewhere(), f"{label_ja}にも言及する")]})
            mentioned.append(entity)

    # --- propositions: front matter, overview, and per topic recommendations, background, implications
    group = world.pick("research-group")[0]
    group_ja, _ = w.label(group)
    claims, recommendations, implications = w.data["claims"], w.data["recommendations"], w.data["implications"]
    topic_issue = issues(topics)
    rec_ids = {t: [f"rec-{t}-{k}" for k in range(1, rng.randint(1, 2) + 1)] for t in range(1, topics + 1)}
    all_recs = [r for ids in rec_ids.values() for r in ids]

    claims.append({"id": "claim-fm-1", "section": "front-matter",
                   "label": _labels(f"本報告{doc}は{group_ja}の議論に基づく", f"Report {doc} rests on the research group's discussions"),
                   "summary": {"en": f"The synthetic report {doc} is based on the discussions of its research group."},
                   "about": [group], "evidence": [w.say("front-matter", f"本報告は{group_ja}の議論に基づいて作成された")]})
    for k in range(1, rng.randint(2, 3) + 1):
        about = states(1) + world.pick_recent("person", 1)
        spec = {"id": f"claim-ov-{k}", "section": "overview",
                "label": _labels(f"総論の主張{doc}-{k}", f"Overview claim {k} of {doc}"),
                "summary": {"en": f"Overview claim {k} of the synthetic report {doc}."},
                "about": about, "evidence": [w.say("overview", f"総論として関係の安定が重要である(主張{k})")]}
        if rng.random() < 0.5:
            spec["supports"] = [rng.choice(all_recs)]
        claims.append(spec)

    titles = {}
    for t in range(1, topics + 1):
        issue_ja, issue_en = w.label(topic_issue[t - 1])
        titles[t] = (f"{issue_ja}をめぐる課題", f"Questions of {issue_en}")
        background = f"topic-{t}-background"
        claim_ids = [f"claim-{t}-{k}" for k in range(1, rng.randint(2, 4) + 1)]
        imp_ids = [f"imp-{t}-{k}" for k in range(1, rng.randint(2, 3) + 1)]
        for rec in rec_ids[t]:
            k = rec.rsplit("-", 1)[1]
            spec = {"id": rec, "section": f"topic-{t}-recommendation",
                    "label": _labels(f"{issue_ja}に関する提言{t}-{k}({doc})", f"Recommendation {t}-{k} of {doc} on {issue_en}"),
                    "summary": {"en": f"Recommendation {t}-{k} of the synthetic report {doc}: act on {issue_en}."},
                    "addressedTo": states(rng.randint(1, 2)),
                    "issues": list(dict.fromkeys([topic_issue[t - 1], *issues(rng.randint(0, 2))]))}
            if rng.random() < 0.6:
                spec["actors"] = world.pick_recent("person", rng.randint(1, 2))
            spec["evidence"] = [w.say(f"topic-{t}-recommendation", f"{issue_ja}について協力を進めるべきである(提言{t}-{k})")]
            recommendations.append(spec)
        for index, cid in enumerate(claim_ids):
            spec = {"id": cid, "section": background,
                    "label": _labels(f"背景の主張{t}-{index + 1}({doc})", f"Background claim {t}-{index + 1} of {doc}"),
                    "summary": {"en": f"Background claim {t}-{index + 1} of the synthetic report {doc}."},
                    "about": world.pick_recent("person", 1) + states(1),
                    "issues": issues(1)}
            roll = rng.random()
            if roll < 0.5:
                spec["supports"] = [rng.choice(rec_ids[t])]
            elif roll < 0.8 and index > 0:
                spec["supports"] = [claim_ids[index - 1]]
            elif roll < 0.9:
                spec["supports"] = [rng.choice(imp_ids)]
            spec["evidence"] = [w.say(background, f"{issue_ja}の背景には構造的な要因がある(背景{t}-{index + 1})")]
            if rng.random() < 0.3:
                spec["evidence"].append(w.say(background, f"この点は今後も注視が必要である(背景{t}-{index + 1}補足)"))
            claims.append(spec)
        for index, iid in enumerate(imp_ids):
            spec = {"id": iid, "section": f"topic-{t}-implications",
                    "label": _labels(f"インプリケーション{t}-{index + 1}({doc})", f"Implication {t}-{index + 1} of {doc}"),
                    "summary": {"en": f"Implication {t}-{index + 1} of the synthetic report {doc} for {issue_en}."},
                    "issues": issues(rng.randint(1, 2)),
                    "addressedTo": states(rng.randint(1, 2))}
            if rng.random() < 0.5:
                spec["actors"] = world.pick_recent("person", 1)
            spec["evidence"] = [w.say(f"topic-{t}-implications", f"日本は{issue_ja}で主導的役割を果たすべきである(含意{t}-{index + 1})")]
            implications.append(spec)

    # --- the document block: its evidence and section tree, then the text
    doc_evidence = [w.say("front-matter", f"本報告{doc}は{group_ja}の活動の成果である"),
                    w.say("front-matter", "本報告の内容は執筆者の個人的見解である")]
    sections = [{"id": "front-matter", "kind": "front-matter", "label": _labels("前文", "Front matter")},
                {"id": "overview", "kind": "overview", "number": "1", "heading": "1.総論", "label": _labels("総論", "Overview")}]
    for t in range(1, topics + 1):
        title_ja, title_en = titles[t]
        sections.append({
            "id": f"topic-{t}", "kind": "topic", "number": str(t + 1), "heading": f"{t + 1}.{title_ja}",
            "label": _labels(title_ja, title_en),
            "sections": [{"id": f"topic-{t}-{kind}", "kind": kind, "heading": heading_ja, "label": _labels(heading_ja, heading_en)}
                         for kind, heading_ja, heading_en in TOPIC_SUBSECTIONS],
        })
    lines = []
    for section in _flatten(sections):
        if "heading" in section:
            lines.append(section["heading"])
        body = w.sentences.get(section["id"], [])
        if section["kind"] == "topic" and not body:
            body = ["この節では以下の三点を論じる。"]
        lines += ["".join(body[i : i + 3]) for i in range(0, len(body), 3)]
    text = "\n".join(lines) + "\n"
    document = {
        "id": doc, "source": f"sources/{doc}.ja.txt",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "language": "ja",
        "title": _labels(f"合成政策提言 第{number}号", f"Synthetic policy recommendation no. {number}"),
        "finalised": _day(w.date), "attributedTo": [group], "evidence": doc_evidence, "sections": sections,
    }
    data = {"document": document}
    data.update({key: value for key, value in w.data.items() if value})

    world.samples[doc] = {
        "persons": persons, "statements": statements, "events": events, "new_issue": new_issue,
        "recommendations": [f"document/{doc}/recommendation/{r}" for r in all_recs], "date": w.date,
    }
    return DocumentPlan(doc, number, w.date, sections, text, data)


def _declare_base_world(w: _Writer, somewhere) -> None:
    """The first document also declares the states, frameworks, research groups, issue tree and posts."""
    world, rng = w.world, w.rng
    for suffix, ja, en, ko, code in STATES:
        spec = {"id": f"synthetic-state-{suffix}", "type": "State", "label": _labels(ja, en, ko), "isoCode": code,
                "evidence": [w.say(somewhere(), f"{ja}は本報告が扱う当事国である")]}
        w.declare("actor", "state", spec, "actors")
    for n in range(1, 5):
        members = [f"synthetic-state-{s[0]}" for s in rng.sample(STATES, 3)]
        spec = {"id": f"synthetic-framework-{n:02d}", "type": "InternationalFramework",
                "label": _labels(f"合成協議体{n:02d}", f"Synthetic Framework {n:02d}"), "hasMember": members,
                "evidence": [w.say(somewhere(), f"合成協議体{n:02d}の枠組みで対話が続いている")]}
        w.declare("actor", "framework", spec, "actors")
    spec = {"id": "synthetic-research-group", "type": "ResearchGroup",
            "label": _labels("合成研究会", "Synthetic Research Group"),
            "evidence": [w.say("front-matter", "合成研究会は三年計画で活動している")]}
    w.declare("actor", "research-group-parent", spec, "actors")
    for n in range(1, 3):
        spec = {"id": f"synthetic-subcommittee-{n:02d}", "type": "ResearchGroup",
                "label": _labels(f"合成研究会第{n}部会", f"Subcommittee {n} of the Synthetic Research Group"),
                "subOrganisationOf": "synthetic-research-group",
                "evidence": [w.say("front-matter", f"合成研究会第{n}部会の議論を総合した")]}
        w.declare("actor", "research-group", spec, "actors")
    # the issue tree: four themes, three issues under each, two under each of those
    def issue(ja: str, en: str, definition: str, depth: int, broader: str | None = None) -> dict:
        spec = {"id": f"synthetic-issue-{world.next('issue'):04d}", "label": _labels(ja, en), "definition": {"en": definition}}
        if broader:
            spec["broader"] = [broader]
        world.issue_depth[spec["id"]] = depth
        return spec

    for theme_ja, theme_en in THEMES:
        top = issue(f"{theme_ja}(合成)", f"{theme_en.capitalize()} (synthetic)", f"Synthetic top-level issue: {theme_en}.", 0)
        top["evidence"] = [w.say(somewhere(), f"{theme_ja}(合成)は主要な争点領域である")]
        w.declare("issue", "issue", top, "issues")
        for k in range(1, 4):
            middle = issue(f"{theme_ja}の争点{k}", f"{theme_en.capitalize()} issue {k}", f"Synthetic issue {k} within {theme_en}.", 1, top["id"])
            middle["evidence"] = [w.say(somewhere(), f"{theme_ja}の争点{k}が議論された")]
            w.declare("issue", "issue", middle, "issues")
            for j in range(1, 3):
                leaf = issue(f"{theme_ja}の争点{k}-{j}", f"{theme_en.capitalize()} issue {k}-{j}",
                             f"Synthetic issue {k}-{j} within {theme_en}.", 2, middle["id"])
                if rng.random() < 0.7:
                    leaf["evidence"] = [w.say(somewhere(), f"{theme_ja}の争点{k}-{j}にも留意すべきである")]
                w.declare("issue", "issue", leaf, "issues")
    # posts of every state, each with a first holder (whose start the text often does not give)
    for suffix, ja, en, _, _ in STATES:
        for role, role_ja, role_en in ROLES:
            post = Post(f"synthetic-post-{suffix}-{role}", f"synthetic-state-{suffix}")
            spec = {"id": post.id, "label": _labels(f"{ja}{role_ja}", f"{role_en} of {en}"), "postIn": post.state,
                    "evidence": [w.say(somewhere(), f"{ja}{role_ja}の役割は大きい")]}
            w.declare("post", "post", spec, "posts")
            world.posts.append(post)
            n = world.next("person")
            person = {"id": f"synthetic-person-{n:04d}", "type": "Person",
                      "label": _labels(f"合成人物{n:04d}", f"Synthetic Person {n:04d}"), "ofState": post.state,
                      "evidence": [w.say(somewhere(), f"{ja}{role_ja}の合成人物{n:04d}は前任者である")]}
            w.declare("actor", "person", person, "actors")
            m = world.next("incumbency")
            incumbency = {"id": f"synthetic-incumbency-{m:04d}", "holder": person["id"], "post": post.id,
                          "evidence": [w.say(somewhere(), f"合成人物{n:04d}が{ja}{role_ja}を務めていた")]}
            if rng.random() < 0.5:
                start = EPOCH - dt.timedelta(days=rng.randint(100, 1500))
                incumbency["start"] = _year(start)
                post.last = _bounds(incumbency["start"])[1]
            else:
                incumbency["dateNote"] = "Synthetic: the text does not say when the term began."
            w.declare("incumbency", "incumbency", incumbency, "incumbencies")
            post.chain.append(incumbency["id"])


def _flatten(sections: list[dict]) -> list[dict]:
    flat = []
    for section in sections:
        flat.append(section)
        flat += _flatten(section.get("sections", []))
    return flat


# ----------------------------------------------------------------------------- through the build


def _located(value, path: Path):
    """Plain data → what the YAML loader gives (mappings that know their file)."""
    from .sources.yamlfile import Located

    if isinstance(value, dict):
        mapping = Located({k: _located(v, path) for k, v in value.items()})
        mapping.path, mapping.line, mapping.key_lines = path, 0, {}
        return mapping
    if isinstance(value, list):
        return [_located(v, path) for v in value]
    return value


class _Builder:
    """Runs each planned document through anchoring, the Emitter and the serialisation."""

    def __init__(self, settings: Settings, check_schema: bool):
        from .build.emit import Emitter
        from .build.vocab import Iris
        from .sources.curated import DOCUMENT_KINDS, GLOBAL_KINDS, SCHEMA_FILE, _reference_fields

        self.Emitter = Emitter
        self.settings = settings
        self.iris = Iris(settings.base_iri)
        self.global_kinds, self.document_kinds = GLOBAL_KINDS, DOCUMENT_KINDS
        schema = json.loads((PROJECT_ROOT / "data" / SCHEMA_FILE).read_text(encoding="utf-8"))
        self.references = _reference_fields(schema)
        self.validator = None
        if check_schema:
            import jsonschema

            self.validator = jsonschema.Draft202012Validator(schema)
        self.items: dict = {}  # every global Item declared so far (for references from later documents)

    def document(self, plan: DocumentPlan, data_dir: Path):
        """The document's named graph (rdflib) and its sorted quads."""
        from .sources.anchoring import SourceText
        from .sources.curated import Corpus, Document, Item

        if self.validator is not None:
            errors = sorted(self.validator.iter_errors(plan.data), key=lambda e: list(e.absolute_path))
            if errors:
                where = "/".join(map(str, errors[0].absolute_path))
                raise SyntheticError(f"{plan.id}: {where}: {errors[0].message}")
        source_path = data_dir / plan.data["document"]["source"]
        source_path.parent.mkdir(parents=True, exist_ok=True)
        source_path.write_bytes(plan.text.encode("utf-8"))
        yaml_path = data_dir / "documents" / f"{plan.id}.yaml"
        data = _located(plan.data, yaml_path)
        spec = data["document"]
        source = SourceText(source_path, spec["sha256"], spec["sections"], spec.where())
        doc = Document(plan.id, spec, yaml_path, source)
        own: dict[str, Item] = {}
        pending = []
        for key, kind in self.global_kinds.items():
            for item_spec in data.get(key, []):
                item = Item(kind, item_spec["id"], item_spec, plan.id)
                own[item.id] = item
                pending.append((item, item_spec))
                for provision in item_spec.get("provisions", []):
                    child = Item("provision", provision["id"], provision, plan.id, parent=item)
                    own[child.id] = child
                    pending.append((child, provision))
        for key, kind in self.document_kinds.items():
            for item_spec in data.get(key, []):
                item = Item(kind, item_spec["id"], item_spec, plan.id)
                doc.items[item.id] = item
                pending.append((item, item_spec))
        # Entities declared by earlier documents take part as references only (their
        # facts live in their own document's graph): document None, and only the
        # evidence this document gives for them.
        entities = dict(own)
        stubs: dict[str, Item] = {}

        def stub(ref: str) -> Item:
            if ref not in stubs:
                stubs[ref] = replace(self.items[ref], document=None, evidence=[])
                entities[ref] = stubs[ref]
            return stubs[ref]

        for item, item_spec in pending:
            for key in self.references.get(item.kind, {}):
                values = item_spec.get(key, [])
                for ref in [values] if isinstance(values, str) else values:
                    if ref not in own and ref not in doc.items and ref not in source.sections:
                        if ref not in self.items:
                            raise SyntheticError(f"{plan.id}: {item.id}: {key}: unknown id {ref!r}")
                        stub(ref)
        for actor in spec.get("attributedTo", []):
            if actor not in own:
                stub(actor)
        corpus = Corpus({plan.id: doc}, entities)
        for item, item_spec in pending:
            for entry in item_spec.get("evidence", []):
                section = entry.get("section", item_spec.get("section"))
                item.evidence.append((plan.id, source.anchor(section, entry["quote"], entry.where("quote"))))
        for mention in data.get("mentions", []):
            target = stub(mention["entity"])
            for entry in mention["evidence"]:
                target.evidence.append((plan.id, source.anchor(entry["section"], entry["quote"], entry.where("quote"))))
        doc.evidence.extend(source.anchor(e["section"], e["quote"], e.where("quote")) for e in spec["evidence"])
        graph = self.Emitter(corpus, self.iris).document_graphs()[plan.id]
        for item in own.values():
            self.items[item.id] = replace(item, evidence=[])
        name = ox.NamedNode(str(self.iris.graph(f"document/{plan.id}")))
        return graph, _quads(graph, name)


def _quads(graph, name: ox.NamedNode) -> list[ox.Quad]:
    """An rdflib graph as sorted pyoxigraph quads in graph ``name`` (the build's order: by str)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    return sorted((ox.Quad(t.subject, t.predicate, t.object, name)
                   for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)), key=str)


@dataclass
class SyntheticResult:
    out_dir: Path
    target: int
    seed: int
    statements: int  # quads in dataset.nq
    documents: int
    checks: list[str]
    shacl: str
    seconds: float
    files: list[str]

    @property
    def dataset_file(self) -> Path:
        return self.out_dir / "dataset.nq"


def generate(target: int, out_dir: Path | str, *, seed: int = 1, validate: bool | None = None,
             write_yaml: bool = False, base_iri: str = DEFAULT_BASE_IRI, progress=None) -> SyntheticResult:
    """Write a synthetic dataset of about ``target`` statements into ``out_dir``.

    ``validate`` (default: below :data:`SHACL_LIMIT`) runs SHACL with the other
    checks; the JSON Schema of every document's facts and the quality rules always
    run.  ``write_yaml`` also writes ``data/documents/*.yaml`` so that
    ``build_graph.py --data-dir <out_dir>/data`` can rebuild the same graphs.
    ``progress`` is called with a line of text now and then.
    """
    from rdflib import Graph

    from .build.outputs import serialise_dataset, write_atomically
    from .build.pipeline import ONTOLOGY_FILE, BuildError, validate as validate_dataset

    started = time.perf_counter()
    if target < 1000:
        raise SyntheticError(f"target {target}: at least 1000 statements")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shacl = target < SHACL_LIMIT if validate is None else validate
    data_dir = out_dir / "data"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    settings = Settings(base_iri=base_iri, out_dir=out_dir, data_dir=data_dir)
    builder = _Builder(settings, check_schema=True)
    world = World(seed, target)

    ontology_graph = Graph().parse(settings.ontology_dir / ONTOLOGY_FILE, format="turtle")
    ontology = _quads(ontology_graph, ox.NamedNode(str(builder.iris.graph("ontology"))))
    union = Graph() if shacl else None
    kept: list[ox.Quad] = []  # every quad, for the checks (only when validating: < 1M)
    partial = {name: out_dir / f".{name}.{os.getpid()}.partial" for name in ("dataset.nq", "dataset.trig")}
    handles = {name: open(path, "wb") for name, path in partial.items()}
    documents, total, sizes = 0, 0, []

    def write(quads: list[ox.Quad]) -> None:
        chunks = serialise_dataset(quads)
        handles["dataset.nq"].write(chunks["nq"])
        handles["dataset.trig"].write(chunks["trig"])

    try:
        write(ontology)
        total = len(ontology)
        if union is not None:
            union += ontology_graph
            kept += ontology
        while True:
            typical = sum(sizes[1:]) / len(sizes[1:]) if len(sizes) > 1 else TYPICAL_DOCUMENT
            if documents and total + typical / 2 >= target:
                break
            plan = plan_document(world, documents + 1)
            if write_yaml:
                _write_yaml(plan, data_dir)
            graph, quads = builder.document(plan, data_dir)
            write(quads)
            documents += 1
            total += len(quads)
            sizes.append(len(quads))
            if union is not None:
                union += graph
                kept += quads
            if progress and documents % 200 == 0:
                progress(f"{documents} documents, {total} statements ({time.perf_counter() - started:.0f} s)")
        for handle in handles.values():
            handle.close()
        checks = ["data schema", "NFC text", "dates", "ids and references", "evidence anchoring"]
        if shacl:
            try:
                checks = validate_dataset(settings, kept, union)
            except BuildError as error:
                raise SyntheticError(f"{error}:\n  " + "\n  ".join(map(str, error.problems[:20]))) from None
            shacl_note = "validated"
        else:
            checks += _quality_checks(settings, partial["dataset.nq"])
            shacl_note = ("skipped: asked not to validate" if validate is False else
                          f"skipped: SHACL validation is not run from {SHACL_LIMIT:,} statements on (pySHACL would take too long)")
        if write_yaml:
            schema = data_dir / "schema" / "curated.schema.json"
            schema.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(PROJECT_ROOT / "data" / "schema" / "curated.schema.json", schema)
        description = {
            "generator": "nikkan.synthetic", "version": GENERATOR_VERSION, "seed": seed, "target": target,
            "statements": total, "documents": documents, "base_iri": base_iri,
            "graphs": {"ontology": len(ontology), "documents": documents},
            "entities": {kind: len(ids) for kind, ids in sorted(world.by_kind.items())},
            "checks": checks, "shacl": shacl_note, "parameters": _parameters(world, documents),
        }
        write_atomically(out_dir, {"synthetic.json": (json.dumps(description, ensure_ascii=False, indent=1) + "\n").encode("utf-8")})
        for name, path in partial.items():
            os.replace(path, out_dir / name)
    finally:
        for handle in handles.values():
            handle.close()
        for path in partial.values():
            path.unlink(missing_ok=True)
    files = ["dataset.nq", "dataset.trig", "synthetic.json", "data/sources/"] + (["data/documents/"] if write_yaml else [])
    return SyntheticResult(out_dir, target, seed, total, documents, checks, shacl_note,
                           time.perf_counter() - started, files)


def _quality_checks(settings: Settings, dataset_file: Path) -> list[str]:
    from .build.checks import quality_violations

    store = ox.Store()
    store.bulk_load(path=str(dataset_file), format=ox.RdfFormat.N_QUADS)
    checks_dir = settings.ontology_dir / "checks"
    problems = quality_violations(store, checks_dir, settings.base_iri)
    if problems:
        raise SyntheticError(f"{len(problems)} quality rule violation(s):\n  " + "\n  ".join(map(str, problems[:20])))
    return [f"quality: {p.stem}" for p in sorted(checks_dir.glob("*.rq"))]


def _write_yaml(plan: DocumentPlan, data_dir: Path) -> None:
    import yaml

    path = data_dir / "documents" / f"{plan.id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Synthetic document {plan.id}, written by nikkan.synthetic (version {GENERATOR_VERSION}).\n"
    path.write_text(header + yaml.safe_dump(plan.data, allow_unicode=True, sort_keys=False, width=4096), encoding="utf-8")


def _parameters(world: World, documents: int) -> dict[str, dict[str, str]]:
    """Values for every parameterised catalogue query, taken from the middle document."""
    middle = f"{DOC_PREFIX}{max(1, (documents + 1) // 2):04d}"
    sample = world.samples[middle]
    person = sample["persons"][0]
    statement = world.known[sample["statements"][0]].spec
    post = max(world.posts, key=lambda p: (len(p.chain), p.id))
    holder = world.known[post.chain[len(post.chain) // 2]].spec
    if "start" in holder:
        day = _bounds(holder["start"])[1] + dt.timedelta(days=10)
    else:
        day = EPOCH
    event_day = _bounds(sample["events"][0][1])[0]
    window_from = event_day - dt.timedelta(days=15)
    issue = sample["new_issue"] or world.by_kind["issue"][5]
    return {
        "evidence": {"entity": f"actor/{person}"},
        "events-in-window": {"from": _day(window_from), "to": _day(window_from + dt.timedelta(days=30))},
        "implications-of-recommendation": {"recommendation": sample["recommendations"][0]},
        "neighbourhood": {"entity": f"actor/{person}", "steps": "1"},
        "office-holder-on-date": {"post": f"post/{post.id}", "date": _day(day)},
        "path-between": {"from": f"actor/{statement['speaker']}", "to": f"issue/{statement['issues'][0]}"},
        "propositions-on-issue": {"issue": f"issue/{issue}"},
        "recommendations-by-external-record": {"property": "https://example.org/nikkan-test-fixture/tag"},
    }


def load_description(out_dir: Path | str) -> dict:
    """``synthetic.json`` of a generated dataset."""
    return json.loads((Path(out_dir) / "synthetic.json").read_text(encoding="utf-8"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``nikkan synthetic`` (and ``python -m nikkan.synthetic``)."""
    parser.add_argument("--triples", default="10k", help="statements to generate: 10k, 100k, 1m, 10m or a number (default 10k)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1); the same seed gives the same bytes")
    parser.add_argument("--out", type=Path, required=True, help="folder to write dataset.nq, dataset.trig, synthetic.json and data/ into")
    parser.add_argument("--yaml", action="store_true", help="also write data/documents/*.yaml (rebuildable with build_graph.py --data-dir)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--shacl", dest="validate", action="store_true", default=None, help="run SHACL even from 1M statements on")
    group.add_argument("--no-shacl", dest="validate", action="store_false", help="skip SHACL at any size")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Generate; ``settings`` gives the base IRI."""
    try:
        target = parse_size(args.triples)
        result = generate(target, args.out, seed=args.seed, validate=args.validate, write_yaml=args.yaml,
                          base_iri=settings.base_iri, progress=lambda line: print(line, file=sys.stderr))
    except (ValueError, SyntheticError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{result.statements} statements in {result.documents} documents (+ ontology) "
          f"for a target of {target} ({result.statements / target - 1:+.1%}), {result.seconds:.1f} s")
    print(f"checks passed: {', '.join(result.checks)}")
    print(f"SHACL: {result.shacl}")
    print(f"wrote to {result.out_dir}: {', '.join(result.files)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nikkan.synthetic", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--base-iri", default=DEFAULT_BASE_IRI, help=f"base IRI of instances (default {DEFAULT_BASE_IRI})")
    args = parser.parse_args(argv)
    try:
        settings = Settings(base_iri=args.base_iri)
    except ValueError as error:
        parser.error(str(error))
    return run(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
