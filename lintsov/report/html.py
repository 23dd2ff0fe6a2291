"""The HTML report: one self-contained page for the people who sign off (compliance
officers, auditors), who read neither JSON nor a terminal.

The page shows the verdict and the policy it was judged by; where the data sits, by
country and by the jurisdictions whose law reaches it, with sensitive data set apart
(inline SVG bar charts, with the numbers beside them); the data flows (replication,
backups, edge caches); vendor concentration; the findings with their evidence, grouped by
rule and searchable; the waived and baselined findings with their reasons and expiry.

It loads nothing: styles, charts and script are inline, and a Content-Security-Policy
forbids the browser to fetch anything, so the file can be mailed, archived and opened
offline, and tells no server who read it. Links (rule manuals, catalogue sources) are
there to follow, not loaded.

Large estates: the charts are aggregates (bounded by the number of countries and
vendors), and the rows (findings, flows, waived findings) are not in the markup but in
one JSON document in the page, whose repeated texts (evidence chains, messages) are
stored once and referred to by number. A small script shows them a page at a time, in
groups that open on demand, and filters them as one types. The page stays usable at
50,000 resources (see the README for its size and render time). The output is
byte-identical for the same input: no timestamps.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from lintsov import __version__
from lintsov.finding import Finding
from lintsov.inventory import Flow, ResolvedResource
from lintsov.pipeline import ALL_INPUTS
from lintsov.report import Report
from lintsov.report.text import judged, policy, unclassified

UNKNOWN = "unknown"
# Bars drawn per chart at most; the rest are summed into one "others" bar.
BARS = 40
CHART_WIDTH = 720
LABEL_WIDTH = 190
BAR_HEIGHT = 20
# The browser may load nothing at all; inline styles and the inline script run.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def render(report: Report) -> str:
    strings = _Strings()
    data = {
        "groups": _groups(report, strings),
        "flows": _flows(report, strings),
        "waived": _waived(report, strings),
        "baselined": _baselined(report, strings),
        # Last: the table is complete once the rows are made.
        "strings": strings.table,
    }
    resources = [r for inventory in report.outcome.inventories for r in inventory.resources]
    body = [
        _verdict(report),
        *_unreadable(report),
        _where(report, resources),
        _flow_section(report),
        _vendors(report, resources),
        _findings_section(report),
        _set_aside_section(report),
        f"<footer>lintsov {escape(__version__)} · open offline: this page loads nothing.</footer>",
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>lintsov: {escape(report.verdict)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            *body,
            f'<script type="application/json" id="lintsov-data">{_json(data)}</script>',
            f"<script>{SCRIPT}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _json(data: object) -> str:
    """JSON safe inside a <script> element: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass
class _Strings:
    """Texts stored once and referred to by number: 50,000 findings share a few hundred
    evidence chains and messages."""

    table: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def __call__(self, text: str) -> int:
        number = self._index.get(text)
        if number is None:
            number = self._index[text] = len(self.table)
            self.table.append(text)
        return number


# --- the verdict --------------------------------------------------------------------------


