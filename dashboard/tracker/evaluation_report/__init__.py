"""The evaluation report of a programme « au » a date, written from the record: an
editable DOCX and the same as PDF (``build`` makes the model, ``docx`` and ``pdf``
render it, ``figures`` draws its charts as images, ``stored`` keeps the validated
version)."""

from dashboard.tracker.evaluation_report.build import build
from dashboard.tracker.evaluation_report.model import Report

__all__ = ["Report", "build"]
