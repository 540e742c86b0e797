"""dnssrv: a small UDP DNS server for the resolvers tests (dns_resolve.py,
server_template.py), answering from a dict the test changes."""
import socket
import struct
import threading


class Dns:
    """A UDP nameserver (127.0.0.1, any port): `records[name]` is an IPv4 address
    or a list of them (A answers; AAAA gets an empty NOERROR), "NX"
    (NXDOMAIN) or "BAD" (a volley of malformed answers). `queries` counts
    what it received."""

    def __init__(self, addr=("127.0.0.1", 0)):
        self.records = {}
        self.queries = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(addr)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopped = False
        threading.Thread(target=self._loop, daemon=True).start()

    @staticmethod
    def _qname(pkt):
        labels, pos = [], 12
        while pkt[pos]:
            n = pkt[pos]
            labels.append(pkt[pos + 1:pos + 1 + n].decode())
            pos += 1 + n
        return ".".join(labels), pos + 1

    def _answers(self, pkt):
        qid = struct.unpack("!H", pkt[:2])[0]
        name, end = self._qname(pkt)
        qtype = struct.unpack("!H", pkt[end:end + 2])[0]
        question = pkt[12:end + 4]
        rec = self.records.get(name, "NX")

        def head(rcode, an, flags=0x8180):
            return struct.pack("!HHHHHH", qid, flags | rcode, 1, an, 0, 0)

        if rec == "NX":
            return [head(3, 0) + question]
        if rec == "BAD":
            a = struct.pack("!HHHIH", 0xc00c, 1, 1, 60, 4) + bytes([127, 0, 0, 9])
            return [
                head(0, 1)[:7],                                 # short header
                head(0, 1) + question + a[:9],                  # record cut
                head(0, 1) + question + struct.pack(            # bad rdlength
                    "!HHHIH", 0xc00c, 1, 1, 60, 9) + b"\x7f\0\0\x09",
                head(0, 1) + question + b"\xc0\x30" + a[2:],    # forward pointer
                head(0, 1) + question + b"\xc0\x22" + a[2:],    # self loop
                head(0, 1) + question[:-4] + b"\0\x05\0\x01" + a,  # other question
                struct.pack("!H", qid ^ 1) + head(0, 1)[2:] + question + a,  # wrong id
                head(0, 1, 0x8380) + question + a,              # truncated (TC)
                head(0, 1)[:12] + b"\x3fabc",                  # label past the end
            ]
        if qtype != 1:
            return [head(0, 0) + question]
        addrs = rec if isinstance(rec, list) else [rec]
        a = b"".join(struct.pack("!HHHIH", 0xc00c, 1, 1, 1, 4) +
                     socket.inet_aton(ip) for ip in addrs)
        return [head(0, len(addrs)) + question + a]

    def _loop(self):
        while not self.stopped:
            try:
                pkt, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            self.queries += 1
            for ans in self._answers(pkt):
                self.sock.sendto(ans, peer)

    def close(self):
        self.stopped = True
        self.sock.close()
