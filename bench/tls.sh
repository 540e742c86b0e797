#!/bin/sh
# TLS bench: cfgrun against HAProxy (Debian's haproxy package) terminating
# TLS in HTTP mode, the same configuration text, the same nginx behind
# (plain HTTP), the same client, in one run, side by side, on loopback.
#
#   cd BUILDDIR && /path/to/src/bench/tls.sh
#   BENCH_ROUNDS=3 BENCH_SECONDS=5 bench/tls.sh
#   BENCH_QUICK=1 bench/tls.sh        # 1 round of 2 s: proves it runs
#
# Measured per proxy, ROUNDS times, interleaved, best kept:
#   handshakes/s  ECDSA P-256 and RSA-2048 certificates, wrk over https
#                 with `Connection: close`: every request is a new
#                 connection with a full handshake (wrk keeps no session)
#   requests/s    keep-alive over TLS (ECDSA), wrk -c32
#   to TLS server requests/s over plain HTTP with `Connection: close` to a
#                 backend reaching nginx over TLS (ECDSA) with
#                 `http-reuse never`: every request a new server
#                 connection, resumed from the server's last session;
#                 cfgrun's share of resumed handshakes from `show info`
# TLS 1.3 by default (both proxies' default maximum); BENCH_TLS=1.2 caps
# both at TLSv1.2. Reported with the ratios cfgrun/HAProxy (issue 13 asks
# for at least 1.1x). Bounded: every client run lasts BENCH_SECONDS,
# every wait has a deadline.
set -eu
. "$(dirname "$0")/lib.sh"
bench_need haproxy nginx-light wrk python3 openssl
bench_find_tools
ROUNDS=${BENCH_ROUNDS:-2}
SECS=${BENCH_SECONDS:-4}
if [ -n "${BENCH_QUICK:-}" ]; then ROUNDS=1 SECS=2; fi
PY=$(command -v /usr/bin/python3 || command -v python3)
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
BASE=${BENCH_PORT_BASE:-28700}
P_NGINX=$BASE P_EC=$((BASE + 1)) P_RSA=$((BASE + 2))
P_SRV=$((BASE + 3)) P_NGINX_TLS=$((BASE + 4))
case ${BENCH_TLS:-1.3} in
1.2) MAXVER="ssl-max-ver TLSv1.2" ;;
*) MAXVER="" ;;
esac

work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
ulimit -n 65536 2>/dev/null || true

for p in $P_NGINX $P_EC $P_RSA $P_SRV $P_NGINX_TLS; do
	if ss -Hltn "sport = :$p" | grep -q .; then
		echo "bench: port $p is in use; set BENCH_PORT_BASE" >&2; exit 2
	fi
done

# Certificates: one self-signed leaf per key type (the client does not
# verify; both proxies serve the same files).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$work/ec.key" -out "$work/ec.crt" -days 90 \
	-subj /CN=bench.example -addext subjectAltName=DNS:bench.example \
	2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes \
	-keyout "$work/rsa.key" -out "$work/rsa.crt" -days 90 \
	-subj /CN=bench.example -addext subjectAltName=DNS:bench.example \
	2>/dev/null
cat "$work/ec.crt" "$work/ec.key" >"$work/ec.pem"
cat "$work/rsa.crt" "$work/rsa.key" >"$work/rsa.pem"

bench_nginx "$work" "$P_NGINX" "$P_NGINX_TLS" "$work/ec.crt" "$work/ec.key"
pids="$pids $nginx_pid"
wait_port "$P_NGINX"
wait_port "$P_NGINX_TLS"

NT=$(nproc)
cat >"$work/proxy.cfg" <<EOF2
global
    maxconn 4000
    nbthread $NT
    stats socket $work/stats.sock

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s

frontend fe_ec
    bind 127.0.0.1:$P_EC ssl crt $work/ec.pem alpn http/1.1 $MAXVER
    default_backend be

frontend fe_rsa
    bind 127.0.0.1:$P_RSA ssl crt $work/rsa.pem alpn http/1.1 $MAXVER
    default_backend be

frontend fe_srv
    bind 127.0.0.1:$P_SRV
    default_backend be_tls

backend be
    server nginx 127.0.0.1:$P_NGINX

backend be_tls
    http-reuse never
    server nginx_tls 127.0.0.1:$P_NGINX_TLS ssl verify none $MAXVER
