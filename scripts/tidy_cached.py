#!/usr/bin/env python3
"""Runs clang-tidy on the given sources, skipping those whose inputs it already passed.

clang-tidy costs about as much as compiling a file again, so linting every file on every
CI run doubles the build. A file's verdict depends only on its inputs: its own text, every
header it includes (listed in the build's depfile), its compile command, the .clang-tidy
config and the clang-tidy version. The hash of those is the cache key; a file whose key
passed before is not linted again (the cache lives outside the checkout, so any clone of
the repository on the machine shares it). Failures are never cached.

Usage: tidy_cached.py BUILD_DIR SOURCE... [-- EXTRA_CLANG_TIDY_ARGS...]
Exit status: 0 when every file passes, 1 otherwise (the findings are printed).
"""
import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys

CACHE_DIR = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                         "smartocr", "clang-tidy")


def file_digest(path, memo):
    if path not in memo:
        h = hashlib.sha256()
        try:
            with open(path, "rb") as f:
                h.update(f.read())
        except OSError:
            h.update(b"missing")
        memo[path] = h.hexdigest()
    return memo[path]


def object_of(command):
    args = shlex.split(command)
    return args[args.index("-o") + 1] if "-o" in args else None


def build_inputs(build, objects):
    """The files the compiler read for each object, as Ninja recorded them (.ninja_deps);
    objects not built yet are absent."""
    out = subprocess.run(["ninja", "-C", build, "-t", "deps"] + objects, capture_output=True,
                         text=True).stdout
    inputs, current = {}, None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            name, _, state = line.partition(":")
            current = name if "VALID" in state and "STALE" not in state else None
            if current is not None:
                inputs[current] = []
        elif line.strip() and current is not None:
            inputs[current].append(os.path.normpath(os.path.join(build, line.strip())))
    return inputs


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    build, sources = argv[0], argv[1:]
    root = os.getcwd()
    entries = {os.path.normpath(e["file"]): e
               for e in json.load(open(os.path.join(build, "compile_commands.json")))}
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True).stdout
    config = open(os.path.join(root, ".clang-tidy"), "rb").read()
    memo = {}
    todo = []  # (source, key or None)
    chosen = {}
    for src in sources:
        entry = entries.get(os.path.normpath(os.path.join(root, src)))
        if entry is None:
            # Not compiled in this configuration (e.g. the stand-in for a missing ONNX
            # Runtime): nothing to check it against.
            print(f"tidy_cached: {src}: not built here, skipped")
            continue
        chosen[src] = entry
    recorded = build_inputs(build, [o for o in (object_of(e["command"]) for e in chosen.values())
                                    if o is not None])
    for src, entry in chosen.items():
        inputs = recorded.get(object_of(entry["command"]))
        key = None
        if inputs is not None:
            h = hashlib.sha256()
            # Paths inside the checkout are hashed relative to it, so clones share keys.
            command = entry["command"].replace(root, ".")
            for part in (version, config.decode(), " ".join(extra), src, command):
                h.update(part.encode() + b"\0")
            for path in sorted(inputs):
                inside = path.startswith(root + os.sep)
                h.update((os.path.relpath(path, root) if inside else path).encode() + b"\0")
                h.update(file_digest(path, memo).encode())
            key = h.hexdigest()
            if os.path.exists(os.path.join(CACHE_DIR, key)):
                continue
        todo.append((src, key))
    print(f"tidy_cached: {len(chosen) - len(todo)} of {len(chosen)} files unchanged since "
          f"they passed; linting {len(todo)}", flush=True)

    def lint(item):
        src, key = item
        cmd = ["clang-tidy", "-p", build, "--quiet"] + [f"--extra-arg={a}" for a in extra] + [src]
        r = subprocess.run(cmd, capture_output=True, text=True)
        findings = [l for l in (r.stdout + r.stderr).splitlines()
                    if ("warning: " in l or "error: " in l) and "warnings generated" not in l]
        ok = r.returncode == 0 and not findings
        if ok and key is not None:
            os.makedirs(CACHE_DIR, exist_ok=True)
            open(os.path.join(CACHE_DIR, key), "w").close()
        return src, ok, findings

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for src, ok, findings in pool.map(lint, todo):
            if not ok:
                failed += 1
                print("\n".join(findings) or f"{src}: clang-tidy failed")
    if failed:
        print(f"tidy_cached: clang-tidy found problems in {failed} files", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
