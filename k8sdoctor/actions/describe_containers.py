"""The Init Containers / Containers / Ephemeral Containers sections of `kubectl describe pod`
(kubectl pkg/describe describeContainers and the helpers it calls, reimplemented)."""

from __future__ import annotations

import json
import math
from datetime import tzinfo

from k8sdoctor.actions.describe_doc import DescribeWriter, value
from k8sdoctor.actions.describe_format import d, go_bool, lst, num, rfc1123z
from k8sdoctor.core.kube.quantity import parse_quantity


def write_containers(w: DescribeWriter, title: str, spec_key: str, status_key: str, pod: dict, tz: tzinfo | None) -> None:
    specs = [d(c) for c in lst(d(pod.get("spec")).get(spec_key))]
    statuses = {str(s.get("name")): s for s in map(d, lst(d(pod.get("status")).get(status_key)))}
    w.section(title)
    w.line(0, f"{title}:" + ("" if specs else " <none>"), paths=(f"spec.{spec_key}",))
    for spec in specs:
        name = str(spec.get("name", ""))
        status = statuses.get(name)
        sp, st = f"spec.{spec_key}[{name}]", f"status.{status_key}[{name}]"
        w.line(1, f"{value(name)}:", paths=(sp, st))
        if status is not None:
            w.line(2, f"Container ID:\t{value(status.get('containerID', ''))}", paths=(f"{st}.containerID",))
        w.line(2, f"Image:\t{value(spec.get('image', ''))}", paths=(f"{sp}.image",))
        if status is not None:
            w.line(2, f"Image ID:\t{value(status.get('imageID', ''))}", paths=(f"{st}.imageID",))
        _ports(w, spec, sp)
        _seccomp(w, d(spec.get("securityContext")), f"{sp}.securityContext", 2)
        _command(w, spec, sp)
        if status is not None:
            _state(w, "State", d(status.get("state")), f"{st}.state", tz)
            if d(d(status.get("lastState")).get("terminated")):
                _state(w, "Last State", d(status.get("lastState")), f"{st}.lastState", tz)
            w.line(2, f"Ready:\t{'True' if status.get('ready') is True else 'False'}", paths=(f"{st}.ready",))
            w.line(2, f"Restart Count:\t{num(status.get('restartCount'))}", paths=(f"{st}.restartCount",))
        write_resources(w, d(spec.get("resources")), f"{sp}.resources", 2)
        for kind in ("liveness", "readiness", "startup"):
            probe = spec.get(f"{kind}Probe")
            if isinstance(probe, dict):
                w.line(2, f"{kind.title()}:\t{probe_text(probe)}", paths=(f"{sp}.{kind}Probe",))
        if lst(spec.get("envFrom")):
            _env_from(w, spec, sp)
        _env(w, pod, spec, sp)
        _mounts(w, spec, sp)


def _ports(w: DescribeWriter, spec: dict, path: str) -> None:
    ports = [d(p) for p in lst(spec.get("ports"))]
    for label, key in (("Port", "containerPort"), ("Host Port", "hostPort")):
        text = ", ".join(f"{num(p.get(key))}/{value(p.get('protocol', ''))}" for p in ports)
        plural = "," in text
        w.line(2, f"{label}{'s' if plural else ''}:\t{text or '<none>'}", paths=(f"{path}.ports",))


def _seccomp(w: DescribeWriter, context: dict, path: str, level: int) -> None:
    profile = d(context.get("seccompProfile"))
    if not profile:
        return
    w.line(level, f"SeccompProfile:\t{value(profile.get('type', ''))}", paths=(f"{path}.seccompProfile",))
    if profile.get("type") == "Localhost":
        w.line(level + 1, f"LocalhostProfile:\t{value(profile.get('localhostProfile', ''))}", paths=(f"{path}.seccompProfile",))


def _command(w: DescribeWriter, spec: dict, path: str) -> None:
    for label, key in (("Command", "command"), ("Args", "args")):
        items = lst(spec.get(key))
        if items:
            w.line(2, f"{label}:", paths=(f"{path}.{key}",))
            for item in items:
                for part in str(item).split("\n"):
                    w.line(3, value(part), paths=(f"{path}.{key}",))


