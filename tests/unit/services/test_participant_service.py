"""Participants, typed attributes, CSV import and the quote label template, on a real study file."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.coding import Attribute, AttributeType
from desktop_app.core.errors import VerbatimError
from desktop_app.services.participants import participant_service as ps
from desktop_app.services.participants.participant_import import import_participants_csv, infer_type
from desktop_app.services.study import document_service, project_service
from desktop_app.storage.project_store import ProjectStore


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    return project_service.create_project(tmp_path / "p.verbatim")


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        (AttributeType.INTEGER, " 41 ", "41"),
        (AttributeType.DECIMAL, "3,50", "3.5"),
        (AttributeType.DATE, "2024-03-07", "2024-03-07"),
        (AttributeType.BOOLEAN, "Yes", "yes"),
        (AttributeType.BOOLEAN, "false", "no"),
        (AttributeType.TEXT, " night shifts ", "night shifts"),
    ],
)
def test_values_are_normalised_by_type(kind: AttributeType, raw: str, stored: str) -> None:
    assert ps.normalise_value(Attribute(1, "a", kind), raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw", "says"),
    [
        (AttributeType.INTEGER, "4.5", "whole number"),
        (AttributeType.DECIMAL, "many", "not a number"),
        (AttributeType.DATE, "07/03/2024", "YYYY-MM-DD"),
        (AttributeType.BOOLEAN, "maybe", "yes or no"),
    ],
)
def test_bad_values_say_what_is_expected(kind: AttributeType, raw: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        ps.normalise_value(Attribute(1, "a", kind), raw)


def test_participants_attributes_values_and_undo(store: ProjectStore) -> None:
    ps.add_attribute(store, "group", AttributeType.CATEGORY, ["Peer support worker", "Manager"])
    ps.add_attribute(store, "age", AttributeType.INTEGER)
    ps.add_participant(store, "P05")
    assert ps.set_value(store, "p05", "Group", "peer SUPPORT worker") == "Peer support worker"
    ps.set_value(store, "P05", "age", "41")
    with pytest.raises(VerbatimError, match=r"group of P05: 'Nurse' is not one of the choices \(Peer support"):
        ps.set_value(store, "P05", "group", "Nurse")
    with pytest.raises(VerbatimError, match="already exists"):
        ps.add_participant(store, "p05")
    with pytest.raises(VerbatimError, match="needs a list of choices"):
        ps.add_attribute(store, "site", AttributeType.CATEGORY)
    assert ps.find_participant(store, "P05").values == {"group": "Peer support worker", "age": "41"}
    ps.set_value(store, "P05", "age", "42")
    document_service.undo(store)
    assert ps.find_participant(store, "P05").values["age"] == "41"
    ps.set_value(store, "P05", "age", "")
    assert "age" not in ps.find_participant(store, "P05").values
    ps.remove_participant(store, "P05")
    assert ps.participants(store) == []
    document_service.undo(store)
    assert ps.find_participant(store, "P05").values == {"group": "Peer support worker"}


def test_label_template_renders_quote_labels(store: ProjectStore) -> None:
    ps.add_attribute(store, "group", AttributeType.CATEGORY, ["Peer support worker", "Manager"])
    ps.add_attribute(store, "number", AttributeType.INTEGER)
    for label, group, number in (("P05", "Peer support worker", "5"), ("M2", "Manager", "")):
        ps.add_participant(store, label)
        ps.set_value(store, label, "group", group)
        ps.set_value(store, label, "number", number)
    assert ps.quote_labels(store) == {"M2": "M2", "P05": "P05"}
    ps.set_label_template(store, "{group} {number}")
    assert ps.label_template(store) == "{group} {number}"
    assert ps.quote_labels(store) == {"M2": "M2", "P05": "Peer support worker 5"}, "a missing value falls back"
    with pytest.raises(VerbatimError, match="unknown attributes: role"):
        ps.set_label_template(store, "{role} {number}")


def test_csv_import_infers_types_and_updates(store: ProjectStore, tmp_path: Path) -> None:
    ps.add_attribute(store, "group", AttributeType.CATEGORY, ["Peer support worker", "Manager"])
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "\ufefflabel;group;age;joined;night shifts;hours;notes\n"
        "P01;Manager;52;2019-05-01;no;37,5;team lead\n"
        "P02;peer support worker;29;2022-11-15;yes;20;\n",
        encoding="utf-8",
    )
    summary = import_participants_csv(store, csv_file)
    assert (summary.participants_added, summary.participants_updated) == (2, 0)
    assert summary.attributes_added == ["age", "joined", "night shifts", "hours", "notes"]
    kinds = {a.name: a.type for a in ps.attributes(store)}
    assert kinds == {
        "group": AttributeType.CATEGORY,
        "age": AttributeType.INTEGER,
        "joined": AttributeType.DATE,
        "night shifts": AttributeType.BOOLEAN,
        "hours": AttributeType.DECIMAL,
        "notes": AttributeType.TEXT,
    }
    assert ps.find_participant(store, "P02").values == {
        "group": "Peer support worker",
        "age": "29",
        "joined": "2022-11-15",
        "night shifts": "yes",
        "hours": "20",
    }
    again = tmp_path / "again.csv"
    again.write_text("label,age\nP01,53\n", encoding="utf-8")
    assert import_participants_csv(store, again).participants_updated == 1
    assert ps.find_participant(store, "P01").values["age"] == "53"


def test_csv_import_error_names_file_row_and_column_and_writes_nothing(store: ProjectStore, tmp_path: Path) -> None:
    ps.add_attribute(store, "age", AttributeType.INTEGER)
    bad = tmp_path / "bad.csv"
    bad.write_text("label,age,site\nP01,40,North\nP02,forty,South\n", encoding="utf-8")
    with pytest.raises(VerbatimError) as caught:
        import_participants_csv(store, bad)
    assert caught.value.path == str(bad)
    assert "row 3, column 'age': 'forty' is not a whole number" in caught.value.problem
    assert ps.participants(store) == [] and [a.name for a in ps.attributes(store)] == ["age"]
    headless = tmp_path / "headless.csv"
    headless.write_text("name,age\nP01,40\n", encoding="utf-8")
    with pytest.raises(VerbatimError, match="row 1: the first column must be 'label'"):
        import_participants_csv(store, headless)


def test_infer_type_prefers_the_narrowest() -> None:
    assert infer_type(["1", "0", ""]) is AttributeType.INTEGER
    assert infer_type(["yes", "No"]) is AttributeType.BOOLEAN
    assert infer_type(["2024-01-01", "x"]) is AttributeType.TEXT
    assert infer_type([]) is AttributeType.TEXT


def test_removing_a_participant_unlinks_its_speakers_and_undo_links_them_again(tmp_path: Path) -> None:
    from desktop_app.services.transcript import edit_service
    from tests.fixtures.coding_study import make_coding_study

    built = make_coding_study(tmp_path)
    store, first = built.store, built.documents[0]
    ps.add_attribute(store, "group", AttributeType.CATEGORY, ["Peer support worker", "Manager"])
    ps.add_attribute(store, "age", AttributeType.INTEGER)
    ps.set_value(store, "Peer support worker 5", "group", "Peer support worker")
    ps.set_value(store, "Peer support worker 5", "age", "41")
    assert ps.participant_removal_impact(store, "peer support worker 5") == ps.RemovalImpact(values=2, speakers=1)
    turns = len(edit_service.load_transcript(store, first).segments)
    ps.remove_participant(store, "Peer support worker 5")
    speakers = edit_service.load_speakers(store, first)
    assert set(speakers) == {"S1", "S2"} and speakers["S2"].participant is None, "unlinked, not deleted"
    assert speakers["S2"].name == "Maria"
    assert len(edit_service.load_transcript(store, first).segments) == turns
    assert store.db.execute("SELECT COUNT(*) FROM attribute_values").fetchone()[0] == 0
    assert store.journal.history(1)[0].label == "Remove participant Peer support worker 5"
    document_service.undo(store)
    assert edit_service.load_speakers(store, first)["S2"].participant == "Peer support worker 5"
    assert ps.find_participant(store, "Peer support worker 5").values == {"group": "Peer support worker", "age": "41"}
    with pytest.raises(VerbatimError, match="has no participant 'P99'"):
        ps.participant_removal_impact(store, "P99")
    store.close()


def test_removing_an_attribute_takes_its_values_in_one_undo_step(store: ProjectStore) -> None:
    ps.add_attribute(store, "group", AttributeType.CATEGORY, ["Manager", "Nurse"])
    ps.add_attribute(store, "site", AttributeType.TEXT)
    for label, group in (("P1", "Manager"), ("P2", "Nurse"), ("P3", "")):
        ps.add_participant(store, label)
        ps.set_value(store, label, "group", group)
        ps.set_value(store, label, "site", "Lund")
    ps.set_label_template(store, "{Group} {label}")
    assert ps.attribute_removal_impact(store, "group") == ps.RemovalImpact(values=2, in_template=True)
    assert ps.attribute_removal_impact(store, "site") == ps.RemovalImpact(values=3)
    ps.remove_attribute(store, "GROUP")
    assert [a.name for a in ps.attributes(store)] == ["site"]
    assert [p.values for p in ps.participants(store)] == [{"site": "Lund"}] * 3
    assert ps.quote_labels(store)["P1"] == "P1", "the template falls back to the label"
    document_service.undo(store)
    assert [a.name for a in ps.attributes(store)] == ["group", "site"]
    assert ps.find_participant(store, "P2").values == {"group": "Nurse", "site": "Lund"}
    with pytest.raises(VerbatimError, match=r"has no attribute named 'age' \(attributes: group, site\)"):
        ps.attribute_removal_impact(store, "age")
