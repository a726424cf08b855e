"""The command line in Chinese, times in the office's zone, money as
people write it: what a clerk at a Chinese window sees."""
from __future__ import annotations

import datetime as _dt
import json
import os
import pathlib
import re

import pytest

import pledger
from conftest import run_cli, sample_path
from pledger import Kind

TM = str(sample_path(Kind.TRADEMARK))
DRAFT = str(pathlib.Path(__file__).resolve().parents[3] / "examples" / "data" /
            "trademark-draft.xml")

#: ASCII words of the English interface that must not show in Chinese
ENGLISH = re.compile(r"\b(the|is|of|pledgor|pledgee|trademark|findings?|submitted|"
                     r"registered|usage|options|arguments?|required)\b")


def cli(db: str, *args: str, lang: dict[str, str] | None = None, expect: int = 0,
        now: str = "2024-04-01T02:00:00Z"):
    env = {"PLEDGER_NOW": now}
    env.update(lang or {})
    r = run_cli(*args, "--db", db, env=env)
    assert r.status == expect, r
    return r


@pytest.fixture
def db(tmp_path: pathlib.Path) -> str:
    d = str(tmp_path / "zh.db")
    cli(d, "init", "--office", "FZ01")
    return d


ZH_ENV = {"LANGUAGE": "zh_CN"}   # and LANG=C.UTF-8: no zh_CN locale needed


@pytest.fixture(scope="module")
def registered_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A registry with the sample trademark registered through the
    command line (2024-04-01 10:00 Beijing time), made once: (its path,
    the registration number)."""
    db = str(tmp_path_factory.mktemp("zh") / "template.db")
    cli(db, "init", "--office", "FZ01")
    uuid = cli(db, "apply", TM, "--actor", "applicant-1").out.strip()
    cli(db, "review", uuid, "--actor", "applicant-1")
    cli(db, "submit", uuid, "--actor", "applicant-1")
    cli(db, "accept", uuid, "--actor", "clerk-1")
    return db, cli(db, "register", uuid, "--actor", "registrar-1").out.splitlines()[0]


@pytest.fixture
def registered(registered_template: tuple[str, str], tmp_path: pathlib.Path) -> tuple[str, str]:
    """A copy of the registered template for one test: (path, number)."""
    import shutil
    db = str(tmp_path / "registered.db")
    shutil.copyfile(registered_template[0], db)
    return db, registered_template[1]


def test_language_from_the_environment_review_in_chinese(db: str) -> None:
    uuid = cli(db, "apply", DRAFT, "--actor", "applicant-1").out.strip()
    r = cli(db, "review", uuid, "--actor", "applicant-1", lang=ZH_ENV, expect=1)
    head, *rows = r.out.splitlines()
    assert head.split()[:5] == ["严重程度", "代码", "字段", "说明", "依据"]
    assert "按现状不能提交" in r.out and "条审查意见" in r.out
    body = [line for line in rows if line.strip()]
    for line in body:
        # codes, paths and quoted document text aside, no English word
        text = re.sub(r"[A-Z_]{3,}|[a-z_/]+\[\d+\]|[a-z_]+/[a-z_/]+|'[^']*'|“[^”]*”", "", line)
        assert not ENGLISH.search(text), line
    # the same review in English: the codes are the same
    en = cli(db, "review", uuid, "--actor", "applicant-1", expect=1)
    codes = lambda out: [l.split()[1] for l in out.splitlines()[1:] if l.strip()
                         and not l[0].isdigit() and len(l.split()) > 1][:-1]
    assert codes(en.out) == codes(r.out)
    assert "it cannot be submitted as it is" in en.out


@pytest.mark.parametrize("how", [
    {"args": ["--lang", "zh_CN"]},
    {"args": ["--lang=zh_CN"]},
    {"env": {"PLEDGER_LANG": "zh_CN"}},
    {"env": {"LANG": "zh_CN.UTF-8"}},
    {"env": {"LC_ALL": "zh_CN.UTF-8"}},
    # as a language tag, and Chinese in simplified characters named
    # otherwise, as pledgerd's Accept-Language takes them (they were
    # English without a word)
    {"args": ["--lang", "zh-CN"]},
    {"args": ["--lang", "zh"]},
    {"args": ["--lang", "zh-Hans"]},
    {"args": ["--lang", "zh-Hans-CN"]},
    {"env": {"PLEDGER_LANG": "zh-cn"}},
])
def test_every_way_to_ask_for_chinese(db: str, how: dict) -> None:
    r = run_cli("search", "--db", db, *how.get("args", []), env=how.get("env"))
    assert r.status == 0, r
    assert "未找到质押登记" in r.out and "0 项质押登记" in r.out, r


@pytest.mark.parametrize("how", [
    {"args": ["--lang", "xx"]}, {"args": ["--lang", "fr_FR"]}, {"env": {"PLEDGER_LANG": "de"}},
])
def test_a_language_pledger_does_not_speak_is_said(db: str, how: dict) -> None:
    """A language asked for by name (--lang, $PLEDGER_LANG) that has no
    catalogue is a usage error naming what pledger speaks, not English
    without a word; the environment's own (LANGUAGE=fr) stays quiet."""
    r = run_cli("search", "--db", db, *how.get("args", []), env=how.get("env"))
    assert r.status == 2 and "zh_CN" in r.err and len(r.err.strip().splitlines()) == 1, r
    r = run_cli("search", "--db", db, env={"LANGUAGE": "fr"})
    assert r.status == 0 and "no pledge found" in r.out, r


