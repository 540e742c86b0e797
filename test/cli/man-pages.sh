#!/bin/sh
# man-pages.sh: doc/cfgc.1 and doc/cfgrun.1 render without a groff warning,
# and every option that `--help` of each program lists is in its page.
# Environment (from make check): top_srcdir, CFGC, CFGRUN.
top_srcdir=${top_srcdir:-.}
CFGC=${CFGC:-./cfgc}
CFGRUN=${CFGRUN:-./cfgrun}
command -v groff >/dev/null 2>&1 || { echo "SKIP: no groff"; exit 77; }
fail=0
for prog in cfgc cfgrun; do
	page=$top_srcdir/doc/$prog.1
	warn=$(groff -ww -z -man -Tutf8 "$page" 2>&1)
	if [ -n "$warn" ]; then
		echo "FAIL: $page: groff warns:"; echo "$warn"; fail=1
	fi
	[ "$prog" = cfgc ] && bin=$CFGC || bin=$CFGRUN
	if [ ! -x "$bin" ]; then
		echo "note: no $bin, options of $prog not compared"
		continue
	fi
	# options as --help prints them ("-o, --output", "--max-errors N")
	for opt in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		# the page writes '-' as '\-'
		pat=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		if ! grep -q -- "$pat" "$page"; then
			echo "FAIL: $page does not document $opt"; fail=1
		fi
	done
done
[ $fail = 0 ] && echo "PASS: man pages render cleanly and list every option"
exit $fail
