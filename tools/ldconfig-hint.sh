#!/bin/sh
# Run by `meson install` (not into a DESTDIR): a library installed outside
# the loader's trusted directories (/usr/local/lib and the like) is found
# only once ldconfig has refreshed the cache.  Run it when installing as
# root, else say so; say also when LIBDIR is not in the loader's path at all.
libdir=$1
if [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null 2>&1; then
  ldconfig
  if ! ldconfig -p | grep -q "libpledger.so.0 .*=> $libdir/libpledger.so.0\$"; then
    echo "pledger: $libdir is not in the dynamic loader's path: add it to" \
         "/etc/ld.so.conf.d/ and run ldconfig, or set LD_LIBRARY_PATH=$libdir" >&2
  fi
else
  echo "pledger: run ldconfig as root so that programs find libpledger.so.0 in $libdir" \
       "(or set LD_LIBRARY_PATH=$libdir)" >&2
fi
