"""What `wait` hands to CI systems: a JSON payload, a JUnit XML report (Jenkins, GitLab, Azure
Pipelines, CircleCI and GitHub test reporters render it), and GitHub Actions workflow commands.

Cluster text reaches these only through `sanitize`; in XML, ElementTree escapes it, and characters XML
cannot carry at all are shown as escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from k8sdoctor.core.findings import Diagnosis, Finding
from k8sdoctor.sanitize import one_line, printable
from k8sdoctor.wait.session import FAILED, HEALTHY, ObjectResult, Outcome

#: GitHub shows at most 10 error annotations per step; more would be dropped by the runner.
MAX_ANNOTATIONS = 10
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def payload(outcome: Outcome) -> dict:
    """The `-o json` document: the overall result, then each object's result and diagnoses."""
    return {
        "result": outcome.result,
        "elapsed": round(outcome.elapsed, 3),
        "objects": [
            {
                "kind": r.kind,
                "namespace": r.namespace,
                "name": r.name,
                "result": r.result,
                "reason": r.reason,
                "cause": r.cause,
                "elapsed": round(r.elapsed, 3),
                "diagnoses": [d.to_dict() for d in r.diagnoses],
            }
            for r in outcome.objects
        ],
    }


def problems(r: ObjectResult) -> list[tuple[Diagnosis, Finding]]:
    """The object's problem findings, the one that failed it first, each cause once."""
    seen: set[tuple] = set()
    out = []
    for d in r.diagnoses:
        for f in d.findings:
            key = (f.category, f.cause, f.container)
            if f.is_problem and key not in seen:
                seen.add(key)
                out.append((d, f))
    out.sort(key=lambda df: df[1].cause != r.cause)
    return out


def headline(r: ObjectResult) -> str:
    """One line: `deployment/web failed after 2.1s: ImagePullBackOff › image-not-found: ...`."""
    verb = {HEALTHY: "is healthy", FAILED: "failed", "timed-out": "timed out", "stopped": "was not waited for to the end"}[r.result]
    return one_line(f"{r.ref} {verb} after {r.elapsed:.1f}s: {r.reason}")


# ---- JUnit ------------------------------------------------------------------------------------------
def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", printable(text))


def junit_xml(outcome: Outcome, reports: dict[tuple[str, str], str], progress_log: str) -> bytes:
    """One testsuite, one testcase per object; a failed or timed-out object is a <failure> whose type
    is the cause id (or `timed-out`) and whose text is its diagnosis as `diagnose` prints it."""
    failures = sum(1 for r in outcome.objects if r.result != HEALTHY)
    suites = ET.Element("testsuites", name="k8sdoctor wait", tests=str(len(outcome.objects)), failures=str(failures), errors="0")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="k8sdoctor wait",
        tests=str(len(outcome.objects)),
        failures=str(failures),
        errors="0",
        skipped="0",
        time=f"{outcome.elapsed:.3f}",
        timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
    )
    for r in outcome.objects:
        case = ET.SubElement(
            suite, "testcase", classname=_xml_text(f"k8sdoctor.wait.{r.namespace}"), name=_xml_text(r.ref), time=f"{r.elapsed:.3f}"
        )
        if r.result != HEALTHY:
            failure = ET.SubElement(case, "failure", message=_xml_text(headline(r)), type=r.cause or r.result)
            failure.text = _xml_text(reports.get((r.kind, r.name), ""))
    out = ET.SubElement(suite, "system-out")
    out.text = _xml_text(progress_log)
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"


# ---- GitHub Actions ---------------------------------------------------------------------------------
def _gh_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(outcome: Outcome) -> list[str]:
    """`::error title=...::...` lines: one per cause of each object that did not end healthy."""
    lines = []
    for r in outcome.objects:
        if r.result == HEALTHY:
            continue
        found = problems(r)
        if not found:
            lines.append(f"::error title={_gh_property(f'k8sdoctor: {r.ref} {r.result}')}::{_gh_data(headline(r))}")
        for d, f in found:
            where = f"{d.kind.lower()}/{d.name}" + (f" container {f.container}" if f.container else "")
            title = f"k8sdoctor: {r.ref} {r.result}: {f.category} ({f.cause})"
            body = [f.summary, f"on {where}"]
            body += [f"evidence ({ev.source}): {ev.text}" for ev in f.evidence[:2]]
            body += [f"next: {s.text}" + (f" $ {s.command}" if s.command else "") for s in f.remediation[:2]]
            lines.append(f"::error title={_gh_property(title)}::{_gh_data(chr(10).join(body))}")
    return lines[:MAX_ANNOTATIONS]
