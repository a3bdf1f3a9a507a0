"""The item read on APIFlask and the synchronous SQLAlchemy ORM, without the service.

What the rendered Flask service's GET /items/{id} does, with the framework's
own building blocks and nothing else: APIFlask routing and a pydantic output
schema (the service's API layer), one SQLAlchemy session per request on
psycopg (orm_tables.py: the models the other frameworks' floors use, the
engine set up as the service's read engine: autocommit reads, a ping before
each checkout, the same pool) and the token check of bare_wsgi_items.py. No
request hooks, access log, error handlers, settings, session slots or
metrics: nothing of the template.

Next to bare_wsgi_items.py (the raw-driver floor) it splits the item read's
cost in two: `APIFlask+SQLAlchemy / bare WSGI` is what the framework and the
ORM take, `service / APIFlask+SQLAlchemy` what the template adds. It is the
Flask counterpart of orm_items.py and drf_items.py.

Runs in the rendered project's environment beside bare_wsgi_items.py and
orm_tables.py, under each server flask_servers.py compares. Reads
DATABASE_URL (plain postgresql://) and SECRET_KEY.
"""

from datetime import datetime

from apiflask import APIFlask, abort
from bare_wsgi_items import user_id_of
from flask import request
from orm_tables import Item, User, sync_sessions
from pydantic import BaseModel, ConfigDict

application = APIFlask(__name__)
sessions = sync_sessions()
# RFC 6750: a refusal names the scheme the client must use, as the service's does.
CHALLENGE = {"WWW-Authenticate": "Bearer"}


class ItemOut(BaseModel):
    # Read from the ORM object's attributes, as the service's ItemRead is.
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


@application.get("/items/<int:item_id>")
@application.output(ItemOut)
def get_item(item_id: int) -> ItemOut:
    user_id = user_id_of(request.headers.get("Authorization", ""))
    if user_id is None:
        abort(401, "Invalid or expired token", headers=CHALLENGE)
    # Closed on the way out, errors included: the connection goes back to
    # the pool before the answer is written.
    with sessions() as db:
        user = db.get(User, user_id)
        if user is None or not user.is_active:
            abort(401, "Invalid or expired token", headers=CHALLENGE)
        item = db.get(Item, item_id)
        if item is None or item.owner_id != user_id:
            abort(404, "Item not found")
        return ItemOut.model_validate(item)


@application.get("/health/live")
def live() -> dict[str, str]:
    """For the benchmark's readiness wait only."""
    return {"status": "ok"}
