"""The server on the test's own event loop, driven by an aiohttp client."""

from __future__ import annotations

import asyncio

import aiohttp
import orjson

from k8sdoctor.fakeapi import FakeApiServer


async def test_serves_on_the_running_loop(scenario):
    async with FakeApiServer() as server, aiohttp.ClientSession() as session:
        server.load_scenario(scenario)
        async with session.get(server.url + "/api/v1/namespaces/myproject/pods") as response:
            body = orjson.loads(await response.read())
        assert [p["metadata"]["name"] for p in body["items"]] == ["kafdrop-1-j4969"]
        params = {"watch": "1", "resourceVersion": body["metadata"]["resourceVersion"], "timeoutSeconds": "5"}
        async with session.get(server.url + "/api/v1/namespaces/myproject/pods", params=params) as response:
            assert response.headers["Content-Type"] == "application/json"
            asyncio.get_running_loop().call_later(0.05, server.delete, "Pod", "myproject", "kafdrop-1-j4969")
            event = orjson.loads(await response.content.readline())
        assert (event["type"], event["object"]["metadata"]["name"]) == ("DELETED", "kafdrop-1-j4969")