EOF2
"$CFGC" "$work/proxy.cfg" -o "$work/proxy.plan"

# wrk_run PORT [close]: requests/s (every request a handshake with close)
wrk_run() {
	if [ "${2:-}" = close ]; then
		set -- "$1" -H "Connection: close"
	else
		set -- "$1"
	fi
	port=$1
	shift
	scheme=https
	[ "$port" = "$P_SRV" ] && scheme=http
	wrk -t1 -c32 -d"${SECS}s" "$@" "$scheme://127.0.0.1:$port/" >"$work/wrk" 2>&1 || true
	if grep -q 'Non-2xx' "$work/wrk" ||
	   grep 'Socket errors' "$work/wrk" | grep -q '[1-9]' ||
	   ! grep -q '^Requests/sec:' "$work/wrk"; then
		echo "bench: wrk saw errors, the numbers would mean nothing:" >&2
		cat "$work/wrk" >&2
		exit 1
	fi
	awk '/^Requests\/sec:/ { print $2 }' "$work/wrk"
}

start() {	# start NAME: run the proxy in the background, PID in $ppid
	case "$1" in
	haproxy) "$HAPROXY" -db -f "$work/proxy.cfg" >"$work/p.log" 2>&1 & ;;
	cfgrun) "$CFGRUN" -q "$work/proxy.plan" >"$work/p.log" 2>&1 & ;;
	esac
	ppid=$!
	wait_port "$P_EC"
	wait_port "$P_RSA"
	wait_port "$P_SRV"
}

# cfgrun's handshakes to TLS servers so far: "full resumed failed"
srv_handshakes() {
	"$PY" - "$work/stats.sock" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(b"show info\n")
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
info = dict(l.split(": ", 1) for l in out.decode().splitlines() if ": " in l)
print(" ".join(info["SslBackend%sHandshakes" % k]
               for k in ("Full", "Resumed", "Failed")))
PYEOF
}

stop() {
	kill "$ppid" 2>/dev/null || true
	wait "$ppid" 2>/dev/null || true
}

echo "bench/tls.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds of ${SECS}s, TLS ${BENCH_TLS:-1.3}"
echo "  haproxy: $("$HAPROXY" -v | head -n 1 | cut -d' ' -f1-3)" \
     "($("$HAPROXY" -vv 2>/dev/null | sed -n 's/^Running on OpenSSL version : //p'));" \
     "cfgrun: BoringSSL; $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
: >"$work/res"
for r in $(seq "$ROUNDS"); do
	for name in haproxy cfgrun; do
		start "$name"
		echo "$name ecdsa $(wrk_run "$P_EC" close)" >>"$work/res"
		echo "$name rsa $(wrk_run "$P_RSA" close)" >>"$work/res"
		echo "$name keepalive $(wrk_run "$P_EC")" >>"$work/res"
		echo "$name tosrv $(wrk_run "$P_SRV" close)" >>"$work/res"
		if [ "$name" = cfgrun ]; then
			echo "$(srv_handshakes)" >"$work/hs"
		fi
		stop
	done
done
"$PY" - "$work/res" "$work/hs" <<'PYEOF'
import sys
best = {}
for l in open(sys.argv[1]):
    name, what, rate = l.split()
    k = (name, what)
    best[k] = max(best.get(k, 0.0), float(rate))
cols = (("ecdsa", "ECDSA handshakes/s"), ("rsa", "RSA handshakes/s"),
        ("keepalive", "keep-alive req/s"), ("tosrv", "to TLS server req/s"))
print("%-8s" % "" + "".join("%21s" % c[1] for c in cols))
for n in ("haproxy", "cfgrun"):
    print("%-8s" % n + "".join("%21.0f" % best[(n, c[0])] for c in cols))
def ratio(what):
    h = best[("haproxy", what)]
    return "%.2fx" % (best[("cfgrun", what)] / h) if h else "n/a (HAProxy: 0)"
print("ratios cfgrun/haproxy: " + ", ".join(
    "%s %s" % (c[1], ratio(c[0])) for c in cols))
full, resumed, failed = (int(x) for x in open(sys.argv[2]).read().split())
total = full + resumed + failed
print("cfgrun to the TLS server (last round): %d handshakes, %d full, "
      "%d resumed (%.1f%%), %d failed" % (total, full, resumed,
      100.0 * resumed / total if total else 0.0, failed))
PYEOF
