"""The security headers of the HTTP contract, the same for every framework.

Every answer carries SECURITY_HEADERS, and STRICT_TRANSPORT_SECURITY in
production. API answers also carry CONTENT_SECURITY_POLICY: they are data,
never pages, so nothing may load or frame them; the interactive docs (and
Django's admin) go without it, since they load their scripts and styles.
Names are in lower case, as HTTP/2 and ASGI write them.
"""

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), geolocation=(), microphone=()",
}
CONTENT_SECURITY_POLICY = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'"
}
STRICT_TRANSPORT_SECURITY = {
    "strict-transport-security": "max-age=63072000; includeSubDomains"
}
