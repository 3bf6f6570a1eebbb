"""Plan documents (JSON), tables (CSV/XLSX) and reports (Markdown/HTML): the plan in and out of files."""
