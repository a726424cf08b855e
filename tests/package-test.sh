#!/usr/bin/env bash
# The Debian packages: build libpledger0, libpledger-dev, python3-pledger and pledgerd
# from a copy of the source tree with `dpkg-buildpackage -b -us -uc`,
# check them with lintian (no error, no warning but the documented
# overrides in debian/*.lintian-overrides), unpack them into a scratch root
# (dpkg -x: nothing is installed on the machine) and use what they ship,
# from there only: the demo built with pkg-config against libpledger-dev,
# `python3 -m pledger --version` and the demo's command lines from
# python3-pledger, the man pages, and `pip install bindings/python` into a
# virtual environment against the unpacked libpledger-dev.
#
# usage: tests/package-test.sh SOURCE-DIR VERSION
# Installs the Debian packages it needs when they are missing (as root).
set -euo pipefail
src=$1 version=$2

packages=(
  dpkg-dev debhelper dh-python fakeroot lintian
  meson ninja-build pkgconf gcc libsqlite3-dev libxml2-dev uuid-dev libssl-dev
  python3 python3-cffi python3-setuptools python3-venv python3-pip
  doxygen bash-completion man-db systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)"
    exit 77
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

# The source: the files git knows (tracked, and new ones not ignored), so
# no build directory comes along.
tree=$work/pledger-$version
mkdir -p "$tree"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$src" && git ls-files -co --exclude-standard -z |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
     xargs -0 cp --parents -t "$tree")
else
  (cd "$src" && tar --exclude='./build*' -cf - .) | tar -C "$tree" -xf -
fi

changelog_version=$(cd "$tree" && dpkg-parsechangelog -S Version)
[ "$changelog_version" = "$version" ] ||
  fail "debian/changelog says $changelog_version, meson.build $version"

echo "== dpkg-buildpackage -b -us -uc (nocheck: the suite runs elsewhere)"
if ! (cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
        dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1); then
  tail -n 60 "$work/build.log"
  fail "dpkg-buildpackage"
fi
ls "$work"/*.deb
for p in libpledger0 libpledger-dev python3-pledger; do
  ls "$work/${p}_${version}_"*.deb >/dev/null 2>&1 || fail "no $p package"
done

echo "== lintian"
lintian --fail-on error,warning \
  "$work"/pledger_"${version}"_*.changes || fail "lintian"

echo "== symbols file"
dpkg-deb --ctrl-tarfile "$work"/libpledger0_"${version}"_*.deb | tar -xOf - ./symbols \
  >"$work/symbols"
grep -q '^ pledger_version@PLEDGER_0.1 0.1.0$' "$work/symbols" || fail "symbols: $(head "$work/symbols")"
[ "$(grep -c '@PLEDGER_' "$work/symbols")" -eq "$(/usr/bin/python3 "$tree/debian/gen-symbols" \
   "$tree/lib/libpledger.map" | grep -c '@PLEDGER_')" ] || fail "symbols file != version script"

root=$work/root
for d in "$work"/*.deb; do dpkg -x "$d" "$root"; done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
libdir=$root/usr/lib/$multiarch
doc=$root/usr/share/doc/libpledger-dev
site=$root/usr/lib/python3/dist-packages
run() { env -u PLEDGER_LIBRARY -u PLEDGER_CDEF -u PYTHONPATH LD_LIBRARY_PATH="$libdir" \
          PYTHONDONTWRITEBYTECODE=1 "$@"; }

echo "== the demo, built against libpledger-dev"
# The unpacked /usr/include and /usr/lib are "system" directories to
# pkg-config, which would drop them from the flags: keep them.
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
       PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
# shellcheck disable=SC2046
cc -std=c11 -o "$work/demo" "$doc/examples/demo.c" $(pkg-config --cflags --libs pledger)
demo_out=$(run "$work/demo" "$work/demo.db" "$doc/examples/data") || fail "the demo: $demo_out"
grep -q 'R-FZ01-TM-2024-000001' <<<"$demo_out" || fail "the demo's output"
ldd_out=$(run ldd "$work/demo")
grep -q "libpledger.so.0 => $libdir/libpledger.so.0" <<<"$ldd_out" || fail "demo uses $ldd_out"

echo "== python3-pledger"
out=$(run PYTHONPATH="$site" /usr/bin/python3 -m pledger --version)
[ "$out" = "pledger $version" ] || fail "python3 -m pledger --version: $out"
out=$(run PYTHONPATH="$site" /usr/bin/python3 -c 'import pledger; print(pledger.__file__)')
[[ $out == "$site"/* ]] || fail "pledger imported from $out"
n=0
while IFS= read -r line; do
  # shellcheck disable=SC2086
  run PYTHONPATH="$site" /usr/bin/python3 ${line#*/usr/bin/python3 } >/dev/null ||
    fail "the demo's command line: $line"
  n=$((n + 1))
