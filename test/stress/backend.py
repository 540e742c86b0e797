#!/usr/bin/python3
"""backend.py MODE PORT...: the stress suite's test server, one process
(started apart from the clients so that neither waits on the other's
interpreter), asyncio protocols so that one process holds thousands of
connections cheaply.

MODE echo: every byte read is written back; at EOF the write side is shut
once everything is written. Reading pauses while the socket's write
buffer is full (flow control: a client that does not read costs the
backend a bounded buffer, not its memory).

MODE http: HTTP/1.1 with keep-alive. `GET /obj/SIZE/SEED` answers 200
with the SIZE bytes of stresslib.chunks(SEED, SIZE) (Content-Length),
written as the socket takes them (so a large answer is never whole in
memory); any other path answers 404. A request body (Content-Length) is
read and dropped. Requests are not pipelined by the stress clients.

Prints "ready PORT..." on stdout once every port listens; runs until
killed."""
import asyncio
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stresslib as S

HEAD_MAX = 16384


class Flow(asyncio.Protocol):
    """Pauses reading while the transport's write buffer is above its
    high-water mark; pump() (if any) writes more once it drains."""
    paused = False

    def connection_made(self, transport):
        self.t = transport
        transport.set_write_buffer_limits(high=256 * 1024)

    def pause_writing(self):
        self.paused = True
        self.t.pause_reading()

    def resume_writing(self):
        self.paused = False
        self.t.resume_reading()
        self.pump()

    def pump(self):
        pass


class Echo(Flow):
    def data_received(self, data):
        self.t.write(data)

    def eof_received(self):
        if self.t.can_write_eof():
            self.t.write_eof()
        return True


class Http(Flow):
    def connection_made(self, transport):
        super().connection_made(transport)
        self.buf = b""
        self.skip = 0              # request body bytes still to drop
        self.body = None           # the answer's chunks still to write

    def data_received(self, data):
        self.buf += data
        while True:
            if self.skip:
                n = min(self.skip, len(self.buf))
                self.skip -= n
                self.buf = self.buf[n:]
                if self.skip:
                    return
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > HEAD_MAX:
                    self.t.close()
                return
            head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4:]
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            close = False
            for l in lines[1:]:
                k, _, v = l.partition(":")
                k, v = k.strip().lower(), v.strip()
                if k == "content-length":
                    self.skip = int(v)
                elif k == "connection" and v.lower() == "close":
                    close = True
            self.answer(parts[1] if len(parts) > 1 else "", close)
            if close or self.body is not None:
                return

    def answer(self, path, close):
        f = path.split("/")
        self.close_after = close
        if len(f) == 4 and f[1] == "obj" and f[2].isdigit() and f[3].isdigit():
            size = int(f[2])
            self.t.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n"
                         % (size, b"Connection: close\r\n" if close else b""))
            self.body = S.chunks(int(f[3]), size)
        else:
            self.t.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            self.body, self.close_after = iter(()), True
        self.pump()

    def pump(self):
        """Write the body's chunks while the socket takes them."""
        while self.body is not None and not self.paused:
            c = next(self.body, None)
            if c is None:
                self.body = None
                if self.close_after:
                    self.t.close()
                return
            self.t.write(c)


async def main(mode, ports):
    loop = asyncio.get_running_loop()
    proto = {"echo": Echo, "http": Http}[mode]
    for p in ports:
        await loop.create_server(proto, "127.0.0.1", p, backlog=8192,
                                 reuse_address=True)
    print("ready " + " ".join(map(str, ports)), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    S.raise_nofile()
    asyncio.run(main(sys.argv[1], [int(p) for p in sys.argv[2:]]))
