"""The clinical safety case stays honest: every hazard names a test, and every named test exists."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "clinical-safety.md"
TEST_REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def hazard_rows() -> list[list[str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if re.fullmatch(r"H\d+", cells[0]):
            rows.append(cells)
    return rows


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def test_the_hazard_log_covers_the_hazards_the_specification_names():
    log = " ".join(" ".join(row) for row in hazard_rows()).lower()
    for hazard in ("under-triage of withdrawal", "closed line", "stale", "misread", "time zone"):
        assert hazard in log, hazard


def test_the_hazard_log_covers_the_hazards_the_clinical_review_found_missing():
    # Issue 10, "Hazard log"; issue 13, "Done when".
    log = " ".join(" ".join(row[:4]) for row in hazard_rows()).lower()
    for hazard in (
        "past its review date",
        "another hospital",
        "missed or late refill",
        "mri scan",
        "confused patient",
        "carer",
        "reassurance when nothing is ticked",
        "under-triage of reduced consciousness",
        "two pages give different advice",
        "wrong rules or contact data reach patients",
        "wound infection",
    ):
        assert hazard in log, hazard


def test_residual_risk_is_pending_clinical_sign_off_until_a_named_clinician_signs():
    doc = DOC.read_text(encoding="utf-8")
    signed = re.search(r"\| Clinical sign-off \| Signed by (?P<name>[A-Z][\w .'-]+), ", doc)
    header = next(line for line in doc.splitlines() if line.startswith("| ID | Hazard |"))
    assert header.rstrip().endswith("| Residual risk |")
    for row in hazard_rows():
        if not signed:
            assert row[6] == "Pending clinical sign-off", row[0]
        else:
            assert re.fullmatch(r"\d+x\d+=\d+", row[6]), row[0]


def test_every_hazard_has_a_cause_a_mitigation_and_a_test():
    rows = hazard_rows()
    assert len(rows) >= 10
    for row in rows:
        hazard_id, hazard, cause, mitigation, tests = row[:5]
        assert hazard and cause and mitigation, hazard_id
        assert TEST_REFERENCE.search(tests), f"{hazard_id} names no test"


def test_every_test_the_hazard_log_names_exists():
    missing = []
    for row in hazard_rows():
        for path, name in TEST_REFERENCE.findall(row[4]):
            file = ROOT / path
            if not file.exists() or name not in defined_tests(file):
                missing.append(f"{row[0]}: {path}::{name}")
    assert missing == []


def test_the_doc_covers_intended_use_and_the_disclaimer_shown_on_the_checker():
    doc = DOC.read_text(encoding="utf-8")
    for heading in ("## 1. Intended use", "## 2. What the checker is not", "## 3. The disclaimer", "## 6. Hazard log"):
        assert heading in doc
    template = (ROOT / "templates" / "symptoms" / "checker.html").read_text(encoding="utf-8")
    for sentence in ("This checker does not say what is wrong.", "It does not replace a doctor or nurse."):
        assert sentence in doc and sentence in template


def test_the_hazard_log_covers_an_unapproved_change_reaching_patients():
    # Issue 17: no change to patient advice goes live until a clinical approver approves it.
    log = " ".join(" ".join(row[:4]) for row in hazard_rows()).lower()
    assert "an unapproved change reaches patients" in log
