"""A GPU usage stream client written the way the protocol's document writes one, in Python with the
`websockets` package: subscribe, then print every message as one JSON line. Used by a test to check that
a client not written by us reads our agent. Usage: gpu_usage_client.py <ws-url> <seconds>"""

import asyncio
import json
import sys

import websockets


async def main(url: str, seconds: float) -> None:
    async with websockets.connect(url) as socket:
        await socket.send("subscribe:usage")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            try:
                message = await asyncio.wait_for(socket.recv(), timeout=deadline - loop.time())
            except asyncio.TimeoutError:
                break
            print(json.dumps(json.loads(message)), flush=True)


asyncio.run(main(sys.argv[1], float(sys.argv[2])))
