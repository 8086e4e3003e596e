"""`redactor serve`: an HTTP JSON service (Starlette on uvicorn), bound to 127.0.0.1 by default.

    POST /v1/redact  {"text": "..."}  -> {"text": "...", "findings": [...]}
    POST /v1/check   {"text": "..."}  -> {"clean": bool, "findings": [...]}
    GET  /healthz                      -> {"status": "ok"}

The engine is built once at start-up and shared by every request. With a `ServerPool` (`--workers N`,
N > 1) each text is redacted in a worker process forked from the server (`server_pool.py`), so N
requests use N cores; else in the thread pool, on the one core the GIL allows. Bodies over the limit
get 413, malformed JSON 400, a missing/wrong bearer token 401 (when --token-env is set), a text whose
worker died twice 503. Logs carry method, path and status — never text or values.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .api import Redactor
from .errors import RefusedError, VerificationError
from .findings import Finding
from .server_pool import ServerPool, WorkerDied

log = logging.getLogger("redactor.server")
DEFAULT_MAX_BODY = 1_000_000


class _TooLarge(Exception):
    pass


def _finding(f: Finding) -> dict[str, Any]:
    return {"type": f.entity_type, "start": f.start, "end": f.end, "score": f.score,
            "recognizer": f.recognizer, "decision": f.decision, "replacement": f.replacement}


def redact_payload(redactor: Redactor, text: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON body of POST /v1/redact (run where the redaction runs: a worker, or a thread)."""
    try:
        result = redactor.redact_text(text)
    except (RefusedError, VerificationError) as exc:   # a TLP marking we do not share; a leak
        return 422, {"error": exc.message}                # verification caught: no text
    return 200, {"text": result.text, "findings": [_finding(f) for f in result.findings]}


def check_payload(redactor: Redactor, text: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON body of POST /v1/check."""
    found = redactor.check_text(text)
    return 200, {"clean": not found,
                 "findings": [{k: v for k, v in _finding(f).items() if k != "replacement"} for f in found]}


def create_app(redactor: Redactor, *, max_body: int = DEFAULT_MAX_BODY, token: str | None = None,
               pool: ServerPool | None = None) -> Starlette:
    async def answer(payload: Any, text: str) -> JSONResponse:
        try:
            if pool is not None:
                status, body = await pool.run(payload, text)
            else:
                status, body = await run_in_threadpool(payload, redactor, text)
        except WorkerDied as exc:
            return JSONResponse({"error": str(exc)}, status_code=503)
        return JSONResponse(body, status_code=status)

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
        return await answer(redact_payload, data["text"])

    async def check(request: Request) -> JSONResponse:
        data = await body_json(request)
        if isinstance(data, JSONResponse):
            return data
        return await answer(check_payload, data["text"])

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if pool is not None:   # the requests in hand are answered: the workers are stopped before the server
            await asyncio.to_thread(pool.close)

    return Starlette(routes=[
        Route("/v1/redact", redact, methods=["POST"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ], lifespan=lifespan)


def serve(redactor: Redactor, *, host: str, port: int, max_body: int, token: str | None, workers: int = 1) -> None:
    """Run the service until SIGINT/SIGTERM; with `workers` > 1, over a `ServerPool` forked here, before
    the event loop starts."""
    import uvicorn

    server: uvicorn.Server | None = None
    pool = ServerPool(redactor, workers, stopping=lambda: server is not None and server.should_exit) \
        if workers > 1 else None
    try:
        app = create_app(redactor, max_body=max_body, token=token, pool=pool)
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", access_log=True))
        server.run()
    except KeyboardInterrupt:   # Ctrl-C, raised again by uvicorn once it has shut down (as `uvicorn.run` does)
        pass
    finally:
        if pool is not None:
            pool.close()