def test_lang_option_overrides_the_environment(db: str) -> None:
    r = run_cli("search", "--db", db, "--lang", "en", env={"LANGUAGE": "zh_CN"})
    assert r.status == 0 and "no pledge found" in r.out, r


def test_help_and_usage_errors_in_chinese() -> None:
    r = run_cli("review", "--help", env=ZH_ENV)
    assert r.status == 0
    assert r.out.startswith("用法：pledger review")
    assert "审查申请：以表格列出全部审查意见。" in r.out and "常用角色：申请人。" in r.out
    assert "位置参数" in r.out and "选项" in r.out and "显示本帮助信息并退出" in r.out
    assert "退出状态：" in r.out and "环境变量：" in r.out
    r = run_cli("review", env=ZH_ENV)
    assert r.status == 2 and "缺少以下必需参数：uuid" in r.err, r
    r = run_cli("review", "x", "--role", "boss", env=ZH_ENV)
    assert r.status == 2 and "无效的选择" in r.err, r
    # a number out of range, in Chinese to its end (the bindings' own
    # check said "the value is 3651: it must be 0 to 3650" in English)
    for args, want in ((["due", "--within", "3651"], "该值为 3651：须在 0 到 3650 之间"),
                       (["search", "--page-size", "9" * 200], "位的整数：须在 1 到 10000 之间")):
        r = run_cli(*args, "--actor", "a", env=ZH_ENV)
        assert r.status == 2 and want in r.err, r
        assert not re.search(r"\b(value|must|integer)\b", r.err), r


def test_a_service_address_refused_in_chinese(tmp_path: pathlib.Path) -> None:
    """The client's refusals of --url, --token and --cacert (before any
    request) in the language asked, naming the option: they were English
    whatever the language, and said url, token, cafile."""
    env = dict(ZH_ENV)
    for args, zh, en in (
            (["--url", "http://example.com", "--token", "a.b"], "明文", "in clear"),
            (["--url", "https://u:p@example.com", "--token", "a.b"], "用户名或密码", "password"),
            (["--url", "https://127.0.0.1:1", "--token", "a b"], "可见 ASCII", "visible ASCII"),
            (["--url", "https://127.0.0.1:1", "--token", "a.b", "--cacert",
              str(tmp_path / "none.pem")], "文件不存在", "no such file")):
        for lang_env, want in ((env, zh), ({}, en)):
            r = run_cli("verify", "R-1", *args, env=lang_env)
            assert r.status in (2, 3) and want in r.err, (args, r)
            assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err, r
            named = "--cacert" if "--cacert" in args else "--token" if " " in args[3] else "--url"
            assert named in r.err and not re.search(r"(^|: )(url|token|cafile)\b", r.err), r
        assert not re.search(r"\b(would|password|visible|such)\b", run_cli(
            "verify", "R-1", *args, env=env).err)


