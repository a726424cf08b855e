#!/usr/bin/env python3
"""The exported ABI, three ways, must agree.

1. `nm -D --defined-only` of the built libpledger.so (with versions),
2. the names in lib/libpledger.map,
3. the PLEDGER_EXPORT declarations in include/pledger/*.h.

Every defined dynamic symbol must start with pledger_ and carry the
version node it is listed under in the map.
"""
import pathlib
import re
import subprocess
import sys


def map_symbols(path):
    """{symbol: version node} from the linker version script."""
    text = re.sub(r"/\*.*?\*/", "", pathlib.Path(path).read_text(), flags=re.S)
    out = {}
    for node, body in re.findall(r"(PLEDGER_[0-9.]+)\s*\{(.*?)\}", text, flags=re.S):
        glob = body.split("local:")[0]
        for name in re.findall(r"^\s*(pledger_\w+)\s*;", glob, flags=re.M):
            if name in out:
                sys.exit(f"{name} is listed twice in the map")
            out[name] = node
    return out


def header_symbols(inc):
    names = set()
    for h in sorted(pathlib.Path(inc).glob("*.h")):
        text = re.sub(r"/\*.*?\*/", "", h.read_text(), flags=re.S)
        for decl in re.findall(r"PLEDGER_EXPORT\b([^;{]*?)\(", text, flags=re.S):
            m = re.search(r"(pledger_\w+)\s*$", decl)
            if m:
                names.add(m.group(1))
    return names


def library_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2]
        if kind == "A":  # the version node itself
            continue
        base, _, ver = name.partition("@")
        syms[base] = ver.lstrip("@")
    return syms


def main():
    lib, mapfile, inc = sys.argv[1:4]
    mapped = map_symbols(mapfile)
    declared = header_symbols(inc)
    exported = library_symbols(lib)
    bad = []
    for name in sorted(set(exported) - set(mapped)):
        bad.append(f"exported but not in the map: {name}")
    for name in sorted(set(mapped) - set(exported)):
        bad.append(f"in the map but not exported (not defined?): {name}")
    for name in sorted(declared - set(mapped)):
        bad.append(f"declared PLEDGER_EXPORT but not in the map: {name}")
    for name in sorted(set(mapped) - declared):
        bad.append(f"in the map but not declared PLEDGER_EXPORT: {name}")
    for name, ver in sorted(exported.items()):
        if not name.startswith("pledger_"):
            bad.append(f"exported symbol without the pledger_ prefix: {name}")
        if name in mapped and ver != mapped[name]:
            bad.append(f"{name} has version '{ver}', the map says {mapped[name]}")
    if bad:
        print("\n".join(bad))
        return 1
    print(f"{len(exported)} symbols agree across library, map and headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