def _verdict(report: Report) -> str:
    outcome = report.outcome
    counts = outcome.counts()
    verdict = report.verdict
    parts = []
    if outcome.unreadable:
        parts.append(_plural(len(outcome.unreadable), "input") + " could not be read")
    parts += [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning")]
    if outcome.waived:
        parts.append(f"{len(outcome.waived)} waived")
    if outcome.baselined:
        parts.append(f"{len(outcome.baselined)} in the baseline")
    facts = [*judged(report), f"fails on: {report.fail_on}"]
    if report.unclassified:
        facts.append(unclassified(report))
    policies = "".join(
        f"<li>{escape(report.config_name(c))}: {escape(policy(c))}"
        f" <span class=muted>({escape(_names(report, c.inputs))})</span></li>"
        for c in report.configs
    )
    return (
        f'<header class="verdict {escape(verdict)}" id="verdict">'
        f"<h1>lintsov: {escape(verdict)}</h1>"
        f"<p class=counts>{escape(' · '.join(parts))}</p>"
        f"<p>{escape(' · '.join(facts))}</p>"
        f"<ul class=policies>{policies}</ul>"
        "</header>"
    )


def _names(report: Report, inputs: Iterable[str]) -> str:
    return ", ".join(report.relative(path) for path in inputs) or "no inputs"


def _unreadable(report: Report) -> list[str]:
    unreadable = report.outcome.unreadable
    if not unreadable:
        return []
    rows = "".join(
        f"<tr><td>{escape(item.input)}</td><td>{escape(item.message)}</td></tr>"
        for item in unreadable
    )
    return [
        '<section id="unreadable"><h2>Inputs lintsov could not read</h2>'
        "<p>Nothing in these was judged: the verdict is <b>error</b> until they are read.</p>"
        f"<table><thead><tr><th>Input</th><th>Error</th></tr></thead><tbody>{rows}</tbody>"
        "</table></section>"
    ]


# --- where the data sits ------------------------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    label: str
    total: int
    sensitive: int
    marked: bool = False


def _where(report: Report, resources: Sequence[ResolvedResource]) -> str:
    holding = [r for r in resources if r.data_holding]
    by_country: Counter[str] = Counter()
    by_reach: Counter[str] = Counter()
    sensitive_country: Counter[str] = Counter()
    sensitive_reach: Counter[str] = Counter()
    for resource in holding:
        for country in resource.countries or (UNKNOWN,):
            by_country[country] += 1
            sensitive_country[country] += resource.sensitive
        for place in resource.jurisdictions or (UNKNOWN,):
            by_reach[place] += 1
            sensitive_reach[place] += resource.sensitive
    # Marked only when every config blocks it: with several policies, one may not.
    blocked_everywhere = set.intersection(*(set(c.policy.blocked) for c in report.configs))
    sensitive = sum(1 for r in holding if r.sensitive)
    if not holding:
        charts = "<p>No data-holding resources.</p>"
    else:
        charts = _chart(
            "By country: where the data is stored",
            _bars(by_country, sensitive_country, blocked_everywhere),
        ) + _chart(
            "By jurisdiction: whose law reaches the data (where it is stored, and where "
            "its operator and the operator's parents are incorporated)",
            _bars(by_reach, sensitive_reach, blocked_everywhere),
        )
    return (
        '<section id="where"><h2>Where the data sits</h2>'
        f"<p>{_plural(len(holding), 'data-holding resource')}, "
        f"<b class=sensitive-text>{sensitive} of them sensitive</b> (dark segments). A "
        "resource stored in several countries (a multi-region bucket) or reached by "
        "several jurisdictions counts under each of them, so the bars of a chart may add "
        "up to more than the resources. <b>unknown</b>: lintsov could not place it, and "
        "says why in the findings. Jurisdictions the policy blocks are marked (blocked)."
        f"</p>{charts}</section>"
    )


def _bars(totals: Counter[str], sensitive: Counter[str], marked: set[str]) -> list[_Bar]:
    ranked = sorted(totals.items(), key=lambda item: (-sensitive[item[0]], -item[1], item[0]))
    bars = [_Bar(name, n, sensitive[name], name in marked) for name, n in ranked[:BARS]]
    rest = ranked[BARS:]
    if rest:
        bars.append(
            _Bar(
                f"{len(rest)} others",
                sum(n for _, n in rest),
                sum(sensitive[name] for name, _ in rest),
            )
        )
    return bars


def _chart(title: str, bars: Sequence[_Bar]) -> str:
    """A horizontal bar chart in inline SVG: sensitive resources as the dark part of each
    bar, the numbers written beside it (and in the title of each bar, for a screen
    reader)."""
    most = max(bar.total for bar in bars) or 1
    # Room on the right for the numbers of the longest bar.
    span = CHART_WIDTH - LABEL_WIDTH - 200
    rows = []
    for n, bar in enumerate(bars):
        y = n * (BAR_HEIGHT + 6)
        whole = max(1, round(span * bar.total / most))
        dark = round(span * bar.sensitive / most)
        label = bar.label + (" (blocked)" if bar.marked else "")
        words = f"{bar.label}: {bar.total} ({bar.sensitive} sensitive)"
        rows.append(
            f"<g><title>{escape(words)}</title>"
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{whole}" height="{BAR_HEIGHT}" '
            'class="bar"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{dark}" height="{BAR_HEIGHT}" '
            'class="bar-sensitive"/>'
            f'<text x="{LABEL_WIDTH + whole + 6}" y="{y + 15}">{bar.total}'
            f"{f' ({bar.sensitive} sensitive)' if bar.sensitive else ''}</text></g>"
        )
    height = len(bars) * (BAR_HEIGHT + 6)
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg></figure>"
    )


