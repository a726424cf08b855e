#!/usr/bin/python3
"""Generate the cffi declarations (the "cdef") of the Python bindings.

The public headers are the one source of truth: this script runs the C
preprocessor over them and keeps, from the text that came out of the
pledger headers themselves (not of <stdint.h> and friends), every
declaration and every object-like macro of the form
``#define PLEDGER_NAME <integer>``.  A function declared PLEDGER_EXPORT
in a header therefore reaches Python with no hand edit.  The result is
checked with cffi before it is written, so a header cffi cannot read
fails the build, not the first import.

usage: gen_cdef.py OUTPUT [--module MODULE] --keep DIR [--keep DIR ...]
                   -I DIR [-I DIR ...] HEADER [HEADER ...] -- CC [CC-ARGS ...]

  OUTPUT   the file to write (pledger.cdef)
  --module also write cffi's "out-of-line ABI" module of the same
           declarations (_pledger_cffi.py): importing it costs milliseconds
           where parsing OUTPUT costs a quarter of a second.  It records
           the SHA-256 of OUTPUT, so a stale one is never used.
  --keep   a directory whose headers' declarations are kept (the source
           and the build tree's include/pledger)
  -I       an include directory for the preprocessor
  HEADER   a public header; each is included as <pledger/NAME>, and so is
           every other *.h of the --keep directories
  CC       the C compiler (with its launcher, e.g. ccache cc)

Standard library and cffi only.
"""
import ast
import os
import re
import subprocess
import sys
import tempfile

LINEMARKER = re.compile(r'^#\s+(\d+)\s+"((?:[^"\\]|\\.)*)"')
DEFINE = re.compile(r"^#\s*define\s+(PLEDGER_\w+)\s+(.*?)\s*$")
INT_LITERAL = re.compile(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b")


def parse_args(argv):
    if "--" not in argv:
        sys.exit("gen_cdef.py: missing '-- CC' (see the usage in the script)")
    split = argv.index("--")
    ours, cc = argv[:split], argv[split + 1:]
    if not cc or not ours:
        sys.exit("gen_cdef.py: need OUTPUT, headers and a compiler")
    output, keep, incs, headers, module = ours[0], [], [], [], None
    i = 1
    while i < len(ours):
        a = ours[i]
        if a == "--module":
            if i + 1 >= len(ours):
                sys.exit("gen_cdef.py: --module needs a file name")
            module = ours[i + 1]
            i += 2
            continue
        if a in ("--keep", "-I"):
            if i + 1 >= len(ours):
                sys.exit(f"gen_cdef.py: {a} needs a directory")
            (keep if a == "--keep" else incs).append(ours[i + 1])
            i += 2
            continue
        if a.startswith("-I"):
            incs.append(a[2:])
        else:
            headers.append(a)
        i += 1
    if not headers or not keep:
        sys.exit("gen_cdef.py: need at least one HEADER and one --keep directory")
    return output, module, [os.path.realpath(k) for k in keep], incs, headers, cc


def preprocess(cc, incs, headers):
    """The preprocessed text with line markers and #defines (-dD)."""
    with tempfile.TemporaryDirectory() as tmp:
        wrapper = os.path.join(tmp, "cdef-wrapper.c")
        with open(wrapper, "w", encoding="utf-8") as f:
            for h in headers:
                f.write(f"#include <pledger/{os.path.basename(h)}>\n")
        cmd = list(cc) + ["-E", "-dD", "-std=c11"]
        cmd += [f"-I{d}" for d in incs] + [wrapper]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit("gen_cdef.py: the preprocessor failed: " + " ".join(cmd) + "\n"
                     + run.stderr)
        return run.stdout


def kept_lines(text, keep):
    """(is_define, line) for the lines that came from a kept header."""
    current_ok = False
    cache = {}
    for line in text.splitlines():
        m = LINEMARKER.match(line)
        if m:
            path = m.group(2)
            if path not in cache:
                real = os.path.realpath(path) if path and not path.startswith("<") else ""
                cache[path] = any(real.startswith(k + os.sep) for k in keep)
            current_ok = cache[path]
            continue
        if current_ok:
            yield line


def strip_balanced(text, keyword):
    """Remove every `keyword(...)` (balanced parentheses) from text."""
    out, i = [], 0
    pat = re.compile(r"\b" + re.escape(keyword) + r"\s*\(")
    while True:
        m = pat.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:m.start()])
        depth, j = 0, m.end() - 1
        while j < len(text):
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        i = j + 1


