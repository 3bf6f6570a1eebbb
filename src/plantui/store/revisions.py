"""The schema revisions this plantui knows, without importing SQLAlchemy or Alembic.

The newest revision is the one in plantui/store/migrations/versions; a test keeps the two in step.
"""

from __future__ import annotations

HEAD_REVISION = "0010"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
