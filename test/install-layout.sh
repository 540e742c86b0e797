#!/bin/sh
# install-layout.sh: `make install DESTDIR=...` puts cfgc in bindir,
# cfgrun in sbindir, both man pages, the documentation and the sample
# configurations in sysconfdir/hapc; a second install keeps an edited
# configuration, uninstall removes the programs and leaves the edited
# configuration, and removes the sample when it was not changed.
# Environment (from make check): top_builddir, top_srcdir. The inner make
# runs without the outer one's MAKEFLAGS (its jobserver is not ours).
set -u
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
dest=$(mktemp -d "${TMPDIR:-/tmp}/hapc-install.XXXXXX")
log=$(mktemp "${TMPDIR:-/tmp}/hapc-install-log.XXXXXX")
trap 'rm -rf "$dest" "$log"' EXIT INT TERM
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
# The configured directories, as make expands them.
dirs=$(printf 'print-dirs:\n\t@echo "$(bindir) $(sbindir) $(mandir) $(docdir) $(sysconfdir)"\n' |
	MAKEFLAGS= make -s --no-print-directory -C "$top_builddir" -f Makefile -f - print-dirs) || { echo "FAIL: no directories"; exit 1; }
set -- $dirs
bindir=$1 sbindir=$2 mandir=$3 docdir=$4 sysconfdir=$5
inst() { MAKEFLAGS= make -s --no-print-directory -C "$top_builddir" "$1" DESTDIR="$dest" >"$log" 2>&1 || { cat "$log"; bad "make $1"; }; }

inst install
for f in "$bindir/cfgc" "$sbindir/cfgrun"; do
	[ -x "$dest$f" ] && ok "$f installed" || bad "$f not installed"
done
for f in "$bindir/cfgrun" "$sbindir/cfgc"; do
	[ -e "$dest$f" ] && bad "$f installed (wrong directory)"
done
for f in "$mandir/man1/cfgc.1" "$mandir/man1/cfgrun.1" "$docdir/packaging.md"; do
	[ -f "$dest$f" ] && ok "$f installed" || bad "$f not installed"
done
cfg=$dest$sysconfdir/hapc/hapc.cfg
cmp -s "$cfg" "$top_srcdir/samples/hapc.cfg" && ok "sample configuration in $sysconfdir/hapc" ||
	bad "$sysconfdir/hapc/hapc.cfg is not the sample"
acfg=$dest$sysconfdir/hapc/hapc-activated.cfg
cmp -s "$acfg" "$top_srcdir/samples/hapc-activated.cfg" &&
	ok "socket-activated sample configuration in $sysconfdir/hapc" ||
	bad "$sysconfdir/hapc/hapc-activated.cfg is not the sample"

echo "# edited" >>"$cfg"
inst install
tail -n 1 "$cfg" | grep -qx '# edited' && ok "a second install keeps the edited configuration" ||
	bad "a second install overwrote the edited configuration"
inst uninstall
[ -e "$dest$bindir/cfgc" ] || [ -e "$dest$sbindir/cfgrun" ] && bad "uninstall left the programs"
[ -f "$cfg" ] && ok "uninstall leaves the edited configuration" ||
	bad "uninstall removed the edited configuration"
rm -f "$cfg"
inst install
[ -f "$cfg" ] || bad "install did not put the sample back"
inst uninstall
[ -e "$cfg" ] && bad "uninstall left the unchanged sample" || ok "uninstall removes the unchanged sample"
[ -e "$acfg" ] && bad "uninstall left the unchanged socket-activated sample" ||
	ok "uninstall removes the unchanged socket-activated sample"
[ $fail = 0 ] && echo "PASS: install layout"
exit $fail
