"""Spreadsheets (CSV and XLSX) in and out of a plan: the action table's rows as files others open.

`importer.read_table` turns a sheet into a plan: `sheets` reads one sheet within limits, `columns`
finds the columns by their headers, `rows` reads the rows under them and `findings` any Findings
sheet. `exporter` writes the plan as CSV or a styled workbook, and `cells` keeps cell text exact
through a spreadsheet (escapes and the formula guard).

Nothing is imported here: the importer and exporter pull in the store and the XML reader, and the
command line loads them only for the commands that need them. Import the module you use.
"""
