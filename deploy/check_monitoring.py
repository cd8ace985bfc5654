#!/usr/bin/python3
"""Checks the Grafana dashboard and Prometheus rules against the metrics smartocr exports.

Usage: check_monitoring.py SMARTOCR_BINARY DEPLOY_DIR

`SMARTOCR_BINARY metrics` prints one line per metric family: `NAME TYPE LABELS HELP...`
(TYPE counter|gauge|histogram, LABELS comma-separated or `-`). Against that list:
every PromQL expression of DEPLOY_DIR/grafana/*.json (panel targets, rows' nested
panels, label_values() variables) and of DEPLOY_DIR/prometheus/alerts.yaml may name
only exported metrics (a histogram NAME also gives NAME_bucket, NAME_sum, NAME_count;
`up` and the file's own recording rules are allowed), and may use only their labels in
matchers and in by/without/on/ignoring/group_* clauses. Dashboard panel ids are unique
and gridPos fits 24 columns; every alert has a severity, a summary and a runbook_url
whose anchor is a heading of docs/alerts.md, and a firing and a silent case in
alerts_test.yaml. Finally `promtool check rules` and `promtool test rules` must pass.
Exits non-zero with one line per problem. Run by ctest (deploy_monitoring).

The PromQL reading is a tokenizer with a little bracket tracking, not a parser: enough
to find names and label lists in the expressions this repository writes.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

# Labels every series may carry: `le` on histogram buckets, the rest from the scrape
# (target labels, Kubernetes service discovery).
TARGET_LABELS = {"le", "job", "instance", "namespace", "pod", "__name__"}
UP_LABELS = set(TARGET_LABELS)
SEVERITIES = {"critical", "warning", "info"}
AGGREGATORS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
               "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"}
# Words that are never metric names where they appear outside braces.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "atan2", "inf", "nan"}
LABEL_LIST_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}

TOKEN_RE = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
  | (?P<var>\$\{[^}]*\}|\$\w+|\[\[\w+\]\])
  | (?P<number>0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[a-zA-Z]*)
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=,(){}\[\]@:])
""", re.VERBOSE)


