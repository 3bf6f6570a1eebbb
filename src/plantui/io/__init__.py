"""The plan in and out of files: plan documents (JSON, `plan_json/`), spreadsheets (CSV/XLSX,
`spreadsheets/`) and the board report (Markdown/HTML, `reports/`)."""
