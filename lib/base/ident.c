#include "base/ident.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/i18n.h"
#include "base/text.h"
#include "divisions.h"

const char pl_code_alphabet[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};
static const int resident_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char resident_checks[] = "10X98765432";

static const struct {
    const char *name;
    const char *label;
} types[] = {
    [PLEDGER_ID_USCC] = {"uscc", N_("USCC")},
    [PLEDGER_ID_RESIDENT] = {"resident", N_("resident identity number")},
    [PLEDGER_ID_PASSPORT] = {"passport", N_("passport number")},
    [PLEDGER_ID_FOREIGN_REG] = {"foreign_reg", N_("foreign registration number")},
    [PLEDGER_ID_PATENT] = {"patent", N_("patent application number")},
    [PLEDGER_ID_TRADEMARK] = {"trademark", N_("trademark registration number")},
    [PLEDGER_ID_NICE_CLASS] = {"nice_class", N_("Nice class")},
    [PLEDGER_ID_PERMIT] = {"permit", N_("discharge permit number")},
    [PLEDGER_ID_CERTIFICATE] = {"certificate", N_("certificate number")},
};
#define NTYPES (sizeof types / sizeof types[0])

const char *pl_ident_type_name(pledger_id_type t)
{
    size_t i = (size_t)t;
    return (int)t > 0 && i < NTYPES ? types[i].name : NULL;
}

const char *pl_ident_type_label(pledger_id_type t)
{
    size_t i = (size_t)t;
    return (int)t > 0 && i < NTYPES ? types[i].label : N_("identifier");
}

int pl_ident_type_from_name(const char *name)
{
    size_t i;
    if (!name)
        return 0;
    for (i = 1; i < NTYPES; i++)
        if (strcmp(types[i].name, name) == 0)
            return (int)i;
    return 0;
}

/* ---- helpers --------------------------------------------------------------------------- */

/* What a message calls the value: "USCC '91350100M000100Y44'", or just the
 * label for personal data.  Long values are cut at a character boundary. */
typedef struct subject {
    char text[160];
} subject;

static void make_subject_in(subject *s, const char *label, const char *v);

/* The subject in English, and in the language of the messages shown
 * (pl_frag_pair: a translated message shows the label translated). */
static void make_subject(subject *s, pledger_id_type type, const char *v)
{
    const char *label = pl_ident_type_label(type);
    subject local;

    if (type == PLEDGER_ID_RESIDENT || type == PLEDGER_ID_PASSPORT) {
        snprintf(s->text, sizeof s->text, "%s", label);
        snprintf(local.text, sizeof local.text, "%s", pl_tr(label));
    } else {
        make_subject_in(s, label, v);
        make_subject_in(&local, pl_tr(label), v);
    }
    pl_frag_pair(s->text, local.text);
}

static void make_subject_in(subject *s, const char *label, const char *v)
{
    size_t n = strlen(v), cut = n, ll = strnlen(label, 48);

    cut = pl_utf8_prefix(v, n, 100);
    memcpy(s->text, label, ll);
    s->text[ll] = ' ';
    s->text[ll + 1] = '\'';
    memcpy(s->text + ll + 2, v, cut);
    if (cut < n) {
        memcpy(s->text + ll + 2 + cut, "...'", 5);
    } else {
        s->text[ll + 2 + cut] = '\'';
        s->text[ll + 3 + cut] = '\0';
    }
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Number of code points of the valid UTF-8 @v. */
static size_t count_chars(const char *v)
{
    size_t n = 0;
    for (; *v; v++)
        if (((unsigned char)*v & 0xC0) != 0x80)
            n++;
    return n;
}

/* Check that every character of @v is ASCII and accepted by @ok; otherwise
 * name the first one that is not (1-based position in characters). */
static int check_chars(pl_err *e, const subject *s, const char *v, bool (*ok)(char),
                       const char *allowed)
{
    size_t pos = 0, i = 0;

    while (v[i]) {
        unsigned char c = (unsigned char)v[i];
        size_t k = 1;
        pos++;
        if (c >= 0x80) {
            while (((unsigned char)v[i + k] & 0xC0) == 0x80)
                k++;
        } else if (ok(v[i])) {
            i++;
            continue;
        }
        return pl_err_set(e, PLEDGER_EINVAL, "%s: character %zu '%.*s' is not allowed (%s)",
                          s->text, pos, (int)k, v + i, pl_frag(allowed));
    }
    return 0;
}

static int check_length(pl_err *e, const subject *s, const char *v, size_t min, size_t max)
{
    size_t n = count_chars(v);
    if (n < min || n > max) {
        if (min == max)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: has %zu characters, expected %zu",
                              s->text, n, min);
        return pl_err_set(e, PLEDGER_EINVAL, "%s: has %zu characters, expected %zu to %zu",
                          s->text, n, min, max);
    }
    return 0;
}

