#!/usr/bin/python3
"""Checks the Kubernetes overlays against the smartocr binary they run.

Usage: check_manifests.py SMARTOCR_BINARY K8S_DIR

Renders every overlay under K8S_DIR/overlays with `kubectl kustomize` (kubectl from
$KUBECTL, else PATH) and checks what it renders:

- every container running a smartocr image (smartocr, smartocr-cuda, ...) names a real
  subcommand, and every flag it passes is an option in that subcommand's --help;
  every $(VAR) in its args is defined in its environment;
- probes: `serve` has a startup and liveness probe on /healthz and a readiness probe
  on /readyz, on the port it listens on (--listen, which must not be loopback);
  `worker` probes only its --metrics-listen port (GET /healthz or /metrics);
- securityContext: non-root, read-only root filesystem, no privilege escalation,
  capabilities drop ALL, seccomp RuntimeDefault (pod or container level);
- names resolve: ConfigMaps, Secrets (and their keys), PVCs, Services behind Ingresses,
  HPA and ScaledObject targets, TriggerAuthentications, ServiceMonitor selectors and
  ports, PDB and NetworkPolicy selectors;
- in every overlay but dev, and for every Deployment that can run more than one pod:
  a PodDisruptionBudget; workers scaled by a KEDA ScaledObject on the PostgreSQL
  queue depth (and no HPA of their own); the API by an autoscaling/v2 HPA; both
  scraped through a ServiceMonitor;
- the embedded default (SQLite) runs as one pod on a PersistentVolumeClaim;
- Ingress: TLS for every host, the host of the API's --public-url; the Ingress for
  POST /ocr/extract lets through the largest sync request a tenant can be allowed
  (nginx proxy-body-size = `serve --tenant-max-sync-bytes`, proxy-read-timeout =
  `--tenant-max-sync-timeout-ms` in seconds + SYNC_GRACE_S), the one for the other
  routes the largest upload (`--tenant-max-upload-bytes`); GET /metrics is not
  published. The numbers are those the API Deployment passes, else the defaults
  parsed from `smartocr serve --help`;
- every kustomization uses only what kustomize 2.0.3 reads (kubectl 1.20, Debian 12's
  kubernetes-client): bases for directories, resources for files, patches as
  patchesStrategicMerge and patchesJson6902 files; no components. Newer kubectl reads
  the same files (with deprecation warnings);
- every namespaced object lies in a namespace the overlay renders (kustomize 2.0.3
  does not rename the Namespace object itself: the overlays patch its name).

Prints one line per problem and exits 1. When kubectl is missing it exits 77 (ctest's
skip), or fails where dependencies are required (CI or SMARTOCR_REQUIRE_ALL set, as
tests/support/required.h). Run by ctest
(deploy_manifests).
"""
import math
import os
import pathlib
import re
import shutil
import subprocess
import sys
import urllib.parse

import yaml

SKIP = 77
# proxy-read-timeout on POST /ocr/extract: the sync deadline plus this, so that the
# API's own 504 sync_timeout (a JSON error) reaches the client before nginx gives up.
SYNC_GRACE_S = 10
# Overlays where one pod is the point (no PDB, autoscaler or ServiceMonitor needed).
SINGLE_POD_OVERLAYS = {"dev"}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
PROBES = ("startupProbe", "readinessProbe", "livenessProbe")
# Directory the image runs in (deploy/Dockerfile WORKDIR): relative --data-dir is
# resolved against it.
IMAGE_WORKDIR = "/var/lib/smartocr"


class Help:
    """One subcommand's --help: its options and their stated defaults."""

    OPTION = re.compile(r"^\s+(?:(-\w),\s+)?(--[a-z0-9][a-z0-9-]*)")

    def __init__(self, text):
        self.text = text
        self.flags = {}  # "--name" -> description (joined lines)
        self.short = set()
        current = None
        for line in text.splitlines():
            m = self.OPTION.match(line)
            if m:
                if m.group(1):
                    self.short.add(m.group(1))
                current = m.group(2)
                self.flags[current] = line[m.end():].strip()
            elif current and line.startswith("      ") and line.strip():
                self.flags[current] += " " + line.strip()
            else:
                current = None

    def default(self, flag):
        m = re.search(r"default:\s*([^;)]+)", self.flags.get(flag, ""))
        return m.group(1).strip() if m else None


