"""Kubernetes quantities: parsing every suffix form, and formatting for people and for kubectl."""

from __future__ import annotations

import pytest

from k8sdoctor.core.kube.quantity import format_bytes, format_cpu, format_quantity, parse_quantity, round_memory_up, to_quantity


@pytest.mark.parametrize(
    "text, value",
    [
        ("500m", 0.5),
        ("1.5", 1.5),
        ("2", 2.0),
        (4, 4.0),
        (0.25, 0.25),
        ("2Gi", 2 * 2**30),
        ("512Mi", 512 * 2**20),
        ("128974848", 128974848.0),
        ("129e6", 129e6),
        ("1e3", 1000.0),
        ("1E3", 1000.0),
        ("100k", 100_000.0),
        ("129M", 129e6),
        ("1E", 1e18),
        ("100n", 100e-9),
        ("250u", 250e-6),
        (".5", 0.5),
        ("+1Ki", 1024.0),
    ],
)
def test_parse(text, value):
    assert parse_quantity(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1Gb", "Mi", "1 Gi", None, True, [], {"cpu": 1}, "1e400", float("inf")])
def test_not_a_quantity(text):
    assert parse_quantity(text) is None


def test_format_for_people():
    assert format_cpu(1.2) == "1.2 CPU"
    assert format_cpu(4) == "4 CPU"
    assert format_cpu(0.25) == "250m CPU"
    assert format_bytes(512 * 2**20) == "512Mi"
    assert format_bytes(1.5 * 2**30) == "1.5Gi"
    assert format_bytes(1e9) == "954Mi"
    assert format_bytes(0) == "0"
    assert format_quantity("memory", 2**30) == "1Gi memory"
    assert format_quantity("nvidia.com/gpu", 2) == "2 nvidia.com/gpu"


def test_to_kubectl_quantity():
    assert to_quantity("cpu", 1.2) == "1200m"
    assert to_quantity("cpu", 2) == "2"
    assert to_quantity("cpu", 0.7000000000000002, round_up=False) == "700m"
    assert to_quantity("memory", 1.5 * 2**30) == "1536Mi"
    assert to_quantity("memory", 2 * 2**30) == "2Gi"
    assert to_quantity("memory", 100.5 * 2**20) == "101Mi"
    assert to_quantity("memory", 100.5 * 2**20, round_up=False) == "100Mi"


def test_clean_memory_sizes():
    assert round_memory_up(200 * 2**20) == 256 * 2**20
    assert round_memory_up(4.5 * 2**30) == 4.5 * 2**30
    assert round_memory_up(1.2 * 2**30) == 1.5 * 2**30
