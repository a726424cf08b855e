"""Land and sea-area rights pledged by area, through the bindings: the
area in the application (亩, 公顷, 平方米 ...) is compared with the area the
reference register records for the certificate in its own unit, after
conversion (1 亩 = 10000/15 m², 1 公顷 = 10,000 m²); larger gives the
blocking RL_AREA_EXCEEDS naming both areas, an unknown unit
RL_AREA_UNIT_UNKNOWN naming area/@unit (docs/domain.md §4.8)."""
from __future__ import annotations

import pytest

import pledger
from pledger import Kind, Role

from conftest import sample

#: (kind, register's area and unit, application's area and unit, exceeds)
CASES = [
    (Kind.LAND, "18.5", "亩", "12333.33", "平方米", False),
    (Kind.LAND, "18.5", "亩", "12333.34", "平方米", True),
    (Kind.LAND, "12333.33", "m2", "18.5", "mu", False),
    (Kind.LAND, "12333.33", "m2", "18.51", "亩", True),
    (Kind.LAND, "1.2", "公顷", "18", "亩", False),
    (Kind.LAND, "1.2", "公顷", "18.01", "亩", True),
    (Kind.SEA_AREA, "36.42", "ha", "364200", "㎡", False),
    (Kind.SEA_AREA, "36.42", "ha", "364201", "㎡", True),
    (Kind.SEA_AREA, "546.3", "亩", "36.42", "公顷", False),
    (Kind.SEA_AREA, "546.3", "亩", "36.43", "公顷", True),
    (Kind.SEA_AREA, "0.3642", "km2", "36.42", "ha", False),
    (Kind.SEA_AREA, "0.3642", "km2", "36.4201", "ha", True),
]
NUMBERS = {Kind.LAND: "J110118201800123", Kind.SEA_AREA: "国海证2019B35010200123"}
OWNERS = {Kind.LAND: '<owner name="王芳" id_type="resident" id="11010519491231002X"/>',
          Kind.SEA_AREA: '<owner name="福建闽江食品有限公司" id_type="uscc" '
                         'id="91350100M000100Y43"/>'}
TERMS = {Kind.LAND: 'valid_from="2018-01-01" valid_to="2047-12-31"',
         Kind.SEA_AREA: 'valid_from="2019-08-01" valid_to="2034-07-31"'}


def certificate(kind: Kind, area: str, unit: str) -> bytes:
    tag = kind.api_name
    return (f'<register xmlns="urn:pledger:1"><{tag} number="{NUMBERS[kind]}" '
            f'status="registered" {TERMS[kind]} area="{area}" area_unit="{unit}">'
            f'{OWNERS[kind]}</{tag}></register>').encode()


@pytest.mark.parametrize("kind,r_area,r_unit,a_area,a_unit,exceeds", CASES)
def test_area_compared_in_one_unit(reg: pledger.Registry, kind: Kind, r_area: str,
                                   r_unit: str, a_area: str, a_unit: str,
                                   exceeds: bool) -> None:
    reg.set_actor("registrar-1", Role.REGISTRAR)
    report = reg.register_import(certificate(kind, r_area, r_unit))
    assert report.rejected == 0, report.rejections
    with sample(kind) as app:
        app.set("rights/right[1]/area", a_area)
        app.set("rights/right[1]/area/@unit", a_unit)
        found = [f for f in reg.check(app) if f.code == "RL_AREA_EXCEEDS"]
    assert bool(found) == exceeds, [f.message for f in found]
    if exceeds:
        assert found[0].path == "rights/right[1]/area"
        assert found[0].severity == pledger.Severity.BLOCKING
        assert f"{a_area} {a_unit}" in found[0].message and NUMBERS[kind] in found[0].message


def test_unknown_units(reg: pledger.Registry) -> None:
    reg.set_actor("registrar-1", Role.REGISTRAR)
    with sample(Kind.LAND) as app:
        app.set("rights/right[1]/area/@unit", "acre")
        found = [f for f in reg.check(app) if f.code == "RL_AREA_UNIT_UNKNOWN"]
    assert [f.path for f in found] == ["rights/right[1]/area/@unit"]
    assert "'acre'" in found[0].message and "mu (亩)" in found[0].message
    report = reg.register_import(certificate(Kind.LAND, "3", "acre"))
    assert report.rejected == 1
    assert "area_unit 'acre' is not a unit of area" in report.rejections[0].message