def test_bad_language_is_a_usage_error() -> None:
    r = run_cli("search", "--lang", "zh CN")
    assert r.status == 2 and "--lang" in r.err and "zh_CN" in r.err, r
    assert len(r.err.strip().splitlines()) == 1


def test_library_errors_in_chinese(db: str) -> None:
    r = cli(db, "accept", "00000000-0000-4000-8000-000000000000", "--actor", "clerk-1",
            lang=ZH_ENV, expect=3)
    assert "不存在" in r.err, r
    r = cli(db, "review", "x", "--actor", "bank-1", "--role", "bank", lang=ZH_ENV, expect=4)
    assert "银行" in r.err and "role bank" not in r.err, r
    r = run_cli("show", "R-1", "--db", db + ".missing", env=ZH_ENV)
    assert r.status == 3 and "没有这个登记库" in r.err, r


def test_chinese_errors_name_no_c_call(registered: tuple[str, str]) -> None:
    """The C call a library message begins with, and the step that is the
    command itself, go in Chinese too, where the catalogue writes the colon
    full-width ("pledger prove: pledger_log_prove_inclusion：事件 ...",
    "pledger change: change：质押登记 ..."), in the line and in --json."""
    db, number = registered
    r = cli(db, "prove", "99999", lang=ZH_ENV, expect=2)
    assert "事件 99999" in r.err and "pledger_" not in r.err.replace("pledger prove", ""), r
    r = cli(db, "prove", "99999", "--json", lang=ZH_ENV, expect=2)
    assert "pledger_" not in r.error()["error"].replace("pledger prove", ""), r
    r = cli(db, "change", number, "--amount", "3,000,000.00", "--actor", "registrar-1",
            lang=ZH_ENV, expect=2)
    assert r.err.startswith("pledger change: 质押登记 "), r


def test_json_stays_english_and_utc(registered: tuple[str, str]) -> None:
    db, number = registered
    r = cli(db, "show", number, "--json", lang=ZH_ENV)
    data = json.loads(r.out)
    assert data["state"] == "active" and data["kind"] == "trademark"
    assert data["registered_at"] == "2024-04-01T02:00:00Z"


def test_instants_in_the_office_zone_to_the_minute(registered: tuple[str, str]) -> None:
    db, number = registered
    r = cli(db, "show", number)
    # 02:00 UTC is 10:00 in Beijing
    assert re.search(r"^registered:\s+2024-04-01 10:00 \+08:00$", r.out, re.M), r.out
    assert "02:00:00" not in r.out and ".000000" not in r.out
    zh = cli(db, "show", number, lang=ZH_ENV)
    assert re.search(r"^登记时间:\s+2024-04-01 10:00 \+08:00$", zh.out, re.M), zh.out
    assert re.search(r"^状态:\s+有效$", zh.out, re.M) and "担保方式: 质押" in zh.out
    # another zone for the office: the same instant in Urumqi time
    cli(db, "show", number)
    reg = pledger.open(db)
    reg.set_actor("registrar-1", "registrar")
    reg.set_time_zone("Asia/Urumqi")
    assert reg.time_zone == "Asia/Urumqi"
    reg.close()
    r = cli(db, "show", number)
    assert re.search(r"^registered:\s+2024-04-01 08:00 \+06:00$", r.out, re.M), r.out


