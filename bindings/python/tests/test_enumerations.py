"""Enumerated fields through the bindings: a Chinese acceptance point
types 实用新型, 授信, 单位, 申请表 ... and the registry reads the schema's
value (the review speaks of a utility model patent), keeping the document
as filed; a word no value matches is refused naming the field and listing
the values in both forms (docs/domain.md)."""
from __future__ import annotations

import pytest

import pledger
from pledger import Kind, Role

from conftest import sample

AS_TYPED = {
    "rights/right[1]/patent_type": "实用新型",
    "claim/type": "ＣＲＥＤＩＴ ＬＩＮＥ",
    "pledgor/@type": "单位",
    "pledgor/id/@type": "统一社会信用代码",
    "contract/clauses": "当事人、住所、被担保债权、债务履行期限、出质权利、担保范围",
    "materials/material[1]/@kind": "申请表",
    "acknowledgements/risk[1]/@code": "无效宣告请求",
}


def test_chinese_terms_are_read_as_the_values(reg: pledger.Registry) -> None:
    with sample(Kind.PATENT) as app:
        for path, value in AS_TYPED.items():
            app.set(path, value)
        for path, value in AS_TYPED.items():
            assert app.get(path) == value          # kept as filed
        reg.set_actor("applicant-1", Role.APPLICANT)
        uuid = reg.save(app)
    findings = {f.code: f.message for f in reg.review(uuid)}
    # the term of a utility model (10 years) ends before the debt is due
    assert "utility model patent" in findings.get("PT_TERM_BEFORE_DEBT", ""), findings
    # nothing the Chinese terms would have tripped as missing or unknown
    assert not [c for c in findings if "CLAUSE" in c or "MATERIAL" in c or "TYPE" in c], findings


@pytest.mark.parametrize("path,first", [
    ("rights/right[1]/patent_type", "invention (发明), utility_model (实用新型)"),
    ("claim/type", "loan (借款), credit_line (授信)"),
    ("pledgor/@type", "organisation (单位), person (个人)"),
    ("materials/material[1]/@kind", "application_form (申请表), commitment_letter (承诺书)"),
])
def test_unknown_words_list_both_forms(path: str, first: str) -> None:
    with sample(Kind.PATENT) as app:
        before = app.to_xml()
        with pytest.raises(pledger.InvalidDocument) as e:
            app.set(path, "发明创造")
        assert f"{path}: '发明创造' is not one of {first}" in str(e.value)
        assert app.to_xml() == before
