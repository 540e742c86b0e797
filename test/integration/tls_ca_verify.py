#!/usr/bin/env python3
"""bind `ca-verify-file`: CAs that verify client certificates without
being named to clients. A client certificate signed by the intermediate
CA, sent alone, is accepted on a bind with `ca-file` the intermediate and
`ca-verify-file` the root (the chain is completed by the intermediate
and anchored at the root), and refused on a bind with the same
`ca-file` alone; the CA names the server asks for (read with openssl
s_client) list the intermediate and not the root."""
import os
import socket
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtlib as T    # noqa: E402
import tlscerts      # noqa: E402

if not T.have_cfgc():
    T.skip("cfgc not built")

D = T.tmp("pki")
C = tlscerts.make(D)
ikey = tlscerts._key(D, "ivy.key", "rsa")
icrt = tlscerts._Signer(D, "inter-cv", C.inter, C.inter_key).sign(
    "ivy", ikey, "/O=Example/CN=ivy", "v3_client")
ivy = tlscerts._cat(os.path.join(D, "ivy.pem"), icrt, ikey)

sp = T.free_ports(1)[0]
server = T.Server("s0", ("127.0.0.1", sp))
p_both, p_ca = T.free_ports(2)
CFG = """
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen both
    bind 127.0.0.1:%d ssl crt %s verify required ca-file %s ca-verify-file %s
    server s 127.0.0.1:%d
listen ca_only
    bind 127.0.0.1:%d ssl crt %s verify required ca-file %s
    server s 127.0.0.1:%d
""" % (p_both, C.rsa, C.inter, C.ca, sp, p_ca, C.rsa, C.inter, sp)
plan = T.compile_cfg(CFG, "cav.cfg")
run = T.Cfgrun(plan)


def served(port, cert):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    c.load_cert_chain(cert)
    raw = socket.create_connection(("127.0.0.1", port), timeout=T.TIMEOUT)
    try:
        s = c.wrap_socket(raw)
        s.sendall(b"ping")
        data = b""
        while b"ping" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
        s.close()
        return T.greeting(data)[0] == "s0"
    except (ssl.SSLError, OSError):
        return False
    finally:
        raw.close()


T.check(served(p_both, ivy), "ca-file + ca-verify-file: the intermediate's "
        "client is served")
T.check(not served(p_ca, ivy), "ca-file alone: the same client is refused "
        "(no root to anchor the chain)")
T.check(served(p_both, C.client_pem), "a client signed by the root itself "
        "is served too")

r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % p_both,
                    "-cert", icrt, "-key", ikey],
                   input=b"", capture_output=True, timeout=T.TIMEOUT)
out = r.stdout.decode(errors="replace")
names = out.partition("Acceptable client certificate CA names")[2]
names = names.split("---")[0] if names else ""
T.check("hapc test intermediate" in names, "the intermediate is named to "
        "clients (%r)" % names.strip())
T.check("hapc test root" not in names, "the root is not named to clients")
rc, _ = run.stop()
T.check(rc == 0, "exit 0")
server.close()
T.done()