def test_instant_without_offset_is_office_time(registered: tuple[str, str]) -> None:
    db, number = registered   # registered 2024-04-01 10:00 Beijing time
    now = "2024-04-01T03:00:00Z"   # an hour later: the instants asked have passed
    # 09:59 Beijing is before the registration, 10:01 after
    r = cli(db, "rank", number, "--at", "2024-04-01T09:59", expect=3, now=now)
    assert "did not exist at that instant" in r.err
    after = cli(db, "rank", number, "--at", "2024-04-01 10:01", "--json", now=now)
    assert json.loads(after.out)["rank"] == 1
    # with an offset it is that instant, wherever the office is
    cli(db, "rank", number, "--at", "2024-04-01T01:59:00Z", expect=3, now=now)
    cli(db, "rank", number, "--at", "2024-04-01T02:01:00+00:00", expect=0, now=now)


def test_bare_date_is_the_calendar_day_in_any_zone(registered: tuple[str, str]) -> None:
    """A bare date is the first instant of that day in the registry's
    calendar (+08:00), whatever zone the office shows instants in: the
    command line, the Python calls and the library agree."""
    db, number = registered   # registered 2024-04-01T02:00Z, 10:00 in the calendar's day
    now = "2024-04-03T00:00:00Z"
    reg = pledger.open(db)
    reg.set_actor("registrar-1", "registrar")
    reg.set_time_zone("America/New_York")   # -04:00 in April: 2024-04-01 began at 04:00Z
    # the calendar's 2024-04-01 began at 2024-03-31T16:00Z, before the registration
    with pytest.raises(pledger.NotFound, match="did not exist at that instant"):
        reg.rank(number, _dt.date(2024, 4, 1))
    assert reg.rank(number, _dt.date(2024, 4, 2)) == 1
    reg.close()
    for typed in ("2024-04-01", "20240401", " 2024-04-01 "):
        r = cli(db, "rank", number, "--at", typed, expect=3, now=now)
        assert "did not exist at that instant" in r.err, (typed, r)
    for typed in ("2024-04-02", "20240402"):
        out = json.loads(cli(db, "rank", number, "--at", typed, "--json", now=now).out)
        assert out["rank"] == 1 and out["at"] == "2024-04-01T16:00:00Z", (typed, out)
    # a time of day without an offset stays in the zone shown: 00:30 New York
    # time on 2024-04-01 is 04:30Z, after the registration
    out = json.loads(cli(db, "rank", number, "--at", "2024-04-01T00:30", "--json",
                         now=now).out)
    assert out["rank"] == 1 and out["at"] == "2024-04-01T04:30:00Z", out
    # the clock a test sets, as a date: the calendar's day too (it began at
    # 2024-03-31T16:00Z, so 20:00Z is still to come)
    r = cli(db, "rank", number, "--at", "2024-03-31T20:00Z", expect=2, now="2024-04-01")
    assert "--at" in r.err, r


@pytest.mark.parametrize("typed,fen", [
    ("3000000", 300_000_000), ("3,000,000.00", 300_000_000), ("300万", 300_000_000),
    ("300万元", 300_000_000), ("3.5亿", 35_000_000_000), ("１２３", 12_300),
])
def test_change_amount_as_people_write_it(registered: tuple[str, str], typed: str,
                                          fen: int) -> None:
    db, number = registered
    if fen == 300_000_000:   # the sample's own amount: first another one
        cli(db, "change", number, "--amount", "1", "--actor", "registrar-1")
    cli(db, "change", number, "--amount", typed, "--actor", "registrar-1")
    data = json.loads(cli(db, "show", number, "--json").out)
    assert data["amount"] == fen
    shown = cli(db, "show", number).out
    assert pledger.format_money(fen) + " CNY" in shown


@pytest.mark.parametrize("typed", ["3,00", "ten", "300万万", "-5", "0", "1.234", "", "1" + "0" * 30,
                                   "9" * 5000, "1\x1b[31m", str(2**63)])
