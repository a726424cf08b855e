"""The language of what the bindings and the command line say to people.

The texts are in the same gettext domain as the library's ("pledger"),
so one catalogue per language (``po/<lang>.po``) holds them all.  The
catalogue is looked for in ``$PLEDGER_LOCALEDIR`` (a build tree), in the
locale directory libpledger was configured with (``_config.py``, written
by ``meson install``), then under ``sys.prefix``, ``/usr/local`` and
``/usr``.

Until :func:`use` is called the bindings follow the process the way the
C library does: English while ``LC_MESSAGES`` is the "C" locale (what
Python starts with), else the language gettext reads from ``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES`` and ``LANG``.  :func:`pledger.set_language`
calls :func:`use` and the library's ``pledger_set_language`` together,
so both speak the same language.
"""
from __future__ import annotations

import gettext as _gettext
import locale
import os
import re
import sys

DOMAIN = "pledger"

#: gettext's environment variables, in the order it reads them
_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def localedirs() -> list[str]:
    """Where catalogues are looked for, in order."""
    dirs = []
    env = os.environ.get("PLEDGER_LOCALEDIR")
    if env:
        dirs.append(env)
    try:
        from ._config import LOCALEDIR  # type: ignore[import-not-found]
        dirs.append(LOCALEDIR)
    except ImportError:
        pass
    dirs += [os.path.join(sys.prefix, "share", "locale"), "/usr/local/share/locale",
             "/usr/share/locale"]
    seen: list[str] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen


def is_english(lang: str | None) -> bool:
    """True for no language, "C", "POSIX", "C.UTF-8" and English."""
    if not lang:
        return True
    first = lang.split(":")[0]
    return first in ("C", "POSIX") or first.startswith(("C.", "en"))


def gettext_names(lang: str) -> str:
    """``lang`` (a ``LANGUAGE`` list) with each language named as gettext
    finds its catalogue, as the library's pledger_set_language() does:
    written as a language tag is ("zh-CN", "zh-cn"), the catalogue's name
    ("zh_CN"); Chinese in simplified characters ("zh", "zh-Hans",
    "zh-Hans-CN", "zh-SG") zh_CN, as pledgerd reads Accept-Language;
    anything else ("de_DE@euro", "C.UTF-8") as given."""
    out = []
    for one in lang.split(":"):
        if not one:
            continue
        cut = min([i for i in (one.find("."), one.find("@")) if i >= 0], default=len(one))
        tag, rest = one[:cut], one[cut:]
        subs = re.split("[-_]", tag)
        if len(subs) <= 4 and all(0 < len(x) < 16 for x in subs):
            first = subs[0].lower()
            if first == "zh" and (len(subs) == 1 or any(x.lower() in ("cn", "sg", "hans")
                                                        for x in subs[1:])):
                out.append("zh_CN" + rest)
                continue
            if len(subs) == 2 and len(subs[1]) == 2:
                out.append(f"{first}_{subs[1].upper()}{rest}")
                continue
        out.append(one)
    return ":".join(out)


def has_catalogue(lang: str) -> bool:
    """True when one language of ``lang`` is English or has pledger's
    catalogue."""
    names = [x for x in gettext_names(lang).split(":") if x]
    if any(is_english(x) for x in names):
        return True
    return any(_gettext.find(DOMAIN, d, names) for d in localedirs())


def environment_language() -> str | None:
    """The language gettext would take from the environment (the first
    set of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""
    for var in _ENV:
        v = os.environ.get(var)
        if v:
            return v
    return None


def _catalogue(lang: str | None) -> _gettext.NullTranslations:
    if is_english(lang):
        return _gettext.NullTranslations()
    assert lang is not None
    langs = [x for x in lang.split(":") if x]
    for d in localedirs():
        if _gettext.find(DOMAIN, d, langs):
            return _gettext.translation(DOMAIN, d, langs, fallback=True)
    return _gettext.NullTranslations()


def _process_language() -> str | None:
    """The C library's default: nothing while LC_MESSAGES is "C"."""
    try:
        cur = locale.setlocale(locale.LC_MESSAGES)
    except (locale.Error, AttributeError):
        cur = "C"
    if cur in ("C", "POSIX"):
        return None
    return environment_language()