def parse_bytes(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?", text.strip())
    if not m:
        return None
    scale = {None: 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[m.group(2)]
    return int(float(m.group(1)) * scale)


def parse_nginx_size(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", str(text).strip())
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]


def labels_match(selector, labels):
    """A label selector (matchLabels/matchExpressions, or a plain map) against labels."""
    if selector is None:
        return False
    if "matchLabels" in selector or "matchExpressions" in selector:
        plain = selector.get("matchLabels") or {}
        for expr in selector.get("matchExpressions") or []:
            key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
            if op == "In" and labels.get(key) not in values:
                return False
            if op == "NotIn" and labels.get(key) in values:
                return False
            if op == "Exists" and key not in labels:
                return False
            if op == "DoesNotExist" and key in labels:
                return False
    else:
        plain = selector
    return all(labels.get(k) == v for k, v in plain.items())


def pod_template(doc):
    spec = doc.get("spec") or {}
    if doc.get("kind") == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
    return spec.get("template") or {}


def image_name(image):
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0]


def is_smartocr(container):
    return image_name(container.get("image", "")).startswith("smartocr")


def flag_value(args, flag):
    """The value given to --flag (as '--flag V' or '--flag=V'); the last one wins."""
    value = None
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith(flag + "="):
            value = a.split("=", 1)[1]
    return value


def host_port(address):
    host, _, port = address.rpartition(":")
    return host, int(port) if port.isdigit() else None


class Overlay:
    def __init__(self, name, docs, binary_help, problems):
        self.name = name
        self.docs = docs
        self.help = binary_help
        self.problems = problems
        self.by_kind = {}
        for d in docs:
            self.by_kind.setdefault(d.get("kind"), {})[(d.get("metadata") or {}).get("name")] = d
        self.workloads = [d for d in docs if d.get("kind") in WORKLOAD_KINDS]
        self.cluster = name not in SINGLE_POD_OVERLAYS

    def problem(self, text):
        self.problems.append(f"{self.name}: {text}")

    def get(self, kind, name):
        return self.by_kind.get(kind, {}).get(name)

    # -- environment ---------------------------------------------------------------

    def config_data(self, kind, name):
        doc = self.get(kind, name)
        if doc is None:
            return None
        data = dict(doc.get("data") or {})
        data.update(doc.get("stringData") or {})
        return data

    def env_value(self, container, var):
        """What $var is in the container (a string), '' when set from a Secret we cannot
        read, or None when it is not defined."""
        for e in container.get("env") or []:
            if e.get("name") == var:
                if "value" in e:
                    return str(e["value"])
                ref = (e.get("valueFrom") or {})
                for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                    if key in ref:
                        data = self.config_data(kind, ref[key].get("name")) or {}
                        return data.get(ref[key].get("key"), "")
                return ""
        for src in container.get("envFrom") or []:
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if key in src:
                    data = self.config_data(kind, src[key].get("name")) or {}
                    if var in data:
                        return str(data[var])
        return None

    def expand(self, container, text):
        return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                      lambda m: self.env_value(container, m.group(1)) or m.group(0), text)

    def check_refs(self, where, pod_spec, container):
        for e in container.get("env") or []:
            ref = e.get("valueFrom") or {}
            for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                if key in ref and not ref[key].get("optional"):
                    data = self.config_data(kind, ref[key].get("name"))
                    if data is None:
                        self.problem(f"{where}: env {e.get('name')}: no {kind} {ref[key].get('name')}")
                    elif ref[key].get("key") not in data:
                        self.problem(f"{where}: env {e.get('name')}: {kind} {ref[key].get('name')} "
                                     f"has no key {ref[key].get('key')}")
        for src in container.get("envFrom") or []:
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if key in src and not src[key].get("optional") and \
                        self.get(kind, src[key].get("name")) is None:
                    self.problem(f"{where}: envFrom: no {kind} {src[key].get('name')}")
        volumes = {v.get("name"): v for v in pod_spec.get("volumes") or []}
        for m in container.get("volumeMounts") or []:
            if m.get("name") not in volumes:
                self.problem(f"{where}: volumeMount {m.get('name')} names no volume")
        for v in volumes.values():
            for kind, key, field in (("ConfigMap", "configMap", "name"),
                                     ("Secret", "secret", "secretName"),
                                     ("PersistentVolumeClaim", "persistentVolumeClaim",
                                      "claimName")):
                if key in v and not v[key].get("optional") and \
                        self.get(kind, v[key].get(field)) is None:
                    self.problem(f"{where}: volume {v.get('name')}: no {kind} {v[key].get(field)}")

    # -- containers ----------------------------------------------------------------

    def check_security(self, where, pod_spec, c):
        psc = pod_spec.get("securityContext") or {}
        csc = c.get("securityContext") or {}

        def effective(key):
            return csc[key] if key in csc else psc.get(key)

        if effective("runAsNonRoot") is not True:
            self.problem(f"{where}: runAsNonRoot is not true")
        if effective("runAsUser") == 0:
            self.problem(f"{where}: runAsUser is 0 (root)")
        if (effective("seccompProfile") or {}).get("type") != "RuntimeDefault":
            self.problem(f"{where}: seccompProfile is not RuntimeDefault")
        if csc.get("readOnlyRootFilesystem") is not True:
            self.problem(f"{where}: readOnlyRootFilesystem is not true")
        if csc.get("allowPrivilegeEscalation") is not False:
            self.problem(f"{where}: allowPrivilegeEscalation is not false")
        if csc.get("privileged"):
            self.problem(f"{where}: privileged")
        caps = csc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            self.problem(f"{where}: capabilities do not drop ALL")
        if caps.get("add"):
            self.problem(f"{where}: capabilities add {caps['add']}")
        for host in ("hostNetwork", "hostPID", "hostIPC"):
            if pod_spec.get(host):
                self.problem(f"{where}: {host}")
        mounts = {m.get("mountPath") for m in c.get("volumeMounts") or []}
        if "/tmp" not in mounts:
            self.problem(f"{where}: no volume at /tmp (the root filesystem is read-only)")

    def container_port(self, c, port):
        """A probe's or Service's port (name or number) as a number, or None."""
        for p in c.get("ports") or []:
            if port == p.get("name") or port == p.get("containerPort"):
                return p.get("containerPort")
        return None

    def check_probes(self, where, c, command, args):
        if command == "serve":
            listen = flag_value(args, "--listen") or self.help["serve"].default("--listen") or ""
            host, port = host_port(listen.split(";")[0].strip())
            if host in ("127.0.0.1", "localhost", "::1", "[::1]"):
                self.problem(f"{where}: serve listens on {listen} (loopback): pass --listen "
                             "0.0.0.0:PORT so that probes and the Service reach it")
            want = {"startupProbe": "/healthz", "readinessProbe": "/readyz",
                    "livenessProbe": "/healthz"}
        elif command == "worker":
            listen = flag_value(args, "--metrics-listen")
            host, port = host_port(listen) if listen else (None, None)
            want = {"startupProbe": "/healthz", "livenessProbe": "/healthz"}
        else:
            listen, port, want = None, None, {}
        for probe in PROBES:
            spec = c.get(probe)
            if spec is None:
                if probe in want and listen:
                    self.problem(f"{where}: no {probe} (want GET {want[probe]})")
                continue
            get = spec.get("httpGet")
            if get is None:
                self.problem(f"{where}: {probe} is not an httpGet probe")
                continue
            if not listen:
                self.problem(f"{where}: {probe}, but smartocr {command} serves no HTTP here")
                continue
            allowed = {want.get(probe, "/healthz")}
            if command == "worker" and probe == "livenessProbe":
                allowed.add("/metrics")
            if get.get("path") not in allowed:
                self.problem(f"{where}: {probe} path {get.get('path')} (want {sorted(allowed)})")
            if self.container_port(c, get.get("port")) != port:
                self.problem(f"{where}: {probe} port {get.get('port')} is not the port "
                             f"smartocr {command} listens on ({port})")

    def check_container(self, doc, pod_spec, c):
        kind, name = doc["kind"], doc["metadata"]["name"]
        where = f"{kind} {name} container {c.get('name')}"
        self.check_security(where, pod_spec, c)
        self.check_refs(where, pod_spec, c)
        if c.get("command") not in (None, ["smartocr"], ["/usr/local/bin/smartocr"]):
            self.problem(f"{where}: command {c['command']} is not smartocr")
        args = [str(a) for a in c.get("args") or []]
        if not args:
            self.problem(f"{where}: no args (the image's default command is not checked)")
            return None
        command = args[0]
        if command not in self.help:
            self.problem(f"{where}: '{command}' is not a smartocr command")
            return None
        h = self.help[command]
        for a in args[1:]:
            for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", a):
                if self.env_value(c, var) is None:
                    self.problem(f"{where}: $({var}) in args is not in its environment")
            flag = a.split("=", 1)[0]
            if flag.startswith("--") and flag not in h.flags:
                self.problem(f"{where}: smartocr {command} has no flag {flag}")
            elif re.fullmatch(r"-[A-Za-z]", flag) and flag not in h.short:
                self.problem(f"{where}: smartocr {command} has no flag {flag}")
        self.check_probes(where, c, command, args)
        for flag, port_name in (("--listen", "http"), ("--metrics-listen", "metrics")):
            value = flag_value(args, flag)
            if value and flag in h.flags:
                _, port = host_port(value)
                if self.container_port(c, port_name) != port:
                    self.problem(f"{where}: no containerPort '{port_name}' = {port} ({flag})")
        grace_s = pod_spec.get("terminationGracePeriodSeconds", 30)
        if command == "worker":
            grace_ms = flag_value(args, "--grace-ms") or h.default("--grace-ms")
            if grace_ms is None or not grace_ms.isdigit():
                self.problem("cannot read worker --grace-ms's default from worker --help")
            elif grace_s * 1000 <= int(grace_ms):
                self.problem(f"{where}: terminationGracePeriodSeconds {grace_s} does not "
                             f"exceed --grace-ms {grace_ms}")
        return {"doc": doc, "container": c, "command": command, "args": args}

    # -- whole overlay ---------------------------------------------------------------

    def serve_limits(self, run):
        """The sync and upload ceilings the API Deployment runs with."""
        h = self.help["serve"]
        out = {}
        for key, flag, parse in (("sync_bytes", "--tenant-max-sync-bytes", parse_bytes),
                                 ("sync_ms", "--tenant-max-sync-timeout-ms", parse_bytes),
                                 ("upload_bytes", "--tenant-max-upload-bytes", parse_bytes)):
            given = flag_value(run["args"], flag)
            text = given if given is not None else h.default(flag)
            value = parse(text) if text is not None else None
            if value is None:
                self.problem(f"cannot read {flag} ({'given' if given else 'default'}: {text!r}) "
                             "from the Deployment or serve --help")
            out[key] = value
        return out

    def pods_of(self, selector):
        return [w for w in self.workloads
                if labels_match(selector, (pod_template(w).get("metadata") or {}).get("labels")
                                or {})]

    def check(self):
        for d in self.docs:
            for k in ("apiVersion", "kind", "metadata"):
                if k not in d:
                    self.problem(f"a document has no {k}")
        runs = []
        for w in self.workloads:
            spec = pod_template(w).get("spec") or {}
            for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
                if is_smartocr(c):
                    run = self.check_container(w, spec, c)
                    if run:
                        runs.append(run)
        if not runs:
            self.problem("no smartocr containers found")
        deployments = self.by_kind.get("Deployment", {})
        hpas = self.by_kind.get("HorizontalPodAutoscaler", {}).values()
        scaled = self.by_kind.get("ScaledObject", {}).values()

        def autoscalers(dep_name):
            out = []
            for a in list(hpas) + list(scaled):
                ref = (a.get("spec") or {}).get("scaleTargetRef") or {}
                if ref.get("kind", "Deployment") == "Deployment" and ref.get("name") == dep_name:
                    out.append(a)
            return out

        # Targets resolve.
        for a in list(hpas) + list(scaled):
            ref = (a.get("spec") or {}).get("scaleTargetRef") or {}
            if self.get(ref.get("kind", "Deployment"), ref.get("name")) is None:
                self.problem(f"{a['kind']} {a['metadata']['name']}: no "
                             f"{ref.get('kind', 'Deployment')} {ref.get('name')}")
        for so in scaled:
            for t in (so.get("spec") or {}).get("triggers") or []:
                auth = (t.get("authenticationRef") or {}).get("name")
                if auth is not None and self.get("TriggerAuthentication", auth) is None:
                    self.problem(f"ScaledObject {so['metadata']['name']}: no "
                                 f"TriggerAuthentication {auth}")
        for ta in self.by_kind.get("TriggerAuthentication", {}).values():
            for ref in (ta.get("spec") or {}).get("secretTargetRef") or []:
                data = self.config_data("Secret", ref.get("name"))
                if data is None or ref.get("key") not in data:
                    self.problem(f"TriggerAuthentication {ta['metadata']['name']}: no Secret "
                                 f"{ref.get('name')} with key {ref.get('key')}")
        for pdb in self.by_kind.get("PodDisruptionBudget", {}).values():
            if not self.pods_of((pdb.get("spec") or {}).get("selector")):
                self.problem(f"PodDisruptionBudget {pdb['metadata']['name']} selects no pods")
        for np in self.by_kind.get("NetworkPolicy", {}).values():
            sel = (np.get("spec") or {}).get("podSelector")
            if sel and (sel.get("matchLabels") or sel.get("matchExpressions")) \
                    and not self.pods_of(sel):
                self.problem(f"NetworkPolicy {np['metadata']['name']} selects no pods")
        services = self.by_kind.get("Service", {})
        for svc in services.values():
            sel = (svc.get("spec") or {}).get("selector")
            backends = self.pods_of(sel) if sel else []
            if sel and not backends:
                self.problem(f"Service {svc['metadata']['name']} selects no pods")
            for p in (svc.get("spec") or {}).get("ports") or []:
                target = p.get("targetPort", p.get("port"))
                for b in backends:
                    cs = (pod_template(b).get("spec") or {}).get("containers") or []
                    if isinstance(target, str) and not any(self.container_port(c, target)
                                                          for c in cs):
                        self.problem(f"Service {svc['metadata']['name']} port {p.get('name')}: "
                                     f"{b['kind']} {b['metadata']['name']} has no port {target}")
        scraped = set()  # (workload name, container port number)
        for sm in self.by_kind.get("ServiceMonitor", {}).values():
            matched = [s for s in services.values()
                       if labels_match((sm.get("spec") or {}).get("selector"),
                                       (s.get("metadata") or {}).get("labels") or {})]
            if not matched:
                self.problem(f"ServiceMonitor {sm['metadata']['name']} selects no Service")
            for ep in (sm.get("spec") or {}).get("endpoints") or []:
                if ep.get("path", "/metrics") != "/metrics":
                    self.problem(f"ServiceMonitor {sm['metadata']['name']}: path {ep.get('path')} "
                                 "(smartocr serves /metrics)")
                hit = False
                for s in matched:
                    for p in (s.get("spec") or {}).get("ports") or []:
                        if p.get("name") != ep.get("port"):
                            continue
                        hit = True
                        target = p.get("targetPort", p.get("port"))
                        for b in self.pods_of((s.get("spec") or {}).get("selector")):
                            for c in (pod_template(b).get("spec") or {}).get("containers") or []:
                                n = self.container_port(c, target)
                                if n:
                                    scraped.add((b["metadata"]["name"], n))
                if not hit:
                    self.problem(f"ServiceMonitor {sm['metadata']['name']}: no selected Service "
                                 f"has a port named {ep.get('port')}")

        # Per Deployment: scaling, disruption budgets, scrapes, the embedded default.
        for run in runs:
            doc, c, command = run["doc"], run["container"], run["command"]
            if doc["kind"] != "Deployment":
                continue
            name = doc["metadata"]["name"]
            spec = doc.get("spec") or {}
            scalers = autoscalers(name)
            multi = (spec.get("replicas") or 1) > 1 or any(
                ((a.get("spec") or {}).get("maxReplicas") or
                 (a.get("spec") or {}).get("maxReplicaCount") or 100) > 1 for a in scalers)
            labels = (pod_template(doc).get("metadata") or {}).get("labels") or {}
            if self.cluster or multi:
                if not any(labels_match((p.get("spec") or {}).get("selector"), labels)
                           for p in self.by_kind.get("PodDisruptionBudget", {}).values()):
                    self.problem(f"Deployment {name}: no PodDisruptionBudget selects its pods")
            database = flag_value(run["args"], "--database") or \
                self.env_value(c, "SMARTOCR_DATABASE_URL") or ""
            if command in ("serve", "worker") and not database.startswith("postgres"):
                # SQLite under --data-dir: one pod, on a volume that outlives it.
                if multi:
                    self.problem(f"Deployment {name}: SQLite (no PostgreSQL URL) on more than "
                                 "one pod")
                if (spec.get("strategy") or {}).get("type") != "Recreate":
                    self.problem(f"Deployment {name}: SQLite needs strategy Recreate")
                data_dir = flag_value(run["args"], "--data-dir") or \
                    self.env_value(c, "SMARTOCR_DATA_DIR") or "smartocr-data"
                data_dir = os.path.normpath(os.path.join(IMAGE_WORKDIR, data_dir))
                vols = {v.get("name"): v for v in
                        (pod_template(doc).get("spec") or {}).get("volumes") or []}
                mount = next((m for m in c.get("volumeMounts") or []
                              if m.get("mountPath", "").rstrip("/") == data_dir), None)
                if mount is None or "persistentVolumeClaim" not in vols.get(mount.get("name"), {}):
                    self.problem(f"Deployment {name}: SQLite data dir {data_dir} is not on a "
                                 "PersistentVolumeClaim")
            if multi and command == "serve" and not flag_value(run["args"], "--redis"):
                self.problem(f"Deployment {name}: serve on more than one pod without --redis "
                             "(rate limits would be per pod)")
            if not self.cluster:
                continue
            if command == "worker":
                kedas = [a for a in scalers if a["kind"] == "ScaledObject"]
                if not kedas:
                    self.problem(f"Deployment {name}: no KEDA ScaledObject scales it")
                for a in scalers:
                    if a["kind"] == "HorizontalPodAutoscaler":
                        self.problem(f"Deployment {name}: HPA {a['metadata']['name']} besides "
                                     "KEDA (KEDA owns the workers' HPA)")
                for so in kedas:
                    for t in (so.get("spec") or {}).get("triggers") or []:
                        q = re.sub(r"\s+", " ", (t.get("metadata") or {}).get("query", ""))
                        if t.get("type") != "postgresql" or \
                                not re.search(r"from jobs where status = 'queued'", q, re.I):
                            self.problem(f"ScaledObject {so['metadata']['name']}: want a "
                                         "postgresql trigger counting jobs with status 'queued'")
                        if not t.get("authenticationRef") and \
                                not (t.get("metadata") or {}).get("connectionFromEnv"):
                            self.problem(f"ScaledObject {so['metadata']['name']}: no connection")
                port = host_port(flag_value(run["args"], "--metrics-listen") or ":")[1]
                if port is None or (name, port) not in scraped:
                    self.problem(f"Deployment {name}: its --metrics-listen port is scraped by no "
                                 "ServiceMonitor")
            if command == "serve":
                if not any(a["kind"] == "HorizontalPodAutoscaler" and
                           a.get("apiVersion") == "autoscaling/v2" for a in scalers):
                    self.problem(f"Deployment {name}: no autoscaling/v2 HorizontalPodAutoscaler")
                port = host_port(flag_value(run["args"], "--listen") or ":")[1]
                if (name, port) not in scraped:
                    self.problem(f"Deployment {name}: GET /metrics is scraped by no "
                                 "ServiceMonitor")
        self.check_ingresses(runs)

    def check_ingresses(self, runs):
        ingresses = self.by_kind.get("Ingress", {}).values()
        if self.cluster and not ingresses:
            self.problem("no Ingress")
        services = self.by_kind.get("Service", {})
        published = {}  # (host, path, pathType) -> Ingress
        for ing in ingresses:
            iname = ing["metadata"]["name"]
            spec = ing.get("spec") or {}
            notes = (ing.get("metadata") or {}).get("annotations") or {}
            tls_hosts = {h for t in spec.get("tls") or [] for h in t.get("hosts") or []}
            if not spec.get("tls") or not all(t.get("secretName") for t in spec["tls"]):
                self.problem(f"Ingress {iname}: no TLS section with a secretName")
            for rule in spec.get("rules") or []:
                host = rule.get("host")
                if host not in tls_hosts:
                    self.problem(f"Ingress {iname}: host {host} has no TLS")
                for p in (rule.get("http") or {}).get("paths") or []:
                    svc_ref = ((p.get("backend") or {}).get("service") or {})
                    svc = services.get(svc_ref.get("name"))
                    if svc is None:
                        self.problem(f"Ingress {iname}: no Service {svc_ref.get('name')}")
                        continue
                    port = svc_ref.get("port") or {}
                    if not any(sp.get("name") == port.get("name") if "name" in port
                               else sp.get("port") == port.get("number")
                               for sp in (svc.get("spec") or {}).get("ports") or []):
                        self.problem(f"Ingress {iname}: Service {svc_ref.get('name')} has no "
                                     f"port {port}")
                    serve = [r for r in runs if r["command"] == "serve" and
                             r["doc"] in self.pods_of((svc.get("spec") or {}).get("selector"))]
                    if not serve:
                        continue
                    run = serve[0]
                    published[(host, p.get("path"), p.get("pathType"))] = ing
                    public = self.expand(run["container"],
                                         flag_value(run["args"], "--public-url") or "")
                    if urllib.parse.urlsplit(public).hostname != host:
                        self.problem(f"Ingress {iname}: host {host} is not the API's --public-url "
                                     f"{public or '(none)'}")
                    limits = self.serve_limits(run)
                    body = parse_nginx_size(notes.get(
                        "nginx.ingress.kubernetes.io/proxy-body-size", "1m"))
                    read = notes.get("nginx.ingress.kubernetes.io/proxy-read-timeout", "60")
                    if p.get("path") == "/ocr/extract":
                        if body != limits["sync_bytes"]:
                            self.problem(f"Ingress {iname}: proxy-body-size {body} bytes != serve "
                                         f"--tenant-max-sync-bytes {limits['sync_bytes']}")
                        if limits["sync_ms"] is not None:
                            want = math.ceil(limits["sync_ms"] / 1000) + SYNC_GRACE_S
                            if str(read) != str(want):
                                self.problem(f"Ingress {iname}: proxy-read-timeout {read} != "
                                             f"--tenant-max-sync-timeout-ms in s + {SYNC_GRACE_S} "
                                             f"= {want}")
                    elif p.get("path") == "/metrics":
                        if not (notes.get("nginx.ingress.kubernetes.io/whitelist-source-range") or
                                notes.get("nginx.ingress.kubernetes.io/allowlist-source-range")):
                            self.problem(f"Ingress {iname}: publishes GET /metrics")
                    elif body != limits["upload_bytes"]:
                        self.problem(f"Ingress {iname}: proxy-body-size {body} bytes != serve "
                                     f"--tenant-max-upload-bytes {limits['upload_bytes']}")
        for host in {h for h, path, _ in published if path == "/"}:
            if (host, "/ocr/extract", "Exact") not in published and \
                    (host, "/ocr/extract", "Prefix") not in published:
                self.problem(f"Ingress: {host}/ has no Ingress of its own for POST /ocr/extract "
                             "(sync limits)")
            if (host, "/metrics", "Exact") not in published:
                self.problem(f"Ingress: {host}/ publishes GET /metrics (add an Exact /metrics "
                             "Ingress that refuses it)")


