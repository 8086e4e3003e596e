"""`redactor serve`: an HTTP JSON service (Starlette on uvicorn), bound to 127.0.0.1 by default.

    POST /v1/redact  {"text": "..."}  -> {"text": "...", "findings": [...]}
    POST /v1/check   {"text": "..."}  -> {"clean": bool, "findings": [...]}
    GET  /healthz                      -> {"status": "ok"}

The engine is built once at start-up and shared by every request (redaction runs in the
thread pool). Bodies over the limit get 413, malformed JSON 400, a missing/wrong bearer token
401 (when --token-env is set). Logs carry method, path and status — never text or values.
"""
from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .api import Redactor
from .errors import RefusedError, VerificationError
from .findings import Finding

log = logging.getLogger("redactor.server")
DEFAULT_MAX_BODY = 1_000_000


class _TooLarge(Exception):
    pass


def _finding(f: Finding) -> dict[str, Any]:
    return {"type": f.entity_type, "start": f.start, "end": f.end, "score": f.score,
            "recognizer": f.recognizer, "decision": f.decision, "replacement": f.replacement}


def create_app(redactor: Redactor, *, max_body: int = DEFAULT_MAX_BODY, token: str | None = None) -> Starlette:
    async def body_json(request: Request) -> dict[str, Any] | JSONResponse:
        if token is not None:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body:
            return JSONResponse({"error": f"body over {max_body} bytes"}, status_code=413)
        chunks, size = [], 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_body:
                    raise _TooLarge
                chunks.append(chunk)
        except _TooLarge:
            return JSONResponse({"error": f"body over {max_body} bytes"}, status_code=413)
        try:
            data = json.loads(b"".join(chunks))
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": "body is not valid JSON"}, status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return JSONResponse({"error": 'expected a JSON object {"text": "..."}'}, status_code=400)
        unknown = set(data) - {"text"}
        if unknown:
            return JSONResponse({"error": f"unknown fields: {', '.join(sorted(unknown))}"}, status_code=400)
        return data

    async def redact(request: Request) -> JSONResponse:
        data = await body_json(request)
        if isinstance(data, JSONResponse):
            return data
        try:
            result = await run_in_threadpool(redactor.redact_text, data["text"])
        except (RefusedError, VerificationError) as exc:   # a TLP marking we do not share; a leak
            return JSONResponse({"error": exc.message}, status_code=422)   # verification caught: no text
        return JSONResponse({"text": result.text, "findings": [_finding(f) for f in result.findings]})

    async def check(request: Request) -> JSONResponse:
        data = await body_json(request)
        if isinstance(data, JSONResponse):
            return data
        found = await run_in_threadpool(redactor.check_text, data["text"])
        return JSONResponse({"clean": not found,
                             "findings": [{k: v for k, v in _finding(f).items() if k != "replacement"}
                                          for f in found]})

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[
        Route("/v1/redact", redact, methods=["POST"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ])


def serve(redactor: Redactor, *, host: str, port: int, max_body: int, token: str | None) -> None:
    import uvicorn

    app = create_app(redactor, max_body=max_body, token=token)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=True)