static bool is_alnum_upper(char c) { return is_digit(c) || is_upper(c); }
static bool is_foreign_reg(char c) { return is_alnum_upper(c) || c == '-' || c == '/' || c == '.'; }
static bool is_permit(char c) { return is_alnum_upper(c) || c == '-'; }
static bool is_uscc_char(char c) { return c != '\0' && strchr(pl_code_alphabet, c) != NULL; }

/* A number with no digit but 0 and no letter ("00000000", "0-0", "---"):
 * no authority issues one, it is a placeholder typed to get past a form. */
static int check_not_blank(pl_err *e, const subject *s, const char *v)
{
    for (; *v; v++)
        if ((*v >= '1' && *v <= '9') || is_upper(*v) || ((unsigned char)*v & 0x80))
            return 0;
    return pl_err_set(e, PLEDGER_EINVAL,
                      "%s: has no digit but 0 and no letter: no such number is issued",
                      s->text);
}

/* ---- one function per type; each may rewrite @v in place (it has room
 * for two more bytes) ---------------------------------------------------------------------- */

/* GB 32100-2015 table 1: the registering authorities (character 1) and
 * the kinds of body each registers (character 2). */
static const char uscc_authorities[] = "123456789ANY";

static bool uscc_category(char authority, char kind)
{
    static const struct {
        char authority;
        const char *kinds;
    } table[] = {
        { '1', "1239" },   /* establishment: organs, institutions, mass bodies */
        { '2', "19" },     /* foreign affairs */
        { '3', "123459" }, /* justice: law firms, notaries, arbitration, ... */
        { '4', "19" },     /* culture */
        { '5', "1239" },   /* civil affairs: associations, non-enterprises, foundations */
        { '6', "129" },    /* tourism */
        { '7', "129" },    /* religion */
        { '8', "19" },     /* trade unions */
        { '9', "123" },    /* market regulation: enterprises, individual businesses,
                            * farmers' cooperatives */
        { 'A', "19" },     /* the military establishment office */
        { 'N', "1239" },   /* agriculture: collective economic organisations */
        { 'Y', "1" },      /* others */
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].authority == authority)
            return kind && strchr(table[i].kinds, kind) != NULL;
    return false;
}

/* Characters 3 to 8 of a USCC: "100000" (a body registered by a central
 * authority) or a code whose province exists. */
static bool uscc_region(const char *v)
{
    static const char provinces[][3] = {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
        "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
        "63", "64", "65", "71", "81", "82",
    };
    if (memcmp(v, "100000", 6) == 0)
        return true;
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
        if (memcmp(v, provinces[i], 2) == 0)
            return true;
    return false;
}

static int check_uscc(pl_err *e, const subject *s, char *v)
{
    int rc, sum = 0, i;
    char want;

    if ((rc = check_length(e, s, v, 18, 18)) ||
        (rc = check_chars(e, s, v, is_uscc_char, N_("0-9 and A-Z except I, O, S, V, Z"))))
        return rc;
    if (!strchr(uscc_authorities, v[0]))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: character 1 (the registering authority) '%c' is none of 1-9, "
                          "A, N, Y (GB 32100-2015)", s->text, v[0]);
    if (!uscc_category(v[0], v[1]))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: character 2 (the kind of body) '%c' is not one registering "
                          "authority '%c' gives (GB 32100-2015)", s->text, v[1], v[0]);
    for (i = 2; i < 8; i++)
        if (!is_digit(v[i]))
            return pl_err_set(e, PLEDGER_EINVAL,
                              "%s: characters 3 to 8 (the region code) must be digits, "
                              "character %d is '%c'", s->text, i + 1, v[i]);
    if (!uscc_region(v + 2))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: characters 3 to 8 (the region code) '%.6s' are no region "
                          "(no such province)", s->text, v + 2);
    if (strspn(v + 8, "0") >= 9)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: characters 9 to 17 (the body's code) are all zeros", s->text);
    for (i = 0; i < 17; i++)
        sum += (int)(strchr(pl_code_alphabet, v[i]) - pl_code_alphabet) * uscc_weights[i];
    want = pl_code_alphabet[(31 - sum % 31) % 31];
    if (v[17] != want)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: check character is '%c', expected '%c'",
                          s->text, v[17], want);
    return 0;
}

