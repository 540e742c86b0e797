# scratch.sh: sourced by tsan.sh and asan.sh. scratch_tree NAME KEEPDIR
# sets $work (KEEPDIR, kept, or a temporary directory removed at exit)
# and copies the source tree (the files git tracks, and new ones it does
# not ignore, as they are in the working tree) with the autotools output
# into $work/src, with an empty $work/build beside it: the tree may be
# configured in place (scripts/setup-debian.sh does that), which forbids
# a VPATH build from it. Run from the top of the source tree ($src).
scratch_tree() {
	if [ -n "$2" ]; then
		work=$2
		mkdir -p "$work"
		keep=1
	else
		work=$(mktemp -d "/tmp/hapc-$1.XXXXXX")
		keep=0
	fi
	trap '[ "$keep" = 1 ] || rm -rf "$work"' EXIT
	if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		echo "$1: $src is not a git checkout; cannot tell sources from build output" >&2
		exit 1
	fi
	[ -x configure ] || autoreconf -fi
	rm -rf "$work/src" "$work/build"
	mkdir -p "$work/src" "$work/build"
	# (a file deleted but not yet committed is skipped)
	git ls-files -z -c -o --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null |
		tar -xf - -C "$work/src"
	cp -pR configure Makefile.in aclocal.m4 config.h.in build-aux m4 "$work/src"
}
