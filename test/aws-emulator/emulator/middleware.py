"""WSGI middleware in front of moto's server application.

- `/_emulator/...`: the emulator's own control API (not AWS).
- Every AWS call: identify service (SigV4 credential scope of the
  Authorization header, else X-Amz-Target) and action (form/query `Action=`
  for the query protocols, X-Amz-Target for JSON), count it, apply latency
  and injected faults in the service's own error shape, then hand it to moto.
- `POST /moto-api/reset`: after moto has reset its backends, reset the
  extensions' state too.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import time
import uuid
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from . import cbor
from .state import LOCK, STATE, ConfigError

_SCOPE_RE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_ACCESS_KEY_RE = re.compile(r"Credential=([^/,\s]+)/")

JSON_SERVICES_BY_TARGET_PREFIX = {"secretsmanager": "secretsmanager"}

StartResponse = Callable[..., Any]


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        try:
            n = int(length)
        except ValueError:
            n = 0
        body = stream.read(n) if n > 0 else b""
    elif environ.get("wsgi.input_terminated") or environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = False
    return body


def identify(environ: dict[str, Any], body: bytes) -> tuple[str | None, str | None, str]:
    """(service, action, protocol) of an AWS request; protocol is 'query', 'ec2' or 'json'."""
    service = None
    m = _SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if m:  # Credential=<key>/<date>/<region>/<service>/aws4_request
        service = m.group(2).lower()
    target = environ.get("HTTP_X_AMZ_TARGET")
    action = None
    if target:
        prefix, _, action = target.rpartition(".")
        if not service:
            service = JSON_SERVICES_BY_TARGET_PREFIX.get(prefix.lower(), prefix.lower() or None)
    if not action:
        text = body
        if environ.get("HTTP_CONTENT_ENCODING", "").lower() == "gzip":
            try:
                text = gzip.decompress(body)
            except OSError:
                text = b""
        form: dict[str, list[str]] = {}
        ctype = environ.get("CONTENT_TYPE", "")
        if "x-www-form-urlencoded" in ctype or (text and not target and not ctype.startswith("application/json")
                                                 and not ctype.startswith("application/x-amz-json")):
            try:
                form = parse_qs(text.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                form = {}
        qs = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        action = (form.get("Action") or qs.get("Action") or [None])[0]
    ctype = environ.get("CONTENT_TYPE", "")
    if target or "amz-json" in ctype:
        protocol = "json"
    elif service == "ec2":
        protocol = "ec2"
    else:
        protocol = "query"
    return service, action, protocol


def account_region(environ: dict[str, Any], access_key: str | None) -> str:
    """E64: `<account>/<region>` a request acts in: the account moto maps its credentials to (an
    assumed role's temporary key is the role's account, E63; moto's `x-moto-account-id` header wins,
    as in moto), and the region of its SigV4 credential scope."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from

    account = environ.get("HTTP_X_MOTO_ACCOUNT_ID") or (get_account_id_from(access_key) if access_key else DEFAULT_ACCOUNT_ID)
    m = _SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return f"{account}/{m.group(1) if m else 'unknown'}"


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_response(service: str, protocol: str, status: int, code: str, message: str,
                   sender: bool) -> tuple[int, list[tuple[str, str]], bytes]:
    """An error in the wire shape of the service's protocol."""
    rid = str(uuid.uuid4())
    if protocol == "ec2":
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
                f"<Message>{_xml_escape(message)}</Message></Error></Errors><RequestID>{rid}</RequestID></Response>")
        return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], body.encode()
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message})
        return status, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", rid)], body.encode()
    ns = f' xmlns="http://{service}.amazonaws.com/doc/2015-02-02/"' if service == "elasticache" else ""
    typ = "Sender" if sender else "Receiver"
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse{ns}><Error><Type>{typ}</Type><Code>{code}</Code>'
            f"<Message>{_xml_escape(message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>")
    return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], body.encode()


