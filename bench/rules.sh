#!/bin/sh
# Rules bench: a frontend with 1,000 `use_backend` rules on hdr(host) and
# a 100,000-entry map, cfgrun against HAProxy (Debian's haproxy package),
# the same configuration text, the same nginx behind, in one run, side by
# side, on loopback.
#
#   cd BUILDDIR && /path/to/src/bench/rules.sh
#   BENCH_ROUNDS=3 BENCH_SECONDS=5 bench/rules.sh
#
# The configuration: rule i is `use_backend b<i mod 10> if { hdr(host) -i
# h<i>.rules.test }` for i < 1,000; before them one rule sends a Host the
# map knows to the backend the map names (`map(hosts.map)`, 100,000
# entries m<j>.map.test -> b<j mod 10>); ten backends of one nginx server
# each. Measured per proxy, ROUNDS times, interleaved, best kept:
#   last-rule requests/s   wrk -t1 -c32, Host h999.rules.test: the map
#                          misses, then every one of the 1,000 rules is
#                          evaluated before the last matches
#   map requests/s         Host m99999.map.test: found in the map
# and, for cfgrun only, the allocations a request costs: cfgrun runs under
# an LD_PRELOAD shim counting malloc/calloc/realloc calls (printed at
# exit); one keep-alive client sends N and then 2N requests in two runs,
# and the difference over N is the per-request count (0 is the goal:
# buffers, rule state and samples come from pools and the stream).
# Reported with the ratios cfgrun/HAProxy. Bounded: every client run
# lasts BENCH_SECONDS, every wait has a deadline.
set -eu
. "$(dirname "$0")/lib.sh"
bench_need haproxy nginx-light wrk python3 gcc
bench_find_tools
ROUNDS=${BENCH_ROUNDS:-2}
SECS=${BENCH_SECONDS:-4}
ALLOC_N=${BENCH_ALLOC_N:-2000}
PY=$(command -v /usr/bin/python3 || command -v python3)
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
BASE=${BENCH_PORT_BASE:-28800}
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

"$PY" - "$work" "$P_HTTP" "$P_NGINX" "$(nproc)" <<'PYEOF'
import sys
work, port, nport, nt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(work + "/hosts.map", "w") as f:
    for j in range(100000):
        f.write("m%d.map.test b%d\n" % (j, j % 10))
with open(work + "/proxy.cfg", "w") as f:
    f.write("global\n    maxconn 2000\n    nbthread %s\n\n" % nt)
    f.write("defaults\n    mode http\n    timeout connect 5s\n"
            "    timeout client 60s\n    timeout server 60s\n\n")
    f.write("frontend fe\n    bind 127.0.0.1:%d\n" % port)
    f.write("    use_backend %%[req.hdr(host),lower,map(%s/hosts.map)] "
            "if { req.hdr(host),lower,map(%s/hosts.map) -m found }\n"
            % (work, work))
    for i in range(1000):
        f.write("    use_backend b%d if { hdr(host) -i h%d.rules.test }\n"
                % (i % 10, i))
    f.write("    default_backend b0\n\n")
    for b in range(10):
        f.write("backend b%d\n    server nginx 127.0.0.1:%d\n\n" % (b, nport))
PYEOF
"$CFGC" "$work/proxy.cfg" -o "$work/proxy.plan"

# The allocation counter: counts, prints at exit to the file named by
# $ALLOC_OUT (the dynamic loader's own allocations before main included,
# which the difference of two runs cancels).
cat >"$work/count.c" <<'CEOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
static atomic_ulong n;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static char early[1 << 16];
static size_t early_used;
static void *early_alloc(size_t s)
{
	void *p = early + early_used;
	early_used += (s + 15) & ~(size_t)15;
	return early_used <= sizeof(early) ? p : NULL;
}
void *malloc(size_t s)
{
	if (!real_malloc)
		real_malloc = dlsym(RTLD_NEXT, "malloc");
	n++;
	return real_malloc(s);
}
void *calloc(size_t a, size_t b)
{
	if (!real_calloc) {
		/* dlsym itself may calloc: serve it from a static area */
		static int in;
		if (in)
			return early_alloc(a * b);
		in = 1;
		real_calloc = dlsym(RTLD_NEXT, "calloc");
		in = 0;
	}
	n++;
	return real_calloc(a, b);
}
void *realloc(void *p, size_t s)
{
	if (!real_realloc)
		real_realloc = dlsym(RTLD_NEXT, "realloc");
	n++;
	return real_realloc(p, s);
}
void free(void *p)
{
	static void (*real_free)(void *);
	if ((char *)p >= early && (char *)p < early + sizeof(early))
		return;
	if (!real_free)
		real_free = dlsym(RTLD_NEXT, "free");
	real_free(p);
}
__attribute__((destructor)) static void report(void)
{
	const char *f = getenv("ALLOC_OUT");
	FILE *o = f ? fopen(f, "w") : NULL;
	if (o) {
		fprintf(o, "%lu\n", (unsigned long)n);
		fclose(o);
	}
}
CEOF
gcc -O2 -shared -fPIC -o "$work/count.so" "$work/count.c" -ldl