def test_change_amount_refused_names_the_forms(registered: tuple[str, str],
                                               typed: str) -> None:
    db, number = registered
    before = cli(db, "show", number, "--json").out
    r = cli(db, "change", number, "--amount", typed, "--actor", "registrar-1", expect=2)
    assert r.err.count("\n") == 1 and "--amount" in r.err, r
    assert cli(db, "show", number, "--json").out == before


def test_amounts_printed_grouped(registered: tuple[str, str]) -> None:
    db, number = registered
    out = cli(db, "show", number).out
    assert re.search(r"^amount:\s+3,000,000\.00 CNY$", out, re.M), out


def test_python_set_language_round_trip(tmp_path: pathlib.Path) -> None:
    before = os.environ.get("LANGUAGE")
    try:
        pledger.set_language("zh_CN")
        with pytest.raises(pledger.NotFound) as e:
            with pledger.open(str(tmp_path / "x.db"), create=False):
                pass
        assert re.search(r"[\u4e00-\u9fff]", e.value.message), e.value.message
        # the bindings' own refusals of an argument, in Chinese too
        for path, want in (("a\0b", "文件名 含 NUL 字符"), ("a\udc80\ud800", "文件名不是有效的 Unicode")):
            with pytest.raises(pledger.InvalidArgument, match=want):
                pledger.open(path)
        with pytest.raises(pledger.WrongType, match="须为整数"):
            pledger.connect("https://127.0.0.1:1").reports(limit="10")  # type: ignore[arg-type]
        # in the caller's words in Chinese too: no C call before the
        # catalogue's colon
        with pledger.open(str(tmp_path / "y.db")) as reg:
            reg.set_actor("bank-1", pledger.Role.BANK)
            with pytest.raises(pledger.InvalidArgument) as e:
                reg.search(right="12345678")
        assert "pledger_" not in e.value.message and "->" not in e.value.message, e.value
        assert re.search(r"[\u4e00-\u9fff]", e.value.message), e.value.message
        assert e.value.library_message.startswith("pledger_search"), e.value.library_message
        # a language tag, as pledger_set_thread_language and pledgerd take it
        for tag in ("zh-CN", "zh", "zh-Hans"):
            pledger.set_language(tag)
            with pytest.raises(pledger.NotFound) as e:
                with pledger.open(str(tmp_path / "x.db"), create=False):
                    pass
            assert re.search(r"[\u4e00-\u9fff]", e.value.message), (tag, e.value.message)
        with pytest.raises(pledger.InvalidArgument):
            pledger.set_language("zh CN")
        with pytest.raises(pledger.WrongType):
            pledger.set_language(5)  # type: ignore[arg-type]
    finally:
        pledger.set_language(None)
    assert os.environ.get("LANGUAGE") == before
    with pytest.raises(pledger.NotFound) as e:
        with pledger.open(str(tmp_path / "x.db"), create=False):
            pass
    assert not re.search(r"[\u4e00-\u9fff]", e.value.message), e.value.message


@pytest.mark.parametrize("currency,typed,minor,refused", [
    ("KWD", "1.555", 1555, "1.5555"),     # three decimals: refused as CNY's two
    ("JPY", "1,234", 1234, "1.5"),        # none
])
def test_change_amount_in_the_pledges_currency(tmp_path: pathlib.Path, currency: str,
                                               typed: str, minor: int, refused: str) -> None:
    """--amount is read in the pledge's currency: 1.555 for a pledge in
    KWD was refused "has 3 decimals; CNY has 2" (read as CNY first)."""
    from conftest import Clock, sample
    db = str(tmp_path / "cur.db")
    with pledger.open(db, office="FZ01") as reg:
        reg.set_clock(Clock())
        reg.set_actor("applicant-1", "applicant")
        with sample(pledger.Kind.LAND) as app:
            app["claim/amount/@currency"] = currency
            uuid = reg.save(app)
        assert not reg.review(uuid).stops_submission
        reg.submit(uuid)
        reg.set_actor("clerk-1", "clerk")
        reg.accept(uuid)
        reg.set_actor("registrar-1", "registrar")
        number = reg.register(uuid).number
    cli(db, "change", number, "--amount", typed, "--actor", "registrar-1")
    data = json.loads(cli(db, "show", number, "--json").out)
    assert (data["amount"], data["currency"]) == (minor, currency)
    r = cli(db, "change", number, "--amount", refused, "--actor", "registrar-1", expect=2)
    assert currency in r.err and "CNY" not in r.err, r
    # the form is still read first: an unknown number with no amount is a usage error
    r = cli(db, "change", "R-NOPE", "--amount", "ten", "--actor", "registrar-1", expect=2)
    assert "--amount" in r.err


