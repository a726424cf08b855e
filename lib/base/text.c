#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t pl_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c, min;
    size_t len, i;

    if (n == 0)
        return 0;
    c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

bool pl_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    uint32_t cp = 0;

    if (!s)
        return n == 0;
    while (i < n) {
        size_t k;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (!(k = pl_utf8_decode(s + i, n - i, &cp)))
            return false;
        i += k;
    }
    return true;
}

bool pl_text_is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

size_t pl_utf8_prefix(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

void pl_text_excerpt(char out[PL_EXCERPT_MAX + 8], const char *s)
{
    size_t n = strlen(s), cut = pl_utf8_prefix(s, n, PL_EXCERPT_MAX);
    memcpy(out, s, cut);
    strcpy(out + cut, cut < n ? "..." : "");
}

size_t pl_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char *pl_text_fold(const char *s)
{
    size_t n, i = 0, o = 0;
    bool pending_space = false;
    char *out;

    if (!s)
        return NULL;
    n = strlen(s);
    if (!(out = malloc(n + 1)))
        return NULL;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (!k) {
            free(out);
            return NULL;
        }
        i += k;
        if (pl_text_is_space(cp)) {
            pending_space = o > 0; /* leading white space is dropped */
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (pending_space) {
            out[o++] = ' ';
            pending_space = false;
        }
        o += pl_utf8_encode(cp, out + o);
    }
    out[o] = '\0'; /* trailing white space was never written */
    return out;
}

char *pl_text_normalize_id(const char *s)
{
    char *f = pl_text_fold(s);
    size_t i, o = 0;

    if (!f)
        return NULL;
    for (i = 0; f[i]; i++) {
        char c = f[i];
        if (c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        f[o++] = c;
    }
    f[o] = '\0';
    return f;
}

char *pl_text_normalize_ref(const char *s)
{
    char *v = pl_text_normalize_id(s);
    size_t i = 0, o = 0, n;

    if (!v)
        return NULL;
    n = strlen(v);
    while (i < n) {
        uint32_t cp = 0;
        size_t k = pl_utf8_decode(v + i, n - i, &cp); /* valid: pl_text_fold checked */
        if (!k)
            k = 1;
        if (cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF) {
            i += k;
            continue;
        }
        if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63) {
            v[o++] = '-';
        } else {
            memmove(v + o, v + i, k);
            o += k;
        }
        i += k;
    }
    v[o] = '\0';
    return v;
}

/* The first character of @s that shows nothing but changes the text a
 * search compares (Unicode's default-ignorable code points: format
 * characters, bidirectional controls, fillers, variation selectors, the
 * soft hyphen), or that no name shows as itself (a control character,
 * DEL, a C1 control, the line and paragraph separators, the interlinear
 * annotation characters, a noncharacter), as U+XXXX into @out; false when
 * there is none. */
bool pl_text_invisible(const char *s, char out[16])
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return false;   /* not UTF-8: the document was refused before */
        bool hidden = cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F ||
                      cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
                      (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
                      (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
                      cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
                      cp == 0xFFA0 || (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
                      (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF) ||
                      cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
                      cp == 0x2029 || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
                      (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
        if (hidden) {
            snprintf(out, 16, "U+%04X", (unsigned)cp);
            return true;
        }
        i += k;
    }
    return false;
}

bool pl_text_control(const char *s, pl_text_lines how, uint32_t *cp_out, size_t *at)
{
    size_t n = s ? strlen(s) : 0, pos = 0, b = 0, e = n;
    bool lines = how == PL_TEXT_LINES;

    /* a tab or a line end around a text its reader trims is white space,
     * as pasted from a table's cell ("R-FZ01-...\t") */
    while (how == PL_TEXT_TRIMMED && b < e && strchr(" \t\r\n", s[b]))
        b++;
    while (how == PL_TEXT_TRIMMED && e > b && strchr(" \t\r\n", s[e - 1]))
        e--;
    for (size_t i = 0; i < n;) {
        uint32_t cp = (unsigned char)s[i];
        size_t k = cp < 0x80 ? 1 : pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return false;
        pos++;
        bool layout = lines ? cp == '\t' || cp == '\n' || (cp == '\r' && s[i + 1] == '\n')
                            : i < b || i >= e;
        if ((cp < 0x20 && !layout) || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
            cp == 0x2029 || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0xFFFE || cp == 0xFFFF) {
            *cp_out = cp;
            *at = pos;
            return true;
        }
        i += k;
    }
    return false;
}

/* Combining marks (general categories Mn, Mc, Me) of the scripts names
 * are written in: the generic diacritics, Cyrillic, Hebrew, Arabic, Syriac,
 * Thaana, N'Ko, the Indic scripts (each block's signs), Thai, Lao, Tibetan,
 * Myanmar, Khmer, Mongolian, the CJK tone marks and kana voicing marks,
 * the half marks. */
bool pl_text_is_mark(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x05BF, 0x05BF },
        { 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0610, 0x061A },
        { 0x064B, 0x065F }, { 0x0670, 0x0670 }, { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 },
        { 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED }, { 0x0711, 0x0711 }, { 0x0730, 0x074A },
        { 0x07A6, 0x07B0 }, { 0x07EB, 0x07F3 }, { 0x0816, 0x082D }, { 0x0859, 0x085B },
        { 0x08D3, 0x08E1 }, { 0x08E3, 0x0903 }, { 0x093A, 0x093C }, { 0x093E, 0x094F },
        { 0x0951, 0x0957 }, { 0x0962, 0x0963 }, { 0x0981, 0x0983 }, { 0x09BC, 0x09BC },
        { 0x09BE, 0x09CD }, { 0x09D7, 0x09D7 }, { 0x09E2, 0x09E3 }, { 0x0A01, 0x0A03 },
        { 0x0A3C, 0x0A51 }, { 0x0A70, 0x0A71 }, { 0x0A75, 0x0A75 }, { 0x0A81, 0x0A83 },
        { 0x0ABC, 0x0ABC }, { 0x0ABE, 0x0ACD }, { 0x0AE2, 0x0AE3 }, { 0x0B01, 0x0B03 },
        { 0x0B3C, 0x0B3C }, { 0x0B3E, 0x0B57 }, { 0x0B62, 0x0B63 }, { 0x0B82, 0x0B82 },
        { 0x0BBE, 0x0BCD }, { 0x0BD7, 0x0BD7 }, { 0x0C00, 0x0C04 }, { 0x0C3E, 0x0C56 },
        { 0x0C62, 0x0C63 }, { 0x0C81, 0x0C83 }, { 0x0CBC, 0x0CBC }, { 0x0CBE, 0x0CD6 },
        { 0x0CE2, 0x0CE3 }, { 0x0D00, 0x0D03 }, { 0x0D3B, 0x0D3C }, { 0x0D3E, 0x0D4D },
        { 0x0D57, 0x0D57 }, { 0x0D62, 0x0D63 }, { 0x0D81, 0x0D83 }, { 0x0DCA, 0x0DDF },
        { 0x0DF2, 0x0DF3 }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
        { 0x0EB1, 0x0EB1 }, { 0x0EB4, 0x0EBC }, { 0x0EC8, 0x0ECD }, { 0x0F18, 0x0F19 },
        { 0x0F35, 0x0F35 }, { 0x0F37, 0x0F37 }, { 0x0F39, 0x0F39 }, { 0x0F3E, 0x0F3F },
        { 0x0F71, 0x0F84 }, { 0x0F86, 0x0F87 }, { 0x0F8D, 0x0FBC }, { 0x0FC6, 0x0FC6 },
        { 0x102B, 0x103E }, { 0x1056, 0x1059 }, { 0x105E, 0x1060 }, { 0x1062, 0x1064 },
        { 0x1067, 0x106D }, { 0x1071, 0x1074 }, { 0x1082, 0x108D }, { 0x108F, 0x108F },
        { 0x109A, 0x109D }, { 0x135D, 0x135F }, { 0x1712, 0x1714 }, { 0x17B6, 0x17D3 },
        { 0x17DD, 0x17DD }, { 0x1885, 0x1886 }, { 0x18A9, 0x18A9 }, { 0x1920, 0x193B },
        { 0x1A17, 0x1A1B }, { 0x1A55, 0x1A7F }, { 0x1AB0, 0x1AFF }, { 0x1B00, 0x1B04 },
        { 0x1B34, 0x1B44 }, { 0x1B6B, 0x1B73 }, { 0x1DC0, 0x1DFF }, { 0x20D0, 0x20F0 },
        { 0x2CEF, 0x2CF1 }, { 0x2D7F, 0x2D7F }, { 0x2DE0, 0x2DFF }, { 0x302A, 0x302F },
        { 0x3099, 0x309A }, { 0xA66F, 0xA672 }, { 0xA674, 0xA67D }, { 0xA69E, 0xA69F },
        { 0xA8E0, 0xA8F1 }, { 0xFB1E, 0xFB1E }, { 0xFE20, 0xFE2F }, { 0x1D165, 0x1D169 },
        { 0x1D16D, 0x1D172 }, { 0x1D17B, 0x1D182 }, { 0x1D185, 0x1D18B }, { 0x1D1AA, 0x1D1AD },
    };
    size_t lo = 0, hi = sizeof ranges / sizeof ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < ranges[mid][0])
            hi = mid;
        else if (cp > ranges[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

bool pl_text_mark_unattached(const char *s, char out[16])
{
    size_t n = strlen(s);
    bool after_base = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return false;
        if (pl_text_is_mark(cp)) {
            if (!after_base) {
                snprintf(out, 16, "U+%04X", (unsigned)cp);
                return true;
            }
        } else {
            after_base = !pl_text_is_space(cp);
        }
        i += k;
    }
    return false;
}

/* Symbols and punctuation beyond pl_text_is_punct()'s: Latin-1's signs,
 * currency, letterlike symbols, arrows, mathematical and technical
 * signs, box drawing, shapes, dingbats, the CJK symbols (but 々 〆 〇 and
 * the Hangzhou numerals), enclosed CJK, small and full-width forms, the
 * emoji and pictographs. */
static bool is_symbol(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
    if (cp >= 0x3000 && cp <= 0x303F)
        return !(cp >= 0x3005 && cp <= 0x3007) && !(cp >= 0x3021 && cp <= 0x3029) &&
               !(cp >= 0x3031 && cp <= 0x3035) && cp != 0x303B && cp != 0x303C;
    return (cp >= 0x80 && cp <= 0xBF && cp != 0xAA && cp != 0xB2 && cp != 0xB3 &&
            cp != 0xB5 && cp != 0xB9 && cp != 0xBA) ||
           cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x20A0 && cp <= 0x20CF) || (cp >= 0x2100 && cp <= 0x214F) ||
           (cp >= 0x2190 && cp <= 0x245F) || (cp >= 0x2500 && cp <= 0x2BFF) ||
           (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3200 && cp <= 0x33FF) ||
           (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
           (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
           (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFE0 && cp <= 0xFFEE) ||
           (cp >= 0x1F000 && cp <= 0x1FAFF);
}

bool pl_text_has_letter(const char *s)
{
    size_t n = strlen(s);
    char which[16];
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return true;   /* not UTF-8: the document was refused before */
        if (!pl_text_is_space(cp) && !pl_text_is_punct(cp) && !pl_text_is_mark(cp) &&
            !is_symbol(cp)) {
            char one[8];
            memcpy(one, s + i, k);
            one[k] = '\0';
            if (!pl_text_invisible(one, which))
                return true;
        }
        i += k;
    }
    return false;
}

bool pl_text_is_punct(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
               (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
    switch (cp) {
    case 0xA1: case 0xA7: case 0xA9: case 0xAB: case 0xAE: case 0xB6: case 0xB7:
    case 0xBB: case 0xBF: case 0x2122: case 0x3030: case 0x30FB: case 0xFEFF:
        return true;
    default:
        break;
    }
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2010 && cp <= 0x2027) ||
           (cp >= 0x2030 && cp <= 0x205E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x301F) ||
           (cp >= 0xFE10 && cp <= 0xFE19) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFE50 && cp <= 0xFE6B) || (cp >= 0xFF5F && cp <= 0xFF65);
}

/* Every ending is tried and the longest match kept, so the order is free. */
static const char *const legal_endings[] = {
    "\xe8\x82\xa1\xe4\xbb\xbd\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8", /* 股份有限公司 */
    "\xe6\x9c\x89\xe9\x99\x90\xe8\xb4\xa3\xe4\xbb\xbb\xe5\x85\xac\xe5\x8f\xb8", /* 有限责任公司 */
    "\xe9\x9b\x86\xe5\x9b\xa2\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8", /* 集团有限公司 */
    "\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8",                         /* 有限公司 */
    "\xe5\x85\xac\xe5\x8f\xb8",                                                 /* 公司 */
    "companylimited", "corporation", "coltd", "corp", "company", "limited", "ltd",
    "inc", "llc", "plc", "gmbh", "ag", "sa",
};

char *pl_text_name_key(const char *name)
{
    char *f = pl_text_fold(name);
    size_t n, i = 0, o = 0, best = 0, k;

    if (!f)
        return NULL;
    n = strlen(f);
    /* Removing characters never lengthens the text: compact in place. */
    while (i < n) {
        uint32_t cp = 0;
        k = pl_utf8_decode(f + i, n - i, &cp); /* f is valid: fold checked it */
        if (!k)
            break;
        if (cp == ' ' || pl_text_is_punct(cp)) {
            i += k;
            continue;
        }
        if (cp >= 'A' && cp <= 'Z')
            f[i] = (char)(cp - 'A' + 'a');
        memmove(f + o, f + i, k);
        o += k;
        i += k;
    }
    f[o] = '\0';
    for (k = 0; k < sizeof legal_endings / sizeof legal_endings[0]; k++) {
        size_t el = strlen(legal_endings[k]);
        if (el <= o && el > best && memcmp(f + o - el, legal_endings[k], el) == 0)
            best = el;
    }
    if (best == o)
        best = 0; /* the name is only an ending: keep it */
    f[o - best] = '\0';
    return f;
}
