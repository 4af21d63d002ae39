"""The floor: the fastest competent one-file intake, against which the mesh's intake is judged.

It does what a form's intake must at least do, the way a performance-minded engineer would write
it in one file: the gateway's own request model validates the body (the same rules and errors),
one INSERT goes to PostgreSQL through an asyncpg pool (prepared statements, no thread hand-off),
one item is pushed to Redis through redis.asyncio, all on one event loop in one uvicorn process,
as the gateway runs. No ORM, no second process, no network hop beyond the two stores: nothing
the mesh could do with the same work would be faster, so the ratio says how close it comes.

    FLOOR_DATABASE_URL=... FLOOR_REDIS_URL=... FLOOR_REDIS_KEY=... FLOOR_PORT=... python -m bench.perf.floor
"""

from __future__ import annotations

import json
import os
import uuid
from contextlib import asynccontextmanager

import asyncpg
import redis.asyncio as aioredis
import uvicorn
from fastapi import FastAPI

from bench.perf.floor_threadpool import TABLE
from shvya_gateway.schemas import InboundMessage

INSERT = (
    "INSERT INTO bench_floor_intake (id, phone_number, contact_name, message_text, channel, email)"
    " VALUES ($1, $2, $3, $4, $5, $6)"
)


def create_app() -> FastAPI:
    database_url = os.environ["FLOOR_DATABASE_URL"]
    queue_key = os.environ["FLOOR_REDIS_KEY"]
    state: dict = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        state["pool"] = await asyncpg.create_pool(database_url, min_size=4, max_size=32)
        state["redis"] = aioredis.Redis.from_url(os.environ["FLOOR_REDIS_URL"], max_connections=64)
        async with state["pool"].acquire() as conn:
            await conn.execute(TABLE)
        yield
        await state["redis"].aclose()
        await state["pool"].close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/readyz")
    async def ready() -> dict:
        return {"status": "ok"}

    @app.post("/inbound-message")
    async def inbound(body: InboundMessage) -> dict:
        row_id = uuid.uuid4()
        async with state["pool"].acquire() as conn:
            await conn.execute(
                INSERT,
                row_id,
                body.phone_number,
                body.contact_name,
                body.message_text,
                body.channel,
                body.email,
            )
        await state["redis"].lpush(queue_key, json.dumps({"id": str(row_id)}))
        return {"status": "ok", "message_id": str(row_id), "job_id": str(row_id), "lead_id": str(row_id)}

    return app


def main() -> None:
    uvicorn.run(
        "bench.perf.floor:create_app",
        factory=True,
        host="127.0.0.1",
        port=int(os.environ["FLOOR_PORT"]),
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
