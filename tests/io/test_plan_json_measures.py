"""The plan JSON format, version 2: measures, their links and every value (corrections included)
are written and read back exactly; version 1 files still read; a bad measure names its field."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from plantui.domain.document import MeasureChangeDoc, MeasureDoc, MeasureValueDoc
from plantui.domain.errors import InputError
from plantui.io.plan_json import dumps_plan, parse_plan, read_plan_file
from tests.conftest import mini_plan


def measured():
    plan = mini_plan(markup=True)
    plan.measures = [
        MeasureDoc(
            ref="M1",
            name="Re-referrals [within] 12 months",
            unit="%",
            direction="lower",
            target=22.0,
            tolerance=2.5,
            owner="Head of Front Door",
            objectives=["1.1.1"],
            actions=["1.1.1.2"],
            findings=[1],
            values=[
                MeasureValueDoc("2022-10", 24.0, datetime(2022, 11, 2, 9), "Ann"),
                MeasureValueDoc("2022-10", 23.1, datetime(2022, 11, 9, 9), "Ben", "corrected"),
            ],
            changes=[MeasureChangeDoc(datetime(2022, 10, 1, 9), "Ann", "target", None, "22")],
        ),
        MeasureDoc(ref="KPI-2", name="Visits on time", frequency="quarterly"),
    ]
    return plan


def test_a_plan_with_measures_is_version_2_and_reads_back_to_the_same_bytes(tmp_path) -> None:
    text = dumps_plan(measured())
    data = json.loads(text)
    assert data["format"] == "plantui-plan/2"
    assert [v["value"] for v in data["measures"][0]["values"]] == [24.0, 23.1]
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    again = read_plan_file(path)
    assert again.measures == measured().measures
    assert dumps_plan(again) == text


def test_a_plan_without_measures_is_still_version_1_and_version_1_files_read() -> None:
    text = dumps_plan(mini_plan())
    assert json.loads(text)["format"] == "plantui-plan/1" and '"measures"' not in text
    assert parse_plan(json.loads(text)).measures == []


def test_whole_numbers_in_a_hand_written_file_read_as_numbers() -> None:
    data = json.loads(dumps_plan(measured()))
    data["measures"][0]["target"] = 22
    data["measures"][0]["values"][0]["value"] = 24
    assert parse_plan(data).measures[0].target == 22.0


def m0(data: dict) -> dict:
    return data["measures"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="plantui-plan/1"), "measures: measures need format 'plantui-plan/2'"),
        (lambda d: m0(d).update(ref="12"), "measures\\[0\\]: ref: '12' is not a measure ref"),
        (lambda d: m0(d).update(direction="up"), "measure M1: direction: expected one of higher, lower"),
        (lambda d: m0(d).update(frequency="weekly"), "measure M1: frequency"),
        (lambda d: m0(d).update(target="80%"), "measure M1: target: expected a number, found text"),
        (lambda d: m0(d).update(tolerance=-1), "measure M1: tolerance: a tolerance cannot be negative"),
        (lambda d: m0(d).update(actions=["M1"]), "measure M1: actions: each entry must be a plan ref"),
        (lambda d: m0(d).update(findings=[7]), "measure M1: findings: each entry must be the index"),
        (
            lambda d: m0(d)["values"][0].update(period="Oct-22"),
            "values\\[0\\]: period: 'Oct-22' is not a period",
        ),
        (lambda d: m0(d)["values"][0].pop("value"), "values\\[0\\]: 'value' is missing"),
        (lambda d: m0(d)["values"][0].update(value=True), "values\\[0\\]: value: expected a number"),
        (lambda d: m0(d)["changes"][0].update(to=22), "changes\\[0\\]: to: expected text or null"),
    ],
)
def test_a_bad_measure_names_its_field(mutate, message: str) -> None:
    data = json.loads(dumps_plan(measured()))
    mutate(data)
    with pytest.raises(InputError, match=message):
        parse_plan(data, "plan.json")


def test_a_value_too_large_for_a_number_is_refused_by_place(tmp_path) -> None:
    text = dumps_plan(measured()).replace('"value": 24.0', '"value": 1e999', 1)
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="measures\\[0\\].values\\[0\\].value: the number 1e999"):
        read_plan_file(path)
