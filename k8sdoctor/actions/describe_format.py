"""Small formatters kubectl describe uses: times, label maps, annotations, selectors, tolerations."""

from __future__ import annotations

from datetime import datetime, tzinfo

from k8sdoctor.actions.describe_doc import DescribeWriter, value
from k8sdoctor.core.kube.timeutil import human_duration, parse_time

MAX_ANNOTATION_LEN = 140
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def d(obj: object) -> dict:
    return obj if isinstance(obj, dict) else {}


def lst(obj: object) -> list:
    return obj if isinstance(obj, list) else []


def num(obj: object) -> int:
    return obj if isinstance(obj, int) and not isinstance(obj, bool) else 0


def rfc1123z(stamp: object, tz: tzinfo | None) -> str:
    """Go's time.RFC1123Z in the reader's zone, as kubectl prints Start Time and container states.
    An absent time is Go's zero time."""
    moment = parse_time(stamp)
    if moment is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    return moment.astimezone(tz).strftime("%a, %d %b %Y %H:%M:%S %z")


def since(stamp: object, now: datetime) -> str:
    """kubectl's translateTimestampSince: `<unknown>` for a missing time."""
    moment = parse_time(stamp)
    return "<unknown>" if moment is None else human_duration((now - moment).total_seconds())


def go_bool(flag: object) -> str:
    return "true" if flag is True else "false"


def cut_bytes(text: str, limit: int) -> str:
    """Go's `s[:limit] + "..."` for a string longer than `limit` bytes: the cut may split a UTF-8
    sequence, whose bytes are kept as surrogate escapes (see describe_doc)."""
    data = text.encode("utf-8", "surrogateescape")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "surrogateescape") + "..."


def write_map(w: DescribeWriter, title: str, mapping: object, path: str, *, nest: str = "") -> None:
    """printLabelsMultiline: `Title:\\tk=v`, the next keys on their own lines, sorted. Through kubectl's
    nested writer (`nest`), every Write call is indented again, and so is `<none>`."""
    items = sorted((str(k), v) for k, v in d(mapping).items())
    if not items:
        w.line(0, f"{nest}{title}:\t{nest}<none>", paths=(path,))
        return
    for i, (key, val) in enumerate(items):
        head = f"{nest}{title}:\t" if i == 0 else f"{nest}{nest}\t"
        w.line(0, f"{head}{nest}{value(key)}={value(val)}", paths=(f"{path}[{key}]",))


def write_annotations(w: DescribeWriter, annotations: object, path: str = "metadata.annotations", *, nest: str = "") -> None:
    """printAnnotationsMultiline: long or multi-line values go on their own lines, each cut at 140 bytes
    (Go counts bytes, and cuts by them too). `nest` as in write_map."""
    keys = sorted(str(k) for k in d(annotations) if k != LAST_APPLIED)
    if not keys:
        w.line(0, f"{nest}Annotations:\t{nest}<none>", paths=(path,))
        return
    for i, key in enumerate(keys):
        head = f"{nest}Annotations:\t{nest}" if i == 0 else f"{nest}\t{nest}"
        paths = (f"{path}[{key}]",)
        text = value(d(annotations)[key]).removesuffix("\n")
        if len(text.encode("utf-8", "surrogateescape")) + len(key.encode()) + 2 > MAX_ANNOTATION_LEN or "\n" in text:
            w.line(0, f"{head}{value(key)}:", paths=paths)
            for part in text.split("\n"):
                w.line(0, f"{nest}\t  {cut_bytes(part, MAX_ANNOTATION_LEN - 2)}", paths=paths)
        else:
            w.line(0, f"{head}{value(key)}: {text}", paths=paths)


def label_selector(selector: object) -> str:
    """metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty."""
    sel = d(selector)
    reqs: list[tuple[str, str]] = [(str(k), f"{k}={v}") for k, v in d(sel.get("matchLabels")).items()]
    ops = {"In": "in", "NotIn": "notin"}
    for expr in lst(sel.get("matchExpressions")):
        expr = d(expr)
        key, op = str(expr.get("key", "")), expr.get("operator")
        values = ",".join(sorted(str(v) for v in lst(expr.get("values"))))
        if op in ops:
            reqs.append((key, f"{key} {ops[op]} ({values})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
    text = ",".join(r for _k, r in sorted(reqs, key=lambda r: r[0]))
    return value(text) or "<none>"


def toleration_text(tol: dict) -> str:
    text = value(tol.get("key", ""))
    if tol.get("value"):
        text += f"={value(tol['value'])}"
    if tol.get("effect"):
        text += f":{value(tol['effect'])}"
    if tol.get("operator") == "Exists" and not tol.get("value"):
        text += " op=Exists" if tol.get("key") or tol.get("effect") else "op=Exists"
    if isinstance(tol.get("tolerationSeconds"), int):
        text += f" for {tol['tolerationSeconds']}s"
    return text


def write_tolerations(w: DescribeWriter, tolerations: object) -> None:
    tols = sorted((d(t) for t in lst(tolerations)), key=lambda t: str(t.get("key", "")))
    if not tols:
        w.line(0, "Tolerations:\t<none>", paths=("spec.tolerations",))
        return
    for i, tol in enumerate(tols):
        w.line(0, f"{'Tolerations:' if i == 0 else ''}\t{toleration_text(tol)}", paths=("spec.tolerations",))
