#!/usr/bin/python3
"""Checks the Kubernetes manifests against the smartocr binary they run.

Usage: check_manifests.py SMARTOCR_BINARY MANIFEST_DIR

Every manifest must parse; every container running the smartocr image must name a
real subcommand, and every --flag it passes must appear in that subcommand's --help;
probes must use the API's health routes; the Kustomization must list every manifest.
Exits non-zero with one line per problem. Run by ctest (deploy_manifests).
"""
import pathlib
import subprocess
import sys

import yaml

PROBE_PATHS = {"/healthz", "/readyz"}


def help_text(binary, command):
    out = subprocess.run([binary, command, "--help"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        return None
    return out.stdout + out.stderr


def containers(doc):
    spec = doc.get("spec", {})
    template = spec.get("template") or spec.get("jobTemplate", {}).get("spec", {}).get("template")
    if not template:
        return []
    return template.get("spec", {}).get("containers", [])


def main():
    binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
    problems = []
    files = sorted(p.name for p in root.glob("*.yaml") if p.name != "kustomization.yaml")
    kustomization = yaml.safe_load((root / "kustomization.yaml").read_text())
    if sorted(kustomization.get("resources", [])) != files:
        problems.append(f"kustomization.yaml resources {kustomization.get('resources')} != {files}")
    checked = 0
    for name in files:
        for doc in yaml.safe_load_all((root / name).read_text()):
            if not doc:
                continue
            for k in ("apiVersion", "kind", "metadata"):
                if k not in doc:
                    problems.append(f"{name}: a document has no {k}")
            for c in containers(doc):
                if not c.get("image", "").startswith("smartocr:"):
                    continue
                args = c.get("args", [])
                if not args:
                    problems.append(f"{name}: container {c['name']} has no args")
                    continue
                text = help_text(binary, args[0])
                if text is None:
                    problems.append(f"{name}: '{args[0]}' is not a smartocr command")
                    continue
                for a in args[1:]:
                    if a.startswith("--") and a not in text:
                        problems.append(f"{name}: smartocr {args[0]} has no flag {a}")
                for probe in ("readinessProbe", "livenessProbe"):
                    path = c.get(probe, {}).get("httpGet", {}).get("path")
                    if path is not None and path not in PROBE_PATHS:
                        problems.append(f"{name}: {probe} path {path} is not served")
                checked += 1
    if checked == 0:
        problems.append("no smartocr containers found")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