done < <(grep '^  /usr/bin/python3 -m pledger ' <<<"$demo_out")
[ "$n" -ge 3 ] || fail "the demo printed $n command lines"
[ -x "$root/usr/bin/pledger" ] || fail "no /usr/bin/pledger"
[ -f "$root/usr/share/bash-completion/completions/pledger" ] || fail "no bash completion"

echo "== man pages"
export MANPATH=$root/usr/share/man
man -w pledger-verify | grep -q 'man1/pledger-verify.1' || fail "man pledger-verify"
MANWIDTH=80 man pledger-verify 2>/dev/null | grep -q -- '--code CODE' || fail "man pledger-verify text"
# pledger_open(3) is a link to its header's page, pledger-registry.h(3).
man -w pledger_open | grep -q 'man3/pledger-registry.h.3' || fail "man pledger_open"
MANWIDTH=80 man pledger_open 2>/dev/null | grep -q 'pledger_open' || fail "man pledger_open text"
unset MANPATH

echo "== the Chinese catalogue, from the package"
mo=$root/usr/share/locale/zh_CN/LC_MESSAGES/pledger.mo
[ -f "$mo" ] || fail "no /usr/share/locale/zh_CN/LC_MESSAGES/pledger.mo"
[ -x "$root/usr/sbin/pledgerd" ] || fail "no /usr/sbin/pledgerd"
# the account the unit runs as is made at installation (systemd-sysusers)
grep -q '^u pledger ' "$root/usr/lib/sysusers.d/pledgerd.conf" ||
  fail "no sysusers.d entry for the pledger account"
dpkg-deb --ctrl-tarfile "$work"/pledgerd_"${version}"_*.deb | tar -xOf - ./postinst |
  grep -q 'systemd-sysusers.*pledgerd.conf' || fail "pledgerd's postinst makes no account"
unit=$root/usr/lib/systemd/system/pledgerd.service
grep -q '^User=pledger$' "$unit" || fail "pledgerd.service: User"
sed "s|/usr/sbin/pledgerd|$root/usr/sbin/pledgerd|" "$unit" > "$work/pledgerd.service"
out=$(systemd-analyze verify --man=no "$work/pledgerd.service" 2>&1) && [ -z "$out" ] ||
  fail "systemd-analyze verify pledgerd.service: $out"
MANWIDTH=80 man -l "$root"/usr/share/man/man8/pledgerd.8* 2>/dev/null | grep -q 'Accept-Language' ||
  fail "man pledgerd"
# the library's own reader of it (a thread's language) and gettext's (the CLI)
out=$(run PLEDGER_LOCALEDIR="$root/usr/share/locale" PYTHONPATH="$site" /usr/bin/python3 \
        -m pledger --lang zh_CN verify R-X --db "$work/none/x.db" 2>&1 || true)
grep -qF '登记库' <<<"$out" || fail "pledger --lang zh_CN did not speak Chinese: $out"

echo "== pip install bindings/python into a virtual environment"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install -q --no-build-isolation --no-index "$tree/bindings/python" \
  >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; fail "pip install"; }
out=$(run "$work/venv/bin/python" -c 'import pledger; print(pledger.__file__, pledger.__version__)')
[[ $out == "$work/venv/"*" $version" ]] || fail "venv: $out"
out=$("$work/venv/bin/pip" show pledger | sed -n 's/^Version: //p')
[ "$out" = "$version" ] || fail "pip show pledger: version $out"
out=$(run "$work/venv/bin/pledger" --version)
[ "$out" = "pledger $version" ] || fail "venv pledger --version: $out"
[ -f "$(dirname "$(run "$work/venv/bin/python" -c 'import pledger; print(pledger.__file__)')")/py.typed" ] ||
  fail "no py.typed"

echo "package test: 4 packages built, lintian clean, installed files work"
