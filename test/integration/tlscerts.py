"""tlscerts: the certificates every TLS integration test uses.

make(directory) runs the `openssl` command-line tool to build, in that
directory, a small PKI and returns a Certs whose attributes are file paths:

  ca, ca_key            root CA (RSA-2048, self-signed), PEM
  inter, inter_key      an intermediate CA signed by the root
  rsa                   leaf RSA-2048, CN www.example.test, SANs
                        www.example.test and example.test: cert + key in one
                        PEM (HAProxy's usual layout)
  rsa_crt, rsa_key      the same leaf as two files (FILE and FILE.key layout:
                        rsa_crt is "<dir>/split.pem", its key
                        "<dir>/split.pem.key")
  ecdsa                 leaf ECDSA P-256 for the same names as rsa, one PEM
  other                 leaf RSA for other.test (SNI selection)
  wild                  leaf RSA for *.wild.test (wildcard SNI)
  chained               leaf signed by the intermediate, PEM with the
                        intermediate after it (complete chain) and the key
  chainless             the same leaf and key without the intermediate
                        (incomplete chain)
  expired               leaf that expired in 2020 (expired.test)
  expiring              leaf that expires in 10 days (soon.test)
  mismatch              a certificate (www.example.test) with a key that is
                        not its own
  client, client_key    client certificate (CN alice, O Example) signed by
                        the root CA; client_pem holds both
  rogue_client          a self-signed client certificate and key (not
                        signed by the CA), one PEM

Every leaf is signed by the root unless said otherwise, and its PEM holds
the chain up to the root (complete), except chainless. Serial numbers are
fixed where a test may read them (client: 0x1001). Keys are unencrypted.
Subject names carry no secret; the files live in the test's private
temporary directory.
"""
import os
import ssl
import subprocess

OPENSSL = os.environ.get("OPENSSL", "openssl")


class Certs:
    pass


