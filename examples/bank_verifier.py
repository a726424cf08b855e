#!/usr/bin/python3
"""A bank's verifier in Python: the same questions, answers and exit
status as bank-verifier.c, through the ``pledger`` bindings.

usage:
  bank_verifier.py REGISTRY.db verify NUMBER [CODE|-] [AT]
  bank_verifier.py REGISTRY.db right KIND RIGHT-ID [AT]
  bank_verifier.py REGISTRY.db party PARTY-ID [AT]

verify: is this registration real and in force, and is the certificate I
        was handed (its verification CODE) the current one?
right:  which pledges are there on this right (KIND trademark, patent,
        receivable, ...; RIGHT-ID its number)?
party:  which pledges name this party (a USCC or an identity number)?
AT asks about a past instant instead of now: 2024-05-01T04:00:00Z (UTC;
or with an offset, 2024-05-01T12:00:00+08:00; or a day, 2024-05-01, its
midnight UTC) or microseconds since the epoch.

Exit status: 0 answered (for verify: in force, code current), 1 the answer
is negative, 2 usage or another error.  Needs the bindings on PYTHONPATH
(installed with Meson, or bindings/python of the source tree with
PLEDGER_LIBRARY and PLEDGER_CDEF pointing into a build directory).
"""
import datetime as dt
import re
import sys

import pledger
from pledger import Role

PROG = "bank-verifier"


# what the library reads as an instant (pledger_instant_parse), as in the C twin
INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                     r"(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2}))?")


def instant(text):
    """An AT argument as an aware UTC datetime, or microseconds: the
    C program's forms; None for another text (a day its month does not
    have, 2024-02-30, is refused, not read as another day)."""
    try:
        if re.fullmatch(r"[0-9]+", text):
            if int(text) <= pledger.types.MAX_US:
                return int(text)
        elif INSTANT.fullmatch(text):
            t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            # in UTC, where an offset may carry it past the year 9999
            # (OverflowError: refused, as the C twin refuses it)
            return t.replace(tzinfo=t.tzinfo or dt.timezone.utc).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        pass
    return None


def show(t):
    """An instant as 2024-04-02T06:00:00Z."""
    if isinstance(t, int):
        t = pledger.types.from_us(t)
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def verify(reg, number, code, at):
    try:
        v = reg.verify(number, code=code, at=at)
    except pledger.CodeMismatch:
        # A code that is no certificate's of this pledge never gets an answer.
        print(f"certificate  NOT GENUINE: the code {code} is not this pledge's")
        return 1
    except pledger.NotFound as e:
        print(f"{PROG}: {number}: {e.message}", file=sys.stderr)
        return 1

    print(f"number       {v.number}")
    print(f"as of        {'now' if at is None else show(at)}")
    print(f"kind         {v.kind.api_name} ({v.security})")
    print(f"state        {v.state.api_name}, version {v.version}")
    print(f"registered   {show(v.registered_at)}")
    print(f"pledgor      {v.pledgor_name} ({v.pledgor_id})")
    print(f"pledgee      {v.pledgee_name} ({v.pledgee_id})")
    print(f"secured      {v.amount} {v.currency} (minor units)")
    print(f"period       {v.period_start} to {v.period_end}")
    for r in v.rights:
        print(f"right        {r.right_id}, rank {r.rank}")
    print(f"rank         {v.rank}")

    if v.code_status == pledger.CodeStatus.MATCHED:
        print(f"certificate  genuine and current (version {v.code_version})")
    elif v.code_status == pledger.CodeStatus.SUPERSEDED:
        print(f"certificate  genuine but SUPERSEDED: issued for version {v.code_version}, "
              f"replaced {show(v.code_superseded_at)}")
    else:
        print("certificate  not checked (no code given)")
    in_force = v.rank > 0
    return 0 if in_force and v.code_status != pledger.CodeStatus.SUPERSEDED else 1


def search(reg, at, **criteria):
    """Every hit, all pages, in registration order."""
    print(f"{'number':<24} {'kind':<10} {'state':<15} {'registered':<20} {'pledgor':<34} "
          f"{'pledgee':<34} secured")
    total = 0
    with reg.search(as_of=at, **criteria) as hits:
        for h in hits:
            print(f"{h.number:<24} {h.kind.api_name:<10} {h.state.api_name:<15} "
                  f"{show(h.registered_at):<20} {h.pledgor_name:<34} {h.pledgee_name:<34} "
                  f"{h.amount} {h.currency}")
            total += 1
    print(f"{total} pledge{'' if total == 1 else 's'}")
    return 0 if total else 1


def main(argv):
    what = argv[2] if len(argv) > 2 else ""
    nargs = {"verify": 1, "right": 2, "party": 1}.get(what)
    extra = 2 if what == "verify" else 1
    if nargs is None or not 3 + nargs <= len(argv) <= 3 + nargs + extra:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    at_arg = argv[3 + nargs + extra - 1] if len(argv) == 3 + nargs + extra else None
    at = instant(at_arg) if at_arg is not None else None
    if at_arg is not None and at is None:
        print(f"{PROG}: '{at_arg}' is not an instant (2024-05-01T04:00:00Z)", file=sys.stderr)
        return 2

    # Read-only: the bank can ask while the office writes, and cannot write.
    try:
        reg = pledger.open(argv[1], read_only=True)
    except pledger.Error as e:
        print(f"{PROG}: {argv[1]}: {e.message}", file=sys.stderr)
        return 2
    with reg:
        # Identity numbers of natural persons come back masked for a bank.
        reg.set_actor("bank-officer", Role.BANK)
        try:
            if what == "verify":
                code = argv[4] if len(argv) > 4 and argv[4] != "-" else None
                return verify(reg, argv[3], code, at)
            if what == "right":
                try:
                    kind = pledger.Kind.from_name(argv[3])
                except ValueError as e:
                    print(f"{PROG}: {e}", file=sys.stderr)
                    return 2
                return search(reg, at, kind=kind, right=argv[4])
            return search(reg, at, party_id=argv[3], side="either")
        except pledger.Error as e:
            print(f"{PROG}: {e.message}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
