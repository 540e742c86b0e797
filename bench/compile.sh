#!/bin/sh
# Compile-time bench: cfgc against `haproxy -c` (Debian's haproxy package)
# on the same generated configuration, in one run, side by side.
#
#   cd BUILDDIR && /path/to/src/bench/compile.sh
#   BENCH_ROUNDS=5 bench/compile.sh        (default 3 rounds)
#
# Configurations (bench/gen-config.py): "big" = 1000 backends x 100 servers
# (100,000 servers), "small" = 100 x 100 (10x smaller); each with and
# without use_backend rules (1000 resp. 100 rules). Every command runs
# ROUNDS times, interleaved with the others so that load on the machine
# hits all of them alike; the table keeps the best wall time, the least
# CPU time (user + system) and the largest peak RSS (/usr/bin/time's
# "Maximum resident set size").
# Bounded: each command at most $BENCH_CMD_TIMEOUT s (120), the whole
# script about a minute on 2 cores.
set -eu
. "$(dirname "$0")/lib.sh"
bench_need haproxy python3 time
bench_find_tools
ROUNDS=${BENCH_ROUNDS:-3}
PY=$(command -v /usr/bin/python3 || command -v python3)
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE

gen() {	# gen NAME BACKENDS RULES
	"$PY" "$bench_top/bench/gen-config.py" --backends "$2" --servers 100 \
	    --rules "$3" -o "$work/$1.cfg"
}
gen big 1000 0;   gen big-rules 1000 1000
gen small 100 0;  gen small-rules 100 100

# cfgc's HAProxy target may or may not take use_backend yet: say which.
if "$CFGC" -c --target=haproxy "$work/small-rules.cfg" >"$work/why" 2>&1; then
	rules_ok=1
else
	rules_ok=0
	why=$(grep -m1 'error' "$work/why" | sed 's/^[^ ]* //' || true)
fi

# One command per case: NAME|FILE-SUFFIX|COMMAND (FILE is substituted).
cases="haproxy -c|+rules|$HAPROXY -c -q -f FILE
haproxy -c|(no rules)|$HAPROXY -c -q -f FILE
cfgc -c|(no rules)|$CFGC -c FILE
cfgc -o plan|(no rules)|$CFGC FILE -o $work/out.plan"
if [ "$rules_ok" = 1 ]; then
	cases="$cases
cfgc -c --target=haproxy|+rules|$CFGC -c --target=haproxy FILE"
fi

echo "bench/compile.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds"
echo "  haproxy: $("$HAPROXY" -v | head -n 1 | cut -d' ' -f1-3)"
echo "  cfgc:    $CFGC ($("$CFGC" --version 2>&1 | head -n 1))"
: >"$work/res"
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for size in small big; do
		echo "$cases" | while IFS='|' read -r name suffix cmd; do
			f=$work/$size.cfg
			[ "$suffix" = "+rules" ] && f=$work/$size-rules.cfg
			# shellcheck disable=SC2086
			bench_time m $(echo "$cmd" | sed "s|FILE|$f|")
			echo "$size|$name $suffix|$m" >>"$work/res"
		done
	done
done

# best wall time, largest RSS per (size, case)
awk -F'|' '{ split($3, v, " ");
	k = $1 "|" $2;
	if (!(k in t) || v[1] < t[k]) t[k] = v[1];
	if (!(k in m) || v[2] > m[k]) m[k] = v[2];
	if (!(k in c) || v[3] < c[k]) c[k] = v[3] }
	END { for (k in t) print k "|" t[k] "|" m[k] "|" c[k] }' "$work/res" >"$work/best"

get() {	# get SIZE CASE FIELD(3=time,4=rss,5=cpu)
	awk -F'|' -v k="$1|$2" -v f="$3" '$1 "|" $2 == k { print $f }' "$work/best"
}

echo
printf '%-6s %-40s %9s %8s %12s\n' config command wall_s cpu_s peak_RSS_MB
for size in big small; do
	echo "$cases" | while IFS='|' read -r name suffix cmd; do
		t=$(get $size "$name $suffix" 3)
		m=$(get $size "$name $suffix" 4)
		printf '%-6s %-40s %9s %8s %12s\n' "$size" "$name $suffix" "$t" \
		    "$(get $size "$name $suffix" 5)" "$(bench_div "$m" 1024 %.1f)"
	done
done

# The headline compares both tools on the same file.
if [ "$rules_ok" = 1 ]; then
	hc="haproxy -c +rules"; cc="cfgc -c --target=haproxy +rules"
	same="the file with use_backend rules, cfgc --target=haproxy"
else
	hc="haproxy -c (no rules)"; cc="cfgc -c (no rules)"
	same="the file WITHOUT use_backend rules: cfgc refuses them today ($why)"
fi
ht=$(get big "$hc" 3); ct=$(get big "$cc" 3)
hm=$(get big "$hc" 4); cm=$(get big "$cc" 4)
pt=$(get big "cfgc -o plan (no rules)" 3); pm=$(get big "cfgc -o plan (no rules)" 4)
hp=$(get big "haproxy -c (no rules)" 3)
echo
echo "ratios on big (1000x100), $same:"
echo "  speed  haproxy -c / cfgc -c      = $(bench_div "$ht" "$ct")x   (target >= 2)"
echo "  CPU    haproxy -c / cfgc -c      = $(bench_div "$(get big "$hc" 5)" "$(get big "$cc" 5)")x   (user + system, less sensitive to load)"
echo "  memory cfgc -c / haproxy -c RSS  = $(bench_div "$cm" "$hm")    (target <= 0.5)"
echo "  speed  haproxy -c / cfgc -o plan = $(bench_div "$hp" "$pt")x   (both without rules; cfgc writes the plan)"
echo "  memory cfgc -o / haproxy -c RSS  = $(bench_div "$pm" "$(get big "haproxy -c (no rules)" 4)")"
echo "linear growth, big / small wall time (10x the servers; ideal about 10):"
echo "$cases" | while IFS='|' read -r name suffix cmd; do
	echo "  $(printf '%-40s' "$name $suffix") $(bench_div "$(get big "$name $suffix" 3)" \
	    "$(get small "$name $suffix" 3)" %.1f)"
done
