"""Build steps pyproject.toml cannot say: the cffi declarations and the
version come from the installed libpledger.

The declarations: $PLEDGER_CDEF (a build tree's pledger.cdef), else
libpledger.cdef in the library's pkgdatadir (pkg-config --variable=
pkgdatadir pledger).  They are copied into the package as pledger.cdef,
with cffi's out-of-line module of them (_pledger_cffi.py, gen_cdef.py's
write_module), as Meson installs them.  The version is the library's:
PLEDGER_VERSION_MAJOR/MINOR/MICRO of those same declarations (generated
from version.h, hence from the project version in meson.build).
"""
import os
import re
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def cdef_path():
    env = os.environ.get("PLEDGER_CDEF")
    if env:
        return env
    try:
        datadir = subprocess.run(["pkg-config", "--variable=pkgdatadir", "pledger"],
                                 check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        datadir = ""
    path = os.path.join(datadir, "libpledger.cdef") if datadir else ""
    if not path or not os.path.exists(path):
        sys.exit("pledger: libpledger is not installed (pkg-config finds no pledger.pc with "
                 "its libpledger.cdef): install libpledger-dev, or `meson install` libpledger "
                 "with the Python bindings, or set PLEDGER_CDEF to a build tree's "
                 "bindings/python/pledger.cdef")
    return path


def cdef_text():
    with open(cdef_path(), encoding="utf-8") as f:
        return f.read()


def version(text):
    parts = []
    for name in ("MAJOR", "MINOR", "MICRO"):
        m = re.search(rf"^#define PLEDGER_VERSION_{name} (\d+)$", text, re.M)
        if not m:
            sys.exit(f"pledger: no PLEDGER_VERSION_{name} in the declarations")
        parts.append(m.group(1))
    return ".".join(parts)


class BuildWithCdef(build_py):
    """build_py, then the declarations and their compiled module."""

    def run(self):
        super().run()
        import cffi
        sys.path.insert(0, HERE)
        import gen_cdef
        text = cdef_text()
        outdir = os.path.join(self.build_lib, "pledger")
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, "pledger.cdef"), "w", encoding="utf-8") as f:
            f.write(text)
        ffi = cffi.FFI()
        ffi.cdef(text)
        gen_cdef.write_module(ffi, os.path.join(outdir, "_pledger_cffi.py"), text)


setup(version=version(cdef_text()), cmdclass={"build_py": BuildWithCdef})
