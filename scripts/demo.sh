#!/bin/sh
# Set everything up on Debian 12, then run the sample: compile
# samples/demo.cfg with cfgc, run the plan with cfgrun in front of two demo
# servers, and send a few connections through each kind of listener.
#   scripts/demo.sh              install, build, run the demo
#   HAPC_SKIP_SETUP=1 scripts/demo.sh   use the binaries already built
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
[ "${HAPC_SKIP_SETUP:-0}" = 1 ] || scripts/setup-debian.sh >/dev/null
CFGC=${CFGC:-$top/cfgc}
CFGRUN=${CFGRUN:-$top/cfgrun}
# Debian's own interpreter starts fastest; any python3 will do.
PY=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

HAPC_DEMO_DIR=$(mktemp -d)
export HAPC_DEMO_DIR
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$HAPC_DEMO_DIR"
}
trap cleanup EXIT INT TERM

wait_port() {	# wait (bounded) until something listens on 127.0.0.1:$1
	i=0
	while ! $PY -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 1).close()" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 50 ] || { echo "demo: nothing listens on port $1" >&2; exit 1; }
		sleep 0.1
	done
}

echo "== cfgc samples/demo.cfg -o demo.plan"
"$CFGC" samples/demo.cfg -o "$HAPC_DEMO_DIR/demo.plan"
echo "   digest: $("$CFGC" --digest "$HAPC_DEMO_DIR/demo.plan")"

echo "== two demo servers: app1 (TCP, port 19001), app2 (MPTCP, port 19002)"
$PY samples/demo_net.py serve app1 127.0.0.1 19001 & pids="$pids $!"
$PY samples/demo_net.py serve app2 127.0.0.1 19002 --mptcp & pids="$pids $!"
wait_port 19001; wait_port 19002

echo "== cfgrun demo.plan"
"$CFGRUN" "$HAPC_DEMO_DIR/demo.plan" 2>"$HAPC_DEMO_DIR/cfgrun.log" & pids="$pids $!"
wait_port 18080

echo "== traffic (round robin alternates app1 and app2)"
$PY samples/demo_net.py ask 127.0.0.1:18080 --count 2
$PY samples/demo_net.py ask 127.0.0.1:18081 --count 2
$PY samples/demo_net.py ask 127.0.0.1:18082 --mptcp --count 2
$PY samples/demo_net.py ask '[::1]:18083' --count 2
$PY samples/demo_net.py ask "$HAPC_DEMO_DIR/hapc-demo.sock" --count 2

echo "== cfgrun's log"
sleep 0.2
sed 's/^/   /' "$HAPC_DEMO_DIR/cfgrun.log"
echo "== done"
