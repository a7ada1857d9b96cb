"""The exceptions of cunwu: one base class, one subclass per area of the core.

Every exception carries the stable ``code`` of its first error and ``details()``, the list of
diagnostics (each a dict with ``code``, ``severity``, ``message_zh``, ``message_en``,
``location`` and, where known, hints).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List


class CunwuError(Exception):
    """Base of every cunwu error.

    >>> import cunwu
    >>> try:
    ...     cunwu.Catalogue.bundled().resolve("2026-02-30")
    ... except cunwu.CunwuError as e:
    ...     print(e.code, e.details()[0]["location"]["pointer"])
    INPUT_INVALID_DATE /as_of
    """

    def __init__(self, message: str, code: str, details_json: str = "[]") -> None:
        super().__init__(message)
        self.code: str = code
        self._details: List[Dict[str, Any]] = json.loads(details_json)

    def details(self) -> List[Dict[str, Any]]:
        """The diagnostics behind the error, as JSON-compatible dicts."""
        return [dict(d) for d in self._details]


class RulesError(CunwuError):
    """Rule files have errors; ``details()`` lists every one, with file, line and column."""


class CatalogueError(CunwuError):
    """The catalogue could not be resolved (no rules in force on the date, unknown district)."""


class InputError(CunwuError):
    """A request cannot be understood (a bad date, a missing field)."""


class CalendarError(CunwuError):
    """The holiday calendar cannot answer: a date beyond the official data (``CALENDAR_HORIZON``)."""


class ProcedureError(CunwuError):
    """A guard of the disclosure procedure rejected an event (a skipped step, the wrong role, an
    incomplete plan, a date going backwards); nothing was applied."""


class ObjectionError(CunwuError):
    """A guard of the objection ladder rejected an event (the wrong role, escalating above the
    district or before a reply is late, an unwritten reply that must be written)."""


class LogError(CunwuError):
    """An event log is broken, tampered with or unreadable; ``details()[0]["location"]["pointer"]``
    names the entry (``/3``)."""


class ComplianceError(CunwuError):
    """A compliance assessment cannot be made (no scoring scheme in force on the date). Bad
    record rows are not raised: they are listed in ``report.problems``."""


class InternalError(CunwuError):
    """A bug inside cunwu (a Rust panic caught at the boundary); please report it. Never a
    ``BaseException`` that would escape ``except Exception``."""


#: The Python class for each area of error codes returned by ``cunwu.error_codes()``.
AREA_CLASSES = {
    "rules": RulesError,
    "catalogue": CatalogueError,
    "input": InputError,
    "calendar": CalendarError,
    # Schedule codes are warnings attached to undated dates inside a schedule; never raised.
    "schedule": CunwuError,
    "procedure": ProcedureError,
    "log": LogError,
    "objection": ObjectionError,
    # Validation codes are findings returned by cunwu.validate; never raised.
    "validation": CunwuError,
    # Compliance codes are record problems listed in a report, except COMPLIANCE_NO_SCHEME.
    "compliance": ComplianceError,
    "internal": InternalError,
}