def dependencies_required():
    """As tests/support/required.cc: under CI or SMARTOCR_REQUIRE_ALL a missing
    dependency fails the check instead of skipping it."""
    def set_(name):
        v = os.environ.get(name)
        return v is not None and v not in ("", "0", "false")
    return set_("CI") or set_("SMARTOCR_REQUIRE_ALL")


def skip(reason):
    if dependencies_required():
        print(f"required dependency: {reason}")
        sys.exit(1)
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def kubectl_binary():
    kubectl = os.environ.get("KUBECTL") or shutil.which("kubectl")
    if not kubectl:
        skip("kubectl not found (scripts/install-deps.sh installs it)")
    return kubectl


# The kustomization fields kustomize 2.0.3 (kubectl 1.20) knows.
KUSTOMIZE_2_FIELDS = {
    "apiVersion", "kind", "namespace", "namePrefix", "nameSuffix", "commonLabels",
    "commonAnnotations", "bases", "resources", "configMapGenerator", "secretGenerator",
    "generatorOptions", "patchesStrategicMerge", "patchesJson6902", "images", "vars",
    "crds",
}


def dialect_problems(root):
    """What in the kustomizations under root kubectl 1.20 would refuse."""
    problems = []
    for k in sorted(root.rglob("kustomization.yaml")):
        where = k.relative_to(root)
        spec = yaml.safe_load(k.read_text()) or {}
        if spec.get("kind", "Kustomization") != "Kustomization":
            problems.append(f"{where}: kind {spec.get('kind')} (kubectl 1.20 reads Kustomization only)")
        for field in sorted(set(spec) - KUSTOMIZE_2_FIELDS):
            problems.append(f"{where}: field {field!r} is unknown to kustomize 2.0.3 (kubectl 1.20)")
        for entry in spec.get("resources") or []:
            if (k.parent / entry).is_dir():
                problems.append(f"{where}: resource {entry} is a directory (list it under bases)")
        for entry in spec.get("patchesStrategicMerge") or []:
            if not isinstance(entry, str):
                problems.append(f"{where}: patchesStrategicMerge entries are file names")
        for entry in spec.get("patchesJson6902") or []:
            if not isinstance(entry, dict) or "path" not in entry or "name" not in entry.get("target", {}):
                problems.append(f"{where}: patchesJson6902 entries need a target name and a path")
    return problems


