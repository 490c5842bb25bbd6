"""The whole transformers models the tests compile (tests/fixtures/models, written by
tests/fixtures/export_models.py): their files, and which of them have static shapes."""

from pathlib import Path

MODELS_DIR = Path(__file__).parent / "fixtures" / "models"
MODELS = sorted(p.stem for p in MODELS_DIR.glob("*.mlir"))
DYNAMIC = {"llama_dynamic"}  # a prompt of run-time length (issue 29's ground)
STATIC = [m for m in MODELS if m not in DYNAMIC]


def model(name: str) -> Path:
    return MODELS_DIR / f"{name}.mlir"
