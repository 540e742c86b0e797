#!/bin/bash
# fd-not-probed.sh: cfgc never touches the descriptors that fd@N and
# sockpair@N name (they belong to the process that will run the plan):
# a config naming descriptors that are not open checks and compiles, and
# no system call cfgc makes names them (strace).
# Environment (from make check): CFGC.
set -u
CFGC=${CFGC:-./cfgc}
command -v strace >/dev/null 2>&1 || { echo "SKIP: no strace"; exit 77; }
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
cat >"$dir/fd.cfg" <<'CFG'
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind fd@97
    bind sockpair@98
    default_backend be
backend be
    server s1 127.0.0.1:9000
CFG
strace -f -o "$dir/trace" true 2>/dev/null ||
	{ echo "SKIP: strace cannot trace here"; exit 77; }
fail=0
for mode in "-c" "-o $dir/fd.plan"; do
	# shellcheck disable=SC2086
	# LeakSanitizer cannot run under ptrace: leaks are other tests' job.
	if ! ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -o "$dir/trace" "$CFGC" $mode "$dir/fd.cfg" 97<&- 98<&-; then
		echo "FAIL: cfgc $mode refused a config naming closed descriptors"; fail=1
	fi
	if grep -E '\((97|98)[,)]' "$dir/trace"; then
		echo "FAIL: cfgc $mode made a system call on descriptor 97 or 98"; fail=1
	else
		echo "ok: cfgc $mode: no system call on the named descriptors"
	fi
done
exit $fail