def namespace_problems(name, docs):
    rendered = {d["metadata"]["name"] for d in docs if d.get("kind") == "Namespace"}
    used = {d["metadata"].get("namespace") for d in docs if d.get("kind") != "Namespace"}
    return [f"{name}: objects in namespace {ns} but no Namespace {ns} is rendered"
            for ns in sorted(used - rendered - {None})]


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1])
        return 2
    binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
    kubectl = kubectl_binary()
    problems = dialect_problems(root)
    binary_help = {}
    for command in ("serve", "worker", "migrate", "extract", "submit", "jobs", "admin", "eval",
                    "metrics"):
        out = subprocess.run([binary, command, "--help"], capture_output=True, text=True,
                             timeout=30)
        if out.returncode == 0:
            binary_help[command] = Help(out.stdout + out.stderr)
    for command in ("serve", "worker", "migrate"):
        if command not in binary_help:
            problems.append(f"{binary} {command} --help failed")
    overlays = sorted(p for p in (root / "overlays").glob("*/kustomization.yaml"))
    if not overlays:
        problems.append(f"no overlays under {root / 'overlays'}")
    for k in overlays:
        name = k.parent.name
        out = subprocess.run([kubectl, "kustomize", str(k.parent)], capture_output=True,
                             text=True, timeout=60)
        if out.returncode != 0:
            err = (out.stderr.strip().splitlines() or ["(no message)"])[-1]
            problems.append(f"{name}: kubectl kustomize failed: {err}")
            continue
        try:
            docs = [d for d in yaml.safe_load_all(out.stdout) if d]
        except yaml.YAMLError as e:
            problems.append(f"{name}: rendered YAML does not parse: {e}")
            continue
        problems += namespace_problems(name, docs)
        if binary_help.get("serve") and binary_help.get("worker"):
            Overlay(name, docs, binary_help, problems).check()
    for p in problems:
        print(p)
    if not problems:
        print(f"deploy manifests: {len(overlays)} overlays ({', '.join(k.parent.name for k in overlays)}) OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
