"""Run reports: JUnit XML, Cucumber JSON, summary.json, the living-documentation page, comparison.

The pytest plugin is ``cscsuite.reporting.plugin``; see ``docs/reports.md`` for the file formats.
"""
