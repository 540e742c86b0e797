#!/bin/sh
# Replay the plan fuzz target (fuzz_plan.c) over the seed plans compiled
# from test/fuzz/plan-seeds/*.cfg and a fixed set of their mutants
# (plan_mutants.py, seed 1): every one that verifies must dump to text
# that compiles back to the same plan. Any broken promise aborts.
set -e
: "${top_builddir:=.}" "${top_srcdir:=.}"
: "${HAPC_PLAN_MUTANTS:=150}"
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
for cfg in "$top_srcdir"/test/fuzz/plan-seeds/*.cfg; do
	name=$(basename "$cfg" .cfg)
	"$top_builddir/cfgc" --hermetic -o "$work/$name.plan" "$cfg" 2>/dev/null
	python3 "$top_srcdir/test/fuzz/plan_mutants.py" "$work/$name.plan" \
		"$HAPC_PLAN_MUTANTS" 1 "$work"
done
"$top_builddir/test/fuzz/fuzz_plan_main" "$work"/*.plan
