#!/usr/bin/python3
"""Man pages and bash completion of the `pledger` command line, generated
from its argparse parser (pledger.cli.build_parser()), so that neither can
drift from the options the program accepts.

usage: gen-cli-docs.py man OUTDIR VERSION   pledger.1 and pledger-COMMAND.1
       gen-cli-docs.py bash OUTPUT          a bash completion script

Standard library only (and the pledger package, imported from PYTHONPATH:
at build time the build tree's, reached through PLEDGER_LIBRARY and
PLEDGER_CDEF).  Written here rather than taken from argparse-manpage or
help2man: those make one page for the whole program, where each
subcommand here has options, defaults and a usual role of its own and
`man pledger-verify` should answer for that command alone; and the same
walk over the parser gives the completion script, with no run-time
dependency (argcomplete would import the package on every Tab).
"""
import argparse
import os
import re
import sys
import time

SECTION = "1"
MANUAL = "pledger manual"


def subcommands(parser):
    """(name, help, subparser) of each subcommand, in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            return [(name, helps.get(name, ""), p) for name, p in action.choices.items()]
    return []


def roff(text):
    """Text escaped for roff: backslashes, leading dots and quotes, dashes."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line
                     for line in text.split("\n"))


def option_label(action):
    """``--db PATH``, ``-h, --help`` or a positional's metavar, bold and italic."""
    if not action.option_strings:
        return "\\fI" + roff(action.metavar or action.dest.upper()) + "\\fR"
    value = ""
    if action.nargs != 0:
        if action.choices:
            value = " {" + ",".join(str(c) for c in action.choices) + "}"
        else:
            value = " " + (action.metavar or action.dest.upper())
    names = ", ".join("\\fB" + roff(o) + "\\fR" for o in action.option_strings)
    return names + ("\\fI" + roff(value) + "\\fR" if value else "")


def help_text(parser, action):
    if action.help is None or action.help == argparse.SUPPRESS:
        return ""
    text = action.help
    if "%(" in text:
        params = dict(vars(action), prog=parser.prog)
        params = {k: (getattr(v, "__name__", v)) for k, v in params.items()}
        text = text % params
    return text


def options_section(parser):
    out = []
    for title, kind in (("ARGUMENTS", False), ("OPTIONS", True)):
        actions = [a for a in parser._actions
                   if bool(a.option_strings) == kind and a.help != argparse.SUPPRESS
                   and not isinstance(a, argparse._SubParsersAction)]
        if not actions:
            continue
        out.append(f".SH {title}")
        for a in actions:
            out += [".TP", option_label(a), roff(help_text(parser, a))]
    return out


def epilog_sections(epilog):
    """The epilog's "exit status:" and "environment:" paragraphs as sections,
    preformatted (they are aligned text); the rest as a plain paragraph."""
    out = []
    for block in re.split(r"\n(?=\S)", epilog.strip("\n")):
        head, _, body = block.partition("\n")
        if head.endswith(":") and body.startswith("  "):
            out += [f".SH {roff(head[:-1].upper())}", ".nf", roff(_dedent(body)), ".fi"]
        else:
            out += [".PP", roff(" ".join(block.split()))]
    return out


def _dedent(text):
    lines = text.split("\n")
    n = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    return "\n".join(l[n:] for l in lines).rstrip()


def usage(parser):
    u = parser.format_usage().strip()
    u = re.sub(r"^usage:\s*", "", u)
    return " ".join(u.split())


def header(name, version, summary):
    date = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH",
                                                                      time.time()))))
    title = name.upper()
    return [f'.TH "{roff(title)}" "{SECTION}" "{date}" "pledger {version}" "{MANUAL}"',
            ".SH NAME", f"{roff(name)} \\- {roff(summary)}"]