static int check_resident(pl_err *e, const subject *s, char *v, int32_t today)
{
    int i, sum = 0, y, m, d;
    size_t n = count_chars(v);
    char want;

    if (n == 15)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: has 15 characters; old 15-digit numbers are not accepted, "
                          "give the 18-digit number", s->text);
    if (n != 18)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: has %zu characters, expected 18", s->text,
                          n);
    for (i = 0; i < 17; i++)
        if (!is_digit(v[i]))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: character %d must be a digit", s->text,
                              i + 1);
    if (!is_digit(v[17]) && v[17] != 'X')
        return pl_err_set(e, PLEDGER_EINVAL, "%s: character 18 must be a digit or X",
                          s->text);
    y = (v[6] - '0') * 1000 + (v[7] - '0') * 100 + (v[8] - '0') * 10 + (v[9] - '0');
    m = (v[10] - '0') * 10 + (v[11] - '0');
    d = (v[12] - '0') * 10 + (v[13] - '0');
    if (!pl_date_valid(y, (unsigned)m, (unsigned)d))
        return pl_err_set(e, PLEDGER_EINVAL, "%s: birth date %.4s-%.2s-%.2s is not a real date",
                          s->text, v + 6, v + 10, v + 12);
    if (y < 1900)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: birth date %.4s-%.2s-%.2s is before 1900-01-01", s->text, v + 6,
                          v + 10, v + 12);
    if (pl_days_from_civil(y, (unsigned)m, (unsigned)d) > today)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: birth date %.4s-%.2s-%.2s is in the future",
                          s->text, v + 6, v + 10, v + 12);
    for (i = 0; i < 17; i++)
        sum += (v[i] - '0') * resident_weights[i];
    want = resident_checks[sum % 11];
    if (v[17] != want)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: check character is '%c', expected '%c'",
                          s->text, v[17], want);
    return 0;
}

/* ---- GB/T 2260 address codes of resident identity numbers ------------------------------- */

/* The index of the first era of @code in pl_divisions[] (sorted by code),
 * or pl_divisions_n if the table does not list it. */
static size_t division_find(int32_t code)
{
    size_t lo = 0, hi = pl_divisions_n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pl_divisions[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pl_divisions_n && pl_divisions[lo].code == code ? lo : pl_divisions_n;
}

/* The name of the last era of @code, or "" when it is not listed. */
static const char *division_name(int32_t code)
{
    size_t i = division_find(code);

    if (i == pl_divisions_n)
        return "";
    while (i + 1 < pl_divisions_n && pl_divisions[i + 1].code == code)
        i++;
    return (const char *)pl_division_names + pl_divisions[i].name;
}

int pl_ident_resident_region(pl_err *e, const char *v)
{
    static const char label[] = "resident identity number";
    int32_t code = 0, prov;
    int birth = 0, i;
    size_t k;
    bool attributable = false;
    int last = 0;

    if (!v || strlen(v) < 10)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: no address code and birth year",
                          pl_frag(label));
    for (i = 0; i < 10; i++) {
        if (!is_digit(v[i]))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: character %d must be a digit",
                              pl_frag(label), i + 1);
        if (i < 6)
            code = code * 10 + (v[i] - '0');
        else
            birth = birth * 10 + (v[i] - '0');
    }
    prov = code / 10000 * 10000;
    if (division_find(prov) == pl_divisions_n)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: address code %06d: %02d is no province, autonomous region or "
                          "municipality of GB/T 2260", pl_frag(label), (int)code,
                          (int)(code / 10000));
    k = division_find(code);
    if (k == pl_divisions_n) {
        /* The 1980 and 1982 editions coded the urban area of a prefecture
         * city xxxx20; numbers assigned then keep it. */
        if (code % 100 == 20 && birth <= 1983 && division_find(code - 20) != pl_divisions_n)
            return 0;
        /* A code created after the table's newest edition. */
        if (birth > PL_DIVISIONS_CURRENT_YEAR)
            return 0;
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: address code %06d is no GB/T 2260 division (the division "
                          "tables up to %d have no such code in %s)", pl_frag(label), (int)code,
                          PL_DIVISIONS_CURRENT_YEAR, division_name(prov));
    }
    for (; k < pl_divisions_n && pl_divisions[k].code == code; k++) {
        const pl_division *d = &pl_divisions[k];
        /* Still listed, listed in undated editions only, or listed until
         * at most a year before the birth (editions appear once a year). */
        if (d->last == 0 || d->last == 9999 || d->last + 1 >= birth)
            attributable = true;
        if (d->last > last && d->last != 9999)
            last = d->last;
    }
    if (attributable)
        return 0;
    return pl_err_set(e, PLEDGER_EINVAL,
                      "%s: address code %06d (%s%s) was retired after %d, before the holder's "
                      "birth year %d; a number is assigned under a code in use", pl_frag(label),
                      (int)code, code == prov ? "" : division_name(prov),
                      division_name(code), last, birth);
}

