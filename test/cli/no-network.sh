#!/bin/sh
# no-network.sh: `cfgc -c` never touches the network. Every corpus file,
# plus a configuration full of host names, is checked under both targets
# inside one `strace -f -e trace=network`; any socket call fails the test.
# Skips (77) when strace is missing or cannot trace here (no ptrace).
# Environment (from make check): top_srcdir, CFGC, HAPC_CORPUS.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
corpus=${HAPC_CORPUS:-$top_srcdir/../shared/corpus}
case $CFGC in /*) ;; *) CFGC=$(pwd)/$CFGC ;; esac

command -v strace >/dev/null 2>&1 || { echo "SKIP: no strace"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
if ! strace -f -qq -e trace=network -o "$tmp/probe" \
	python3 -c 'import socket; socket.socket().close()' 2>/dev/null ||
   ! grep -q socket "$tmp/probe"; then
	echo "SKIP: strace cannot trace here"
	exit 77
fi

# Host names everywhere an address may be: resolving any of them would be
# a DNS query (a socket to the resolver, or a netlink socket).
cat > "$tmp/hosts.cfg" <<'CFG'
global
    maxconn 100
    log syslog.example.com:514 local0
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind localhost:8080
    default_backend be
backend be
    server s1 app1.example.com:80 check
    server s2 app2.example.org:80
    server s3 localhost:80
CFG

files="$tmp/hosts.cfg"
n=1
if [ -f "$corpus/expected.tsv" ]; then
	for f in $(tail -n +2 "$corpus/expected.tsv" | cut -f1); do
		files="$files $corpus/$f"
		n=$((n + 1))
	done
else
	echo "note: no corpus at $corpus; checking the host-name file only"
fi

(cd "${corpus:-.}" 2>/dev/null || cd "$tmp"
 strace -f -qq -e trace=network -e signal=none -o "$tmp/trace" sh -c '
	cfgc=$1; shift
	for f in "$@"; do
		"$cfgc" -c "$f"
		"$cfgc" -c --target=haproxy "$f"
		"$cfgc" -c --diagnostics-format=sarif "$f"
	done >/dev/null 2>&1
	exit 0' sh "$CFGC" $files)

if [ -s "$tmp/trace" ]; then
	echo "FAIL: cfgc -c made network calls:"
	head -20 "$tmp/trace"
	exit 1
fi
echo "PASS: $n files x 3 runs of cfgc -c, no network call"
