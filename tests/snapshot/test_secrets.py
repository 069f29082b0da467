"""Secrets in a snapshot keep only their key names: values never reach the Inventory or an error."""

from __future__ import annotations

import base64
import json

import orjson
import pytest
import yaml

from k8sdoctor.cluster.snapshot import load_snapshot
from k8sdoctor.errors import SnapshotError

from . import cases
from .kubectl_output import go_json, kubectl_get_json, typed_list

PLANTED = "planted-Pa55w0rd-7f3e9c"
PLANTED_B64 = base64.b64encode(PLANTED.encode()).decode()


def _secret(kind_on_item: bool = True) -> dict:
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "db-credentials",
            "namespace": cases.KAFDROP_NS,
            "uid": "secret-uid-1",
            "annotations": {
                # kubectl apply keeps the whole applied object, values included, in this annotation.
                "kubectl.kubernetes.io/last-applied-configuration": json.dumps({"kind": "Secret", "stringData": {"password": PLANTED}}),
            },
        },
        "type": "Opaque",
        "data": {"password": PLANTED_B64, "username": base64.b64encode(b"kafdrop").decode()},
        "stringData": {"token": PLANTED},
    }
    if not kind_on_item:
        del secret["kind"], secret["apiVersion"]
    return secret


def _assert_no_planted_value(inventory) -> None:
    stored = [*inventory.pods.values(), *inventory.events.values()]
    stored += [obj for table in inventory.objects.values() for obj in table.values()]
    dumped = repr(vars(inventory)) + "".join(orjson.dumps(obj).decode() for obj in stored)
    assert PLANTED not in dumped
    assert PLANTED_B64 not in dumped


@pytest.mark.parametrize(
    "name, data",
    [
        ("list.json", kubectl_get_json(cases.kafdrop_pod(), _secret())),
        ("typed.json", go_json(typed_list("SecretList", [_secret()]))),
        ("list.yaml", yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [_secret()]}).encode()),
        ("single.yaml", yaml.safe_dump(_secret()).encode()),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_secrets_keep_only_key_names(write, name, data):
    inventory, info = load_snapshot(write(name, data))

    assert inventory.get("Secret", cases.KAFDROP_NS, "db-credentials") == {
        "kind": "Secret",
        "metadata": {"name": "db-credentials", "namespace": cases.KAFDROP_NS, "uid": "secret-uid-1"},
        "type": "Opaque",
        "keyNames": ["password", "token", "username"],
    }
    assert info.counts["Secret"] == 1
    _assert_no_planted_value(inventory)
    assert PLANTED not in repr(info)


@pytest.mark.parametrize(
    "name, data",
    [
        ("cut.json", kubectl_get_json(_secret())[:-60]),
        ("bad.json", kubectl_get_json(_secret()).replace(PLANTED_B64.encode(), PLANTED_B64.encode() + b'" x "')),
        ("bad.yaml", f"kind: Secret\nmetadata: {{name: s}}\ndata:\n  password: {PLANTED}: x\n".encode()),
        ("tab.yaml", f"kind: Secret\nmetadata: {{name: s}}\nstringData:\n\tpassword: {PLANTED}\n".encode()),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_errors_never_carry_secret_values(write, name, data):
    with pytest.raises(SnapshotError) as err:
        load_snapshot(write(name, data))

    assert PLANTED not in str(err.value) and PLANTED_B64 not in str(err.value)
    # Nothing chained to the error (orjson's and PyYAML's errors keep the document) or kept in its frames.
    assert err.value.__context__ is None and err.value.__cause__ is None
    tb = err.value.__traceback__.tb_next  # the frames below this test's own
    while tb is not None:
        assert not any(PLANTED in repr(value) or PLANTED_B64 in repr(value) for value in tb.tb_frame.f_locals.values())
        tb = tb.tb_next
