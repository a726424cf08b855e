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