def test_a_wall_time_the_zone_skips_or_repeats_is_refused(registered: tuple[str, str]) -> None:
    """--at without an offset is read in the office's zone: a time its
    clocks skipped (02:30 on the day summer time began) was read as 03:30,
    one they showed twice (01:30 on the day it ended) as the first; each
    is refused, naming the offsets to give."""
    db, number = registered
    reg = pledger.open(db)
    reg.set_actor("registrar-1", "registrar")
    reg.set_time_zone("America/New_York")
    reg.close()
    now = "2026-01-01T00:00:00Z"
    r = cli(db, "verify", number, "--at", "2025-03-09T02:30", now=now, expect=2)
    assert "does not exist" in r.err and "America/New_York" in r.err, r
    r = cli(db, "verify", number, "--at", "2025-11-02 01:30", now=now, expect=2)
    assert "twice" in r.err and "-04:00" in r.err and "-05:00" in r.err, r
    r = cli(db, "verify", number, "--at", "2025-11-02T01:30-05:00", "--json", now=now)
    assert json.loads(r.out)["as_of"] == "2025-11-02T06:30:00Z"
    r = cli(db, "verify", number, "--at", "2025-03-09T03:30", "--json", now=now)
    assert json.loads(r.out)["as_of"] == "2025-03-09T07:30:00Z"


@pytest.mark.parametrize("lang", [ZH_ENV, {"LANGUAGE": "en"}])
def test_choices_typed_in_chinese(registered: tuple[str, str], lang: dict) -> None:
    """A choice (--kind, --state, --side, --role, an identifier type) is
    taken as a Chinese counter types it -- the word the Chinese interface
    shows, a usual synonym, full width, any case -- whatever the language
    shown; another word is refused listing the choices."""
    db, number = registered
    want = json.loads(cli(db, "search", "--kind", "trademark", "--state", "active", "--json",
                          lang=lang).out)
    assert number in json.dumps(want)
    for kind, state, side in (("商标", "有效", "出质人"), ("商标专用权", "正常", "任一方"),
                              ("ＴＲＡＤＥＭＡＲＫ", "Active", "PLEDGOR"),
                              ("注册商标", "ACTIVE", "either")):
        got = cli(db, "search", "--kind", kind, "--state", state, "--side", side,
                  "--party-id", "91350100M000100Y43", "--json", lang=lang).out
        assert number in got, (kind, state, side, got)
    # nothing pledged as a patent, nor expired
    for kind, state in (("专利", "有效"), ("商标", "已到期")):
        got = cli(db, "search", "--kind", kind, "--state", state, "--json", lang=lang).out
        assert number not in got, (kind, state)
    # the role, from the option and from $PLEDGER_ROLE
    cli(db, "search", "--kind", "商标", "--role", "银行", "--actor", "bank-1", lang=lang)
    cli(db, "search", "--kind", "商标", "--actor", "bank-1", lang={**lang, "PLEDGER_ROLE": "银行"})
    # an identifier's type
    r = run_cli("check-id", "统一社会信用代码", "91350100m000100y43", env=lang)
    assert r.status == 0 and "91350100M000100Y43" in r.out, r
    # a word that is none: a usage error listing the choices
    r = cli(db, "search", "--kind", "商品", lang=lang, expect=2)
    assert "trademark" in r.err and "商品" in r.err, r.err
