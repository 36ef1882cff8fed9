"""Security headers on every response, added in one place for the middleware and app.hot_path.

The page loads scripts, styles and images only from this origin (no inline script: a CSP without
'unsafe-inline' is what makes an injected <script> inert), may not be framed by another site,
is never sniffed into another content type, and sends no referrer to other origins."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",  # the page's empty data: favicon; Swagger UI's data: icons
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "same-origin",
}
# As ASGI sends them.
RAW_HEADERS: list[tuple[bytes, bytes]] = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
_NAMES = frozenset(name for name, _ in RAW_HEADERS)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` (raw, as ASGI sends them) with each of HEADERS it does not already set appended."""
    present = {bytes(name).lower() for name, _ in headers} & _NAMES
    headers.extend(h for h in RAW_HEADERS if h[0] not in present)
    return headers


class SecurityHeaders:
    """Adds HEADERS to every HTTP response that does not already set them (a page with a policy of
    its own, such as /docs, keeps it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security_headers(list(message.get("headers", [])))}
            await send(message)

        await self.app(scope, receive, send_with_headers)
