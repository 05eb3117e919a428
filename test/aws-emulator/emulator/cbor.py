"""Smithy RPC v2 CBOR on the wire (E65), for the services whose newer SDKs speak it (CloudWatch).

The AWS SDK for Java from 2.4x sends CloudWatch requests as Smithy RPC v2 CBOR
(`POST /service/<ServiceShape>/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor`,
`Content-Type: application/cbor`, a CBOR map of the input members). moto 5.2.1 reads the same
service's AWS JSON 1.0 (`X-Amz-Target: <TargetPrefix>.<Operation>`) but not CBOR. This module turns
such a request into the JSON 1.0 request it stands for, lets the rest of the emulator (counting,
faults, moto, our extensions) answer it as JSON, and turns the answer back into CBOR the way the
protocol says: the output structure (or `{"__type", "message"}` for an error) as a CBOR map, with
timestamps as tag 1 epoch seconds, the same status code, and `smithy-protocol: rpc-v2-cbor` on the
response. CBOR is read and written with botocore's own codec (`RpcV2CBORParser`, `RpcV2CBORSerializer`),
shaped by botocore's model of the service.

Reference: Smithy 2.0, "Smithy RPC v2 CBOR protocol" (request routing, headers, timestamps as tag 1,
error `__type`); the CloudWatch API model (`protocols: smithy-rpc-v2-cbor, json, query`,
`targetPrefix: GraniteServiceVersion20100801`).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from typing import Any, Callable, Iterable

import botocore.session
from botocore.model import DenormalizedStructureBuilder
from botocore.parsers import RpcV2CBORParser
from botocore.serialize import RpcV2CBORSerializer

_PATH_RE = re.compile(r"^/service/([^/]+)/operation/([^/]+)$")

# The services answered in CBOR here: Smithy service shape name in the path -> botocore service name.
_SERVICES_BY_SHAPE = {"GraniteServiceVersion20100801": "cloudwatch"}

_models: dict[str, Any] = {}
_ERROR_SHAPE = DenormalizedStructureBuilder().with_members({
    "__type": {"type": "string"}, "message": {"type": "string"}}).build_model()


def is_cbor(environ: dict[str, Any]) -> bool:
    return environ.get("HTTP_SMITHY_PROTOCOL", "").lower() == "rpc-v2-cbor"


def _model(service: str) -> Any:
    if service not in _models:
        _models[service] = botocore.session.get_session().get_service_model(service)
    return _models[service]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    return value


def decode(body: bytes) -> Any:
    """A CBOR data item (a request or response body) as Python values; b'' is an empty map."""
    if not body:
        return {}
    return RpcV2CBORParser().parse_data_item(io.BufferedReader(io.BytesIO(body)))


def encode(value: Any, shape: Any) -> bytes:
    out = bytearray()
    RpcV2CBORSerializer()._serialize_data_item(out, value, shape)
    return bytes(out)


def _headers_of(environ: dict[str, Any]) -> dict[str, str]:
    out = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        out["Content-Type"] = environ["CONTENT_TYPE"]
    if environ.get("CONTENT_LENGTH"):
        out["Content-Length"] = environ["CONTENT_LENGTH"]
    return out


def _sign_again(environ: dict[str, Any], raw: bytes, inner: dict[str, Any], body: bytes) -> None:
    """The JSON request stands for the CBOR one, so when moto checks SigV4 signatures (IAM access control on) it
    must carry a signature of its own: if the caller's signature of the CBOR request is right for a key moto knows,
    sign the JSON request with the same key and time; otherwise leave it, and moto refuses it as it would have
    refused the original (a wrong signature stays wrong)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    m = re.search(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,\s]+), Signature=([0-9a-f]+)", auth)
    if not m:
        return
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from moto.iam.access_control import CreateAccessKeyFailure, create_access_key
    from moto.iam.models import get_account_id_from
    from moto.utilities.utils import get_partition
    key_id, region, service, signed, signature = m.groups()
    headers = _headers_of(environ)
    try:
        credentials = create_access_key(account_id=get_account_id_from(key_id), partition=get_partition(region),
                                        access_key_id=key_id, headers=headers).create_credentials()
    except CreateAccessKeyFailure:
        return

    def request(path: str, data: bytes, hdrs: dict[str, str], names: list[str]) -> AWSRequest:
        wanted = {n.lower() for n in names}
        req = AWSRequest(method="POST", url=path, data=data,
                         headers={k: v for k, v in hdrs.items() if k.lower() in wanted})
        req.context["timestamp"] = hdrs.get("X-Amz-Date", "")
        return req

    signer = SigV4Auth(credentials, service, region)
    names = signed.split(";")
    original = request(environ.get("PATH_INFO", "/"), raw, headers, names)
    if signer.signature(signer.string_to_sign(original, signer.canonical_request(original)), original) != signature:
        return
    inner_headers = _headers_of(inner)
    if "X-Amz-Content-Sha256" in inner_headers:
        import hashlib
        inner["HTTP_X_AMZ_CONTENT_SHA256"] = inner_headers["X-Amz-Content-Sha256"] = hashlib.sha256(body).hexdigest()
    names = [n for n in names if n not in ("smithy-protocol",)]
    if "x-amz-target" not in names:
        names.append("x-amz-target")
    names.sort()
    translated = request("/", body, inner_headers, names)
    new_signature = signer.signature(signer.string_to_sign(translated, signer.canonical_request(translated)), translated)
    inner["HTTP_AUTHORIZATION"] = (f"AWS4-HMAC-SHA256 Credential={key_id}/{m.group(0).split('/')[1]}/{region}/{service}/aws4_request, "
                                   f"SignedHeaders={';'.join(names)}, Signature={new_signature}")


