/* UTF-8 text helpers: validation, folding of full-width forms and white
 * space, identifier normalisation and the search key of party names.
 *
 * "White space" below is the Unicode White_Space property: U+0009..U+000D,
 * U+0020, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
 * U+205F and U+3000 (the ideographic space). */
#ifndef PL_BASE_TEXT_H
#define PL_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the @n bytes at @s are strict UTF-8: shortest form only, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF.  A NUL byte is
 * U+0000 and so valid; callers that take C strings pass strlen(). */
bool pl_utf8_valid(const char *s, size_t n);

/* Decode one code point of the valid UTF-8 at @s (at most @n bytes);
 * returns its length in bytes (1..4) and stores it in *cp, or 0 when the
 * bytes there are not strict UTF-8. */
size_t pl_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Encode @cp (at most U+10FFFF, not a surrogate) at @out; returns its
 * length in bytes (1..4). */
size_t pl_utf8_encode(uint32_t cp, char *out);

/* How many of the @n bytes at @s (UTF-8) to keep to keep at most @max,
 * cut at a character boundary. */
size_t pl_utf8_prefix(const char *s, size_t n, size_t max);

/* @s quoted for a message: at most PL_EXCERPT_MAX bytes of it, cut at a
 * character boundary, and "..." when cut. */
#define PL_EXCERPT_MAX 40
void pl_text_excerpt(char out[PL_EXCERPT_MAX + 8], const char *s);

/* True when @cp is white space (the list above). */
bool pl_text_is_space(uint32_t cp);

/* True when @cp is punctuation as pl_text_name_key() removes it (the list
 * there). */
bool pl_text_is_punct(uint32_t cp);

/* True when @s holds a character that shows nothing but changes the text
 * a search compares (format characters, bidirectional controls, fillers,
 * variation selectors, the soft hyphen: the list in text.c), written as
 * U+XXXX into @out; false when there is none (or @s is not UTF-8).  The
 * review's PARTY_NAME_INVISIBLE and the change of a name both use it. */
bool pl_text_invisible(const char *s, char out[16]);

/* Whether @s (UTF-8) holds a character no text given to the registry may
 * carry: a C0 control (U+0000..U+001F), DEL, a C1 control
 * (U+0080..U+009F), the line and paragraph separators U+2028 and U+2029,
 * a bidirectional mark, embedding, override or isolate (U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069), or the noncharacters U+FFFE
 * and U+FFFF.  @how: PL_TEXT_LINE, one line: none of them;
 * PL_TEXT_TRIMMED, one line its reader drops the white space around (an
 * identifier, a search's filter, a document's field): a tab or a line end
 * around it, as pasted from a table's cell, not inside; PL_TEXT_LINES, a
 * multi-line free text: a tab, a line feed and a carriage return that a
 * line feed follows (CRLF) anywhere.  When it
 * does, *@cp is the first such character and *@at its position in
 * characters (1 for the first); bytes that are not UTF-8 end the search
 * (the caller refuses them as such).  Every text parameter of the public
 * API and every text of an application is checked with it. */
typedef enum pl_text_lines { PL_TEXT_LINE, PL_TEXT_TRIMMED, PL_TEXT_LINES } pl_text_lines;
bool pl_text_control(const char *s, pl_text_lines how, uint32_t *cp, size_t *at);

/* True when @cp is a combining mark (Unicode categories Mn, Mc, Me) of
 * the scripts names are written in (the list in text.c). */
bool pl_text_is_mark(uint32_t cp);

/* True when a combining mark of @s has no character to sit on: it begins
 * @s or follows white space ("\u0301", "Jos\u0301"'s mark is attached);
 * written as U+XXXX into @out.  The review's PARTY_NAME_INVISIBLE and the
 * change of a name both use it. */
bool pl_text_mark_unattached(const char *s, char out[16]);

/* True when @s holds a letter or a digit of any script: a character that
 * is not white space, punctuation, a symbol (currency, arrows, shapes,
 * emoji ...), a combining mark or a character that shows nothing.  The
 * review's PARTY_NAME_NO_LETTER and the change of a name both use it. */
bool pl_text_has_letter(const char *s);

/* A malloc'd copy of @s with the full-width ASCII forms U+FF01..U+FF5E
 * turned into U+0021..U+007E, every white space character into ' ',
 * leading and trailing white space removed and each run of white space
 * collapsed to one space.  NULL when @s is NULL or not valid UTF-8, or on
 * out of memory.  The result is never longer than @s. */
char *pl_text_fold(const char *s);

/* pl_text_fold(), then every space removed and ASCII a-z upper-cased:
 * " ｚｌ 2013 1069 9744.2 " -> "ZL201310699744.2".  NULL as pl_text_fold. */
char *pl_text_normalize_id(const char *s);