def tokenize(expr):
    tokens, pos = [], 0
    while pos < len(expr):
        m = TOKEN_RE.match(expr, pos)
        if not m:
            raise ValueError(f"cannot read {expr[pos:pos + 20]!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            tokens.append((m.lastgroup, m.group()))
    return tokens


class Scope:
    """An aggregation's argument, or a whole expression for on()/ignoring()."""

    def __init__(self):
        self.metrics = []
        self.labels = []  # (clause word, label)


def read_label_list(tokens, i):
    """tokens[i] is '('; returns (labels, index after ')')."""
    labels = []
    i += 1
    while i < len(tokens) and tokens[i][1] != ")":
        if tokens[i][0] in ("ident", "string"):
            labels.append(tokens[i][1].strip("\"'`"))
        i += 1
    return labels, i + 1


def read_matchers(tokens, i):
    """tokens[i] is '{'; returns ([(label, value)], index after '}')."""
    matchers = []
    i += 1
    while i < len(tokens) and tokens[i][1] != "}":
        kind, text = tokens[i]
        if kind in ("ident", "string") and i + 2 < len(tokens) \
                and tokens[i + 1][1] in ("=", "!=", "=~", "!~"):
            matchers.append((text.strip("\"'`"), tokens[i + 2][1].strip("\"'`")))
            i += 3
        else:
            i += 1
    return matchers, i + 1


def skip_brackets(tokens, i):
    """tokens[i] is '['; returns the index after the matching ']'."""
    depth = 0
    while i < len(tokens):
        if tokens[i][1] == "[":
            depth += 1
        elif tokens[i][1] == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def analyse(expr):
    """Returns (selectors [(metric, [labels])], scopes [Scope]) of a PromQL expression.

    Each aggregation with a by/without clause is a scope holding the metrics of its
    argument; on/ignoring/group_* lists go to a scope over the whole expression.
    """
    tokens = tokenize(expr)
    selectors, scopes = [], []
    whole = Scope()
    open_scopes = []  # (paren depth at which the scope closes, Scope)
    pending = None    # aggregator seen, its argument's '(' not yet
    depth = 0
    last_closed = None  # Scope whose ')' was the previous token, for `sum(...) by (...)`
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else None
        closed, last_closed = last_closed, None
        if kind == "ident" and text.lower() in LABEL_LIST_WORDS and nxt == "(":
            word = text.lower()
            labels, i = read_label_list(tokens, i + 1)
            if word in ("by", "without"):
                target = pending if pending is not None else closed
                if target is not None:
                    target.labels += [(word, label) for label in labels]
            else:
                whole.labels += [(word, label) for label in labels]
            continue
        if kind == "ident" and text in AGGREGATORS and nxt in ("(", "by", "without"):
            pending = Scope()
            i += 1
            continue
        if kind == "ident" and nxt == "(":
            i += 1  # a function call: its '(' is an ordinary bracket
            continue
        if kind == "ident" and text.lower() not in KEYWORDS:
            labels = []
            j = i + 1
            if nxt == "{":
                matchers, j = read_matchers(tokens, j)
                labels = [label for label, _ in matchers]
            selectors.append((text, labels))
            for _, scope in open_scopes:
                scope.metrics.append(text)
            whole.metrics.append(text)
            i = j
            continue
        if text == "{":  # a selector with no name: {__name__="..."}
            matchers, i = read_matchers(tokens, i)
            names = [value for label, value in matchers if label == "__name__"]
            labels = [label for label, _ in matchers if label != "__name__"]
            for name in names:
                selectors.append((name, labels))
                for _, scope in open_scopes:
                    scope.metrics.append(name)
                whole.metrics.append(name)
            continue
        if text == "[":
            i = skip_brackets(tokens, i)
            continue
        if text == "(":
            depth += 1
            if pending is not None:
                open_scopes.append((depth, pending))
                scopes.append(pending)
                pending = None
        elif text == ")":
            if open_scopes and open_scopes[-1][0] == depth:
                last_closed = open_scopes.pop()[1]
            depth -= 1
        i += 1
    if whole.labels:
        scopes.append(whole)
    return selectors, scopes


def read_catalogue(binary):
    out = subprocess.run([binary, "metrics"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        why = (out.stderr.strip().splitlines() or [""])[0]
        return None, f"`{binary} metrics` exited {out.returncode}: {why}"
    families = {}
    for line in out.stdout.splitlines():
        parts = line.split(None, 3)
        if not parts:
            continue
        if len(parts) < 3 or parts[1] not in ("counter", "gauge", "histogram"):
            return None, f"`smartocr metrics` line not NAME TYPE LABELS HELP: {line!r}"
        labels = set() if parts[2] == "-" else set(parts[2].split(","))
        families[parts[0]] = (parts[1], labels)
    if not families:
        return None, "`smartocr metrics` printed no metric"
    return families, None


def series_labels(families):
    """Every series name a scrape can hold, with the labels it may carry."""
    names = {"up": UP_LABELS}
    for name, (kind, labels) in families.items():
        names[name] = labels | TARGET_LABELS
        if kind == "histogram":
            names[name + "_bucket"] = labels | TARGET_LABELS
            names[name + "_sum"] = labels | TARGET_LABELS
            names[name + "_count"] = labels | TARGET_LABELS
    return names


def check_expr(where, expr, names, problems):
    try:
        selectors, scopes = analyse(expr)
    except ValueError as e:
        problems.append(f"{where}: {e}")
        return []
    if not selectors:
        problems.append(f"{where}: names no metric: {expr!r}")
    for metric, labels in selectors:
        if metric not in names:
            problems.append(f"{where}: unknown metric {metric}")
            continue
        for label in labels:
            if label not in names[metric]:
                problems.append(f"{where}: {metric} has no label {label}")
    for scope in scopes:
        known = [m for m in scope.metrics if m in names]
        for word, label in scope.labels:
            if label in TARGET_LABELS:
                continue
            # Aggregating by a label means it is on the series aggregated; on() and
            # ignoring() span both operands, so one of them carrying it is enough.
            if word in ("by", "without"):
                missing = [m for m in known if label not in names[m]]
            else:
                missing = known if not any(label in names[m] for m in known) else []
            if missing:
                problems.append(f"{where}: {word} ({label}): {', '.join(missing)} has no "
                                f"label {label}")
    return [m for m, _ in selectors]


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def check_grid(where, panels, problems):
    cells = {}
    for p in panels:
        g = p.get("gridPos") or {}
        x, y, w, h = (g.get(k) for k in ("x", "y", "w", "h"))
        if not all(isinstance(v, int) for v in (x, y, w, h)) or w <= 0 or h <= 0 \
                or x < 0 or y < 0 or x + w > 24:
            problems.append(f"{where}: panel {p.get('id')} gridPos {g} does not fit 24 columns")
            continue
        for cx in range(x, x + w):
            for cy in range(y, y + h):
                other = cells.setdefault((cx, cy), p.get("id"))
                if other != p.get("id"):
                    problems.append(f"{where}: panels {other} and {p.get('id')} overlap")
                    break
            else:
                continue
            break


def check_dashboard(path, names, problems):
    where = path.name
    try:
        dash = json.loads(path.read_text())
    except ValueError as e:
        problems.append(f"{where}: not JSON: {e}")
        return
    templating = dash.get("templating", {}).get("list", [])
    if not any(v.get("type") == "datasource" and v.get("name") == "datasource"
               and v.get("query") == "prometheus" for v in templating):
        problems.append(f"{where}: no `datasource` variable of type prometheus")
    for v in templating:
        query = v.get("query")
        query = query.get("query", "") if isinstance(query, dict) else query or ""
        m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", query)
        if v.get("type") == "query" and m:
            metrics = check_expr(f"{where}: variable {v.get('name')}", m.group(1), names,
                                 problems)
            for metric in metrics:
                if metric in names and m.group(2) not in names[metric]:
                    problems.append(f"{where}: variable {v.get('name')}: {metric} has no "
                                    f"label {m.group(2)}")
    top = dash.get("panels", [])
    check_grid(where, top, problems)
    for row in top:
        if row.get("type") == "row" and row.get("collapsed"):
            check_grid(f"{where}: row {row.get('title')!r}", row.get("panels", []), problems)
    seen = set()
    exprs = 0
    for p in walk_panels(top):
        pid = p.get("id")
        if pid in seen:
            problems.append(f"{where}: panel id {pid} is used twice")
        seen.add(pid)
        if p.get("type") == "row":
            continue
        for t in p.get("targets", []):
            ds = t.get("datasource") or p.get("datasource") or {}
            if ds.get("uid") != "${datasource}":
                problems.append(f"{where}: panel {pid} target {t.get('refId')} does not use "
                                "${datasource}")
            if "expr" not in t:
                problems.append(f"{where}: panel {pid} target {t.get('refId')} has no expr")
                continue
            check_expr(f"{where}: panel {pid} ({p.get('title')})", t["expr"], names, problems)
            exprs += 1
    if exprs == 0:
        problems.append(f"{where}: no panel has a PromQL target")


def github_anchor(heading):
    """The id GitHub gives a Markdown heading."""
    anchor = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return anchor.replace(" ", "-")


def check_rules(prom_dir, docs, names, problems):
    rules_path, tests_path = prom_dir / "alerts.yaml", prom_dir / "alerts_test.yaml"
    rules = yaml.safe_load(rules_path.read_text()) or {}
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", docs.read_text(), re.M) if docs.exists() else []
    anchors = {github_anchor(h) for h in headings}
    if not docs.exists():
        problems.append(f"{docs} does not exist")
    all_rules = [r for g in rules.get("groups", []) for r in g.get("rules", [])]
    recorded = {r["record"]: set() for r in all_rules if "record" in r}
    # A recording rule's series carry (at most) the labels of what it reads.
    for r in all_rules:
        if "record" in r:
            selectors, _ = analyse(r.get("expr", ""))
            for metric, _ in selectors:
                recorded[r["record"]] |= names.get(metric, set())
            recorded[r["record"]] |= TARGET_LABELS
    known = dict(names, **recorded)
    alerts = []
    for r in all_rules:
        name = r.get("alert") or r.get("record")
        check_expr(f"alerts.yaml: {name}", str(r.get("expr", "")), known, problems)
        if "alert" not in r:
            continue
        alerts.append(name)
        severity = (r.get("labels") or {}).get("severity")
        if severity not in SEVERITIES:
            problems.append(f"alerts.yaml: {name}: severity {severity!r} not one of "
                            f"{sorted(SEVERITIES)}")
        annotations = r.get("annotations") or {}
        for key in ("summary", "description", "runbook_url"):
            if not annotations.get(key):
                problems.append(f"alerts.yaml: {name}: no {key} annotation")
        url = annotations.get("runbook_url", "")
        m = re.search(r"docs/alerts\.md#([\w-]+)$", url)
        if not m:
            problems.append(f"alerts.yaml: {name}: runbook_url {url!r} is not docs/alerts.md#anchor")
        elif m.group(1) not in anchors:
            problems.append(f"alerts.yaml: {name}: docs/alerts.md has no heading #{m.group(1)}")
        elif m.group(1) != github_anchor(name):
            problems.append(f"alerts.yaml: {name}: runbook_url points at #{m.group(1)}, "
                            f"not the alert's own section #{github_anchor(name)}")
    if not alerts:
        problems.append("alerts.yaml: no alerting rule")
    if len(set(alerts)) != len(alerts):
        problems.append("alerts.yaml: an alert name is used twice")
    # Sections of docs/alerts.md named like an alert that no longer exists are stale.
    for h in headings:
        if re.fullmatch(r"SmartOCR\w+", h) and h not in alerts:
            problems.append(f"docs/alerts.md: section {h} names no alert of alerts.yaml")
    # Each alert fires in some test and stays silent in another.
    tests = yaml.safe_load(tests_path.read_text()) or {}
    fires, silent = set(), set()
    for t in tests.get("tests", []):
        for case in t.get("alert_rule_test", []):
            (fires if case.get("exp_alerts") else silent).add(case.get("alertname"))
    for name in alerts:
        if name not in fires:
            problems.append(f"alerts_test.yaml: no case where {name} fires")
        if name not in silent:
            problems.append(f"alerts_test.yaml: no case where {name} stays silent")


def run_promtool(prom_dir, problems):
    promtool = os.environ.get("PROMTOOL") or shutil.which("promtool") or "/usr/bin/promtool"
    if not os.access(promtool, os.X_OK):
        problems.append("promtool not found (Debian package prometheus, or set PROMTOOL)")
        return
    for args in (["check", "rules", "alerts.yaml"], ["test", "rules", "alerts_test.yaml"]):
        out = subprocess.run([promtool, *args], cwd=prom_dir, capture_output=True, text=True,
                             timeout=60)
        if out.returncode != 0:
            problems.append(f"promtool {' '.join(args)} failed:")
            problems += ["  " + line for line in (out.stdout + out.stderr).splitlines()
                         if line.strip()]


def main():
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[2])
        return 2
    binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
    problems = []
    families, error = read_catalogue(binary)
    if error:
        print(error)
        return 1
    names = series_labels(families)
    dashboards = sorted((root / "grafana").glob("*.json"))
    if not dashboards:
        problems.append(f"no dashboard in {root / 'grafana'}")
    for path in dashboards:
        check_dashboard(path, names, problems)
    prom_dir = root / "prometheus"
    check_rules(prom_dir, root.parent / "docs" / "alerts.md", names, problems)
    run_promtool(prom_dir, problems)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
