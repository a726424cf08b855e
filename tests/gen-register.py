#!/usr/bin/python3
"""Write a large reference register of trademarks (share/pledger/register.xsd).

usage: gen-register.py COUNT OUT [--owners N] [--first NUMBER] [--changed EVERY]

COUNT trademark records numbered from --first (default 10000000) upwards,
owned by a pool of --owners organisations (default 5000) with valid unified
social credit codes, in families of 4 marks sharing a mark text and a
similar-goods group.  The output depends only on the arguments, so two runs
write the same bytes.  --changed EVERY turns every EVERY-th record's status
to "expired" (a modified re-import).  Standard library only.
"""
import argparse
import sys

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_check(code8):
    """GB 11714 check character of an 8-digit organisation code."""
    s = sum(int(c) * w for c, w in zip(code8, ORG_WEIGHTS))
    c = 11 - s % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc(n):
    """A valid USCC (GB 32100-2015) for organisation number n."""
    org8 = "%08d" % (10000000 + n)
    body = "91" + "350100" + org8 + org_check(org8)
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - s % 31) % 31]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("count", type=int)
    ap.add_argument("out")
    ap.add_argument("--owners", type=int, default=5000)
    ap.add_argument("--first", type=int, default=10000000)
    ap.add_argument("--changed", type=int, default=0)
    a = ap.parse_args(argv)
    if a.count < 0 or a.owners < 1 or a.first < 1 or a.first + a.count > 99999999:
        ap.error("bad arguments")

    owners = [uscc(i) for i in range(a.owners)]
    with open(a.out, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        w = f.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<register xmlns="urn:pledger:1" as_of="2024-05-01">\n')
        for i in range(a.count):
            family = i // 4
            owner = family % a.owners
            cls = 1 + family % 45
            year = 2000 + i % 20
            month = 1 + i % 12
            day = 1 + i % 28
            status = "registered"
            if a.changed and i % a.changed == 0:
                status = "expired"
            groups = "%02d%02d %02d%02d" % (cls, 1 + family % 7, cls, 1 + (family + i) % 9)
            w('  <trademark number="%d" status="%s" mark="MARK %d" family="F%d"'
              ' classes="%d" groups="%s"'
              ' valid_from="%04d-%02d-%02d" valid_to="%04d-%02d-%02d"%s>\n'
              '    <owner name="Company %d Ltd." id_type="uscc" id="%s"/>\n'
              '  </trademark>\n'
              % (a.first + i, status, family, family, cls, groups,
                 year, month, day, year + 10, month, day,
                 ' seized="true"' if i % 997 == 0 else "",
                 owner, owners[owner]))
        w("</register>\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
