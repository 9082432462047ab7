"""Reads a pip-audit or npm audit JSON report and says pass (0), vulnerable (1) or not audited (2).

Used by scripts/audit-dependencies. A report that is missing, unreadable or that skipped any
package is "not audited": an audit that did not happen must never look like a pass.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PASS, VULNERABLE, NOT_AUDITED = 0, 1, 2


def _load(path: Path) -> dict:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return report if isinstance(report, dict) else {}


def pip_audit(report: dict) -> tuple[int, list[str]]:
    deps = report.get("dependencies")
    if not deps:
        return NOT_AUDITED, ["FAIL (not audited): pip-audit gave no report."]
    lines = []
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE {dep['name']} {dep.get('version', '?')}: {vuln['id']} (fixed in {fixed})")
    lines += [f"NOT AUDITED {dep['name']}: {dep['skip_reason']}" for dep in skipped]
    if vulnerable:
        return VULNERABLE, lines
    if skipped:
        lines.append(
            f"FAIL (not audited): {len(skipped)} of {len(deps)} Python packages could not be checked. "
            "pip-audit needs PyPI's per-release JSON API (https://pypi.org/pypi/<name>/<version>/json)."
        )
        return NOT_AUDITED, lines
    return PASS, [f"ok: {len(deps)} Python packages, no known vulnerability"]


def npm_audit(report: dict) -> tuple[int, list[str]]:
    counts = report.get("metadata", {}).get("vulnerabilities")
    if not isinstance(counts, dict) or "total" not in counts:
        reason = report.get("message") or "no report"
        return NOT_AUDITED, [f"FAIL (not audited): npm audit could not ask the registry's advisory service: {reason}"]
    lines = [
        f"VULNERABLE {name} ({vuln.get('severity')}): fix available: {vuln.get('fixAvailable')}"
        for name, vuln in report.get("vulnerabilities", {}).items()
    ]
    if counts["total"]:
        return VULNERABLE, lines
    packages = report["metadata"].get("dependencies", {}).get("prod", "?")
    return PASS, [f"ok: {packages} npm runtime packages, no known vulnerability"]


if __name__ == "__main__":
    kind, path = sys.argv[1], Path(sys.argv[2])
    status, lines = {"pip": pip_audit, "npm": npm_audit}[kind](_load(path))
    print("\n".join(lines))
    sys.exit(status)