cat >"$work/client.py" <<'PYEOF'
import socket, sys
port, n, host = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.create_connection(("127.0.0.1", port), 10)
s.settimeout(10)
req = b"GET / HTTP/1.1\r\nHost: " + host.encode() + b"\r\n\r\n"
buf = b""
for i in range(n):
    s.sendall(req)
    while True:
        h = buf.find(b"\r\n\r\n")
        if h >= 0:
            head = buf[:h].lower()
            cl = int(head.split(b"content-length:")[1].split(b"\r\n")[0])
            if len(buf) >= h + 4 + cl:
                if not head.startswith(b"http/1.1 200"):
                    sys.exit("bench: not 200: %r" % head[:40])
                buf = buf[h + 4 + cl:]
                break
        d = s.recv(65536)
        if not d:
            sys.exit("bench: closed after %d requests" % i)
        buf += d
s.close()
PYEOF

wrk_run() {	# wrk_run HOST: "REQUESTS_PER_S"
	wrk -t1 -c32 -d"${SECS}s" -H "Host: $1" "http://127.0.0.1:$P_HTTP/" \
	    >"$work/wrk" 2>&1 || true
	if grep -q 'Non-2xx\|Socket errors' "$work/wrk"; then
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
	counted) ALLOC_OUT=$work/alloc LD_PRELOAD=$work/count.so \
	         "$CFGRUN" -q "$work/proxy.plan" >"$work/p.log" 2>&1 & ;;
	esac
	ppid=$!
	wait_port "$P_HTTP"
}

stop() {
	kill "$ppid" 2>/dev/null || true
	wait "$ppid" 2>/dev/null || true
}

allocs() {	# allocs N HOST: cfgrun's allocations for N requests (and start)
	start counted
	"$PY" "$work/client.py" "$P_HTTP" "$1" "$2"
	stop
	cat "$work/alloc"
}

echo "bench/rules.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds of ${SECS}s"
echo "  haproxy: $("$HAPROXY" -v | head -n 1 | cut -d' ' -f1-3); 1,000 use_backend rules, a 100,000-entry map"
: >"$work/res"
for r in $(seq "$ROUNDS"); do
	for name in haproxy cfgrun; do
		start "$name"
		echo "$name $(wrk_run h999.rules.test) $(wrk_run m99999.map.test)" >>"$work/res"
		stop
	done
done
for host in h999.rules.test m99999.map.test; do
	a1=$(allocs "$ALLOC_N" "$host")
	a2=$(allocs $((2 * ALLOC_N)) "$host")
	echo "alloc $host $a1 $a2" >>"$work/res"
done
"$PY" - "$work/res" "$ALLOC_N" <<'PYEOF'
import sys
best, alloc = {}, {}
n = int(sys.argv[2])
for l in open(sys.argv[1]):
    f = l.split()
    if f[0] == "alloc":
        alloc[f[1]] = (int(f[3]) - int(f[2])) / n
        continue
    a, b = float(f[1]), float(f[2])
    o = best.get(f[0], (0, 0))
    best[f[0]] = (max(o[0], a), max(o[1], b))
print("%-8s %20s %16s" % ("", "last rule req/s", "map req/s"))
for k in ("haproxy", "cfgrun"):
    print("%-8s %20.0f %16.0f" % (k, best[k][0], best[k][1]))
h, c = best["haproxy"], best["cfgrun"]
print("ratios cfgrun/haproxy: last rule %.2fx, map %.2fx" % (c[0] / h[0], c[1] / h[1]))
# a difference below zero is one allocation less in the longer run
# (a timer or a log line): shown as 0
print("cfgrun allocations per request: last rule %.2f, map %.2f (over %d requests)"
      % (max(0.0, alloc["h999.rules.test"]), max(0.0, alloc["m99999.map.test"]), n))
PYEOF