def _state(w: DescribeWriter, label: str, state: dict, path: str, tz: tzinfo | None) -> None:
    """describeStatus: Running/Waiting/Terminated with their details."""
    running, waiting, term = d(state.get("running")), d(state.get("waiting")), d(state.get("terminated"))
    if "running" in state and isinstance(state["running"], dict):
        w.line(2, f"{label}:\tRunning", paths=(f"{path}.running",))
        w.line(3, f"Started:\t{rfc1123z(running.get('startedAt'), tz)}", paths=(f"{path}.running.startedAt",))
    elif "waiting" in state and isinstance(state["waiting"], dict):
        w.line(2, f"{label}:\tWaiting", paths=(f"{path}.waiting",))
        if waiting.get("reason"):
            w.line(3, f"Reason:\t{value(waiting['reason'])}", paths=(f"{path}.waiting.reason",))
        if waiting.get("message"):  # kubectl leaves it out; it is often the whole explanation
            w.line(3, f"Message:\t{value(waiting['message'])}", paths=(f"{path}.waiting.message",), extra=True)
    elif "terminated" in state and isinstance(state["terminated"], dict):
        tp = f"{path}.terminated"
        w.line(2, f"{label}:\tTerminated", paths=(tp,))
        if term.get("reason"):
            w.line(3, f"Reason:\t{value(term['reason'])}", paths=(f"{tp}.reason",))
        if term.get("message"):
            w.line(3, f"Message:\t{value(term['message'])}", paths=(f"{tp}.message",))
        w.line(3, f"Exit Code:\t{num(term.get('exitCode'))}", paths=(f"{tp}.exitCode",))
        if num(term.get("signal")) > 0:
            w.line(3, f"Signal:\t{num(term.get('signal'))}", paths=(f"{tp}.signal",))
        w.line(3, f"Started:\t{rfc1123z(term.get('startedAt'), tz)}", paths=(f"{tp}.startedAt",))
        w.line(3, f"Finished:\t{rfc1123z(term.get('finishedAt'), tz)}", paths=(f"{tp}.finishedAt",))
    else:
        w.line(2, f"{label}:\tWaiting", paths=(path,))


def write_resources(w: DescribeWriter, resources: dict, path: str, level: int) -> None:
    for label, key in (("Limits", "limits"), ("Requests", "requests")):
        amounts = d(resources.get(key))
        if amounts:
            w.line(level, f"{label}:", paths=(f"{path}.{key}",))
        for name in sorted(amounts):
            w.line(level + 1, f"{value(name)}:\t{value(amounts[name])}", paths=(f"{path}.{key}.{name}",))


def probe_text(probe: dict) -> str:
    """DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`."""
    attrs = (
        f"delay={num(probe.get('initialDelaySeconds'))}s timeout={num(probe.get('timeoutSeconds'))}s "
        f"period={num(probe.get('periodSeconds'))}s #success={num(probe.get('successThreshold'))} "
        f"#failure={num(probe.get('failureThreshold'))}"
    )
    if isinstance(probe.get("exec"), dict):
        return f"exec [{' '.join(value(c) for c in lst(probe['exec'].get('command')))}] {attrs}"
    if isinstance(probe.get("httpGet"), dict):
        return f"http-get {probe_url(probe['httpGet'])} {attrs}"
    if isinstance(probe.get("tcpSocket"), dict):
        tcp = probe["tcpSocket"]
        return f"tcp-socket {value(tcp.get('host', ''))}:{_port(tcp.get('port'))} {attrs}"
    if isinstance(probe.get("grpc"), dict):
        grpc = probe["grpc"]
        return f"grpc <pod>:{num(grpc.get('port'))} {value(grpc.get('service', ''))} {attrs}"
    return f"unknown {attrs}"


_UNRESERVED = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
_PATH_KEEP = _UNRESERVED | frozenset(b"$&+,/:;=@")
_HOST_KEEP = _UNRESERVED | frozenset(b"!$&'()*+,;=:[]<>\"")


def _escape(text: str, keep: frozenset[int]) -> str:
    """Go's url.escape: every byte not in `keep` as %XX (upper-case hex)."""
    return "".join(chr(b) if b in keep else f"%{b:02X}" for b in text.encode("utf-8", "surrogateescape"))


def _port(port: object) -> str:
    """An IntOrString as its String method prints it."""
    return str(port) if isinstance(port, str) else str(num(port))


def probe_url(http: dict) -> str:
    """The URL kubectl shows for an httpGet probe: Go's url.URL{Scheme, Host, Path}.String(), so the path
    is escaped (`/ready?full=1` shows as `/ready%3Ffull=1`) and the host joined with the port."""
    scheme = str(http.get("scheme") or "").lower()
    host, port = str(http.get("host") or ""), _port(http.get("port"))
    if port:
        host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    path = str(http.get("path") or "")
    escaped = "*" if path == "*" else _escape(path, _PATH_KEEP)
    out = f"{scheme}:" if scheme else ""
    if scheme or host:
        out += "//" if host or path else ""
        out += _escape(host, _HOST_KEEP)
    if escaped and not escaped.startswith("/") and host:
        out += "/"
    if not out and ":" in escaped.split("/", 1)[0]:
        out += "./"
    return out + escaped