# --- flows --------------------------------------------------------------------------------


def _flows(report: Report, strings: _Strings) -> list[list[Any]]:
    rows = []
    for inventory in report.outcome.inventories:
        for flow in inventory.flows:
            rows.append(_flow_row(report, flow, strings))
    return rows


def _flow_row(report: Report, flow: Flow, strings: _Strings) -> list[Any]:
    place = flow.destination
    where = ", ".join(place.countries) or UNKNOWN
    reach = ", ".join(place.jurisdictions) or UNKNOWN
    destination = " · ".join(
        part
        for part in (
            place.what,
            place.vendor_name or place.vendor or "unknown vendor",
            place.region or "unknown region",
            f"stored in {where}",
            f"law: {reach}",
        )
        if part
    )
    evidence = [strings(e.text()) for e in flow.evidence]
    if flow.missing is not None:
        evidence.append(strings(f"unknown {flow.missing.fact}: {flow.missing.reason}"))
    located = f"{report.relative(flow.location.file)}:{flow.location.line}" if flow.location else ""
    return [
        strings(flow.kind),
        strings(flow.source),
        strings(flow.via),
        strings(destination),
        strings(located),
        evidence,
    ]


def _flow_section(report: Report) -> str:
    kinds = Counter(f.kind for i in report.outcome.inventories for f in i.flows)
    if not kinds:
        summary = "No data flows: no replication, backup or edge cache copies data elsewhere."
    else:
        summary = (
            "Data copied elsewhere: "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
            + ". Each row: where the data leaves, what sets the flow up, where it lands."
        )
    return (
        '<section id="flows"><h2>Data flows</h2>'
        f"<p>{escape(summary)}</p>"
        '<div class="table" data-table="flows"></div></section>'
    )


# --- vendors ------------------------------------------------------------------------------


def _vendors(report: Report, resources: Sequence[ResolvedResource]) -> str:
    hosted = [r for r in resources if r.provider_kind == "hosting" and r.vendor]
    unknown = sum(
        1
        for r in resources
        if r.provider_kind == "unknown" or (r.provider_kind == "hosting" and not r.vendor)
    )
    counts = Counter(r.vendor_name or r.vendor or UNKNOWN for r in hosted)
    sensitive = Counter(r.vendor_name or r.vendor or UNKNOWN for r in hosted if r.sensitive)
    lines = []
    if hosted:
        top, n = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        lines.append(
            f"<p>{escape(top)} holds {n} of {len(hosted)} hosting-vendor resources "
            f"(<b>{n / len(hosted):.0%}</b>)."
            + (
                f" {unknown} resources of a vendor lintsov could not tell are not counted."
                if unknown
                else ""
            )
            + "</p>"
        )
        lines.append(_chart("Hosting-vendor resources per vendor", _bars(counts, sensitive, set())))
    else:
        lines.append("<p>No resources of a hosting vendor.</p>")
    return '<section id="vendors"><h2>Vendor concentration</h2>' + "".join(lines) + "</section>"


# --- findings -----------------------------------------------------------------------------


def _where_of(report: Report, finding: Finding) -> str:
    if finding.location is None and finding.input == ALL_INPUTS:
        return ALL_INPUTS
    path, line, _ = report.artifact(finding)
    return f"{path}:{line}" if line else path