/* pl_text_normalize_id() for a reference people type and paste rather
 * than one of pl_ident's identifiers (a contract number, a registration
 * number): besides, the characters pasted along that show nothing (the
 * soft hyphen, U+200B..U+200D, U+2060, U+FEFF) are dropped and every
 * dash (U+2010..U+2015, U+2212, U+FE58, U+FE63) becomes '-', as
 * pl_ident_normalize() does for its types: "ht－2026−002" and
 * "HT-2026-002" are one reference.  NULL as pl_text_fold. */
char *pl_text_normalize_ref(const char *s);

/* The key under which a party name is stored and searched: pl_text_fold(),
 * ASCII lower-case, then punctuation and spaces removed, then at most ONE
 * trailing legal-form ending removed: the longest that matches, unless
 * nothing would remain (then the key keeps it).
 *
 * Punctuation removed: ASCII punctuation !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
 * (full-width forms included, being folded first), U+00A1 ¡ U+00A7 §
 * U+00A9 © U+00AB « U+00AE ® U+00B6 ¶ U+00B7 · U+00BB » U+00BF ¿,
 * U+2010..U+2027 and U+2030..U+205E (dashes, quotes, …, ‰, ※), U+2122 ™,
 * the CJK punctuation U+3001..U+3003 、。〃 and U+3008..U+301F 〈〉《》「」
 * 『』【】〔〕〖〗〘〙〚〛〜〝〞〟, U+3030 〰, U+30FB ・, the CJK
 * compatibility and small forms U+FE10..U+FE19, U+FE30..U+FE4F,
 * U+FE50..U+FE6B, U+FF5F..U+FF65; also the invisible format characters
 * U+200B..U+200F, U+2060..U+2064 and U+FEFF.
 *
 * Legal-form endings (the longest one that matches is removed):
 *   股份有限公司 有限责任公司 集团有限公司 有限公司 公司
 *   companylimited corporation coltd corp company limited ltd inc llc plc
 *   gmbh ag sa
 * So "深圳市华星光电有限公司" and "深圳市华星光电股份有限公司" both give
 * "深圳市华星光电"; "ACME Co., Ltd." and "acme inc" both give "acme"; "公司"
 * and "有限公司" alone stay as they are.  NULL when @name is NULL or not
 * valid UTF-8, or on out of memory. */
char *pl_text_name_key(const char *name);

/* The similar-name key of a party name (base/names.c), under which the
 * name index (store/schema-names.c) finds a company however its name is
 * written: pl_text_fold(), traditional characters made simplified (a
 * built-in table of those used in company names), ASCII lower-case,
 * punctuation and spaces removed, then
 *   - brackets holding a place, 中国 or 集团 removed with what they hold
 *     ("闽江食品（福建）有限公司"), other brackets only themselves;
 *   - a branch's suffix (分公司 分厂 分店 分行 支行 分部 营业部 办事处 分所
 *     branch) and what follows its head office's name ("…有限公司福州分公司")
 *     removed, *branch set;
 *   - the legal form at the end (股份有限公司 有限责任公司 有限公司 股份公司
 *     公司 and the English ones of pl_text_name_key), then 集团;
 *   - in front, up to three places -- a province (福建, 福建省; pinyin
 *     too), a city (福州, 福州市), or two characters and 市/县/区 -- as long
 *     as 3 characters remain.
 * "福建省闽江食品有限公司", "福建闽江食品有限责任公司", "閩江食品有限公司",
 * "福州市闽江食品（集团）股份有限公司" all give "闽江食品";
 * "福建省闽江食品有限公司福州分公司" too, with *branch set.  The key may be
 * empty.  NULL when @name is NULL or not valid UTF-8, or on out of
 * memory.  @branch may be NULL. */
char *pl_text_name_core(const char *name, bool *branch);

/* The key under which registered English names compare (base/names.c):
 * pl_text_fold(), ASCII lower-case, the legal-form words at the end taken
 * off as whole words, as often as they come (co, company, corp,
 * corporation, inc, incorporated, ltd, limited, llc, plc, group), then
 * pl_text_name_core() of what is left (punctuation and spaces, brackets
 * holding a place, places in front).  "Fujian Minjiang Food Co., Ltd.",
 * "FUJIAN MINJIANG FOOD CO LTD", "Minjiang Food Company Limited" and
 * "Fujian Minjiang Food Co." all give "minjiangfood"; "Texaco" keeps its
 * "co".  The key is stored (ref_owner.name_en_key, ref_holding
 * .shareholder_en_key): changing it makes stored English names
 * unfindable until they are imported again.  May be empty.  NULL when
 * @name is NULL or not valid UTF-8, or on out of memory. */
char *pl_text_english_key(const char *name);

#endif