def _env_from(w: DescribeWriter, spec: dict, path: str) -> None:
    w.line(2, "Environment Variables from:", paths=(f"{path}.envFrom",))
    for i, source in enumerate(map(d, lst(spec.get("envFrom")))):
        kind, ref = ("ConfigMap", d(source.get("configMapRef"))) if source.get("configMapRef") else ("Secret", d(source.get("secretRef")))
        if not ref:
            kind = ""
        prefix = f" with prefix '{value(source['prefix'])}'" if source.get("prefix") else ""
        w.line(
            3, f"{value(ref.get('name', ''))}\t{kind}{prefix}\tOptional: {go_bool(ref.get('optional'))}", paths=(f"{path}.envFrom[{i}]",)
        )


def _env(w: DescribeWriter, pod: dict, spec: dict, path: str) -> None:
    """describeContainerEnvVars. Secret and ConfigMap references are shown by name and key only:
    their values are never read."""
    env = [d(e) for e in lst(spec.get("env"))]
    w.line(2, "Environment:" + ("" if env else "\t<none>"), paths=(f"{path}.env",))
    for var in env:
        name = value(var.get("name", ""))
        p = (f"{path}.env[{var.get('name', '')}]",)
        source = d(var.get("valueFrom"))
        if not source:
            for i, part in enumerate(str(var.get("value", "")).split("\n")):
                w.line(3, f"{name}:\t{value(part)}" if i == 0 else f"\t{value(part)}", paths=p)
        elif source.get("fieldRef"):
            ref = d(source["fieldRef"])
            shown = field_ref_value(pod, ref)
            w.line(3, f"{name}:\t{value(shown)} ({value(ref.get('apiVersion', ''))}:{value(ref.get('fieldPath', ''))})", paths=p)
        elif source.get("resourceFieldRef"):
            ref = d(source["resourceFieldRef"])
            w.line(3, f"{name}:\t{resource_field_value(ref, spec)} ({value(ref.get('resource', ''))})", paths=p)
        elif source.get("secretKeyRef"):
            ref = d(source["secretKeyRef"])
            w.line(
                3,
                f"{name}:\t<set to the key '{value(ref.get('key', ''))}' in secret '{value(ref.get('name', ''))}'>"
                f"\tOptional: {go_bool(ref.get('optional'))}",
                paths=p,
            )
        elif source.get("configMapKeyRef"):
            ref = d(source["configMapKeyRef"])
            w.line(
                3,
                f"{name}:\t<set to the key '{value(ref.get('key', ''))}' of config map '{value(ref.get('name', ''))}'>"
                f"\tOptional: {go_bool(ref.get('optional'))}",
                paths=p,
            )


def field_ref_value(pod: dict, ref: dict) -> str:
    """The value kubectl 1.32 shows for a fieldRef. It converts the path as a field selector label for
    the reference's apiVersion and then extracts it from the pod; only metadata.name and
    metadata.namespace pass both, so every other path (metadata.uid included) shows empty."""
    field_path = str(ref.get("fieldPath") or "")
    if str(ref.get("apiVersion") or "").count("/") > 1 or field_path not in ("metadata.name", "metadata.namespace"):
        return ""
    return str(d(pod.get("metadata")).get(field_path.split(".")[1]) or "")


def resource_field_value(ref: dict, spec: dict) -> str:
    """ExtractContainerResourceValue: the limit or request divided by the divisor, rounded up."""
    resource = str(ref.get("resource", ""))
    kind, _, name = resource.partition(".")
    amount = parse_quantity(d(d(spec.get("resources")).get(kind)).get(name, "0")) or 0.0
    divisor = parse_quantity(ref.get("divisor")) or 1.0
    if name == "cpu":
        amount, divisor = round(amount * 1000), round(divisor * 1000) or 1000
    shown = str(math.ceil(amount / divisor))
    if shown == "0" and resource in ("limits.cpu", "limits.memory"):
        return "node allocatable"
    return shown


def _mounts(w: DescribeWriter, spec: dict, path: str) -> None:
    mounts = sorted((d(m) for m in lst(spec.get("volumeMounts"))), key=lambda m: str(m.get("mountPath", "")))
    w.line(2, "Mounts:" + ("" if mounts else "\t<none>"), paths=(f"{path}.volumeMounts",))
    for mount in mounts:
        flags = ["ro" if mount.get("readOnly") is True else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={json.dumps(str(mount['subPath']), ensure_ascii=False)}")
        w.line(
            3,
            f"{value(mount.get('mountPath', ''))} from {value(mount.get('name', ''))} ({value(','.join(flags))})",
            paths=(f"{path}.volumeMounts[{mount.get('name', '')}]",),
        )
    devices = sorted((d(m) for m in lst(spec.get("volumeDevices"))), key=lambda m: str(m.get("devicePath", "")))
    if devices:
        w.line(2, "Devices:" + ("" if mounts else "\t<none>"), paths=(f"{path}.volumeDevices",))
        for dev in devices:
            w.line(3, f"{value(dev.get('devicePath', ''))} from {value(dev.get('name', ''))}", paths=(f"{path}.volumeDevices",))