def _finding_row(report: Report, finding: Finding, strings: _Strings) -> list[Any]:
    return [
        0 if finding.severity == "error" else 1,
        strings(finding.address),
        strings(_where_of(report, finding)),
        strings(finding.message),
        [strings(e.text()) for e in finding.evidence],
    ]


def _groups(report: Report, strings: _Strings) -> list[dict[str, Any]]:
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.outcome.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    groups = []
    # Rules with errors first, then by id: what fails the run comes first.
    for rule_id in sorted(by_rule, key=lambda r: (min(_level(f) for f in by_rule[r]), r)):
        rule = report.rules.get(rule_id)
        findings = by_rule[rule_id]
        groups.append(
            {
                "rule": rule_id,
                "title": rule.title if rule else "",
                "summary": rule.summary if rule else "",
                "help": rule.help_uri if rule else "",
                "errors": sum(1 for f in findings if f.severity == "error"),
                "warnings": sum(1 for f in findings if f.severity == "warning"),
                "rows": [_finding_row(report, f, strings) for f in findings],
            }
        )
    return groups


def _level(finding: Finding) -> int:
    return 0 if finding.severity == "error" else 1


def _findings_section(report: Report) -> str:
    count = len(report.outcome.findings)
    return (
        '<section id="findings"><h2>Findings</h2>'
        f"<p>{_plural(count, 'finding')} that count, grouped by rule; open a rule to see "
        "its findings with the evidence each rests on.</p>"
        '<p><label>Search <input id="search" type="search" '
        'placeholder="address, file, message, evidence, e.g. us-east-1" '
        'autocomplete="off"></label> <span id="matches" class=muted></span></p>'
        '<noscript><p class="warning">The findings, flows and waived findings are shown by '
        "the page's script, which is off: read them in the JSON or SARIF report.</p>"
        "</noscript>"
        '<div id="groups"></div></section>'
    )


# --- waived and baselined -----------------------------------------------------------------


def _waived(report: Report, strings: _Strings) -> list[list[Any]]:
    rows = []
    for item in report.outcome.waived:
        finding, waiver = item.finding, item.waiver
        by = report.relative(waiver.file) + (f":{waiver.line}" if waiver.line else "")
        if waiver.address:
            by += f" (address {waiver.address})"
        rows.append(
            [
                strings(finding.rule),
                strings(finding.address),
                strings(_where_of(report, finding)),
                strings(waiver.reason),
                strings(waiver.until or "no expiry"),
                strings(by),
                strings(finding.message),
            ]
        )
    return rows


def _baselined(report: Report, strings: _Strings) -> list[list[Any]]:
    return [
        [
            strings(finding.rule),
            strings(finding.address),
            strings(_where_of(report, finding)),
            strings(finding.message),
        ]
        for finding in report.outcome.baselined
    ]


