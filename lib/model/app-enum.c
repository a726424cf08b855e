/* The enumerated fields of the application document as a Chinese
 * counter types them: the schema's value ("invention"), or its Chinese
 * term ("发明", "发明专利"), in full-width forms or any case ("ＩＮＶＥＮＴＩＯＮ",
 * "Utility Model", "utility-model").  As with the typed fields
 * (app-typed.c), the document keeps what was filed and every check reads
 * the value folded to the schema's (pl_doc_fold_enum): the schema
 * validates a folded copy, the extraction for the review and the
 * registration reads the folded text.  A value no term matches is refused
 * naming the field and listing the values in both forms. */
#include "model/app-doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#define MAX_TERMS 5

typedef struct {
    const char *value;              /* the schema's */
    const char *zh[MAX_TERMS];      /* the Chinese terms, the usual one first */
} term;

static const term party_types[] = {
    { "organisation", { "单位", "法人", "组织", "机构", "法人或其他组织" } },
    { "person", { "个人", "自然人" } },
    { "foreign", { "境外主体", "境外", "外国", "境外机构" } },
};

static const term id_types[] = {
    { "uscc", { "统一社会信用代码", "社会信用代码", "信用代码" } },
    { "resident", { "居民身份证", "身份证", "身份证号" } },
    { "passport", { "护照" } },
    { "foreign_reg", { "境外登记号", "境外注册号", "外国登记号", "境外登记证明" } },
};

static const term patent_types[] = {
    { "invention", { "发明", "发明专利" } },
    { "utility_model", { "实用新型", "实用新型专利" } },
    { "design", { "外观设计", "外观设计专利", "外观" } },
};

static const term claim_types[] = {
    { "loan", { "借款", "贷款", "借贷" } },
    { "credit_line", { "授信", "最高额授信", "授信额度", "综合授信" } },
    { "guarantee", { "担保", "保证" } },
    { "other", { "其他", "其它" } },
};

static const term clauses[] = {
    { "parties", { "当事人", "双方当事人" } },
    { "addresses", { "住所", "地址", "当事人住所" } },
    { "claim", { "被担保债权", "被担保主债权", "主债权" } },
    { "deadline", { "债务履行期限", "履行期限" } },
    { "rights", { "出质权利", "质押财产", "质物" } },
    { "scope", { "担保范围" } },
};

static const term material_kinds[] = {
    { "application_form", { "申请表", "登记申请表" } },
    { "commitment_letter", { "承诺书" } },
    { "main_contract", { "主合同" } },
    { "pledge_contract", { "质押合同", "质权合同", "质押协议" } },
    { "identity", { "身份证明", "主体资格证明" } },
    { "power_of_attorney", { "授权委托书", "委托书" } },
    { "consent", { "同意书", "同意证明" } },
    { "evaluation_report", { "评估报告", "价值评估报告" } },
    { "extension_agreement", { "展期协议", "延期协议" } },
    { "guarantee_letter", { "保函", "担保函" } },
    { "name_change_proof", { "名称变更证明", "更名证明" } },
    { "translation", { "翻译件", "译文", "译本" } },
    { "other", { "其他", "其它" } },
    { "risk_acknowledgement", { "风险告知书", "风险确认书" } },
};

static const term risk_codes[] = {
    { "invalidation_pending", { "无效宣告请求", "无效宣告中", "无效宣告" } },
    { "same_day_pair", { "同日申请", "同日申请发明和实用新型" } },
};

static const struct {
    const term *terms;
    size_t n;
    bool list;   /* a list of values separated by spaces (the clauses) */
} enums[] = {
    [PL_ENUM_PARTY_TYPE] = { party_types, sizeof party_types / sizeof party_types[0], false },
    [PL_ENUM_ID_TYPE] = { id_types, sizeof id_types / sizeof id_types[0], false },
    [PL_ENUM_PATENT_TYPE] = { patent_types, sizeof patent_types / sizeof patent_types[0], false },
    [PL_ENUM_CLAIM_TYPE] = { claim_types, sizeof claim_types / sizeof claim_types[0], false },
    [PL_ENUM_CLAUSES] = { clauses, sizeof clauses / sizeof clauses[0], true },
    [PL_ENUM_MATERIAL_KIND] = { material_kinds,
                                sizeof material_kinds / sizeof material_kinds[0], false },
    [PL_ENUM_RISK_CODE] = { risk_codes, sizeof risk_codes / sizeof risk_codes[0], false },
};

