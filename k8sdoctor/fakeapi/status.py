"""`metav1.Status` error bodies, worded like kube-apiserver's (k8s.io/apimachinery/pkg/api/errors)."""

from __future__ import annotations

import orjson

from k8sdoctor.fakeapi.resources import ResourceType

#: The `reason` the real server pairs with each HTTP code.
REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}

CONTINUE_EXPIRED = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new "
    "list without the continue parameter, or use the continue token in this response to retrieve the "
    "remainder of the results. Continuing with the provided token results in an inconsistent list - "
    "objects that were created, modified, or deleted between the time the first chunk was returned and "
    "now may show up in the list."
)


class ApiError(Exception):
    """An error the server answers with a Status body (`retry_after`: its Retry-After header)."""

    retry_after: str | None = None

    def __init__(
        self, code: int, message: str, *, reason: str | None = None, details: dict | None = None, continue_token: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason or REASONS.get(code, "Unknown")
        self.details = details
        self.continue_token = continue_token

    def status(self) -> dict:
        meta = {"continue": self.continue_token} if self.continue_token else {}
        body: dict[str, object] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": meta,
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body

    def body(self) -> bytes:
        return orjson.dumps(self.status())


def _details(rtype: ResourceType | None, name: str = "") -> dict:
    details: dict = {}
    if name:
        details["name"] = name
    if rtype is not None:
        if rtype.group:
            details["group"] = rtype.group
        details["kind"] = rtype.plural
    return details


def not_found(rtype: ResourceType, name: str) -> ApiError:
    return ApiError(404, f'{rtype.group_resource} "{name}" not found', details=_details(rtype, name))


def already_exists(rtype: ResourceType, name: str) -> ApiError:
    return ApiError(409, f'{rtype.group_resource} "{name}" already exists', reason="AlreadyExists", details=_details(rtype, name))


def conflict(rtype: ResourceType, name: str) -> ApiError:
    return ApiError(
        409,
        f'Operation cannot be fulfilled on {rtype.group_resource} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again",
        details=_details(rtype, name),
    )


def forbidden(rtype: ResourceType | None, name: str, why: str) -> ApiError:
    """`pods "x" is forbidden: <why>`, or `pods is forbidden: <why>` for a collection."""
    subject = rtype.group_resource if rtype is not None else ""
    subject = f'{subject} "{name}"' if name else subject
    message = f"{subject} is forbidden: {why}" if subject else f"forbidden: {why}"
    return ApiError(403, message, details=_details(rtype, name))


def name_required(rtype: ResourceType) -> ApiError:
    problem = "Required value: name or generateName is required"
    return ApiError(
        422,
        f'{rtype.kind} "" is invalid: metadata.name: {problem}',
        reason="Invalid",
        details={
            "kind": rtype.kind,
            **({"group": rtype.group} if rtype.group else {}),
            "causes": [{"reason": "FieldValueRequired", "message": problem, "field": "metadata.name"}],
        },
    )


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def internal(message: str) -> ApiError:
    return ApiError(500, f"Internal error occurred: {message}", details={"causes": [{"message": message}]})


def expired(message: str, continue_token: str | None = None) -> ApiError:
    return ApiError(410, message, continue_token=continue_token)


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized")


def resource_not_found() -> ApiError:
    return ApiError(404, "the server could not find the requested resource", details={})


def method_not_allowed() -> ApiError:
    return ApiError(405, "the server does not allow this method on the requested resource", details={})
