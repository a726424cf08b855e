#!/usr/bin/env bash
# Install into a staging directory and build a program outside the tree
# with nothing but `pkg-config --cflags --libs pledger`: it creates a
# registry, closes it, reopens it read-only and prints pledger_version().
set -euo pipefail
build=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --no-rebuild --quiet >/dev/null
pcdir=$(dirname "$(find "$stage" -name pledger.pc | head -n 1)")
export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$stage
libdir=$(dirname "$(find "$stage" -name 'libpledger.so.0' | head -n 1)")

cat > "$stage/app.c" <<'C'
#include <pledger/pledger.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    pledger_registry *reg = NULL;
    pledger_open_options ro = PLEDGER_OPEN_OPTIONS_INIT;
    (void)argc;
    if (pledger_open(&reg, argv[1], NULL)) {
        fprintf(stderr, "open: %s\n", pledger_errmsg(NULL));
        return 1;
    }
    pledger_close(reg);
    ro.read_only = 1;
    if (pledger_open(&reg, argv[1], &ro)) {
        fprintf(stderr, "reopen: %s\n", pledger_errmsg(NULL));
        return 1;
    }
    pledger_close(reg);
    printf("pledger %s\n", pledger_version());
    return 0;
}
C
# The flags a user gets are pledger's own: its headers include no other
# library's, so no other library's -I or -D (libxml2's, xmlsec1's) is
# handed to every program that uses it.
cflags=$(pkg-config --cflags pledger)
case "$cflags" in
  *xml*|*-D*|*uuid*) echo "pkg-config --cflags pledger: more than pledger's own: $cflags" >&2; exit 1 ;;
esac
san=()
# A sanitized library needs a sanitized program in front of it.
[ "${3:-none}" != none ] && san=("-fsanitize=$3")
# shellcheck disable=SC2046
cc "${san[@]}" -std=c11 -Wall -Werror -o "$stage/app" "$stage/app.c" $(pkg-config --cflags --libs pledger)
out=$(LD_LIBRARY_PATH=$libdir "$stage/app" "$stage/registry.db")
echo "$out"
[ "$out" = "pledger $2" ]
readelf -d "$libdir/libpledger.so.0" | grep -q 'SONAME.*libpledger.so.0'

# What else is installed: the documents, and with the Python bindings the
# package where /usr/bin/python3 looks, loading the library by its SONAME
# and its declarations from beside itself (no PLEDGER_* variable), the
# command's man pages and bash completion; with doxygen the C API's pages.
prefix=$(meson introspect "$build" --buildoptions |
         /usr/bin/python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
root=$stage$prefix
for f in README.md COPYING NEWS design.md domain.md performance.md examples/demo.c examples/data/demo-register.xml; do
  [ -f "$root/share/doc/pledger/$f" ] || { echo "not installed: share/doc/pledger/$f"; exit 1; }
done
[ -f "$root/share/pledger/pledger.xsd" ] || { echo "not installed: share/pledger/pledger.xsd"; exit 1; }
if [ -f "$build/bindings/python/pledger.cdef" ]; then
  ffi=$(find "$stage" -path '*/pledger/_ffi.py' | head -n 1)
  site=$(dirname "$(dirname "$ffi")")
  for f in pledger.cdef _pledger_cffi.py py.typed cli.py; do
    [ -f "$site/pledger/$f" ] || { echo "not installed: $site/pledger/$f"; exit 1; }
  done
  [ -f "$root/share/pledger/libpledger.cdef" ] || { echo "not installed: libpledger.cdef"; exit 1; }
  case $prefix in
    /usr|/usr/local)
      /usr/bin/python3 -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' "${site#"$stage"}" ||
        { echo "${site#"$stage"} is not on /usr/bin/python3's sys.path (prefix $prefix)"; exit 1; } ;;
  esac
  out=$(env -u PLEDGER_LIBRARY -u PLEDGER_CDEF PYTHONPATH="$site" LD_LIBRARY_PATH="$libdir" \
        PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m pledger --version)
  [ "$out" = "pledger $2" ] || { echo "python3 -m pledger --version: $out"; exit 1; }
  out=$(env -u PLEDGER_LIBRARY -u PLEDGER_CDEF PYTHONPATH="$site" LD_LIBRARY_PATH="$libdir" \
        PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -c 'import pledger._ffi as f; print(f.COMPILED)')
  [ "$out" = True ] || { echo "the installed _pledger_cffi.py is not used"; exit 1; }
  export MANPATH=$root/share/man
  man -w pledger-verify | grep -q "^$root/share/man/man1/pledger-verify.1" ||
    { echo "man pledger-verify: $(man -w pledger-verify 2>&1)"; exit 1; }
  MANWIDTH=80 man pledger-verify 2>/dev/null | grep -q -- '--code CODE' ||
    { echo "man pledger-verify does not show --code"; exit 1; }
  man -w pledger | grep -q "man1/pledger.1" || { echo "no pledger(1)"; exit 1; }
  comp=$(find "$stage" -path '*/bash-completion/completions/pledger' | head -n 1)
  [ -n "$comp" ] || { echo "bash completion not installed"; exit 1; }
  # shellcheck disable=SC2016
  words=$(bash -c 'source "$1"; COMP_WORDS=(pledger verify --r); COMP_CWORD=2; _pledger; echo "${COMPREPLY[*]}"' _ "$comp")
  [ "$words" = --role ] || { echo "completion of 'pledger verify --r': $words"; exit 1; }
fi
if [ -d "$build/docs/man3" ]; then
  MANPATH=$root/share/man man -w pledger_open >/dev/null ||
    { echo "man pledger_open: not found"; exit 1; }
  [ ! -e "$root/share/man/man3/version.3" ] || { echo "a struct member's page was installed"; exit 1; }
  [ -f "$root/share/doc/pledger/html/index.html" ] || { echo "no HTML API documentation"; exit 1; }
fi