def _set_aside_section(report: Report) -> str:
    outcome = report.outcome
    stale = ""
    if outcome.stale:
        items = "".join(
            f"<li>{escape(e.rule)} <code>{escape(e.address)}</code> "
            f"({escape(report.relative(e.input))})</li>"
            for e in sorted(outcome.stale, key=lambda e: (e.rule, e.input, e.address))[:200]
        )
        stale = (
            f"<h3>{_plural(len(outcome.stale), 'baseline entry', 'baseline entries')} no "
            f"longer found</h3><p>Remove them from the baseline.</p><ul>{items}</ul>"
        )
    return (
        '<section id="set-aside"><h2>Waived and baselined findings</h2>'
        f"<p>{_plural(len(outcome.waived), 'waived finding')} (each with the reason given and "
        f"the date its waiver expires) and {_plural(len(outcome.baselined), 'finding')} "
        "recorded in the baseline: they do not fail the run, and are listed so that a "
        "reviewer sees what was accepted, why, and until when.</p>"
        '<h3>Waived</h3><div class="table" data-table="waived"></div>'
        '<h3>In the baseline</h3><div class="table" data-table="baselined"></div>'
        f"{stale}</section>"
    )


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:1100px;padding:0 16px 48px;color:#1d232a;background:#fff}
h1{margin:0 0 4px;font-size:28px}h2{margin-top:36px;border-bottom:1px solid #d0d7de}
.verdict{padding:16px 20px;margin:16px 0;border-radius:8px;border:2px solid}
.verdict.pass{border-color:#1a7f37;background:#eefbf1}.verdict.fail{border-color:#b42318;
background:#fff1f0}.verdict.error{border-color:#9a6700;background:#fff8e5}
.counts{font-size:18px;font-weight:600}.muted{color:#59636e}
table{border-collapse:collapse;width:100%;margin:8px 0;table-layout:fixed}
td{overflow-wrap:anywhere}th,td{text-align:left;
vertical-align:top;padding:5px 8px;border-bottom:1px solid #e4e8ec}th{background:#f6f8fa}
td ul{margin:0;padding-left:18px}code{font-size:13px}
figure{margin:12px 0 20px}figcaption{font-weight:600;margin-bottom:6px}
svg text{font-size:12px;fill:#1d232a}.bar{fill:#9db5cc}.bar-sensitive{fill:#8e1b12}
.sensitive-text{color:#8e1b12}details.rule{border:1px solid #d0d7de;border-radius:6px;
margin:8px 0;padding:4px 10px}details.rule>summary{cursor:pointer;font-weight:600;padding:4px 0}
.sev-0{color:#b42318;font-weight:600}.sev-1{color:#9a6700;font-weight:600}
button.more{margin:6px 0}.warning{color:#9a6700}footer{margin-top:40px;color:#59636e}
"""


# Rows are built with textContent only, never innerHTML: no text from the input can become
# markup. Search marks the numbers of matching texts once per query, so that filtering
# 100,000 rows is a pass over integers.
SCRIPT = r"""
(function(){
"use strict";
var data=JSON.parse(document.getElementById("lintsov-data").textContent);
var S=data.strings,lower=null,PAGE=50,SEV=["error","warning"];
function el(tag,text,cls){var e=document.createElement(tag);
 if(text!==undefined&&text!==null)e.textContent=text;if(cls)e.className=cls;return e;}
function list(ids){var ul=el("ul");ids.forEach(function(i){ul.appendChild(el("li",S[i]));});
 return ul;}
var hits=null;
function matches(row){if(!hits)return true;
 return hits.every(function(hit){return row.some(function(v){
  return Array.isArray(v)?v.some(function(i){return hit[i];}):(typeof v==="number"&&hit[v]);
 });});}
function query(q){var terms=q.toLowerCase().split(/\s+/).filter(Boolean);
 if(!terms.length){hits=null;return;}
 if(!lower)lower=S.map(function(s){return s.toLowerCase();});
 hits=terms.map(function(t){var h=new Uint8Array(S.length);
  for(var i=0;i<lower.length;i++)if(lower[i].indexOf(t)>=0)h[i]=1;return h;});}
function pager(host,rows,head,cells){
 host.textContent="";var shown=0,selected=rows.filter(function(r){return matches(r.data);});
 var table=el("table"),thead=el("thead"),tr=el("tr"),tbody=el("tbody");
 head.forEach(function(h){tr.appendChild(el("th",h));});thead.appendChild(tr);
 table.appendChild(thead);table.appendChild(tbody);
 var more=el("button","","more");more.type="button";
 function next(){selected.slice(shown,shown+PAGE).forEach(function(r){
   var row=el("tr");cells(r.data).forEach(function(c){var td=el("td");
    if(c instanceof Node)td.appendChild(c);else td.textContent=c;row.appendChild(td);});
   tbody.appendChild(row);});
  shown=Math.min(selected.length,shown+PAGE);
  more.textContent="Show "+Math.min(PAGE,selected.length-shown)+" more of "+
   (selected.length-shown);more.hidden=shown>=selected.length;}
 more.addEventListener("click",next);
 if(!selected.length){host.appendChild(el("p",rows.length?"No match.":"None.","muted"));
  return 0;}
 host.appendChild(table);host.appendChild(more);next();return selected.length;}
function wrap(rows){return rows.map(function(r){return {data:r};});}
var findingHead=["Severity","Address","Where","Message","Evidence"];
function findingCells(r){return [el("span",SEV[r[0]],"sev-"+r[0]),el("code",S[r[1]]),
 S[r[2]],S[r[3]],list(r[4])];}
var groupsHost=document.getElementById("groups"),groups=[];
data.groups.forEach(function(g){
 var d=el("details",null,"rule");d.dataset.rule=g.rule;
 var s=el("summary");var counts=[];
 if(g.errors)counts.push(g.errors+" error"+(g.errors>1?"s":""));
 if(g.warnings)counts.push(g.warnings+" warning"+(g.warnings>1?"s":""));
 s.appendChild(el("span",g.rule+" "+g.title+" — "+counts.join(", ")));
 var count=el("span","","muted count");s.appendChild(document.createTextNode(" "));
 s.appendChild(count);d.appendChild(s);
 var about=el("p",g.summary+" ","muted");if(g.help){var a=el("a","Manual");a.href=g.help;
  about.appendChild(a);}d.appendChild(about);
 var body=el("div");d.appendChild(body);groupsHost.appendChild(d);
 var rows=wrap(g.rows),drawn=false;
 function draw(){drawn=true;return pager(body,rows,findingHead,findingCells);}
 function refresh(){var n=rows.filter(function(r){return matches(r.data);}).length;
  count.textContent=hits?"("+n+" match"+(n===1?"":"es")+")":"";
  d.hidden=hits!==null&&n===0;
  // A search opens the rules it matches: at most a page of rows each is drawn.
  if(hits!==null&&n>0)d.open=true;
  if(d.open)draw();else drawn=false;return n;}
 d.addEventListener("toggle",function(){if(d.open&&!drawn)draw();});
 groups.push(refresh);
 if(g.errors&&groups.length<=3)d.open=true;});
if(!data.groups.length)groupsHost.appendChild(el("p","No findings.","muted"));
var tables={
 flows:[["Kind","Data from","Set up by","Lands at","Where","Evidence"],function(r){
  return [S[r[0]],el("code",S[r[1]]),el("code",S[r[2]]),S[r[3]],S[r[4]],list(r[5])];}],
 waived:[["Rule","Address","Where","Reason","Expires","Waiver","Message"],function(r){
  return [S[r[0]],el("code",S[r[1]]),S[r[2]],S[r[3]],S[r[4]],S[r[5]],S[r[6]]];}],
 baselined:[["Rule","Address","Where","Message"],function(r){
  return [S[r[0]],el("code",S[r[1]]),S[r[2]],S[r[3]]];}]};
var drawTables=[];
Array.prototype.forEach.call(document.querySelectorAll("[data-table]"),function(host){
 var spec=tables[host.dataset.table],rows=wrap(data[host.dataset.table]);
 drawTables.push(function(){return pager(host,rows,spec[0],spec[1]);});});
function refreshAll(){var n=0;groups.forEach(function(f){n+=f();});
 drawTables.forEach(function(f){f();});
 document.getElementById("matches").textContent=hits?n+" finding"+(n===1?"":"s")+
  " match":"";}
var search=document.getElementById("search"),timer=null;
search.addEventListener("input",function(){clearTimeout(timer);timer=setTimeout(function(){
 query(search.value);refreshAll();},150);});
// A link may carry a search: report.html#search=us-east-1 opens filtered.
var m=/^#search=(.*)$/.exec(location.hash);
if(m){search.value=decodeURIComponent(m[1]);query(search.value);}
refreshAll();
document.body.dataset.rendered="true";
// Milliseconds from the start of navigation until the page was drawn: read by tests and
// by the README's measurement; it is in the live page only, never in the file.
document.body.dataset.renderMs=String(Math.round(performance.now()));
})();
"""
