"""Legal time from Python: period arithmetic, schedules, events, and an independent check of the
holiday calendar against the `chinese-calendar` package (a test-only dependency)."""

import datetime
import json

import pytest

import cunwu

RULES = cunwu.Catalogue.bundled()


@pytest.mark.parametrize(
    "start, length, extension, expected",
    [
        ("2025-09-30", "+5d", None, "2025-10-09"),
        ("2026-09-30", "+5d", None, "2026-10-08"),
        ("2026-02-12", "+5d", None, "2026-02-24"),
        ("2024-12-31", "+5d", None, "2025-01-06"),
        ("2026-01-31", "+1m", None, "2026-02-28"),
        ("2025-09-30", "+5d", False, "2025-10-05"),
    ],
)
def test_the_periods_the_issue_names(start, length, extension, expected):
    assert RULES.period(start, length, extension=extension)["date"] == expected


def test_a_period_accepts_a_date_object_and_explains_itself():
    end = RULES.period(datetime.date(2026, 2, 12), "+5d")
    steps = end["explanation"]["steps"]
    assert "顺延" in steps[-1]["zh"] and "moves" in steps[-1]["en"]
    assert [d["kind"] for d in end["explanation"]["skipped"]][:3] == ["statutory_holiday"] * 3


def test_the_horizon_is_an_exception_unless_estimated():
    with pytest.raises(cunwu.CalendarError) as e:
        RULES.period("2026-12-20", "+10d")
    assert e.value.code == "CALENDAR_HORIZON"
    assert "2027" in e.value.details()[0]["message_en"]
    assert RULES.period("2026-12-20", "+10d", estimate=True)["explanation"]["estimated"] is True


def test_schedule_and_wake_up():
    s = RULES.schedule("village", 2026, today=datetime.date(2026, 4, 14), explain=False)
    assert s["next_wake_up"]["date"] == "2026-04-15"
    assert len(s["obligations"]) > 60
    assert any(r["item"] == "finance.budget" for r in s["recommendations"])


def test_unit_kind_is_checked():
    with pytest.raises(cunwu.InputError):
        RULES.schedule("town", 2026)


def test_ics_export_is_a_calendar():
    ics = RULES.schedule_ics("community", 2026, unit_name="示例社区")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VEVENT") > 50
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_event_obligation():
    o = RULES.event_obligation("finance.land-compensation", "2026-09-28")
    assert o["due"]["date"] == "2026-10-08"


def test_calendar_agrees_with_chinese_calendar_on_every_day():
    """Every day 2018-01-01..2026-12-24 classified by cunwu and by the chinese-calendar package
    must agree on work/rest. Deliberate difference: cunwu refuses 2026-12-25..31 until the 2027
    notice is in the data (a next year's notice has changed late-December days before), where
    chinese-calendar answers."""
    import chinese_calendar  # installed by the test command; required, never skipped
    days = RULES.days("2018-01-01", "2026-12-24")
    assert len(days) == (datetime.date(2026, 12, 24) - datetime.date(2018, 1, 1)).days + 1
    disagreements = []
    for day in days:
        date = datetime.date.fromisoformat(day["date"])
        ours_rest = day["kind"] in ("weekend", "statutory_holiday", "in_lieu_rest")
        theirs_rest = not chinese_calendar.is_workday(date)
        if ours_rest != theirs_rest:
            disagreements.append((day["date"], day["kind"]))
    assert disagreements == []
    with pytest.raises(cunwu.CalendarError):
        RULES.days("2026-12-25")


def test_validate_accepts_decimal_and_date_values():
    import decimal

    submission = {
        "unit": {"id": "v1", "kind": "village"},
        "item": "finance.income-expenditure",
        "period": "2026-03",
        "posting": {"date": datetime.date(2026, 4, 15)},
        "channels": ["board", "representatives_meeting", "printed_copies"],
        "payload": {
            "opening_balance": decimal.Decimal("100.10"),
            "income": [{"category": "租金", "amount": decimal.Decimal("0.20"), "counterparty": "甲",
                        "voucher": "1", "date": datetime.date(2026, 3, 2)}],
            "expenditure": [],
            "closing_balance": decimal.Decimal("100.30"),
        },
    }
    answer = cunwu.validate(submission)
    assert answer == {"ok": True, "findings": []}
    submission["payload"]["closing_balance"] = decimal.Decimal("100.3000001")
    codes = [f["code"] for f in cunwu.validate(submission)["findings"]]
    assert codes == ["VALIDATION_MONEY_FORMAT"]


def test_validate_reports_floats_instead_of_losing_cents():
    submission = {"unit": {"id": "v1", "kind": "village"}, "item": "finance.income-expenditure", "period": "2026-03",
                  "posting": {"date": "2026-04-15"}, "channels": ["board", "representatives_meeting", "printed_copies"],
                  "payload": {"opening_balance": 0.1, "income": [], "expenditure": [], "closing_balance": "0.10"}}
    findings = cunwu.validate(submission)["findings"]
    assert findings[0]["code"] == "VALIDATION_MONEY_FORMAT" and "1234.50" in findings[0]["hint_en"]


def test_mask_and_submission_schemas():
    assert cunwu.mask("13912345678") == "139****5678"
    schema = json.loads(cunwu.submission_schema("finance_statement"))
    assert "opening_balance" in schema["properties"]["payload"]["properties"]
    with pytest.raises(cunwu.InputError):
        cunwu.submission_schema("poem")
