#!/bin/sh
# Runtime bench: cfgrun against HAProxy (Debian's haproxy package) with the
# same configuration text, the same backends and the same clients, in one
# run, side by side, on loopback.
#
#   cd BUILDDIR && /path/to/src/bench/runtime.sh
#   BENCH_ROUNDS=3 BENCH_SECONDS=5 bench/runtime.sh   (defaults 2 and 4)
#
# Backends: nginx (one worker, a 1 KiB file, keep-alive) and an iperf3
# server. Proxies: one TCP frontend+backend in front of each. Measured per
# proxy, ROUNDS times, interleaved, best kept:
#   keep-alive requests/s  wrk -t1 -c32, HTTP/1.1 keep-alive through the proxy
#   new connections/s      wrk -t1 -c32 with "Connection: close" (nginx
#                          closes after each reply: one client connection
#                          and one server connection per request)
#   bulk Gbit/s            iperf3 -c, one stream, client to server
#   peak RSS               VmHWM of the proxy after all of the above
# Then, on the 1000 backends x 100 servers configuration: time from the
# start of the process to the first connection accepted and to the first
# reply served through it, and peak RSS (bench/first-accept.py): cfgrun on
# the plan (compiled beforehand, cfgc's time shown apart) against
# `haproxy -f` on the text.
# HAProxy runs with its defaults (nbthread = number of cores) and, as a
# second row, with one extra file holding "global / nbthread 1". cfgrun
# runs the same configuration with nbthread set to that same number of
# cores (the headline row) and, as a second row, with one thread. Each
# row shows how many threads the process really ran. Bounded: every
# client run lasts BENCH_SECONDS, every wait has a deadline; about 2.5
# minutes on 2 cores.
set -eu
. "$(dirname "$0")/lib.sh"
bench_need haproxy nginx-light wrk iperf3 python3 time
bench_find_tools
ROUNDS=${BENCH_ROUNDS:-2}
SECS=${BENCH_SECONDS:-4}
PY=$(command -v /usr/bin/python3 || command -v python3)
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
# Ports (loopback): BASE nginx, +1 iperf3 server, +2 proxy HTTP, +3 proxy
# bulk, +4 big-config frontend. Below the ephemeral range by default.
BASE=${BENCH_PORT_BASE:-28500}
P_NGINX=$BASE P_IPERF=$((BASE + 1)) P_HTTP=$((BASE + 2)) P_BULK=$((BASE + 3))
P_BIG=$((BASE + 4))

work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

for p in $P_NGINX $P_IPERF $P_HTTP $P_BULK $P_BIG; do
	if ss -Hltn "sport = :$p" | grep -q .; then
		echo "bench: port $p is in use; set BENCH_PORT_BASE" >&2; exit 2
	fi
done

# ---- backends ----------------------------------------------------------
mkdir -p "$work/www" "$work/nginx"
chmod 755 "$work" "$work/www"     # nginx's workers run as www-data
head -c 1024 /dev/zero | tr '\0' x >"$work/www/index.html"
cat >"$work/nginx.conf" <<EOF2
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$P_NGINX;
        root $work/www;
    }
}
EOF2
"$NGINX" -p "$work/nginx" -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/nginx/stderr" &
pids="$pids $!"
iperf3 -s -B 127.0.0.1 -p "$P_IPERF" >/dev/null 2>&1 &
pids="$pids $!"
wait_port "$P_NGINX"; wait_port "$P_IPERF"

# ---- the one configuration both proxies run ----------------------------
cat >"$work/proxy.cfg" <<EOF2
global
    maxconn 4096

defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend fe_http
    bind 127.0.0.1:$P_HTTP
    default_backend be_http

backend be_http
    server nginx 127.0.0.1:$P_NGINX

frontend fe_bulk
    bind 127.0.0.1:$P_BULK
    default_backend be_bulk

backend be_bulk
    server iperf3 127.0.0.1:$P_IPERF
