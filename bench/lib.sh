# bench/lib.sh: helpers shared by the bench scripts (sourced, not run).
# Finds cfgc/cfgrun, installs missing Debian packages, measures a command's
# wall time and peak RSS, does the arithmetic of the ratios.

bench_top=$(cd "$(dirname "$0")/.." && pwd)

# cfgc and cfgrun: $CFGC/$CFGRUN, else $BUILDDIR, else the current
# directory (a VPATH build dir), else the source tree (in-tree build).
bench_find_tools() {
	for d in "${BUILDDIR:-}" "$(pwd)" "$bench_top"; do
		[ -n "$d" ] || continue
		if [ -z "${CFGC:-}" ] && [ -x "$d/cfgc" ]; then CFGC=$d/cfgc; fi
		if [ -z "${CFGRUN:-}" ] && [ -x "$d/cfgrun" ]; then CFGRUN=$d/cfgrun; fi
	done
	[ -n "${CFGC:-}" ] && [ -n "${CFGRUN:-}" ] || {
		echo "bench: cfgc/cfgrun not found; build first, then run from the build" \
		     "directory or set BUILDDIR=... (or CFGC=... CFGRUN=...)" >&2
		exit 2
	}
	export CFGC CFGRUN
}

# bench_need PKG...: apt-get install the Debian packages not installed yet
# (skipped with BENCH_SKIP_APT=1: then a missing tool is an error later).
bench_need() {
	[ "${BENCH_SKIP_APT:-0}" = 1 ] && return 0
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "bench: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null &&
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "bench: could not install$missing (run as root?)" >&2
		exit 2
	}
}

# bench_time OUTVAR CMD...: run CMD (bounded by $BENCH_CMD_TIMEOUT seconds,
# default 120) under /usr/bin/time; sets OUTVAR to
# "WALL_SECONDS PEAK_RSS_KB CPU_SECONDS" (CPU: user + system; unlike the
# wall time it hardly moves with other load on the machine).
# Wall time is taken around the whole run (ns clock, shown to the ms).
# CMD's own output is discarded; a failing CMD stops the bench.
bench_time() {
	_var=$1; shift
	_tf=$(mktemp)
	_t0=$(date +%s%N)
	if ! timeout "${BENCH_CMD_TIMEOUT:-120}" /usr/bin/time -f '%M %U %S' -o "$_tf" \
	     "$@" >/dev/null 2>&1; then
		echo "bench: failed: $*" >&2
		cat "$_tf" >&2
		rm -f "$_tf"
		exit 1
	fi
	_t1=$(date +%s%N)
	_rss=$(tail -n 1 "$_tf" | awk '{ printf "%s %.2f", $1, $2 + $3 }')
	rm -f "$_tf"
	eval "$_var=\"$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $_rss\""
}

# bench_div A B [FMT]: A / B printed with FMT (default %.2f); "n/a" if B is 0.
bench_div() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" \
	    'BEGIN { if (b + 0 == 0) print "n/a"; else printf f "\n", a / b }'
}

# bench_min A B...: the smallest number.
bench_min() {
	printf '%s\n' "$@" | sort -g | head -n 1
}

# wait_port PORT: bounded wait (30 s) until 127.0.0.1:PORT accepts.
wait_port() {
	"${PY:-python3}" - "$1" <<'PYEOF'
import socket, sys, time
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.02)
print("bench: nothing listens on port %s after 30 s" % sys.argv[1], file=sys.stderr)
sys.exit(1)
PYEOF
}

# bench_nginx DIR PORT [TLSPORT CRT KEY]: start nginx (one worker,
# keep-alive, a 1 KiB index.html) under DIR on 127.0.0.1:PORT, and over
# TLS on TLSPORT with that certificate when given (session cache on), in
# the background; its pid in $nginx_pid (the caller records it for its
# cleanup, then wait_port PORT). Needs $NGINX.
bench_nginx() {
	mkdir -p "$1/www" "$1/nginx"
	chmod 755 "$1" "$1/www"
	head -c 1024 /dev/zero | tr '\0' x >"$1/www/index.html"
	cat >"$1/nginx.conf" <<EOF2
worker_processes 1;
worker_rlimit_nofile 65536;
pid $1/nginx/nginx.pid;
error_log $1/nginx/error.log;
events { worker_connections 30000; }
http {
    access_log off;
    client_body_temp_path $1/nginx/body;
    proxy_temp_path $1/nginx/proxy;
    fastcgi_temp_path $1/nginx/fastcgi;
    uwsgi_temp_path $1/nginx/uwsgi;
    scgi_temp_path $1/nginx/scgi;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$2;
        root $1/www;
    }
$(if [ -n "${3:-}" ]; then cat <<EOF3
    ssl_session_cache shared:hapc:1m;
    server {
        listen 127.0.0.1:$3 ssl;
        ssl_certificate $4;
        ssl_certificate_key $5;
        root $1/www;
    }
EOF3
fi)
}
EOF2
	"$NGINX" -p "$1/nginx" -c "$1/nginx.conf" -g 'daemon off;' 2>"$1/nginx/stderr" &
	nginx_pid=$!
}