def man_pages(parser, version):
    """{file name: text} of pledger.1 and one page a subcommand."""
    subs = subcommands(parser)
    pages = {}
    lines = header("pledger", version, "the registry of pledges over rights, from the command line")
    lines += [".SH SYNOPSIS", "\\fBpledger\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
              ".br", "\\fBpledger\\fR \\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR",
              ".br", "\\fBpython3 \\-m pledger\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
              ".SH DESCRIPTION", roff(parser.description or ""),
              ".PP", "Each command has a page of its own, \\fBpledger\\-\\fR\\fICOMMAND\\fR(1), "
              "and answers \\fBpledger\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR.",
              ".SH COMMANDS"]
    for name, text, _ in subs:
        lines += [".TP", f"\\fBpledger {roff(name)}\\fR", roff(text) + f" (pledger\\-{roff(name)}(1))"]
    lines += options_section(parser)
    lines += epilog_sections(parser.epilog or "")
    lines += [".SH SEE ALSO", ", ".join(f"\\fBpledger\\-{roff(n)}\\fR(1)" for n, _, _ in subs)
              + ", \\fBpledger.h\\fR(3)"]
    pages["pledger.1"] = "\n".join(lines) + "\n"
    for name, text, sp in subs:
        lines = header(f"pledger-{name}", version, text)
        lines += [".SH SYNOPSIS", roff(usage(sp)),
                  ".SH DESCRIPTION", roff(sp.description or text)]
        lines += options_section(sp)
        lines += epilog_sections(sp.epilog or "")
        lines += [".SH SEE ALSO", "\\fBpledger\\fR(1)"]
        pages[f"pledger-{name}.1"] = "\n".join(lines) + "\n"
    return pages


def takes_file(action):
    """Whether a value is best completed with file names."""
    words = " ".join(filter(None, [action.metavar, action.dest])).upper()
    return bool(re.search(r"PATH|FILE|XML|DB|DIR|CERT|CALENDAR|DOC", words))


def bash_script(parser):
    subs = subcommands(parser)
    top = [o for a in parser._actions for o in a.option_strings]
    out = ["# bash completion for pledger (generated from its argparse parser by",
           "# docs/gen-cli-docs.py; do not edit)",
           "_pledger()",
           "{",
           "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}",
           "    local cmd='' i",
           "    for ((i = 1; i < COMP_CWORD; i++)); do",
           "        case ${COMP_WORDS[i]} in",
           "            -*) ;;",
           "            *) cmd=${COMP_WORDS[i]}; break ;;",
           "        esac",
           "    done",
           "    if [[ -z $cmd ]]; then",
           f"        COMPREPLY=($(compgen -W '{' '.join(top + [n for n, _, _ in subs])}' -- \"$cur\"))",
           "        return",
           "    fi",
           "    local opts='' values='' files=0",
           "    case $cmd in"]
    for name, _, sp in subs:
        opts = [o for a in sp._actions for o in a.option_strings]
        out.append(f"        {name})")
        out.append(f"            opts='{' '.join(opts)}'")
        cases = []
        for a in sp._actions:
            if not a.option_strings or a.nargs == 0:
                continue
            pat = "|".join(a.option_strings)
            if a.choices:
                cases.append(f"                {pat}) values='{' '.join(map(str, a.choices))}' ;;")
            elif takes_file(a):
                cases.append(f"                {pat}) files=1 ;;")
            else:
                cases.append(f"                {pat}) return ;;")
        if cases:
            out += ["            case $prev in"] + cases + ["            esac"]
        out.append("            ;;")
    out += ["        *) return ;;",
            "    esac",
            "    if [[ -n $values ]]; then",
            "        COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))",
            "    elif [[ $files = 1 || $cur != -* ]]; then",
            "        compopt -o filenames 2>/dev/null",
            "        COMPREPLY=($(compgen -f -- \"$cur\"))",
            "    else",
            "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))",
            "    fi",
            "}",
            "complete -F _pledger pledger",
            ""]
    return "\n".join(out)


def main(argv):
    if len(argv) < 2 or argv[0] not in ("man", "bash"):
        sys.exit(__doc__.split("\n\n")[1])
    # The `pledger` program's name, whatever runs this script.
    from pledger import cli
    parser = cli.build_parser()
    parser.prog = "pledger"
    for _, _, sp in subcommands(parser):
        sp.prog = "pledger " + sp.prog.split()[-1]
    if argv[0] == "man":
        outdir, version = argv[1], argv[2]
        os.makedirs(outdir, exist_ok=True)
        for old in os.listdir(outdir):
            if old.endswith("." + SECTION):
                os.remove(os.path.join(outdir, old))
        for name, text in man_pages(parser, version).items():
            with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
                f.write(text)
    else:
        with open(argv[1], "w", encoding="utf-8") as f:
            f.write(bash_script(parser))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
