"""Where a pod spec refers to a Secret or ConfigMap: env valueFrom, envFrom, volumes (with items) and
projected volumes, each with a readable location and JSON-patch paths to the name and key it uses."""

from __future__ import annotations

from typing import NamedTuple

from k8sdoctor.core.kube.raw import as_dict, as_list, as_str

_FIELDS = {
    # kind: (env valueFrom key, envFrom key, volume key, volume name field)
    "Secret": ("secretKeyRef", "secretRef", "secret", "secretName"),
    "ConfigMap": ("configMapKeyRef", "configMapRef", "configMap", "name"),
}


class ObjectRef(NamedTuple):
    where: str  # "spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef"
    name: str
    name_path: str  # JSON pointer to the name, relative to the pod spec
    key: str | None = None  # the key it reads, for key references
    key_path: str | None = None
    optional: bool = False


def object_refs(spec: dict, kind: str) -> list[ObjectRef]:
    """Every reference of the pod spec to an object of `kind` ("Secret" or "ConfigMap"), volume items
    included (one reference per item key)."""
    key_ref, env_from_ref, volume_key, name_field = _FIELDS[kind]
    out: list[ObjectRef] = []
    for list_key in ("initContainers", "containers"):
        for i, container in enumerate(as_list(spec.get(list_key))):
            container = as_dict(container)
            cname = as_str(container.get("name"))
            for j, env in enumerate(as_list(container.get("env"))):
                ref = as_dict(as_dict(as_dict(env).get("valueFrom")).get(key_ref))
                if ref.get("name"):
                    base = f"/{list_key}/{i}/env/{j}/valueFrom/{key_ref}"
                    where = f"spec.{list_key}[{cname}].env[{as_str(as_dict(env).get('name'))}].valueFrom.{key_ref}"
                    out.append(
                        ObjectRef(
                            where,
                            as_str(ref["name"]),
                            f"{base}/name",
                            as_str(ref.get("key")) or None,
                            f"{base}/key",
                            ref.get("optional") is True,
                        )
                    )
            for j, source in enumerate(as_list(container.get("envFrom"))):
                ref = as_dict(as_dict(source).get(env_from_ref))
                if ref.get("name"):
                    where = f"spec.{list_key}[{cname}].envFrom[{j}].{env_from_ref}"
                    out.append(
                        ObjectRef(
                            where,
                            as_str(ref["name"]),
                            f"/{list_key}/{i}/envFrom/{j}/{env_from_ref}/name",
                            optional=ref.get("optional") is True,
                        )
                    )
    for k, volume in enumerate(as_list(spec.get("volumes"))):
        volume = as_dict(volume)
        vname = as_str(volume.get("name"))
        source = as_dict(volume.get(volume_key))
        if source.get(name_field):
            name, name_path, optional = (
                as_str(source[name_field]),
                f"/volumes/{k}/{volume_key}/{name_field}",
                source.get("optional") is True,
            )
            out.append(ObjectRef(f"spec.volumes[{vname}].{volume_key}", name, name_path, optional=optional))
            for m, item in enumerate(as_list(source.get("items"))):
                key = as_str(as_dict(item).get("key"))
                if key:
                    where = f"spec.volumes[{vname}].{volume_key}.items[{m}]"
                    out.append(ObjectRef(where, name, name_path, key, f"/volumes/{k}/{volume_key}/items/{m}/key", optional))
        for m, projected in enumerate(as_list(as_dict(volume.get("projected")).get("sources"))):
            ref = as_dict(as_dict(projected).get(volume_key))
            if ref.get("name"):
                where = f"spec.volumes[{vname}].projected.sources[{m}].{volume_key}"
                out.append(
                    ObjectRef(
                        where,
                        as_str(ref["name"]),
                        f"/volumes/{k}/projected/sources/{m}/{volume_key}/name",
                        optional=ref.get("optional") is True,
                    )
                )
    return out
