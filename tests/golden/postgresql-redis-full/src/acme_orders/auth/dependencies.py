"""FastAPI dependencies that turn a bearer token into the current user."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from acme_orders.auth.models import User
from acme_orders.auth.security import read_access_token
from acme_orders.db import Session

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login")

UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Invalid or expired token",
    headers={"WWW-Authenticate": "Bearer"},
)


async def current_user(
    request: Request, session: Session, token: Annotated[str, Depends(oauth2_scheme)]
) -> User:
    user_id = read_access_token(token, request.app.state.settings)
    if user_id is None:
        raise UNAUTHORIZED
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise UNAUTHORIZED
    return user


CurrentUser = Annotated[User, Depends(current_user)]
