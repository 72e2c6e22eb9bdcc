"""A round-robin TCP load balancer for the browser tests: each new connection goes to the next
Trellis instance, as an L4 balancer in front of several `trellis serve` processes would send it.
   python3 balancer.py LISTEN_PORT BACKEND_PORT... (all on 127.0.0.1)
On SIGTERM it prints how many connections each instance got."""
import asyncio
import signal
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen_port, backends):
    served = [0] * len(backends)
    turn = 0

    async def handle(client_reader, client_writer):
        nonlocal turn
        index = turn % len(backends)
        turn += 1
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", backends[index])
        except OSError:
            client_writer.close()
            return
        served[index] += 1
        await asyncio.gather(pipe(client_reader, writer), pipe(reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()
    print("balancer: connections per instance: " + ", ".join(
        f"{port}: {count}" for port, count in zip(backends, served)), file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), [int(p) for p in sys.argv[2:]]))
