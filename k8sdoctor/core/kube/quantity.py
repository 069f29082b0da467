"""Kubernetes resource quantities: parse `500m`, `1.5`, `2Gi`, `1e3`, `100k` to numbers, and format
numbers back for people ("1.2 CPU", "512Mi") and for kubectl flags ("1200m", "1536Mi")."""

from __future__ import annotations

import math
import re
from functools import lru_cache

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_QUANTITY = re.compile(
    r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))"  # number
    r"(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$"  # binary suffix | exponent | decimal suffix
)
#: Resources measured in bytes.
BYTE_RESOURCES = ("memory", "ephemeral-storage", "storage")
MI = 2**20
GI = 2**30


def parse_quantity(value: object) -> float | None:
    """The number a quantity stands for (cores for CPU, bytes for memory), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    return _parse_text(value)


@lru_cache(maxsize=4096)  # a cluster's pods repeat a few request and limit values
def _parse_text(value: str) -> float | None:
    m = _QUANTITY.match(value.strip())
    if m is None:
        return None
    number, binary, exponent, decimal = m.groups()
    base = float(number)
    if binary:
        result = base * _BINARY[binary]
    elif exponent is not None:
        try:
            result = base * 10.0 ** int(exponent)
        except OverflowError:
            return None
    else:
        result = base * _DECIMAL[decimal or ""]
    return result if math.isfinite(result) else None


def is_bytes(resource: str) -> bool:
    return resource in BYTE_RESOURCES or resource.startswith("hugepages-")


def _trim(number: float, digits: int) -> str:
    text = f"{number:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_cpu(cores: float) -> str:
    """ "4 CPU", "1.2 CPU", "250m CPU"."""
    if 0 < abs(cores) < 1:
        return f"{round(cores * 1000)}m CPU"
    return f"{_trim(cores, 2)} CPU"


def format_bytes(n: float) -> str:
    """Binary units, as kubectl and people write them: "512Mi", "1.5Gi", "100Ki", "0"."""
    if n == 0:
        return "0"
    for unit in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        size = _BINARY[unit]
        if abs(n) >= size:
            value = n / size
            return f"{_trim(value, 0 if abs(value) >= 100 else 1)}{unit}"
    return _trim(n, 0)


def format_quantity(resource: str, value: float) -> str:
    """A value of `resource` for people: "1.2 CPU", "512Mi memory", "2 nvidia.com/gpu"."""
    if resource == "cpu":
        return format_cpu(value)
    if is_bytes(resource):
        return f"{format_bytes(value)} {resource}"
    return f"{_trim(value, 2)} {resource}"


def to_quantity(resource: str, value: float, *, round_up: bool = True) -> str:
    """A quantity string kubectl accepts for `resource`: cpu "1200m" or "2", bytes in whole Mi/Gi
    ("1536Mi", "2Gi"), others as integers; rounded up (never less than `value`) or down."""
    step = math.ceil if round_up else math.floor
    if resource == "cpu":
        milli = step(round(value * 1000, 6))
        return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"
    if is_bytes(resource):
        mebi = step(round(value / MI, 6))
        return f"{mebi // 1024}Gi" if mebi and mebi % 1024 == 0 else f"{mebi}Mi"
    return str(step(round(value, 6)))


def round_memory_up(n: float) -> float:
    """A clean memory size at least `n`: a multiple of 64Mi below 1Gi, of 512Mi above."""
    step = 64 * MI if n < GI else 512 * MI
    return math.ceil(n / step) * step
