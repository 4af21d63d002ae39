"""The previous floor, kept as a second row: the same job as bench.perf.floor, done the way a
first version would (sync psycopg2 and redis-py in FastAPI's thread pool). Its ratio shows how
today's intake compares with the bar the project used to measure against.

    FLOOR_DATABASE_URL=... FLOOR_REDIS_URL=... FLOOR_REDIS_KEY=... FLOOR_PORT=... \
        python -m bench.perf.floor_threadpool
"""

from __future__ import annotations

import json
import os
import uuid
from contextlib import asynccontextmanager

import psycopg2
import psycopg2.pool
import redis
import uvicorn
from fastapi import FastAPI

from shvya_gateway.schemas import InboundMessage

TABLE = """
CREATE TABLE IF NOT EXISTS bench_floor_intake (
    id uuid PRIMARY KEY,
    phone_number text NOT NULL,
    contact_name text NOT NULL,
    message_text text NOT NULL,
    channel text NOT NULL,
    email text,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""


def create_app() -> FastAPI:
    database_url = os.environ["FLOOR_DATABASE_URL"]
    queue_key = os.environ["FLOOR_REDIS_KEY"]
    state: dict = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        state["pool"] = psycopg2.pool.ThreadedConnectionPool(1, 40, database_url)
        state["redis"] = redis.Redis.from_url(os.environ["FLOOR_REDIS_URL"], max_connections=64)
        conn = state["pool"].getconn()
        with conn, conn.cursor() as cur:
            cur.execute(TABLE)
        state["pool"].putconn(conn)
        yield
        state["redis"].close()
        state["pool"].closeall()

    app = FastAPI(lifespan=lifespan)

    @app.get("/readyz")
    def ready() -> dict:
        return {"status": "ok"}

    @app.post("/inbound-message")
    def inbound(body: InboundMessage) -> dict:
        row_id = uuid.uuid4()
        conn = state["pool"].getconn()
        try:
            with conn, conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO bench_floor_intake (id, phone_number, contact_name, message_text, channel, email)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    (
                        str(row_id),
                        body.phone_number,
                        body.contact_name,
                        body.message_text,
                        body.channel,
                        body.email,
                    ),
                )
        finally:
            state["pool"].putconn(conn)
        state["redis"].lpush(queue_key, json.dumps({"id": str(row_id)}))
        return {"status": "ok", "message_id": str(row_id), "job_id": str(row_id), "lead_id": str(row_id)}

    return app


def main() -> None:
    uvicorn.run(
        "bench.perf.floor_threadpool:create_app",
        factory=True,
        host="127.0.0.1",
        port=int(os.environ["FLOOR_PORT"]),
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
