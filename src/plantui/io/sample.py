"""The bundled sample: Sefton's Children's Services Improvement Plan, Phase 1."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from plantui.domain.document import PlanDocument
from plantui.io.plan_json import read_plan_file

SAMPLE_NAME = "sefton-phase1.json"


def sample_path() -> Path:
    """Inside an installed wheel the file is package data; in a source checkout it is data/."""
    packaged = files("plantui") / "sample" / SAMPLE_NAME
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data" / SAMPLE_NAME


def load_sample() -> PlanDocument:
    return read_plan_file(sample_path())
