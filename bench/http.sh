#!/bin/sh
# HTTP bench: cfgrun against HAProxy (Debian's haproxy package) in HTTP
# mode, the same configuration text, the same nginx behind, the same
# clients, in one run, side by side, on loopback.
#
#   cd BUILDDIR && /path/to/src/bench/http.sh
#   BENCH_ROUNDS=3 BENCH_SECONDS=5 BENCH_IDLE=10000 bench/http.sh
#   BENCH_ROUNDS=0 bench/http.sh     (idle memory only: load-independent)
#
# The configuration: one HTTP frontend with one `http-request set-header`,
# one backend with nginx (one worker, a 1 KiB file, keep-alive), the
# default connection mode (keep-alive on both sides, http-reuse safe),
# nbthread = number of cores for both proxies. Measured per proxy, ROUNDS
# times, interleaved, best kept:
#   requests/s and p99 latency   wrk -t1 -c32 --latency, keep-alive
#   idle keep-alive memory       BENCH_IDLE client connections (default
#                                9,000: both proxies need 2 descriptors per
#                                connection and this sandbox caps them at
#                                20,000) each sends one request, reads the
#                                answer and stays open; the proxy's RSS
#                                (VmRSS) then, minus its RSS before
# Reported with the ratios cfgrun/HAProxy. Bounded: every client run
# lasts BENCH_SECONDS, every wait has a deadline.
set -eu
. "$(dirname "$0")/lib.sh"
bench_need haproxy nginx-light wrk python3
bench_find_tools
ROUNDS=${BENCH_ROUNDS:-2}
SECS=${BENCH_SECONDS:-4}
IDLE=${BENCH_IDLE:-9000}
PY=$(command -v /usr/bin/python3 || command -v python3)
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
BASE=${BENCH_PORT_BASE:-28600}
P_NGINX=$BASE P_HTTP=$((BASE + 1))

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

for p in $P_NGINX $P_HTTP; do
	if ss -Hltn "sport = :$p" | grep -q .; then
		echo "bench: port $p is in use; set BENCH_PORT_BASE" >&2; exit 2
	fi
done

bench_nginx "$work" "$P_NGINX"
pids="$pids $nginx_pid"
wait_port "$P_NGINX"

NT=$(nproc)
cat >"$work/proxy.cfg" <<EOF2
global
    maxconn $((IDLE + 500))
    nbthread $NT

defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 60s
    timeout http-keep-alive 120s

frontend fe
    bind 127.0.0.1:$P_HTTP
    http-request set-header X-Bench 1
    default_backend be

backend be
    server nginx 127.0.0.1:$P_NGINX
EOF2
"$CFGC" "$work/proxy.cfg" -o "$work/proxy.plan"

# The idle client: IDLE connections, one request each, then held.
cat >"$work/idle.py" <<'PYEOF'
import os, socket, sys, time
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def rss():
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
before = rss()
req = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
socks = []
deadline = time.monotonic() + 120
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), 10)
    s.sendall(req)
    socks.append(s)
    if len(socks) % 500 == 0 or i == n - 1:
        for c in socks[-500:]:
            got = b""
            while b"\r\n\r\n" not in got or len(got) < 1024:
                d = c.recv(65536)
                if not d:
                    print("closed", file=sys.stderr); sys.exit(1)
                got += d
    if time.monotonic() > deadline:
        print("idle: too slow", file=sys.stderr); sys.exit(1)
time.sleep(1)
print(before, rss())
PYEOF

wrk_run() {	# wrk_run: "REQUESTS_PER_S P99_MS"
	wrk -t1 -c32 -d"${SECS}s" --latency "http://127.0.0.1:$P_HTTP/" >"$work/wrk" 2>&1 || true
	if grep -q 'Non-2xx\|Socket errors' "$work/wrk"; then
		echo "bench: wrk saw errors, the numbers would mean nothing:" >&2
		cat "$work/wrk" >&2
		exit 1
	fi
	awk '/^Requests\/sec:/ { r = $2 }
	     /^ +99%/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
	                ms = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
	     END { printf "%s %.3f\n", r, ms }' "$work/wrk"
}

start() {	# start NAME: run the proxy in the background, PID in $ppid
	case "$1" in
	haproxy) "$HAPROXY" -db -f "$work/proxy.cfg" >"$work/p.log" 2>&1 & ;;
	cfgrun) "$CFGRUN" -q "$work/proxy.plan" >"$work/p.log" 2>&1 & ;;
	esac
	ppid=$!
	wait_port "$P_HTTP"
}

stop() {
	kill "$ppid" 2>/dev/null || true
	wait "$ppid" 2>/dev/null || true
}

echo "bench/http.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds of ${SECS}s, $IDLE idle connections"
echo "  haproxy: $("$HAPROXY" -v | head -n 1 | cut -d' ' -f1-3); nginx:" \
     "$("$NGINX" -v 2>&1 | sed 's/.*version: //'); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
: >"$work/res"
for r in $(seq "$ROUNDS"); do
	for name in haproxy cfgrun; do
		start "$name"
		echo "$name $(wrk_run)" >>"$work/res"
		stop
	done
done
for name in haproxy cfgrun; do
	start "$name"
	echo "$name idle $("$PY" "$work/idle.py" "$P_HTTP" "$IDLE" "$ppid")" >>"$work/res"
	stop
done
"$PY" - "$work/res" <<'PYEOF'
import sys
best = {}
idle = {}
for l in open(sys.argv[1]):
    f = l.split()
    if f[1] == "idle":
        idle[f[0]] = (int(f[2]), int(f[3]))
        continue
    rps, p99 = float(f[1]), float(f[2])
    if f[0] not in best or rps > best[f[0]][0]:
        best[f[0]] = (rps, p99)
print("%-8s %12s %10s %16s" % ("", "requests/s", "p99 ms", "idle RSS KB"))
for n in ("haproxy", "cfgrun"):
    b, a = idle[n]
    r, p = best.get(n, (0, 0))
    print("%-8s %12.0f %10.2f %16d" % (n, r, p, a - b))
hi, ci = idle["haproxy"], idle["cfgrun"]
mem = (ci[1] - ci[0]) / max(1, hi[1] - hi[0])
if best:
    h, c = best["haproxy"], best["cfgrun"]
    print("ratios cfgrun/haproxy: requests/s %.2fx, p99 %.2fx, idle memory %.2fx"
          % (c[0] / h[0], c[1] / h[1] if h[1] else 0, mem))
else:
    print("ratio cfgrun/haproxy: idle memory %.2fx" % mem)
PYEOF