def fault_response(service: str, protocol: str, kind: str, status_hint: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """Injected throttling / server errors, each service in its own words."""
    if protocol == "ec2":
        if kind == "throttle":
            return error_response(service, protocol, 503, "RequestLimitExceeded", "Request limit exceeded.", True)
        if status_hint == 503:
            return error_response(service, protocol, 503, "Unavailable",
                                  "The server is overloaded and can't handle the request.", False)
        return error_response(service, protocol, 500, "InternalError", "An internal error has occurred.", False)
    if protocol == "json":
        if kind == "throttle":
            return error_response(service, protocol, 400, "ThrottlingException", "Rate exceeded", True)
        if status_hint == 503:
            return error_response(service, protocol, 503, "ServiceUnavailable",
                                  "Service is unavailable, please retry.", False)
        if service == "secretsmanager":
            return error_response(service, protocol, 500, "InternalServiceError",
                                  "An error occurred on the server side.", False)
        return error_response(service, protocol, 500, "InternalFailure",
                              "The request processing has failed because of an unknown error.", False)
    if kind == "throttle":
        return error_response(service, protocol, 400, "Throttling", "Rate exceeded", True)
    if status_hint == 503:
        return error_response(service, protocol, 503, "ServiceUnavailable", "Service is unavailable, please retry.",
                              False)
    return error_response(service, protocol, 500, "InternalFailure",
                          "The request processing has failed because of an unknown error.", False)


_REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable"}


def _respond(start_response: StartResponse, status: int, headers: list[tuple[str, str]], body: bytes) -> list[bytes]:
    headers = list(headers) + [("Content-Length", str(len(body)))]
    start_response(f"{status} {_REASONS.get(status, 'Status')}", headers)
    return [body]


def _json(start_response: StartResponse, status: int, obj: Any) -> list[bytes]:
    return _respond(start_response, status, [("Content-Type", "application/json")],
                    json.dumps(obj, default=str).encode())


class EmulatorMiddleware:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or ""
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path.startswith("/_emulator"):
            return self.control(environ, start_response, path, method)
        if path.startswith("/moto-api"):
            if path.rstrip("/") == "/moto-api/reset" and method == "POST":
                with LOCK:
                    result = list(self.app(environ, start_response))
                    STATE.reset()
                return result
            return self.app(environ, start_response)
        if cbor.is_cbor(environ):  # E65: Smithy RPC v2 CBOR, answered as the AWS JSON 1.0 call it stands for
            return cbor.handle(environ, _read_body(environ), start_response, self._aws)
        return self._aws(environ, start_response)

    def _aws(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        body = _read_body(environ)
        service, action, protocol = identify(environ, body)
        if service or action:
            key = _ACCESS_KEY_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
            where = account_region(environ, key.group(1) if key else None)
            STATE.count_call(service or "unknown", action or "unknown", key.group(1) if key else None, where)
            latency, kind, status_hint = STATE.take_fault(service or "unknown", action or "unknown", where.split("/")[0])
            if latency:
                time.sleep(latency / 1000.0)
            if kind:
                status, headers, payload = fault_response(service or "unknown", protocol, kind, status_hint)
                return _respond(start_response, status, headers, payload)
        if service or action:
            return self._finish(environ, start_response, service or "unknown", action or "unknown", protocol)
        return self.app(environ, start_response)

    _EC2_NS_RE = re.compile(rb"<Response xmlns=\"[^\"]*\">")
    _EC2_RID_RE = re.compile(rb"<RequestID>request-id</RequestID>")

    def _finish(self, environ: dict[str, Any], start_response: StartResponse, service: str, action: str,
                protocol: str) -> Iterable[bytes]:
        """Run moto, then fix what it gets wrong on the wire:
        - an action moto does not implement: moto's Flask app answers an HTML
          500 page; answer an AWS-shaped 501 NotImplemented naming the action
          instead (SDKs do not retry 501, so the gap fails fast and says so);
        - any other unhandled moto error: AWS-shaped 500 InternalFailure;
        - EC2 errors: moto 5.2.1 writes <Response xmlns=..> with a literal
          <RequestID>request-id</RequestID>; AWS sends <Response><Errors>..
          </Errors><RequestID>uuid</RequestID></Response>.
        """
        status, headers, body = cbor.run_app(self.app, environ)
        code = int(status.split()[0])
        not_impl = next((v for k, v in headers if k.lower() == "x-emulator-not-implemented"), None)
        if not_impl is not None:
            st, hd, payload = error_response(
                service, protocol, 501, "NotImplemented",
                f"{service}:{action} is not implemented by the emulator (moto 5.2.1 + test/aws-emulator extensions)",
                False)
            return _respond(start_response, st, hd, payload)
        ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
        if code >= 500 and "html" in ctype:
            st, hd, payload = error_response(
                service, protocol, 500, "InternalFailure",
                f"moto failed to handle {service}:{action}; see the emulator log", False)
            return _respond(start_response, st, hd, payload)
        if service == "ec2" and code >= 400 and body.lstrip().startswith(b"<?xml"):
            rid = next((v for k, v in headers if k.lower() == "x-amzn-requestid"), None) or str(uuid.uuid4())
            body = self._EC2_NS_RE.sub(b"<Response>", body, count=1)
            body = self._EC2_RID_RE.sub(b"<RequestID>" + rid.encode() + b"</RequestID>", body, count=1)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]

    # -- control API --------------------------------------------------------
    def control(self, environ: dict[str, Any], start_response: StartResponse, path: str,
                method: str) -> Iterable[bytes]:
        from .elasticache_ext import find_replication_group

        parts = [p for p in path.split("/") if p][1:]  # drop "_emulator"
        try:
            body_bytes = _read_body(environ)
            body = json.loads(body_bytes) if body_bytes.strip() else {}
        except ValueError:
            return _json(start_response, 400, {"error": "body must be JSON"})
        qs = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        try:
            if parts == ["health"] and method == "GET":
                import moto
                return _json(start_response, 200, {"status": "ok", "moto": moto.__version__})
            if parts == ["config"]:
                if method == "GET":
                    return _json(start_response, 200, STATE.config)
                if method == "POST":
                    return _json(start_response, 200, STATE.update_config(body))
                if method == "DELETE":
                    return _json(start_response, 200, STATE.restore_config())
            if parts == ["faults"]:
                if method == "GET":
                    return _json(start_response, 200, {"faults": [r.to_json() for r in STATE.faults]})
                if method == "POST":
                    rule = STATE.add_fault(body)
                    return _json(start_response, 200, {"added": rule.to_json(),
                                                       "faults": [r.to_json() for r in STATE.faults]})
                if method == "DELETE":
                    STATE.clear_faults()
                    return _json(start_response, 200, {"faults": []})
            if parts == ["calls"]:
                if method == "GET" and qs.get("by") == "accessKey":
                    return _json(start_response, 200, STATE.calls_by_key_json())
                if method == "GET" and qs.get("by") == "account":
                    return _json(start_response, 200, STATE.calls_by_account_json())
                if method == "GET":
                    return _json(start_response, 200, STATE.calls_json())
                if method == "DELETE":
                    STATE.clear_calls()
                    return _json(start_response, 200, {})
            if len(parts) == 3 and parts[0] == "replication-groups" and parts[2] == "auth" and method == "GET":
                rg = find_replication_group(parts[1], qs.get("account"), qs.get("region"))
                if rg is None:
                    return _json(start_response, 404, {"error": f"replication group {parts[1]} not found"})
                return _json(start_response, 200, {
                    "replicationGroupId": rg.replication_group_id,
                    "tokens": list(rg.auth_tokens),
                    "pendingAuthTokenStatus": rg.pending.get("AuthTokenStatus"),
                    "optional": rg.auth_token_optional,  # E71: unauthenticated clients let in too, until SET
                })
            if len(parts) == 3 and parts[0] == "replication-groups" and parts[2] == "users" and method == "GET":
                # E45: the users the data plane accepts now (the test bridge makes them ACL users)
                from .elasticache_ext import all_backends
                from .users_ext import acl_of
                with LOCK:
                    rg = find_replication_group(parts[1], qs.get("account"), qs.get("region"))
                    if rg is None:
                        return _json(start_response, 404, {"error": f"replication group {parts[1]} not found"})
                    b = next(b for b in all_backends() if b.replication_groups.get(rg.replication_group_id) is rg)
                    return _json(start_response, 200, {
                        "replicationGroupId": rg.replication_group_id,
                        "userGroupIds": list(rg.user_group_ids),
                        "users": acl_of(b, list(rg.user_group_ids)),
                    })
            if len(parts) == 3 and parts[0] == "replication-groups" and method == "POST" \
                    and parts[2] in ("backup", "maintenance"):
                from .elasticache_ext import reach_maintenance_window, start_backup
                fn = start_backup if parts[2] == "backup" else reach_maintenance_window
                status, out = fn(parts[1], qs.get("account"), qs.get("region"))
                return _json(start_response, status, out)
            if len(parts) == 3 and parts[0] == "replication-groups" and parts[2] == "restore" and method == "GET":
                from .elasticache_ext import restore_info
                status, out = restore_info(parts[1], qs.get("account"), qs.get("region"))
                return _json(start_response, status, out)
            if len(parts) == 3 and parts[0] == "serverless-caches" and parts[2] == "users" and method == "GET":
                from .serverless_ext import users_info as serverless_users_info
                status, out = serverless_users_info(parts[1], qs.get("account"), qs.get("region"))
                return _json(start_response, status, out)
            if len(parts) == 3 and parts[0] == "serverless-caches" and parts[2] == "restore" and method == "GET":
                from .serverless_ext import restore_info as serverless_restore_info
                status, out = serverless_restore_info(parts[1], qs.get("account"), qs.get("region"))
                return _json(start_response, status, out)
            if parts == ["iam-auth", "verify"] and method == "POST":
                # E74: an IAM authentication token checked as ElastiCache's data plane checks it
                from .iam_auth import verify
                return _json(start_response, 200, verify(body.get("cacheName"), body.get("userName"), body.get("token"),
                                                         qs.get("account"), qs.get("region")))
            if parts == ["s3-objects"] and method == "POST":
                import base64
                from .elasticache_ext import put_s3_object
                status, out = put_s3_object(body["bucket"], body["key"], base64.b64decode(body.get("base64", "")),
                                            qs.get("account"), qs.get("region"))
                return _json(start_response, status, out)
            if parts == ["service-updates"] and method == "POST":
                from .elasticache_ext import publish_service_update
                status, out = publish_service_update(body, qs.get("account"), qs.get("region"))
                return _json(start_response, status, out)
            if parts == ["create-failures"]:
                if method == "POST":
                    return _json(start_response, 200, {"pending": STATE.add_create_failures(body)})
                if method == "GET":
                    return _json(start_response, 200, {"pending": list(STATE.create_failures)})
                if method == "DELETE":
                    STATE.create_failures = []
                    return _json(start_response, 200, {"pending": []})
            if parts == ["reset"] and method == "POST":
                from moto.moto_api._internal.models import moto_api_backend
                with LOCK:
                    moto_api_backend.reset()
                    STATE.reset()
                return _json(start_response, 200, {"status": "reset"})
        except ConfigError as e:
            return _json(start_response, 400, {"error": str(e)})
        return _json(start_response, 404, {"error": f"no such control endpoint: {method} {path}"})
