#!/usr/bin/python3
"""The project stands alone: no file outside docs/ points to the design
brief the project was started from, which is not part of the repository.

standalone.py SOURCE_ROOT

In a git checkout the files are the tracked ones (`git ls-files`, read
from the work tree, so an edit not yet committed counts); otherwise (an
unpacked release) every file under SOURCE_ROOT, leaving out .git, docs/
and meson build directories.  Each line naming the brief is printed as
PATH:LINE: TEXT, and the test fails if there is one.  The code comments
cite docs/domain.md and docs/design.md instead.
"""
import os
import subprocess
import sys

# Spelled in two pieces so that this file does not name it itself.
BRIEF = ("DESIGN" + ".md").encode()
SKIP_TOP = {".git", "docs"}


def git_files(root):
    """The tracked files of @root (paths relative to it), or None when
    @root is not the top of a git work tree or git is not installed."""
    try:
        top = subprocess.run(["git", "-C", root, "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=False)
    except OSError:
        return None
    if top.returncode != 0 or \
            os.path.realpath(top.stdout.strip()) != os.path.realpath(root):
        return None
    out = subprocess.run(["git", "-C", root, "ls-files", "-z"],
                         capture_output=True, check=True).stdout
    return [p.decode() for p in out.split(b"\0") if p]


def walk_files(root):
    """Every file under @root but .git, docs/ and meson build directories."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        keep = []
        for d in dirnames:
            if rel == "." and d in SKIP_TOP:
                continue
            if os.path.isdir(os.path.join(dirpath, d, "meson-private")):
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for f in sorted(filenames):
            files.append(os.path.normpath(os.path.join(rel, f)))
    return files


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: standalone.py SOURCE_ROOT")
    root = sys.argv[1]
    files = git_files(root)
    how = "tracked files"
    if files is None:
        files = walk_files(root)
        how = "files"
    files = [p for p in files if p.split("/", 1)[0] not in SKIP_TOP]
    if not files:
        sys.exit(f"standalone.py: no files found under {root}")
    bad = 0
    for rel in files:
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue  # deleted in the work tree, or a submodule
        with open(path, "rb") as f:
            data = f.read()
        if BRIEF not in data:
            continue
        for n, line in enumerate(data.split(b"\n"), 1):
            if BRIEF in line:
                print(f"{rel}:{n}: {line.decode('utf-8', 'replace').strip()}")
                bad += 1
    if bad:
        print(f"{bad} line(s) point to a brief outside the repository; cite "
              "docs/domain.md or docs/design.md instead")
        return 1
    print(f"{len(files)} {how} checked (docs/ left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