static int check_patent(pl_err *e, const subject *s, char *v, int32_t today)
{
    const char *form = pl_frag(N_("expected YYYYTNNNNNNN.C (12 digits and a check) or "
                                  "NNNNNNNN.C (8 digits and a check)"));
    size_t n, i, digits;
    char *dot = strchr(v, '.');
    int sum = 0, ty, year;
    char want;

    if (dot) {
        if (dot[1] == '\0' || dot[2] != '\0' || dot == v)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "%s: the '.' must come just before the check character (%s)",
                              s->text, form);
        memmove(dot, dot + 1, 2);
    }
    n = strlen(v); /* now without the dot */
    if (count_chars(v) != n || (n != 13 && n != 9))
        return pl_err_set(e, PLEDGER_EINVAL, "%s: %s", s->text, form);
    digits = n - 1;
    for (i = 0; i < digits; i++)
        if (!is_digit(v[i]))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: character %zu must be a digit (%s)",
                              s->text, i + 1, form);
    if (!is_digit(v[digits]) && v[digits] != 'X')
        return pl_err_set(e, PLEDGER_EINVAL, "%s: the check character must be a digit or X",
                          s->text);
    if (n == 13) {
        int ty_year;
        unsigned um, ud;
        year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
        pl_civil_from_days(today, &ty_year, &um, &ud);
        if (year < 2003 || year > ty_year)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "%s: year %d is not possible (this form is used from 2003 "
                              "to %d)", s->text, year, ty_year);
        ty = v[4] - '0';
    } else {
        year = (v[0] - '0') * 10 + (v[1] - '0');
        if (year > 3 && year < 85)
            return pl_err_set(e, PLEDGER_EINVAL,
                              "%s: year %02d is not possible (the 8-digit form was used from "
                              "1985 to 2003)", s->text, year);
        ty = v[2] - '0';
    }
    if (strspn(v + (n == 13 ? 5 : 3), "0") >= (n == 13 ? 7u : 5u))
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: the serial number (the %s digits after the type digit) is all "
                          "zeros: no such application number is issued", s->text,
                          n == 13 ? "7" : "5");
    if (ty != 1 && ty != 2 && ty != 3 && ty != 8 && ty != 9)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: type digit %d is not 1 (invention), 2 (utility model), "
                          "3 (design), 8 (PCT invention) or 9 (PCT utility model)",
                          s->text, ty);
    for (i = 0; i < digits; i++)
        sum += (v[i] - '0') * (int)(2 + i % 8);
    want = sum % 11 == 10 ? 'X' : (char)('0' + sum % 11);
    if (v[digits] != want)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: check character is '%c', expected '%c'",
                          s->text, v[digits], want);
    v[digits + 1] = v[digits];
    v[digits] = '.';
    v[digits + 2] = '\0';
    return 0;
}

static int check_trademark(pl_err *e, const subject *s, char *v)
{
    const char *p = v[0] == 'G' ? v + 1 : v;
    size_t n = strlen(p), i;

    for (i = 0; i < n; i++)
        if (!is_digit(p[i]))
            break;
    if (n < 1 || n > 8 || i < n)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: expected 1 to 8 digits, optionally after G "
                          "(a Madrid designation)", s->text);
    if (strspn(p, "0") == n)
        return pl_err_set(e, PLEDGER_EINVAL,
                          "%s: is all zeros: no such registration number is issued", s->text);
    return 0;
}