/* The schema's value of the folded word @w (@n bytes: no white space
 * around it), NULL when none matches: the value itself, '-' and ' ' for
 * '_' ("utility model"), or a Chinese term with its spaces dropped. */
static const char *match(pl_enum which, const char *w, size_t n)
{
    char ascii[64], zh[128];
    size_t a = 0, z = 0;

    if (n >= sizeof zh)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (a < sizeof ascii - 1)
            ascii[a++] = w[i] == ' ' || w[i] == '-' ? '_' : w[i];
        if (w[i] != ' ')
            zh[z++] = w[i];
    }
    ascii[a] = '\0';
    zh[z] = '\0';
    for (size_t t = 0; t < enums[which].n; t++) {
        const term *tm = &enums[which].terms[t];
        if (n < sizeof ascii && strcmp(ascii, tm->value) == 0)
            return tm->value;
        for (size_t k = 0; k < MAX_TERMS && tm->zh[k]; k++)
            if (strcmp(zh, tm->zh[k]) == 0)
                return tm->value;
    }
    return NULL;
}

/* Whether a list's values part at @s: a space, ',' ';' (full-width ones
 * are folded to these), '、'; its length in bytes, or 0. */
static size_t separator(const char *s)
{
    if (*s == ' ' || *s == ',' || *s == ';')
        return 1;
    return strncmp(s, "\xe3\x80\x81", 3) == 0 ? 3 : 0;
}

char *pl_doc_fold_enum(const char *s, pl_enum which, bool *ok)
{
    /* full-width forms to ASCII, white space to ' ', A-Z to a-z */
    char *f = pl_doc_fold_value(s, PL_FOLD_FLAG), *out;
    size_t n, o = 0;

    *ok = true;
    if (!f)
        return NULL;
    n = strlen(f);
    if (!(out = malloc(n + 32)))   /* a value is longer than no term: room enough */
        goto oom;
    if (!enums[which].list) {
        size_t b = 0, e = n;
        while (b < e && f[b] == ' ')
            b++;
        while (e > b && f[e - 1] == ' ')
            e--;
        const char *v = match(which, f + b, e - b);
        if (!v) {
            *ok = false;
            snprintf(out, n + 32, "%s", s);
        } else {
            snprintf(out, n + 32, "%s", v);
        }
        free(f);
        return out;
    }
    out[0] = '\0';
    for (size_t i = 0; i < n;) {
        size_t k, j = i;
        if ((k = separator(f + i))) {
            i += k;
            continue;
        }
        while (j < n && !separator(f + j))
            j++;
        const char *v = match(which, f + i, j - i);
        size_t vn = v ? strlen(v) : j - i;
        char *grown = realloc(out, o + vn + 2);
        if (!grown)
            goto oom;
        out = grown;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, v ? v : f + i, vn);
        o += vn;
        out[o] = '\0';
        *ok = *ok && v;
        i = j;
    }
    free(f);
    return out;
oom:
    free(f);
    free(out);
    return NULL;
}

char *pl_doc_enum_choices(pl_enum which)
{
    size_t len = 1;
    char *out;

    for (size_t t = 0; t < enums[which].n; t++)
        len += strlen(enums[which].terms[t].value) + strlen(enums[which].terms[t].zh[0]) + 6;
    if (!(out = malloc(len)))
        return NULL;
    out[0] = '\0';
    for (size_t t = 0, o = 0; t < enums[which].n; t++)
        o += (size_t)snprintf(out + o, len - o, "%s%s (%s)", t ? ", " : "",
                              enums[which].terms[t].value, enums[which].terms[t].zh[0]);
    return out;
}