def _run(args, cwd):
    r = subprocess.run([OPENSSL] + args, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed: %s"
                           % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout


def _cat(out, *parts):
    with open(out, "wb") as f:
        for p in parts:
            with open(p, "rb") as src:
                f.write(src.read())
    return out


_CA_CNF = """
[ ca ]
default_ca = hapc_ca
[ hapc_ca ]
database = {d}/index-{tag}.txt
new_certs_dir = {d}
serial = {d}/serial-{tag}
default_md = sha256
policy = anything
unique_subject = no
preserve = yes
copy_extensions = copy
[ anything ]
countryName = optional
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_client ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _key(d, name, kind):
    path = os.path.join(d, name)
    if kind == "ec":
        _run(["genpkey", "-algorithm", "EC", "-pkeyopt",
              "ec_paramgen_curve:P-256", "-out", path], d)
    else:
        _run(["genpkey", "-algorithm", "RSA", "-pkeyopt",
              "rsa_keygen_bits:2048", "-out", path], d)
    return path


class _Signer:
    """A CA that signs CSRs through `openssl ca` (explicit dates)."""

    def __init__(self, d, tag, crt, key):
        self.d, self.tag, self.crt, self.key = d, tag, crt, key
        self.cnf = os.path.join(d, "ca-%s.cnf" % tag)
        with open(self.cnf, "w") as f:
            f.write(_CA_CNF.format(d=d, tag=tag))
        open(os.path.join(d, "index-%s.txt" % tag), "w").close()
        with open(os.path.join(d, "serial-%s" % tag), "w") as f:
            f.write("2000\n")

    def sign(self, name, key, subj, ext, sans=(), serial=None,
             start=None, end=None, days=825):
        d = self.d
        csr = os.path.join(d, name + ".csr")
        args = ["req", "-new", "-key", key, "-subj", subj, "-out", csr]
        if sans:
            args += ["-addext", "subjectAltName=" +
                     ",".join("DNS:" + s for s in sans)]
        _run(args, d)
        if serial is not None:
            with open(os.path.join(d, "serial-%s" % self.tag), "w") as f:
                f.write("%04X\n" % serial)
        out = os.path.join(d, name + ".crt")
        args = ["ca", "-batch", "-config", self.cnf, "-cert", self.crt,
                "-keyfile", self.key, "-in", csr, "-out", out,
                "-extensions", ext, "-notext"]
        if start:
            args += ["-startdate", start, "-enddate", end]
        else:
            args += ["-days", str(days)]
        _run(args, d)
        return out


def revoke(d, crt, out):
    """Revoke `crt` (signed by the root CA of make(d)) and write the
    root's CRL, PEM, to `out`; returns out."""
    cnf = os.path.join(d, "ca-root.cnf")
    ca = ["-config", cnf, "-cert", os.path.join(d, "ca.pem"),
          "-keyfile", os.path.join(d, "ca.key")]
    _run(["ca"] + ca + ["-revoke", crt], d)
    _run(["ca"] + ca + ["-gencrl", "-crldays", "30", "-out", out], d)
    return out


def leaf_der(d, name):
    """The DER of leaf certificate `name` ("rsa", "other"...) made in d."""
    with open(os.path.join(d, name + ".crt")) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def client_ctx(alpn=None, cert=None, minv=None, maxv=None, ciphers=None):
    """A client context that does not check the server's certificate,
    offering ALPN `alpn`, presenting `cert` (a PEM with its key), limited
    to versions minv..maxv and to `ciphers`."""
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    if alpn:
        c.set_alpn_protocols(alpn)
    if cert:
        c.load_cert_chain(cert)
    if minv:
        c.minimum_version = minv
    if maxv:
        c.maximum_version = maxv
    if ciphers:
        c.set_ciphers(ciphers)
    return c


def make(d):
    """Build the PKI in directory d (created if needed); returns Certs."""
    os.makedirs(d, exist_ok=True)
    c = Certs()
    j = lambda n: os.path.join(d, n)
    cnf = j("req.cnf")
    with open(cnf, "w") as f:
        f.write(_CA_CNF.format(d=d, tag="req"))

    c.ca_key = _key(d, "ca.key", "rsa")
    c.ca = j("ca.pem")
    _run(["req", "-x509", "-new", "-config", cnf, "-key", c.ca_key,
          "-subj", "/O=hapc tests/CN=hapc test root", "-days", "3650",
          "-extensions", "v3_ca", "-out", c.ca], d)
    root = _Signer(d, "root", c.ca, c.ca_key)

    c.inter_key = _key(d, "inter.key", "rsa")
    inter_crt = root.sign("inter", c.inter_key,
                          "/O=hapc tests/CN=hapc test intermediate", "v3_ca")
    c.inter = _cat(j("inter.pem"), inter_crt)
    inter = _Signer(d, "inter", c.inter, c.inter_key)

    def leaf(name, kind, cn, sans, signer=root, **kw):
        key = _key(d, name + ".key", kind)
        crt = signer.sign(name, key, "/CN=" + cn, "v3_leaf", sans, **kw)
        return key, crt

    k, crt = leaf("rsa", "rsa", "www.example.test",
                  ["www.example.test", "example.test"])
    c.rsa = _cat(j("rsa.pem"), crt, c.ca, k)
    c.rsa_crt = _cat(j("split.pem"), crt, c.ca)
    c.rsa_key = _cat(j("split.pem.key"), k)

    k, crt = leaf("ecdsa", "ec", "www.example.test",
                  ["www.example.test", "example.test"])
    c.ecdsa = _cat(j("ecdsa.pem"), crt, c.ca, k)

    k, crt = leaf("other", "rsa", "other.test", ["other.test"])
    c.other = _cat(j("other.pem"), crt, c.ca, k)

    k, crt = leaf("wild", "rsa", "*.wild.test", ["*.wild.test"])
    c.wild = _cat(j("wild.pem"), crt, c.ca, k)

    k, crt = leaf("chained", "rsa", "chained.test", ["chained.test"],
                  signer=inter)
    c.chained = _cat(j("chained.pem"), crt, c.inter, c.ca, k)
    c.chainless = _cat(j("chainless.pem"), crt, k)

    k, crt = leaf("expired", "rsa", "expired.test", ["expired.test"],
                  start="20200101000000Z", end="20200201000000Z")
    c.expired = _cat(j("expired.pem"), crt, c.ca, k)

    k, crt = leaf("expiring", "rsa", "soon.test", ["soon.test"], days=10)
    c.expiring = _cat(j("expiring.pem"), crt, c.ca, k)

    # A certificate with another leaf's key: www.example.test's ECDSA-less
    # twin signed fresh, paired with other.test's key.
    k, crt = leaf("mismatch", "rsa", "www.example.test", ["www.example.test"])
    c.mismatch = _cat(j("mismatch.pem"), crt, c.ca, j("other.key"))

    c.client_key = _key(d, "client.key", "rsa")
    key = c.client_key
    c.client = root.sign("client", key, "/O=Example/CN=alice", "v3_client",
                         serial=0x1001)
    c.client_pem = _cat(j("client.pem"), c.client, key)

    rk = _key(d, "rogue.key", "rsa")
    rcrt = j("rogue.crt")
    _run(["req", "-x509", "-new", "-config", cnf, "-key", rk,
          "-subj", "/O=Nobody/CN=mallory", "-days", "30", "-out", rcrt], d)
    c.rogue_client = _cat(j("rogue.pem"), rcrt, rk)
    return c


if __name__ == "__main__":
    import sys
    import tempfile
    out = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    certs = make(out)
    for k in sorted(vars(certs)):
        print("%-14s %s" % (k, getattr(certs, k)))