static int check_nice_class(pl_err *e, const subject *s, char *v)
{
    size_t i;
    long value = 0;

    for (i = 0; v[i]; i++) {
        if (!is_digit(v[i]))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: is not a whole number", s->text);
        if (value <= 45)
            value = value * 10 + (v[i] - '0');
    }
    if (value < 1 || value > 45)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: is not a class from 1 to 45", s->text);
    v[0] = value >= 10 ? (char)('0' + value / 10) : (char)('0' + value);
    v[1] = value >= 10 ? (char)('0' + value % 10) : '\0';
    v[2] = '\0';
    return 0;
}

static int check_certificate(pl_err *e, const subject *s, char *v)
{
    size_t i = 0, pos = 0, n = strlen(v);
    int rc;

    if ((rc = check_length(e, s, v, 1, 60)))
        return rc;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = pl_utf8_decode(v + i, n - i, &cp);
        pos++;
        if (!k)
            return pl_err_set(e, PLEDGER_EINVAL, "%s: is not valid UTF-8", s->text);
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return pl_err_set(e, PLEDGER_EINVAL, "%s: character %zu is a control character",
                              s->text, pos);
        i += k;
    }
    return check_not_blank(e, s, v);
}

/* ---- the dress of a number as people type it ------------------------------------------ */

#define DI "\xe7\xac\xac"      /* 第 */
#define HAO "\xe5\x8f\xb7"     /* 号 */
#define HAO_T "\xe8\x99\x9f"   /* 號 */
#define LEI "\xe7\xb1\xbb"     /* 类 */
#define LEI_T "\xe9\xa1\x9e"   /* 類 */

static bool strip_suffix(char *v, const char *suffix)
{
    size_t n = strlen(v), k = strlen(suffix);
    if (n <= k || memcmp(v + n - k, suffix, k) != 0)
        return false;
    v[n - k] = '\0';
    return true;
}

/* Undress the normalised (pl_text_normalize_ref: invisible characters
 * pasted along dropped, every dash '-') @v in place, for @type:
 * - a '-' between two letters or digits is dropped where it can only
 *   group them:
 *   every type but foreign_reg, permit and certificate, whose numbers may
 *   contain it ("110105-19491231-002X"; "-9" keeps its '-' and fails);
 * - a patent number's ideographic full stop (U+3002, U+FF61) is its '.';
 * - "第...号" around a trademark, patent or permit number, and "第...类"
 *   around a Nice class, are dropped ("第12345678号" -> "12345678"). */
static void undress(pledger_id_type type, char *v)
{
    bool keep_dash = type == PLEDGER_ID_FOREIGN_REG || type == PLEDGER_ID_PERMIT ||
                     type == PLEDGER_ID_CERTIFICATE;
    size_t i = 0, o = 0, n = strlen(v);

    while (i < n) {
        uint32_t cp = 0;
        size_t k = pl_utf8_decode(v + i, n - i, &cp); /* valid: normalize_ref checked */
        if (!k)
            k = 1;
        if (type == PLEDGER_ID_PATENT && (cp == 0x3002 || cp == 0xFF61))
            cp = '.';
        if (cp < 0x80) {
            v[o++] = (char)cp;
        } else {
            memmove(v + o, v + i, k);
            o += k;
        }
        i += k;
    }
    v[o] = '\0';
    if (!keep_dash) {
        for (i = 0, o = 0; v[i]; i++)
            if (v[i] != '-' || o == 0 || !is_alnum_upper(v[o - 1]) ||
                !is_alnum_upper(v[i + 1]))
                v[o++] = v[i];
        v[o] = '\0';
    }
    if (type == PLEDGER_ID_TRADEMARK || type == PLEDGER_ID_PATENT ||
        type == PLEDGER_ID_PERMIT || type == PLEDGER_ID_NICE_CLASS) {
        bool nice = type == PLEDGER_ID_NICE_CLASS;
        if (!strip_suffix(v, nice ? LEI : HAO))
            strip_suffix(v, nice ? LEI_T : HAO_T);
        if (strncmp(v, DI, 3) == 0 && v[3])
            memmove(v, v + 3, strlen(v + 3) + 1);
    }
}

/* ---- entry point ----------------------------------------------------------------------- */

