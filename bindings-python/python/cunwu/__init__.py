"""cunwu — 村(居)务公开 rules as code, for the city community information system.

Load the rules (bundled, or a directory of rule files), resolve the disclosure catalogue in
force on a date for a district, see what changed between two dates, lint rule files; compute
schedules and deadlines, run disclosure cases and objections, validate submissions, and assess
a whole city's compliance (``Catalogue.assess``).

>>> import cunwu
>>> rules = cunwu.Catalogue.bundled()
>>> cat = rules.resolve("2026-01-01")
>>> len(cat) >= 30 and len(cat.advisory) >= 20
True
>>> cat.parameter("filing.deadline_days")["value"]
5
"""

from ._cunwu import (
    AssessmentBatch,
    Catalogue,
    CatalogueChanges,
    ComplianceReport,
    DiagnosticInfo,
    DisclosureCase,
    EffectiveCatalogue,
    Objection,
    UnitAssessment,
    error_codes,
    labels,
    mask,
    procedure_diagram,
    submission_schema,
    validate,
)
from ._errors import (
    CalendarError,
    CatalogueError,
    ComplianceError,
    CunwuError,
    InputError,
    InternalError,
    LogError,
    ObjectionError,
    ProcedureError,
    RulesError,
)

__all__ = [
    "AssessmentBatch",
    "CalendarError",
    "Catalogue",
    "CatalogueChanges",
    "CatalogueError",
    "ComplianceError",
    "ComplianceReport",
    "CunwuError",
    "DiagnosticInfo",
    "DisclosureCase",
    "EffectiveCatalogue",
    "InputError",
    "InternalError",
    "LogError",
    "Objection",
    "ObjectionError",
    "ProcedureError",
    "RulesError",
    "UnitAssessment",
    "error_codes",
    "labels",
    "mask",
    "procedure_diagram",
    "submission_schema",
    "validate",
]
