"""Request and response bodies of the auth API."""

from pydantic import BaseModel, ConfigDict, Field

# NIST SP 800-63B: at least 8 characters, allow at least 64; 12 is the
# usual floor for a service that cannot offer a second factor.
MIN_PASSWORD_LENGTH = 12
# Bounded so hashing a huge body cannot be used to burn CPU.
MAX_PASSWORD_LENGTH = 128
# The longest address RFC 5321 allows.
MAX_EMAIL_LENGTH = 320
# What an address must look like: RFC 5322 characters before one @, a dotted
# domain after it. The pattern alone decides, and the OpenAPI schema shows
# it, so a client never sends an address the schema allows and the service
# refuses. Whether mail arrives there is not checked.
EMAIL_PATTERN = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
# OAuth2 token type (RFC 6750).
BEARER = "bearer"


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=MAX_EMAIL_LENGTH, pattern=EMAIL_PATTERN)
    password: str = Field(
        min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH
    )


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str


class Token(BaseModel):
    access_token: str
    token_type: str = BEARER
    expires_in: int
