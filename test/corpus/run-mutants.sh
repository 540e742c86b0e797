#!/bin/sh
# run-mutants.sh: how far `cfgc -c` agrees with HAProxy 3.5 on the
# single-mutation variants of ../shared/corpus-mutants (see its README.md),
# for both targets, against test/corpus/mutants-baseline.tsv (a file whose
# result was ok may not get worse). It is run-corpus.sh on another set: the
# figures, the regression rule and HAPC_CORPUS_UPDATE=1 work the same way.
#
# The set's `certs`, `data` and `ph` are meant to be symbolic links to
# ../corpus/certs, ../corpus/data and ../realworld/ph; where the copy on this
# machine holds them as small files naming the target instead, the run uses
# a shadow root (a temporary directory of links) so that relative paths in
# the mutants resolve as they did for HAProxy.
#
# Environment: as run-corpus.sh, plus HAPC_MUTANTS (default
# $top_srcdir/../shared/corpus-mutants).
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
mutants=${HAPC_MUTANTS:-$top_srcdir/../shared/corpus-mutants}
if [ ! -f "$mutants/expected.tsv" ]; then
	echo "SKIP: no mutants at $mutants (set HAPC_MUTANTS)"
	exit 77
fi
mutants=$(cd "$mutants" && pwd)

shadow=$(mktemp -d) || exit 1
trap 'rm -rf "$shadow"' EXIT
trap 'exit 1' INT TERM
for entry in "$mutants"/*; do
	name=$(basename "$entry")
	case $name in
	certs|data|ph)
		if [ -f "$entry" ] && [ ! -L "$entry" ]; then
			# a flattened link: the file holds the target's path
			target=$(head -c 4096 "$entry")
			case $target in /*) ;; *) target=$mutants/$target ;; esac
			ln -s "$target" "$shadow/$name"
			continue
		fi ;;
	esac
	ln -s "$entry" "$shadow/$name"
done

HAPC_CORPUS=$shadow \
HAPC_CORPUS_BASELINE=$top_srcdir/test/corpus/mutants-baseline.tsv \
top_srcdir=$top_srcdir sh "$top_srcdir/test/corpus/run-corpus.sh"