int pl_ident_normalize(pl_err *e, pledger_id_type type, const char *in, int32_t today,
                       char *out, size_t out_size)
{
    const char *label = pl_ident_type_label(type);
    char *norm, *v;
    size_t n;
    subject s;
    int rc;

    if (out && out_size)
        out[0] = '\0';
    if (!pl_ident_type_name(type))
        return pl_err_set(e, PLEDGER_EINVAL, "identifier type %d is unknown", (int)type);
    if (!out || !out_size)
        return pl_err_set(e, PLEDGER_EINVAL, "%s: no output buffer", pl_frag(label));
    if (!in)
        return pl_err_set(e, PLEDGER_EINVAL, "%s is missing", pl_frag(label));
    if (!pl_utf8_valid(in, strlen(in)))
        return pl_err_set(e, PLEDGER_EINVAL, "%s is not valid UTF-8", pl_frag(label));
    if (!(norm = pl_text_normalize_ref(in)))
        return pl_err_oom(e);
    undress(type, norm);
    n = strlen(norm);
    if (!(v = malloc(n + 3))) {
        free(norm);
        return pl_err_oom(e);
    }
    if (type == PLEDGER_ID_PATENT &&
        (strncmp(norm, "ZL", 2) == 0 || strncmp(norm, "CN", 2) == 0))
        memcpy(v, norm + 2, n - 1);
    else
        memcpy(v, norm, n + 1);
    free(norm);
    make_subject(&s, type, v);

    if (!*v) {
        rc = pl_err_set(e, PLEDGER_EINVAL, "%s is empty", pl_frag(label));
    } else {
        switch (type) {
        case PLEDGER_ID_USCC:
            rc = check_uscc(e, &s, v);
            break;
        case PLEDGER_ID_RESIDENT:
            rc = check_resident(e, &s, v, today);
            break;
        case PLEDGER_ID_PASSPORT:
            rc = check_length(e, &s, v, 5, 20);
            if (!rc)
                rc = check_chars(e, &s, v, is_alnum_upper, N_("A-Z and 0-9"));
            if (!rc)
                rc = check_not_blank(e, &s, v);
            break;
        case PLEDGER_ID_FOREIGN_REG:
            rc = check_length(e, &s, v, 1, 40);
            if (!rc)
                rc = check_chars(e, &s, v, is_foreign_reg, N_("A-Z, 0-9, '-', '/' and '.'"));
            if (!rc)
                rc = check_not_blank(e, &s, v);
            break;
        case PLEDGER_ID_PATENT:
            rc = check_patent(e, &s, v, today);
            break;
        case PLEDGER_ID_TRADEMARK:
            rc = check_trademark(e, &s, v);
            break;
        case PLEDGER_ID_NICE_CLASS:
            rc = check_nice_class(e, &s, v);
            break;
        case PLEDGER_ID_PERMIT:
            rc = check_length(e, &s, v, 8, 40);
            if (!rc)
                rc = check_chars(e, &s, v, is_permit, N_("A-Z, 0-9 and '-'"));
            if (!rc)
                rc = check_not_blank(e, &s, v);
            break;
        case PLEDGER_ID_CERTIFICATE:
            rc = check_certificate(e, &s, v);
            break;
        default:
            rc = pl_err_set(e, PLEDGER_EINVAL, "identifier type %d is unknown", (int)type);
            break;
        }
    }
    if (!rc) {
        n = strlen(v);
        if (n + 1 > out_size)
            rc = pl_err_set(e, PLEDGER_EINVAL, "%s: needs %zu bytes, the buffer has %zu",
                            s.text, n + 1, out_size);
        else
            memcpy(out, v, n + 1);
    }
    free(v);
    return rc;
}

int pl_ident_check(pl_err *e, pledger_id_type type, const char *in, int32_t today, char *out,
                   size_t out_size)
{
    int rc = pl_ident_normalize(e, type, in, today, out, out_size);

    if (rc == 0 && type == PLEDGER_ID_RESIDENT && (rc = pl_ident_resident_region(e, out)))
        out[0] = '\0';
    return rc;
}

/* ISO 3166-1 alpha-2, the codes assigned (249, as tzdata's iso3166.tab
 * lists them), sorted: two letters each. */
static const char countries[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCD"
    "CFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGF"
    "GGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKN"
    "KPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNA"
    "NCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSI"
    "SJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
    "VNVUWFWSYEYTZAZMZW";

bool pl_ident_country(const char *code)
{
    if (!code || strlen(code) != 2)
        return false;
    size_t lo = 0, hi = (sizeof countries - 1) / 2;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = memcmp(countries + 2 * mid, code, 2);
        if (d == 0)
            return true;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
