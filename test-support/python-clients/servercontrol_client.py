"""A ServerControl client in Python with `websockets`: listens to the stream, pings once, and prints
every message as one JSON line, the way the real desktop client consumes it.
Usage: servercontrol_client.py <ws-url> <seconds>"""

import asyncio
import json
import sys

import websockets


async def main(url: str, seconds: float) -> None:
    async with websockets.connect(url) as socket:
        await socket.send(json.dumps({"type": "ping"}))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            try:
                message = await asyncio.wait_for(socket.recv(), timeout=deadline - loop.time())
            except asyncio.TimeoutError:
                break
            print(json.dumps(json.loads(message)), flush=True)


asyncio.run(main(sys.argv[1], float(sys.argv[2])))
