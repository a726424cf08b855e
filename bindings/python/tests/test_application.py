"""Application documents through Python: fields by path, XML round trip,
materials, handles as context managers."""
from __future__ import annotations

import hashlib

import pytest

import pledger
from pledger import AppState, Kind
from conftest import sample, sample_path


def test_new_and_fields() -> None:
    with pledger.Application(Kind.PATENT) as app:
        assert app.kind == Kind.PATENT and app.uuid is None and app.state == AppState.DRAFT
        assert app.acceptance_number is None and app.registration_number is None
        app["pledgor/name"] = "福建闽江食品有限公司"
        assert app["pledgor/name"] == "福建闽江食品有限公司"
        assert "pledgor/name" in app and "pledgee/name" not in app
        assert app.get("pledgee/name") is None
        assert app.get("pledgee/name", "none") == "none"
        with pytest.raises(pledger.NotFound):
            app["pledgee/name"]
        del app["pledgor/name"]
        assert app.get("pledgor/name") is None
    assert app.closed
    with pytest.raises(pledger.InvalidArgument):
        app.to_xml()
    assert pledger.Application("land").kind == Kind.LAND


def test_bad_kind_and_paths() -> None:
    with pytest.raises(pledger.InvalidArgument) as e:
        pledger.Application(8)
    assert "kind" in e.value.message
    with pytest.raises(ValueError):
        pledger.Application("car")
    app = sample(Kind.TRADEMARK)
    with pytest.raises(pledger.InvalidArgument):
        app.get("pledgor//name[")
    with pytest.raises(ValueError):
        app.set("pledgor/name", "a\0b")
    with pytest.raises(TypeError):
        app.set(b"pledgor/name", "x")  # type: ignore[arg-type]


def test_xml_round_trip_and_counts() -> None:
    app = sample(Kind.TRADEMARK)
    assert app.kind == Kind.TRADEMARK
    assert app.count("rights/right") == 2
    assert app["rights/right[2]/mark"] == "MINJIANG"
    assert app["pledgor/id/@type"] == "uscc"
    xml = app.to_xml()
    assert isinstance(xml, str) and "福建闽江食品有限公司" in xml
    again = pledger.Application.from_xml(xml)
    assert again.to_xml() == xml
    assert pledger.Application.from_xml(xml.encode("utf-8")).count("rights/right") == 2


def test_invalid_documents_name_the_line() -> None:
    with pytest.raises(pledger.InvalidDocument) as e:
        pledger.Application.from_xml("<a>")
    assert "line 1" in e.value.message
    assert e.value.code == pledger.ErrorCode.EXML
    text = sample_path(Kind.LAND).read_text(encoding="utf-8")
    with pytest.raises(pledger.InvalidDocument):
        pledger.Application.from_xml(text.replace("<claim>", "<claim><bogus/>", 1))


def test_materials() -> None:
    app = sample(Kind.PATENT)
    n = app.count("materials/material")
    data = b"%PDF-1.7 power of attorney"
    app.add_material("power_of_attorney", "委托书.pdf", data)
    assert app.count("materials/material") == n + 1
    i = n + 1
    assert app[f"materials/material[{i}]/file_name"] == "委托书.pdf"
    assert app[f"materials/material[{i}]/size"] == str(len(data))
    assert app[f"materials/material[{i}]/sha256"] == hashlib.sha256(data).hexdigest()
    with pytest.raises((pledger.InvalidArgument, pledger.InvalidDocument)):
        app.add_material("no_such_kind", "x.pdf", data)


def test_repr() -> None:
    app = sample(Kind.SEA_AREA)
    assert repr(app) == "<pledger.Application sea_area (unsaved) draft>"
    app.close()
    app.close()  # twice is fine
    assert repr(app) == "<pledger.Application closed>"


def test_from_file_failures_are_pledger_errors_naming_the_file(tmp_path) -> None:
    """A missing file, a directory, a document refused: a pledger.Error
    whose message begins with the file's name (Python's own
    FileNotFoundError and IsADirectoryError were raised, no pledger.Error,
    and a refused document did not say which file)."""
    import pytest
    missing, folder, empty = tmp_path / "missing.xml", tmp_path / "d", tmp_path / "e.xml"
    folder.mkdir()
    empty.write_bytes(b"")
    for path, cls in ((missing, pledger.NotFound), (folder, pledger.IOFailure),
                      (empty, pledger.InvalidDocument)):
        with pytest.raises(cls) as e:
            pledger.Application.from_file(str(path))
        assert type(e.value) is cls and e.value.message.startswith(f"{path}: "), e.value
