"""Shared UI: cached reads, French formats for widgets, plotly figures."""