EOF2
printf 'global\n    nbthread 1\n' >"$work/nbthread1.cfg"
# HAProxy's default thread count is the number of CPUs it may run on;
# cfgrun gets that number, then 1, written in its configuration.
NT=$(nproc)
for n in "$NT" 1; do
	sed "s/^global\$/global\\n    nbthread $n/" "$work/proxy.cfg" >"$work/proxy-$n.cfg"
	"$CFGC" "$work/proxy-$n.cfg" -o "$work/proxy-$n.plan"
done

# name|command
proxies="haproxy|$HAPROXY -db -f $work/proxy.cfg
haproxy nbthread 1|$HAPROXY -db -f $work/proxy.cfg -f $work/nbthread1.cfg
cfgrun|$CFGRUN -q $work/proxy-$NT.plan
cfgrun nbthread 1|$CFGRUN -q $work/proxy-1.plan"

wrk_run() {	# wrk_run PORT [HEADER]: "REQUESTS_PER_S REQUESTS"
	if [ $# -gt 1 ]; then
		wrk -t1 -c32 -d"${SECS}s" -H "$2" "http://127.0.0.1:$1/" >"$work/wrk" 2>&1 || true
	else
		wrk -t1 -c32 -d"${SECS}s" "http://127.0.0.1:$1/" >"$work/wrk" 2>&1 || true
	fi
	if grep -q 'Non-2xx' "$work/wrk"; then
		echo "bench: wrk got error replies, the numbers would mean nothing:" >&2
		cat "$work/wrk" >&2
		: >"$work/invalid"
	fi
	bad=$(awk '/Socket errors/ { print }' "$work/wrk" | tr -s ' ')
	if [ -n "$bad" ]; then echo "$bad" >>"$work/errors"; fi
	awk '/^Requests\/sec:/ { r = $2 } / requests in / { n = $1 }
	     END { print (r == "" ? 0 : r), (n == "" ? 0 : n) }' "$work/wrk"
}

iperf_run() {	# iperf_run PORT: "GBIT_PER_S BYTES" received
	iperf3 -c 127.0.0.1 -p "$1" -t "$SECS" -J >"$work/iperf.json" 2>&1 || true
	"$PY" -c '
import json, sys
try:
    s = json.load(open(sys.argv[1]))["end"]["sum_received"]
    print("%.2f %d" % (s["bits_per_second"] / 1e9, s["bytes"]))
except Exception as e:
    print("0 0")
    print("bench: iperf3 failed: %s" % open(sys.argv[1]).read()[-300:], file=sys.stderr)
' "$work/iperf.json"
}

TCK=$(getconf CLK_TCK)
proc_cpu() {	# proc_cpu PID: CPU seconds (user + system, all threads) so far
	awk -v t="$TCK" '{ printf "%.2f\n", ($14 + $15) / t }' "/proc/$1/stat"
}

per() {	# per CPU0 CPU1 COUNT SCALE: (CPU1 - CPU0) * SCALE / COUNT, 3 digits
	awk -v a="$1" -v b="$2" -v n="$3" -v k="$4" \
	    'BEGIN { if (n + 0 == 0) print "0"; else printf "%.3g\n", (b - a) * k / n }'
}

echo "bench/runtime.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds of ${SECS}s"
echo "  haproxy: $("$HAPROXY" -v | head -n 1 | cut -d' ' -f1-3); nginx:" \
     "$("$NGINX" -v 2>&1 | sed 's/.*version: //'); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2);" \
     "$(iperf3 -v | head -n 1 | cut -d' ' -f1-2)"
echo "  cfgrun:  $CFGRUN"
: >"$work/res"
: >"$work/errors"

# Direct to the backends: the ceiling of this machine.
ka=$(wrk_run "$P_NGINX"); cl=$(wrk_run "$P_NGINX" 'Connection: close')
bulk=$(iperf_run "$P_IPERF")
echo "direct|${ka% *}|${cl% *}|${bulk% *}|0|0|0|0|-" >>"$work/res"

# One line per proxy and round: name|keep-alive req/s|new conn/s|bulk
# Gbit/s|peak RSS KB|CPU us per keep-alive request|CPU us per new
# connection|CPU s per GB of bulk|threads. The CPU is the proxy's own (all
# its threads), read from /proc around each client run; threads is how
# many the process had at the end.
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	r=$((r + 1))
	echo "$proxies" | while IFS='|' read -r name cmd; do
		# shellcheck disable=SC2086
		$cmd >"$work/proxy.out" 2>&1 &
		pid=$!
		if ! wait_port "$P_HTTP" || ! wait_port "$P_BULK"; then
			cat "$work/proxy.out" >&2; kill "$pid" 2>/dev/null
			: >"$work/invalid"; exit 1
		fi
		c0=$(proc_cpu "$pid"); ka=$(wrk_run "$P_HTTP")
		c1=$(proc_cpu "$pid"); cl=$(wrk_run "$P_HTTP" 'Connection: close')
		c2=$(proc_cpu "$pid"); bulk=$(iperf_run "$P_BULK")
		c3=$(proc_cpu "$pid")
		rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
		nth=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
		kill "$pid"; wait "$pid" 2>/dev/null || true
		echo "$name|${ka% *}|${cl% *}|${bulk% *}|$rss|$(per "$c0" "$c1" "${ka#* }" 1e6)|$(per "$c1" "$c2" "${cl#* }" 1e6)|$(per "$c2" "$c3" "${bulk#* }" 1e9)|$nth" >>"$work/res"
		# the listeners are gone before the next proxy binds them
		sleep 0.5
	done
done

if [ -e "$work/invalid" ]; then echo "bench: stopped, see above" >&2; exit 1; fi
# best of the rounds: highest rates and RSS, lowest CPU costs
awk -F'|' '{ n = $1; seen[n] = 1
	for (f = 2; f <= 8; f++) {
		k = n SUBSEP f
		if (!(k in b) || (f <= 5 ? $f > b[k] : $f < b[k])) b[k] = $f
	}
	th[n] = $9 }
	END { for (n in seen) { line = n
		for (f = 2; f <= 8; f++) line = line "|" b[n, f]
		print line "|" th[n] } }' "$work/res" >"$work/best"
get() { awk -F'|' -v k="$1" -v f="$2" '$1 == k { print $f }' "$work/best"; }

echo
printf '%-20s %8s %14s %14s %10s %12s\n' "" "threads" "keepalive_rps" "new_conn/s" "bulk_Gbps" "peak_RSS_MB"
for n in direct haproxy "haproxy nbthread 1" cfgrun "cfgrun nbthread 1"; do
	rss=$(get "$n" 5)
	[ "$n" = direct ] && rss=- || rss=$(bench_div "$rss" 1024 %.1f)
	printf '%-20s %8s %14s %14s %10s %12s\n' "$n" "$(get "$n" 9)" "$(get "$n" 2)" \
	    "$(get "$n" 3)" "$(get "$n" 4)" "$rss"
done
echo "CPU the proxy spent (user + system, all threads; hardly moved by other load):"
printf '%-20s %14s %14s %10s\n' "" "us/request" "us/new_conn" "s/GB"
for n in haproxy "haproxy nbthread 1" cfgrun "cfgrun nbthread 1"; do
	printf '%-20s %14s %14s %10s\n' "$n" "$(get "$n" 6)" "$(get "$n" 7)" "$(get "$n" 8)"
done
# Headline: both at their thread count per CPU; then one thread each; then
# cfgrun's one thread against HAProxy's default (the earlier headline).
for pair in "cfgrun|haproxy" "cfgrun nbthread 1|haproxy nbthread 1" \
            "cfgrun nbthread 1|haproxy"; do
	c=${pair%|*} h=${pair#*|}
	echo "ratios $c / $h:"
	echo "  keep-alive requests/s $(bench_div "$(get "$c" 2)" "$(get "$h" 2)")   (target >= 1.1)"
	echo "  new connections/s     $(bench_div "$(get "$c" 3)" "$(get "$h" 3)")"
	echo "  bulk throughput       $(bench_div "$(get "$c" 4)" "$(get "$h" 4)")   (target >= 1.1)"
	echo "  peak RSS              $(bench_div "$(get "$c" 5)" "$(get "$h" 5)")"
	echo "  CPU efficiency ($h's CPU / $c's for the same work; > 1: cfgrun cheaper):"
	echo "    per request $(bench_div "$(get "$h" 6)" "$(get "$c" 6)")," \
	     "per new connection $(bench_div "$(get "$h" 7)" "$(get "$c" 7)")," \
	     "per GB $(bench_div "$(get "$h" 8)" "$(get "$c" 8)")"
done
if [ -s "$work/errors" ]; then
	echo "client errors seen (wrk):"; sort "$work/errors" | uniq -c | sed 's/^/  /'
fi

# ---- start-up on 1000 backends x 100 servers ---------------------------
"$PY" "$bench_top/bench/gen-config.py" --backends 1000 --servers 100 \
    --bind "127.0.0.1:$P_BIG" --default "127.0.0.1:$P_NGINX" -o "$work/big.cfg"
bench_time cm "$CFGC" "$work/big.cfg" -o "$work/big.plan"
cm_wall=$(echo "$cm" | cut -d' ' -f1) cm_rss=$(echo "$cm" | cut -d' ' -f2)
: >"$work/start"
r=0
while [ "$r" -lt "$((ROUNDS + 1))" ]; do
	r=$((r + 1))
	echo "cfgrun|$("$PY" "$bench_top/bench/first-accept.py" --port "$P_BIG" -- "$CFGRUN" -q "$work/big.plan")" >>"$work/start"
	echo "haproxy|$("$PY" "$bench_top/bench/first-accept.py" --port "$P_BIG" -- "$HAPROXY" -db -f "$work/big.cfg")" >>"$work/start"
done
best() {	# best NAME FIELD(1=connect,2=served,3=rss,4=cpu): min time / max rss
	awk -F'|' -v k="$1" -v f="$2" '$1 == k { split($2, v, " ");
		if (n++ == 0 || (f != 3 ? v[f] < b : v[f] > b)) b = v[f] } END { print b }' "$work/start"
}
echo
echo "start-up, 1000 backends x 100 servers ($(wc -c <"$work/big.cfg") bytes of text, $(wc -c <"$work/big.plan") bytes of plan):"
printf '  %-22s %12s %12s %12s %8s\n' "" "connect_s" "served_s" "peak_RSS_MB" "cpu_s"
for n in haproxy cfgrun; do
	printf '  %-22s %12s %12s %12s %8s\n' "$n" "$(best $n 1)" "$(best $n 2)" \
	    "$(bench_div "$(best $n 3)" 1024 %.1f)" "$(best $n 4)"
done
printf '  %-22s %12s %12s %12s\n' "(cfgc -o, beforehand)" "$cm_wall" "" \
    "$(bench_div "$cm_rss" 1024 %.1f)"
echo "ratios haproxy / cfgrun:"
echo "  start to first reply  $(bench_div "$(best haproxy 2)" "$(best cfgrun 2)" %.1f)x   (target >= 20)"
echo "  CPU time of the whole run (start, one reply, stop): $(bench_div "$(best haproxy 4)" "$(best cfgrun 4)" %.1f)x   (less sensitive to load)"
echo "  start to first reply, cfgc's compile time added to cfgrun's" \
     "$(bench_div "$(best haproxy 2)" "$(awk -v a="$(best cfgrun 2)" -v b="$cm_wall" 'BEGIN { print a + b }')" %.1f)x"
echo "ratio cfgrun / haproxy peak RSS: $(bench_div "$(best cfgrun 3)" "$(best haproxy 3)")   (target <= 0.25)"
