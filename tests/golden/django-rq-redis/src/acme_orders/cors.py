"""CORS for the WSGI frameworks, with Starlette's rules (bearer tokens, no
credentials), so a browser sees every framework of the service alike.

Framework-free: the web layer asks ``CorsPolicy`` what to answer a
preflight and which headers to add to an answer, and writes them its way.
"""

from dataclasses import dataclass, field

ALLOW_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SAFELISTED_HEADERS = {"Accept", "Accept-Language", "Content-Language", "Content-Type"}
ALLOW_HEADERS = sorted(SAFELISTED_HEADERS | {"Authorization", "X-Request-ID"})
PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers,"
    " Access-Control-Request-Private-Network"
)


@dataclass(frozen=True)
class Preflight:
    """The answer to a preflight request: 200, or 400 naming what failed."""

    status: int
    headers: dict[str, str]
    text: str


@dataclass(frozen=True)
class CorsPolicy:
    origins: list[str]
    allow_all: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allow_all", "*" in self.origins)

    def allowed(self, origin: str) -> bool:
        return self.allow_all or origin in self.origins

    def preflight(
        self,
        origin: str,
        method: str,
        requested_headers: str | None,
        private_network: bool,
    ) -> Preflight:
        headers = {"Vary": PREFLIGHT_VARY}
        failures = []
        if self.allowed(origin):
            headers["Access-Control-Allow-Origin"] = "*" if self.allow_all else origin
        else:
            failures.append("origin")
        headers["Access-Control-Allow-Methods"] = ", ".join(ALLOW_METHODS)
        headers["Access-Control-Max-Age"] = "600"
        headers["Access-Control-Allow-Headers"] = ", ".join(ALLOW_HEADERS)
        if method not in ALLOW_METHODS:
            failures.append("method")
        allowed_headers = {header.lower() for header in ALLOW_HEADERS}
        if requested_headers is not None and any(
            header.strip() not in allowed_headers
            for header in requested_headers.lower().split(",")
        ):
            failures.append("headers")
        if private_network:
            failures.append("private-network")
        text = "Disallowed CORS " + ", ".join(failures) if failures else "OK"
        return Preflight(400 if failures else 200, headers, text)

    def answer_headers(self, origin: str | None, vary: str | None) -> dict[str, str]:
        """What an answer to a request (not a preflight) carries besides its
        own headers: other clients' answers only say ``Vary: Origin``."""
        headers = {"Vary": f"{vary}, Origin" if vary else "Origin"}
        if origin is not None:
            headers["Access-Control-Expose-Headers"] = "X-Request-ID"
            if self.allow_all:
                headers["Access-Control-Allow-Origin"] = "*"
            elif self.allowed(origin):
                headers["Access-Control-Allow-Origin"] = origin
        return headers


def is_preflight(method: str, origin: str | None, requested_method: str | None) -> bool:
    return method == "OPTIONS" and origin is not None and requested_method is not None
