"""Self-contained HTML network pages, made with pyvis and a safe template of our own.

pyvis's :class:`~pyvis.network.Network` holds the node and edge lists (assigned as
lists: its ``add_node``/``add_edge`` are quadratic) and the vis-network options
(physics solver, stabilisation, smoothing, hierarchical layout); the page itself
comes from :mod:`.template`, which inlines vis-network from pyvis's bundled copy,
loads nothing from anywhere, embeds the data as escaped JSON and builds every
text (labels, tooltips, legend) with ``textContent``.

Views (each returns the HTML of one page):

* :meth:`Explorer.whole` - every entity with relations;
* :meth:`Explorer.neighbourhood` - one entity and what lies within N relations;
* :meth:`Explorer.recommendation` - a recommendation with its issues, actors,
  implications, background claims and the evidence behind them;
* :meth:`Explorer.timeline` - dated events, x by date;
* :meth:`Explorer.issues` - the SKOS issue hierarchy with the recommendations and
  implications that concern each issue.

Every view takes :class:`ViewOptions`: initial label language, size measure,
colouring, class and date filters, and ``max_nodes`` above which the view
collapses evidence and propositions by class (or refuses, with ``aggregate=False``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tempfile
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from ..settings import DEFAULT_BASE_IRI
from ..store import Store
from . import analysis
from .options import DEFAULT_MAX_NODES, VIEWS  # noqa: F401 - VIEWS is part of this module's API
from .graph import EVIDENCE, NK, SKOS, is_a, label, local_name, network_graph
from .template import PAGE_CSS, PAGE_JS, PAGE_TEMPLATE

VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
VIS_VERSION = "9.1.2"

# ------------------------------------------------------------------ classes: colour, shape, family

#: Families in legend order: (root class, key, Japanese, English, shape)
FAMILIES = (
    (NK + "Actor", "actor", "アクター", "actors", "dot"),
    (NK + "Place", "place", "場所", "places", "triangle"),
    (NK + "Issue", "issue", "争点", "issues", "diamond"),
    (NK + "Event", "event", "出来事", "events", "square"),
    (NK + "Agreement", "agreement", "合意", "agreements", "hexagon"),
    (NK + "Provision", "agreement", "合意", "agreements", "hexagon"),
    (NK + "Recommendation", "proposition", "命題", "propositions", "star"),
    (NK + "Proposition", "proposition", "命題", "propositions", "triangleDown"),
    (NK + "Statement", "proposition", "命題", "propositions", "triangleDown"),
    (NK + "Evidence", "evidence", "根拠", "evidence", "box"),
)
OTHER_FAMILY = ("other", "その他", "other", "dot")

CLASS_COLOURS = {
    "Person": "#d62728", "Government": "#ff7f0e", "State": "#8c564b", "PoliticalGroup": "#e377c2",
    "Organisation": "#c49c94", "Agency": "#f4a6c6", "Military": "#9b2226", "LocalGovernment": "#ffbb78",
    "InternationalFramework": "#bc6c25", "ResearchGroup": "#b07aa1", "Actor": "#e15759",
    "Place": "#17becf", "City": "#0e7c86", "Region": "#5fc4c9", "Territory": "#1b9e77", "Facility": "#66c2a5",
    "Issue": "#2ca02c",
    "Event": "#1f77b4", "Summit": "#1f4e9c", "MinisterialMeeting": "#4e79a7", "PressConference": "#6baed6",
    "Visit": "#3182bd", "GovernmentChange": "#08519c", "Operation": "#9ecae1", "Cancellation": "#7f8fa6",
    "Situation": "#a0b8d8",
    "Agreement": "#9467bd", "JointDocument": "#6a3d9a", "TradeAgreement": "#c5b0d5", "Provision": "#b39ddb",
    "Recommendation": "#f2b701", "Implication": "#bcbd22", "Claim": "#d9d98c", "Proposition": "#cfcf70",
    "Statement": "#a6761d",
    "Post": "#7f7f7f", "Incumbency": "#a5a5a5", "AgreementStatus": "#bdbdbd",
    "Evidence": "#f4f4f4",
}
COMMUNITY_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf",
)
OTHER_COLOUR = "#cccccc"

#: Classes collapsed (in this order) when a view has more than ``max_nodes`` nodes.
AGGREGATE_ORDER = (
    NK + "Evidence", NK + "Claim", NK + "Implication", NK + "Statement", NK + "Provision",
    NK + "Incumbency", NK + "Post",
)


class ViewError(Exception):
    """A view cannot be drawn as asked (unknown entity or class, too many nodes...)."""


class ViewTooLarge(ViewError):
    """More nodes than ``max_nodes`` even after aggregation (or aggregation is off)."""


@dataclass(frozen=True)
class ViewOptions:
    """How a view is drawn and filtered.

    ``classes``: keep only nodes whose class is one of these or below it (local
    names such as ``Actor``, ``nk:Issue`` or full IRIs).  ``date_from``/``date_to``
    (``YYYY-MM-DD``): keep only events whose date overlaps the range (undated
    events go); other nodes stay.  Both filters also exist in the page.
    """

    lang: str = "both"
    size: str = "pagerank"
    colour: str = "class"
    classes: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    aggregate: bool = True
    stabilization_iterations: int = 200
    seed: int = analysis.DEFAULT_SEED
    edge_labels: bool = True

    def __post_init__(self) -> None:
        if self.lang not in ("ja", "en", "both"):
            raise ViewError(f"lang must be ja, en or both, not {self.lang!r}")
        if self.size not in ("pagerank", "degree"):
            raise ViewError(f"size must be pagerank or degree, not {self.size!r}")
        if self.colour not in ("class", "community"):
            raise ViewError(f"colour must be class or community, not {self.colour!r}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise ViewError(f"{name.replace('_', ' ')} must be a date YYYY-MM-DD, not {value!r}") from None
        if self.max_nodes < 1:
            raise ViewError("max_nodes must be at least 1")
        object.__setattr__(self, "classes", tuple(self.classes or ()))


#: The options a view has when none are given (frozen, so safe to share).
DEFAULT_OPTIONS = ViewOptions()


@dataclass
class View:
    """What a page shows, before drawing: a subgraph and how to lay it out."""

    name: str
    title: str
    graph: nx.MultiDiGraph
    subtitle: str = ""
    layout: str = "physics"  # physics | timeline | hierarchical
    notes: list[str] = field(default_factory=list)
    focus: str | None = None


class Explorer:
    """Views of one store's graph; the graph, centralities and communities are computed once."""

    def __init__(self, store: Store, base_iri: str = DEFAULT_BASE_IRI, graph: nx.MultiDiGraph | None = None):
        self.store = store
        self.base_iri = base_iri
        self.graph = graph if graph is not None else network_graph(store)
        self.last_view: View | None = None  # the last view drawn, after filters and aggregation

    @cached_property
    def pagerank(self) -> dict[str, float]:
        return nx.pagerank(self.graph) if len(self.graph) else {}

    @cached_property
    def degree(self) -> dict[str, int]:
        return dict(self.graph.degree())

    @cached_property
    def communities(self) -> list[set[str]]:
        return analysis.communities(self.graph)

    def find(self, needle: str) -> str:
        """An entity's IRI from a label (ja/en/ko, exact) or an IRI; it must have relations."""
        from ..query.lookup import LookupError_, find_entity

        try:
            iri = find_entity(self.store, needle, self.base_iri).value
        except LookupError_ as error:
            raise ViewError(str(error)) from None
        if iri not in self.graph:
            raise ViewError(f"{needle!r} ({iri}) takes part in no relation, so it is in no network view")
        return iri

    # ---------------------------------------------------------------- views

    def whole(self, options: ViewOptions = DEFAULT_OPTIONS) -> str:
        return self.render(self.whole_view(), options)

    def neighbourhood(self, entity: str, depth: int = 1, options: ViewOptions = DEFAULT_OPTIONS) -> str:
        return self.render(self.neighbourhood_view(entity, depth), options)

    def recommendation(self, recommendation: str, options: ViewOptions = DEFAULT_OPTIONS) -> str:
        return self.render(self.recommendation_view(recommendation), options)

    def timeline(self, options: ViewOptions = DEFAULT_OPTIONS) -> str:
        return self.render(self.timeline_view(), options)

    def issues(self, options: ViewOptions = DEFAULT_OPTIONS) -> str:
        return self.render(self.issues_view(), options)

    def view(self, name: str, options: ViewOptions = DEFAULT_OPTIONS, *, entity: str | None = None,
             depth: int = 1, recommendation: str | None = None) -> str:
        """One view by name (as the command line says it)."""
        if name == "graph":
            return self.whole(options)
        if name == "neighbourhood":
            if not entity:
                raise ViewError("the neighbourhood view needs an entity (label or IRI)")
            return self.neighbourhood(entity, depth, options)
        if name == "recommendation":
            if not recommendation:
                raise ViewError("the recommendation view needs a recommendation (label or IRI); "
                                f"recommendations: {', '.join(self.recommendations_list())}")
            return self.recommendation(recommendation, options)
        if name == "timeline":
            return self.timeline(options)
        if name == "issues":
            return self.issues(options)
        raise ViewError(f"unknown view {name!r}: choose one of {', '.join(VIEWS)}")

    def recommendations_list(self) -> list[str]:
        """IRIs of the recommendations in the graph, by IRI."""
        return sorted(n for n in self.graph if is_a(self.graph, n, NK + "Recommendation"))

    def whole_view(self) -> View:
        g = self.graph
        return View("graph", "関係ネットワーク全体 / Whole relation network", g.copy(),
                    subtitle=f"{len(g)} entities with relations · {g.number_of_edges()} relations")

    def neighbourhood_view(self, entity: str, depth: int = 1) -> View:
        if depth < 1:
            raise ViewError("depth must be at least 1")
        centre = self.find(entity)
        nodes = nx.ego_graph(analysis.undirected(self.graph), centre, radius=depth)
        sub = self.graph.subgraph(nodes).copy()
        name = label(self.graph, centre, "both")
        return View("neighbourhood", f"{name}: {depth} 段階の近傍 / neighbourhood, depth {depth}", sub,
                    subtitle=centre, focus=centre)

    def recommendation_view(self, recommendation: str) -> View:
        g = self.graph
        rec = self.find(recommendation)
        if not is_a(g, rec, NK + "Recommendation"):
            raise ViewError(f"{recommendation!r} is not a recommendation (its class is {g.nodes[rec]['class']})")
        near = set(nx.all_neighbors(g, rec))
        propositions = {n for n in near if is_a(g, n, NK + "Claim") or is_a(g, n, NK + "Implication")}
        further = {t for p in propositions for t in g.successors(p)}
        sub = g.subgraph({rec} | near | further).copy()
        for node in sorted({rec} | propositions):
            for ev in g.nodes[node]["evidence"]:
                add_evidence_node(sub, node, ev, g.graph["properties"][EVIDENCE])
        return View("recommendation", f"提言 / Recommendation: {label(g, rec, 'both')}", sub,
                    subtitle=rec, focus=rec)

    def timeline_view(self) -> View:
        g = self.graph
        events = [n for n in g if is_a(g, n, NK + "Event") and g.nodes[n].get("date_earliest")]
        undated = [n for n in g if is_a(g, n, NK + "Event") and not g.nodes[n].get("date_earliest")]
        view = View("timeline", "出来事の年表 / Timeline of events", g.subgraph(events).copy(),
                    subtitle="x: date (the middle of what the source's precision allows)", layout="timeline")
        if undated:
            view.notes.append(f"{len(undated)} undated event(s) not shown: "
                              + ", ".join(label(g, n, "en") for n in sorted(undated)))
        return view

    def issues_view(self) -> View:
        g = self.graph
        issues = {n for n in g if is_a(g, n, NK + "Issue")}
        sub = nx.MultiDiGraph()
        sub.graph.update(g.graph)
        for issue in sorted(issues):
            sub.add_node(issue, **g.nodes[issue])
        for s, o, key, data in g.edges(keys=True, data=True):
            if key == SKOS + "broader" and s in issues and o in issues:
                sub.add_edge(s, o, key=key, **data)
            elif (key == NK + "concernsIssue" and o in issues
                  and (is_a(g, s, NK + "Recommendation") or is_a(g, s, NK + "Implication"))):
                if s not in sub:
                    sub.add_node(s, **g.nodes[s])
                sub.add_edge(s, o, key=key, **data)
        return View("issues", "争点の体系と提言・インプリケーション / Issues, with recommendations and implications",
                    sub, subtitle="skos:broader hierarchy; recommendations and implications on the right",
                    layout="hierarchical")

    # ---------------------------------------------------------------- drawing

    def render(self, view: View, options: ViewOptions = DEFAULT_OPTIONS) -> str:
        """The page of a view, filtered, aggregated if need be, laid out and drawn."""
        view = self.filtered(view, options)
        view = self.aggregated(view, options)
        self.last_view = view
        return render_page(self.page_data(view, options), view, options)

    def resolve_classes(self, names: tuple[str, ...]) -> list[str]:
        known = self.graph.graph["classes"]
        out = []
        for name in names:
            for candidate in (name, NK + name, NK + name.removeprefix("nk:")):
                if candidate in known:
                    out.append(candidate)
                    break
            else:
                raise ViewError(f"unknown class {name!r}; classes: "
                                + ", ".join(sorted(local_name(c) for c in known)))
        return out

    def filtered(self, view: View, options: ViewOptions) -> View:
        g = view.graph
        keep = set(g)
        if options.classes:
            wanted = self.resolve_classes(options.classes)
            keep = {n for n in keep if any(is_a(g, n, c) for c in wanted)}
        if options.date_from or options.date_to:
            keep = {n for n in keep if not is_a(g, n, NK + "Event") or in_range(g.nodes[n], options)}
        if keep == set(g):
            return view
        removed = len(g) - len(keep)
        notes = [*view.notes, f"{removed} node(s) left out by the class/date filter"]
        return replace(view, graph=g.subgraph(keep).copy(), notes=notes)

    def aggregated(self, view: View, options: ViewOptions) -> View:
        g = view.graph
        if len(g) <= options.max_nodes:
            return view
        advice = ("narrow it with classes (--classes), dates (--from/--to) or a neighbourhood (--entity), "
                  "or raise max_nodes (--max-nodes)")
        if not options.aggregate:
            raise ViewTooLarge(f"the {view.name} view has {len(g)} nodes, more than max_nodes={options.max_nodes}: {advice}")
        g = g.copy()
        notes = list(view.notes)
        for cls in AGGREGATE_ORDER:
            members = sorted(n for n in g if is_a(g, n, cls) and n != view.focus)
            if len(members) < 2:
                continue
            g = collapse(g, members, cls)
            names = g.graph["classes"].get(cls, {})
            notes.append(f"{len(members)} × {names.get('label_ja', local_name(cls))} / "
                         f"{names.get('label_en', local_name(cls))} collapsed into one node")
            if len(g) <= options.max_nodes:
                return replace(view, graph=g, notes=notes)
        raise ViewTooLarge(f"the {view.name} view has {len(g)} nodes even with evidence and propositions "
                           f"collapsed, more than max_nodes={options.max_nodes}: {advice}")

    def page_data(self, view: View, options: ViewOptions) -> dict:
        g = view.graph
        metric = self.pagerank if options.size == "pagerank" else self.degree
        top_metric = max(metric.values(), default=1) or 1
        community = analysis.community_of(self.communities) if options.colour == "community" else {}

        positions, levels, ui_extra = {}, {}, {}
        if view.layout == "physics":
            positions = initial_positions(g, options.seed)
        elif view.layout == "timeline":
            positions, ui_extra = timeline_positions(g)
        elif view.layout == "hierarchical":
            levels = issue_levels(g)

        nodes = []
        for node in g.nodes:
            data = g.nodes[node]
            cls = data.get("class")
            _, shape = family_of(g, cls)
            kind = data.get("kind", "entity")
            if options.colour == "community" and kind == "entity":
                colour = COMMUNITY_COLOURS[community[node] % len(COMMUNITY_COLOURS)] if node in community else OTHER_COLOUR
            else:
                colour = class_colour(cls)
            if kind == "aggregate":
                shape, value = "database", 0.6
            elif kind == "evidence":
                value = 0.0
            else:
                value = math.sqrt(metric.get(node, 0) / top_metric)
            if node == view.focus:
                value = max(value, 0.75)
            vis_node = {
                "shape": shape,
                "color": node_colour(colour),
                "value": round(value, 5),
            }
            if kind == "evidence":
                vis_node.update(font={"size": 10, "color": "#333"}, widthConstraint={"maximum": 170},
                                color=node_colour("#f7f3e3", "#b8a970"), borderWidth=1)
            if node == view.focus:
                vis_node.update(borderWidth=4, color=node_colour(colour, "#111111"))
            if node in positions:
                vis_node["x"], vis_node["y"] = positions[node]
                if view.layout == "timeline":
                    vis_node["fixed"] = {"x": True, "y": True}
            if node in levels:
                vis_node["level"] = levels[node]
            meta = {
                "kind": kind,
                "cls": cls,
                "ja": data.get("label_ja"),
                "en": data.get("label_en"),
                "iri": data.get("iri"),
                "evidence": [{k: e.get(k) for k in ("quote", "section_ja", "section_en")} for e in data.get("evidence", [])],
            }
            if is_a(g, node, NK + "Event") and kind == "entity":
                meta.update(event=True, date=data.get("date"), earliest=data.get("date_earliest"),
                            latest=data.get("date_latest"))
            if kind == "aggregate":
                meta["members"] = data["members"]
            if options.colour == "community" and node in community:
                meta["community"] = community[node]
            nodes.append({"id": node, "m": meta, "vis": vis_node})

        edges = []
        seen_pairs: dict[frozenset, int] = {}
        for index, (s, o, key, data) in enumerate(g.edges(keys=True, data=True)):
            pair = frozenset((s, o))
            parallel = seen_pairs.get(pair, 0)
            seen_pairs[pair] = parallel + 1
            vis_edge = {"arrows": {"to": {"enabled": True, "scaleFactor": 0.45}}}
            if parallel:
                vis_edge["smooth"] = {"enabled": True, "type": "curvedCW" if parallel % 2 else "curvedCCW",
                                      "roundness": 0.18 * ((parallel + 1) // 2)}
            if key == EVIDENCE:
                vis_edge.update(dashes=True, color={"color": "#c9b97a", "highlight": "#8a7a30", "inherit": False})
            edges.append({
                "id": f"e{index}", "from": s, "to": o,
                "m": {"predicate": key, "ja": data.get("label_ja"), "en": data.get("label_en"),
                      "count": data.get("count", 1)},
                "vis": vis_edge,
            })

        classes = legend_classes(g, options)
        ui = {
            "view": view.name, "lang": options.lang, "colourBy": options.colour,
            "physics": view.layout == "physics", "edgeLabels": options.edge_labels,
            "showDates": view.layout == "timeline",
            "dateFrom": options.date_from or "", "dateTo": options.date_to or "",
            **ui_extra,
        }
        dates = sorted(d for n in g for d in (g.nodes[n].get("date_earliest"), g.nodes[n].get("date_latest")) if d)
        if dates:
            ui["dateMin"], ui["dateMax"] = dates[0], dates[-1]
        data = {"nodes": nodes, "edges": edges, "classes": classes, "ui": ui}
        if options.colour == "community":
            data["communities"] = community_legend(self.graph, self.communities, set(g), self.pagerank)
        return data


# ---------------------------------------------------------------------- helpers of views


def in_range(data: dict, options: ViewOptions) -> bool:
    earliest, latest = data.get("date_earliest"), data.get("date_latest") or data.get("date_earliest")
    if not earliest:
        return False
    if options.date_from and latest < options.date_from:
        return False
    if options.date_to and earliest > options.date_to:
        return False
    return True


def add_evidence_node(g: nx.MultiDiGraph, owner: str, evidence: dict, prop: dict) -> None:
    """A node for one evidence span (its quote as label), linked from the entity it backs."""
    node = evidence.get("iri") or f"evidence:{evidence['quote']}"
    if node not in g:
        g.add_node(node, iri=evidence.get("iri"), kind="evidence", **{"class": NK + "Evidence"},
                   label_ja=evidence["quote"], label_en=None,
                   evidence=[evidence])
    g.add_edge(owner, node, key=EVIDENCE, predicate=EVIDENCE, **prop)


def collapse(g: nx.MultiDiGraph, members: list[str], cls: str) -> nx.MultiDiGraph:
    """Replace ``members`` by one node; their edges go to it, merged per (ends, predicate) with a count."""
    names = g.graph["classes"].get(cls, {})
    hub = f"aggregate:{cls}"
    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    member_set = set(members)
    for node, data in g.nodes(data=True):
        if node not in member_set:
            out.add_node(node, **data)
    out.add_node(hub, iri=None, kind="aggregate", **{"class": cls},
                 label_ja=f"{names.get('label_ja', local_name(cls))} ×{len(members)}",
                 label_en=f"{names.get('label_en', local_name(cls))} ×{len(members)}",
                 evidence=[], members=[label(g, m, "both") for m in members])
    for s, o, key, data in g.edges(keys=True, data=True):
        s2, o2 = (hub if s in member_set else s), (hub if o in member_set else o)
        if s2 == o2:
            continue
        if out.has_edge(s2, o2, key):
            out.edges[s2, o2, key]["count"] = out.edges[s2, o2, key].get("count", 1) + data.get("count", 1)
        else:
            out.add_edge(s2, o2, key=key, **data)
    return out


def family_of(g: nx.MultiDiGraph, cls: str | None) -> tuple[tuple, str]:
    supers = g.graph["classes"].get(cls, {}).get("superclasses", {cls}) if cls else set()
    for root, key, ja, en, shape in FAMILIES:
        if root in supers:
            return (key, ja, en), shape
    return OTHER_FAMILY[:3], OTHER_FAMILY[3]


def class_colour(cls: str | None) -> str:
    return CLASS_COLOURS.get(local_name(cls), OTHER_COLOUR) if cls else OTHER_COLOUR


def node_colour(colour: str, border: str | None = None) -> dict:
    border = border or darker(colour)
    return {"background": colour, "border": border,
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"}}


def darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(int(r * factor), int(g * factor), int(b * factor))


def legend_classes(g: nx.MultiDiGraph, options: ViewOptions) -> list[dict]:
    counts: dict[str, int] = {}
    for node in g:
        cls = g.nodes[node].get("class")
        counts[cls] = counts.get(cls, 0) + 1
    family_order = {f[1]: i for i, f in enumerate(FAMILIES)}
    entries = []
    for cls, count in counts.items():
        (key, fja, fen), shape = family_of(g, cls)
        names = g.graph["classes"].get(cls, {})
        colour = class_colour(cls)
        if cls == NK + "Evidence":
            colour = "#f7f3e3"
        entries.append({
            "id": cls, "ja": names.get("label_ja", local_name(cls or "?")),
            "en": names.get("label_en", local_name(cls or "?")),
            "family": key, "familyLabel": f"{fja} / {fen}", "shape": shape,
            "color": colour, "border": darker(colour), "count": count,
            "order": family_order.get(key, 99),
        })
    entries.sort(key=lambda e: (e["order"], -e["count"], e["en"]))
    for entry in entries:
        del entry["order"]
    return entries


def community_legend(whole: nx.MultiDiGraph, groups: list[set[str]], shown: set[str],
                     pagerank: dict[str, float]) -> list[dict]:
    out = []
    for index, group in enumerate(groups):
        members = group & shown
        if not members:
            continue
        leaders = sorted(members, key=lambda n: (-pagerank.get(n, 0), n))[:3]
        colour = COMMUNITY_COLOURS[index % len(COMMUNITY_COLOURS)]
        out.append({"index": index, "size": len(members), "color": colour, "border": darker(colour),
                    "label": ", ".join(label(whole, n, "en") for n in leaders)})
    return out


#: Above this many nodes the page starts from a seeded random layout: networkx's sparse
#: spring layout takes ~10 s at 2,000 nodes, while the browser's physics settles them anyway.
SPRING_LAYOUT_MAX_NODES = 500


def initial_positions(g: nx.MultiDiGraph, seed: int) -> dict[str, tuple[float, float]]:
    """A seeded layout to start the physics from (a spring layout settles in few iterations)."""
    if not len(g):
        return {}
    simple = analysis.undirected(g)
    scale = max(250.0, 70.0 * math.sqrt(len(g)))
    if len(g) > SPRING_LAYOUT_MAX_NODES:
        layout = nx.rescale_layout_dict(nx.random_layout(simple, seed=seed), scale=scale)
    else:
        layout = nx.spring_layout(simple, seed=seed, scale=scale, iterations=60)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in layout.items()}


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def timeline_positions(g: nx.MultiDiGraph) -> tuple[dict, dict]:
    """Fixed positions for events: x by date (middle of the date's span), rows packed greedily."""
    events = []
    for node in g:
        data = g.nodes[node]
        if not data.get("date_earliest"):
            continue
        start = _date(data["date_earliest"])
        end = _date(data.get("date_latest") or data["date_earliest"])
        events.append((start + (end - start) / 2, node))
    if not events:
        return {}, {}
    events.sort()
    first, last = events[0][0], events[-1][0]
    span = max((last - first).days, 1)
    width = max(1000.0, 90.0 * len(events))
    per_day = width / span
    gap, row_height = 215.0, 120.0
    rows: list[float] = []
    positions = {}
    for when, node in events:
        x = (when - first).days * per_day
        for index, end in enumerate(rows):
            if x - end >= gap:
                rows[index] = x
                break
        else:
            rows.append(x)
            index = len(rows) - 1
        positions[node] = (round(x, 1), index * row_height)
    # month ticks, at most about 24 of them
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, math.ceil(months / 24))
    ticks = []
    year, month = first.year, first.month
    for i in range(0, months + 1, step):
        y, m = divmod((month - 1) + i, 12)
        day = dt.date(year + y, m + 1, 1)
        ticks.append({"x": round((day - first).days * per_day, 1), "label": day.strftime("%Y-%m")})
    ui = {"axis": ticks, "axisTop": -70, "axisBottom": max(len(rows) - 1, 0) * row_height + 70, "lanes": []}
    return positions, ui


def issue_levels(g: nx.MultiDiGraph) -> dict[str, int]:
    """Hierarchy levels: top issues 0, narrower ones deeper, propositions one level past the deepest issue."""
    broader = {n: [o for _, o, k in g.out_edges(n, keys=True) if k == SKOS + "broader"] for n in g}
    depth: dict[str, int] = {}

    def level(node: str, seen: frozenset = frozenset()) -> int:
        if node in depth:
            return depth[node]
        parents = [p for p in broader[node] if p not in seen]
        depth[node] = 0 if not parents else 1 + max(level(p, seen | {node}) for p in parents)
        return depth[node]

    issues = [n for n in g if is_a(g, n, NK + "Issue")]
    for node in issues:
        level(node)
    bottom = max((depth[n] for n in issues), default=-1) + 1
    return {n: depth.get(n, bottom) for n in g}


# ---------------------------------------------------------------------- the page


def make_network(view: View, options: ViewOptions, nodes: list[dict], edges: list[dict]) -> Network:
    """A pyvis Network holding the lists and the vis-network options of the view."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=view.title)
    net.nodes = nodes  # assigned, not add_node(): that is quadratic
    net.edges = edges
    net.set_edge_smooth("continuous")
    net.inherit_edge_colors(False)
    if view.layout == "physics":
        n = len(nodes)
        net.force_atlas_2based(gravity=-70, central_gravity=0.02, spring_length=80, spring_strength=0.05,
                               damping=0.6, overlap=0.8)
        net.toggle_stabilization(True)
        net.options.physics.stabilization.iterations = options.stabilization_iterations
        net.options.physics.stabilization.updateInterval = 25
        net.toggle_hide_edges_on_drag(n > 200)
    else:
        net.toggle_physics(False)
        net.options.physics.stabilization.enabled = False
    return net


def vis_options(net: Network, view: View, options: ViewOptions, n_nodes: int) -> dict:
    _, _, _, _, _, pyvis_options = net.get_network_data()
    opts = json.loads(pyvis_options)
    opts["layout"] = {"randomSeed": options.seed, "improvedLayout": False}
    if view.layout == "hierarchical":
        opts["layout"]["hierarchical"] = {
            "enabled": True, "direction": "LR", "sortMethod": "directed", "levelSeparation": 330,
            "nodeSpacing": 56, "treeSpacing": 60, "blockShifting": True, "edgeMinimization": True,
            "parentCentralization": True,
        }
        opts["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                   "roundness": 0.4}
    if view.layout == "timeline":
        opts["edges"]["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25}
    label_font = "IPAPGothic, 'Noto Sans CJK JP', 'Hiragino Sans', sans-serif"
    opts["nodes"] = {
        "borderWidth": 1.5,
        "font": {"size": 13, "face": label_font, "strokeWidth": 3, "strokeColor": "#ffffff", "multi": False},
        "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 10, "max": 34, "drawThreshold": 7,
                                                   "maxVisible": 30}},
    }
    if view.layout != "physics":
        opts["nodes"]["scaling"] = {"min": 9, "max": 16 if view.layout == "hierarchical" else 26,
                                    "label": {"enabled": False}}
    opts["edges"].update({
        "width": 0.8, "selectionWidth": 2, "hoverWidth": 1.2,
        "color": {"color": "#b8b8b8", "highlight": "#333333", "hover": "#666666", "inherit": False, "opacity": 0.85},
        "font": {"size": 9, "face": label_font, "color": "#666666", "strokeWidth": 2, "strokeColor": "#ffffff",
                 "align": "middle"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
        # edge labels appear once zoomed in (9 px at scale 0.9), so the overview stays clean
        "scaling": {"label": {"enabled": False, "drawThreshold": 9}},
    })
    opts["interaction"].update({"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                                "multiselect": True})
    return opts


def escape_json_for_script(value) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/2029 left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_TEMPLATE = _ENV.from_string(PAGE_TEMPLATE)
_VIS_CACHE: dict[str, str] = {}


def _vis_asset(name: str) -> str:
    if name not in _VIS_CACHE:
        text = (VIS_DIR / name).read_text(encoding="utf-8")
        lowered = text.lower()
        if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
            raise ViewError(f"{VIS_DIR / name} cannot be inlined safely (it contains an HTML end tag or comment)")
        _VIS_CACHE[name] = text
    return _VIS_CACHE[name]


HELP = ("大きさ: {size} · 色: {colour}. ノードにカーソルを合わせると種類・ラベル・根拠(節)を表示。"
        " / Size: {size} · colour: {colour}. Hover a node for its type, labels and evidence with sections.")


def render_page(data: dict, view: View, options: ViewOptions) -> str:
    net = make_network(view, options, data["nodes"], data["edges"])
    nodes, edges, heading, _, _, _ = net.get_network_data()
    data = {**data, "nodes": nodes, "edges": edges, "options": vis_options(net, view, options, len(nodes))}
    return _TEMPLATE.render(
        html_lang="en" if options.lang == "en" else "ja",
        title=heading,
        subtitle=view.subtitle,
        notes=view.notes,
        has_dates="dateMin" in data["ui"] and any(n["m"].get("event") for n in nodes),
        help=HELP.format(size="PageRank" if options.size == "pagerank" else "degree / 次数",
                         colour="class / クラス" if options.colour == "class" else "community / コミュニティ"),
        vis_css=_vis_asset("vis-network.css"),
        vis_js=_vis_asset("vis-network.min.js"),
        page_css=PAGE_CSS,
        page_js=PAGE_JS,
        data_json=escape_json_for_script(data),
        pyvis_version=getattr(pyvis, "__version__", "0.3.2"),
        vis_version=VIS_VERSION,
    )


def write_page(path: Path | str, html: str) -> Path:
    """Write a page atomically: a temporary file in the same folder, then ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------- shortcuts


def whole_graph_page(store: Store, options: ViewOptions = DEFAULT_OPTIONS) -> str:
    return Explorer(store).whole(options)


def neighbourhood_page(store: Store, entity: str, depth: int = 1, options: ViewOptions = DEFAULT_OPTIONS,
                       base_iri: str = DEFAULT_BASE_IRI) -> str:
    return Explorer(store, base_iri).neighbourhood(entity, depth, options)


def recommendation_page(store: Store, recommendation: str, options: ViewOptions = DEFAULT_OPTIONS,
                        base_iri: str = DEFAULT_BASE_IRI) -> str:
    return Explorer(store, base_iri).recommendation(recommendation, options)


def timeline_page(store: Store, options: ViewOptions = DEFAULT_OPTIONS) -> str:
    return Explorer(store).timeline(options)


def issues_page(store: Store, options: ViewOptions = DEFAULT_OPTIONS) -> str:
    return Explorer(store).issues(options)


# ---------------------------------------------------------------------- the standard pages of a build

INDEX_TEMPLATE = _ENV.from_string("""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>ネットワーク / Network views</title>
<style>body{font-family:IPAPGothic,"Noto Sans CJK JP",sans-serif;margin:2em;max-width:60em;line-height:1.5}
li{margin:.3em 0}.small{color:#666;font-size:90%}</style>
</head>
<body>
<h1>ネットワーク / Network views</h1>
<p class="small">{{ nodes }} entities with relations · {{ edges }} relations.
Self-contained pages: open them from disk, no server or network needed.</p>
<ul>
{% for page in pages %}<li><a href="{{ page.file }}">{{ page.title }}</a>{% if page.note %} <span class="small">({{ page.note }})</span>{% endif %}</li>
{% endfor %}</ul>
{% if problems %}<h2>Not drawn</h2><ul>{% for p in problems %}<li>{{ p }}</li>{% endfor %}</ul>{% endif %}
</body>
</html>
""")


@dataclass
class BuiltPages:
    files: list[Path]
    problems: list[str]
    seconds: float


def build_pages(settings, out_dir: Path | str | None = None, *, store: Store | None = None,
                options: ViewOptions = DEFAULT_OPTIONS) -> BuiltPages:
    """Write the standard pages into ``out_dir`` (default ``<out_dir of settings>/network``).

    The whole graph, the issue tree, the timeline and one page per recommendation,
    plus ``index.html``; recommendation pages left from earlier builds are removed.
    A view that cannot be drawn is reported in ``problems`` (and on the index), not raised.
    """
    import time

    started = time.perf_counter()
    target = Path(out_dir) if out_dir is not None else Path(settings.out_dir) / "network"
    own_store = store is None
    if own_store:
        from ..store import open_store

        store = open_store(settings)
    try:
        explorer = Explorer(store, settings.base_iri)
        jobs = [("graph.html", lambda: explorer.whole_view()),
                ("issues.html", lambda: explorer.issues_view()),
                ("timeline.html", lambda: explorer.timeline_view())]
        for rec in explorer.recommendations_list():
            jobs.append((f"recommendation-{local_name(rec)}.html", lambda rec=rec: explorer.recommendation_view(rec)))
        files, problems, listed = [], [], []
        for name, make in jobs:
            try:
                view = make()
                html = explorer.render(view, options)
            except ViewError as error:
                problems.append(f"{name}: {error}")
                continue
            files.append(write_page(target / name, html))
            listed.append({"file": name, "title": view.title,
                           "note": f"{len(view.graph)} nodes" if view.graph is not None else ""})
        wanted = {path.name for path in files}
        for stale in target.glob("recommendation-*.html"):
            if stale.name not in wanted:
                stale.unlink()
        index = INDEX_TEMPLATE.render(pages=listed, problems=problems, nodes=len(explorer.graph),
                                      edges=explorer.graph.number_of_edges())
        files.append(write_page(target / "index.html", index))
    finally:
        if own_store:
            store.close()
    return BuiltPages(files, problems, time.perf_counter() - started)
