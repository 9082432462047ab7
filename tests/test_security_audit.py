"""The dependency audit never passes unless every package was really checked."""

import importlib.util

from django.conf import settings

spec = importlib.util.spec_from_file_location("audit_summary", settings.BASE_DIR / "scripts" / "audit_summary.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}


def test_pip_audit_passes_only_when_every_package_was_checked_and_is_clean():
    assert audit.pip_audit({"dependencies": [CLEAN, {**CLEAN, "name": "nh3"}]})[0] == audit.PASS


def test_pip_audit_fails_on_a_known_vulnerability_and_names_the_fix():
    vulnerable = {**CLEAN, "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"], "aliases": []}]}
    status, lines = audit.pip_audit({"dependencies": [vulnerable, CLEAN]})
    assert status == audit.VULNERABLE
    assert lines == ["VULNERABLE django 5.2.19: PYSEC-2099-1 (fixed in 5.2.20)"]


def test_pip_audit_that_could_not_check_a_package_is_not_a_pass():
    skipped = {"name": "segno", "skip_reason": "Dependency not found on PyPI and could not be audited: segno (1.6.6)"}
    assert audit.pip_audit({"dependencies": [CLEAN, skipped]})[0] == audit.NOT_AUDITED
    assert audit.pip_audit({"dependencies": []})[0] == audit.NOT_AUDITED
    assert audit.pip_audit({})[0] == audit.NOT_AUDITED


def test_npm_audit_reads_the_counts_and_treats_an_error_as_not_audited():
    clean = {"auditReportVersion": 2, "vulnerabilities": {}, "metadata": {"vulnerabilities": {"total": 0}}}
    assert audit.npm_audit(clean)[0] == audit.PASS
    found = {
        "vulnerabilities": {"nhsuk-frontend": {"severity": "high", "fixAvailable": True}},
        "metadata": {"vulnerabilities": {"high": 1, "total": 1}},
    }
    assert audit.npm_audit(found) == (audit.VULNERABLE, ["VULNERABLE nhsuk-frontend (high): fix available: True"])
    error = {"message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"}
    assert audit.npm_audit(error)[0] == audit.NOT_AUDITED
    assert audit.npm_audit({})[0] == audit.NOT_AUDITED