_current: _gettext.NullTranslations | None = None
_language: str | None = None


def _tr() -> _gettext.NullTranslations:
    global _current
    if _current is None:
        _current = _catalogue(_process_language())
    return _current


def use(lang: str | None) -> None:
    """Speak ``lang`` ("zh_CN", "en", "zh_CN:en"); None or "" returns to
    following the process.  Also makes ``lang`` the language of Python's
    own gettext domain here (argparse's messages), for the command line."""
    global _current, _language
    lang = gettext_names(lang) if lang else lang
    _language = lang or None
    _current = _catalogue(lang) if lang else None
    if lang:
        os.environ["LANGUAGE"] = lang
    # argparse asks gettext.gettext(), i.e. the global text domain: point
    # it at this catalogue so "usage:" and its error messages follow.
    for d in localedirs():
        if lang and _gettext.find(DOMAIN, d, [x for x in lang.split(":") if x]):
            _gettext.bindtextdomain(DOMAIN, d)
            _gettext.textdomain(DOMAIN)
            break


def language() -> str | None:
    """The language chosen with :func:`use`, or None."""
    return _language


def accept_language() -> str | None:
    """The language the bindings speak as an HTTP ``Accept-Language``
    value, for a service to answer in ("zh_CN:en" is "zh-CN, en;q=0.9");
    None while they speak English (the service's default)."""
    lang = _language if _language is not None else _process_language()
    if is_english(lang):
        return None
    assert lang is not None
    tags = []
    for x in lang.split(":"):
        tag = x.split(".")[0].split("@")[0].replace("_", "-")
        if tag and tag not in tags and all(c.isalnum() or c == "-" for c in tag):
            tags.append(tag)
    if not tags:
        return None
    return ", ".join(t if i == 0 else f"{t};q={max(1, 10 - i) / 10:.1f}"
                     for i, t in enumerate(tags[:9]))


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return _tr().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``."""
    return _tr().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` of ``context`` (e.g. the state "registered" as against
    the field label "registered")."""
    return _tr().pgettext(context, message)


def N_(message: str) -> str:
    """Marks ``message`` for translation where it is defined; it is
    translated where it is shown, with :func:`_`."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Marks ``message`` of ``context`` for translation; see :func:`pgettext`."""
    return (context, message)


_saved_language: str | None = None
_overridden = False


def set_language(lang: str | None) -> None:
    """Choose the language of what pledger says to people, in the library
    (error messages, finding messages, legal-basis notes, rule meanings)
    and in the bindings and the command line: "zh_CN" (Simplified
    Chinese), "en", or a list as ``LANGUAGE`` takes it ("zh_CN:en").
    None or "" returns to following the process's locale.  Codes (error
    names, finding codes) and what the registry records stay as they are.

    Raises :class:`pledger.InvalidArgument` when ``lang`` is not a
    language name.  Like ``setlocale()``, call it before starting threads.
    """
    global _saved_language, _overridden
    from . import _ffi
    from .errors import check
    if lang is not None and not isinstance(lang, str):
        raise _ffi._invalid(f"lang must be a str or None, not {type(lang).__name__}", True)
    if lang and not _overridden:
        _saved_language = os.environ.get("LANGUAGE")
    check(_ffi.lib.pledger_set_language(_ffi.cstr(lang or None, "lang")))
    if lang:
        _overridden = True
        use(lang)
    else:
        # the library gave LANGUAGE back; os.environ must say the same
        if _overridden:
            if _saved_language is None:
                os.environ.pop("LANGUAGE", None)
            else:
                os.environ["LANGUAGE"] = _saved_language
        _overridden = False
        use(None)
        _gettext.textdomain("messages")


#: argparse's own messages that people see, in pledger's catalogue: the
#: command line makes the pledger domain gettext's global one, which is
#: where argparse asks (Python ships no translation of them).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)
