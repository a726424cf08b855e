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
san=()
# A sanitized library needs a sanitized program in front of it.
[ "${3:-none}" != none ] && san=("-fsanitize=$3")
# shellcheck disable=SC2046
cc "${san[@]}" -std=c11 -Wall -Werror -o "$stage/app" "$stage/app.c" $(pkg-config --cflags --libs pledger)
out=$(LD_LIBRARY_PATH=$libdir "$stage/app" "$stage/registry.db")
echo "$out"
[ "$out" = "pledger $2" ]
readelf -d "$libdir/libpledger.so.0" | grep -q 'SONAME.*libpledger.so.0'