def integer_value(expr, known):
    """The value of an integer constant expression of literals, earlier
    kept macros and + - * << >> | & ~ ( ), or None when it is something
    else (a string, an initialiser, a cast...)."""
    def literal(m):
        lit = m.group(1)
        if len(lit) > 1 and lit[0] == "0" and lit[1] not in "xX":
            return str(int(lit, 8))
        return lit
    try:
        tree = ast.parse(INT_LITERAL.sub(literal, expr), mode="eval")
    except SyntaxError:
        return None
    ops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.LShift: lambda a, b: a << b,
           ast.RShift: lambda a, b: a >> b, ast.BitOr: lambda a, b: a | b,
           ast.BitAnd: lambda a, b: a & b}
    unary = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a, ast.Invert: lambda a: ~a}

    def ev(n):
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and type(n.value) is int:
            return n.value
        if isinstance(n, ast.Name) and n.id in known:
            return known[n.id]
        if isinstance(n, ast.UnaryOp) and type(n.op) in unary:
            return unary[type(n.op)](ev(n.operand))
        if isinstance(n, ast.BinOp) and type(n.op) in ops:
            return ops[type(n.op)](ev(n.left), ev(n.right))
        raise ValueError(ast.dump(n))
    try:
        return ev(tree)
    except (ValueError, RecursionError):
        return None


def build_cdef(text, keep):
    defines, code, known = [], [], {}
    for line in kept_lines(text, keep):
        s = line.strip()
        if s.startswith("#"):
            m = DEFINE.match(s)
            value = integer_value(m.group(2), known) if m and m.group(2) else None
            if value is not None:
                known[m.group(1)] = value
                defines.append(f"#define {m.group(1)} {value}")
            continue  # other macros (strings, initialisers, function-like) are C only
        code.append(line)
    body = "\n".join(code)
    for kw in ("__attribute__", "__declspec", "__asm__", "__asm"):
        body = strip_balanced(body, kw)
    body = re.sub(r"\b(__extension__|__restrict__|__restrict|__inline__|__inline)\b", "",
                  body)
    body = re.sub(r"\n\s*\n+", "\n", body).strip()
    return defines, body


def all_headers(headers, keep):
    """The headers given, then every other *.h of the kept directories
    (a header not yet listed in meson.build still reaches Python)."""
    names = [os.path.basename(h) for h in headers]
    for d in keep:
        for n in sorted(os.listdir(d)):
            if n.endswith(".h") and n not in names:
                names.append(n)
    return names


def main(argv):
    output, module, keep, incs, headers, cc = parse_args(argv)
    headers = all_headers(headers, keep)
    defines, body = build_cdef(preprocess(cc, incs, headers), keep)
    if "pledger_" not in body:
        sys.exit("gen_cdef.py: no pledger declaration came out of the headers")
    text = ("/* Generated by bindings/python/gen_cdef.py from "
            + ", ".join(os.path.basename(h) for h in headers)
            + ".  Do not edit: edit the headers. */\n"
            + "\n".join(defines) + "\n" + body + "\n")
    try:
        import cffi
    except ImportError:
        cffi = None  # checked at import time then
    if cffi is not None:
        ffi = cffi.FFI()
        try:
            ffi.cdef(text)
        except Exception as e:  # cffi.CDefError and pycparser errors
            sys.exit(f"gen_cdef.py: cffi cannot read the generated declarations: {e}")
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, output)
    if module:
        if cffi is None:
            sys.exit("gen_cdef.py: --module needs cffi")
        write_module(ffi, module, text)
    return 0


def write_module(ffi, path, text):
    """cffi's out-of-line ABI module of the declarations, stamped with
    the SHA-256 of their text."""
    import hashlib
    name = os.path.splitext(os.path.basename(path))[0]
    ffi.set_source(name, None)
    tmp = path + ".tmp.py"
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating ..."
        ffi.emit_python_code(tmp)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with open(tmp, "a", encoding="utf-8") as f:
        f.write(f"\n# the SHA-256 of the pledger.cdef this module was made from\n"
                f"CDEF_SHA256 = {digest!r}\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