def _cbor_answer(start_response: Callable[..., Any], status: str, headers: list[tuple[str, str]], body: bytes) -> list[bytes]:
    kept = [(k, v) for k, v in headers if k.lower() not in ("content-type", "content-length", "x-amz-crc32")]
    kept += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
             ("Content-Length", str(len(body)))]
    start_response(status, kept)
    return [body]


def run_app(app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]],
            environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run a WSGI app to the end: its status line, headers and whole body."""
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    result = app(environ, capture)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return captured["status"], captured["headers"], body


def handle(environ: dict[str, Any], raw: bytes, start_response: Callable[..., Any],
           answer_json: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]) -> Iterable[bytes]:
    """Answer a Smithy RPC v2 CBOR request through `answer_json`, which answers AWS JSON 1.0."""
    path = environ.get("PATH_INFO", "") or ""
    m = _PATH_RE.match(path)
    service = _SERVICES_BY_SHAPE.get(m.group(1)) if m else None
    if m is None or service is None or environ.get("REQUEST_METHOD", "").upper() != "POST":
        err = encode({"__type": "UnknownOperationException",
                      "message": f"No Smithy RPC v2 CBOR operation at {path} in the emulator"}, _ERROR_SHAPE)
        return _cbor_answer(start_response, "404 Not Found", [], err)
    operation = m.group(2)
    model = _model(service)
    try:
        op_model = model.operation_model(operation)
    except Exception:  # botocore's OperationNotFoundError
        err = encode({"__type": "UnknownOperationException", "message": f"{operation} is not an operation of {service}"},
                     _ERROR_SHAPE)
        return _cbor_answer(start_response, "404 Not Found", [], err)

    try:
        params = decode(raw)
    except Exception as e:  # malformed CBOR: a client error, as AWS answers it
        err = encode({"__type": "SerializationException", "message": f"Could not read the CBOR body: {e}"}, _ERROR_SHAPE)
        return _cbor_answer(start_response, "400 Bad Request", [], err)
    body = json.dumps(_jsonable(params)).encode()
    inner = dict(environ)
    inner.update({"PATH_INFO": "/", "CONTENT_TYPE": "application/x-amz-json-1.0", "CONTENT_LENGTH": str(len(body)),
                  "HTTP_X_AMZ_TARGET": f"{model.metadata['targetPrefix']}.{operation}", "wsgi.input": io.BytesIO(body)})
    inner.pop("HTTP_SMITHY_PROTOCOL", None)
    _sign_again(environ, raw, inner, body)

    status, headers, out = run_app(answer_json, inner)
    try:
        answer = json.loads(out) if out.strip() else {}
    except ValueError:  # moto's IAM and signature refusals are XML whatever the protocol
        found = {t: re.search(rf"<{t}>(.*?)</{t}>".encode(), out, re.S) for t in ("Code", "Message")}
        answer = {"__type": found["Code"].group(1).decode() if found["Code"] else "InternalFailure",
                  "message": found["Message"].group(1).decode() if found["Message"] else ""}
    if int(status.split()[0]) >= 300:
        code = str(answer.get("__type") or answer.get("code") or "InternalFailure")
        message = str(answer.get("message") or answer.get("Message") or "")
        return _cbor_answer(start_response, status, headers, encode({"__type": code, "message": message}, _ERROR_SHAPE))
    shape = op_model.output_shape
    return _cbor_answer(start_response, status, headers,
                        encode(answer, shape) if shape is not None else encode({}, _ERROR_SHAPE))
