#!/bin/sh
# Build the Debian package from a copy of the tree and check it:
#   - the copy is `make distdir` into a temporary directory (the tarball's
#     file list: the package builds from what a release ships, and nothing
#     in the source tree is touched or built);
#   - dpkg-buildpackage -us -uc -b there, without the tests (they already
#     ran: DEB_BUILD_OPTIONS=nocheck);
#   - the package's files: cfgc in /usr/bin, cfgrun in /usr/sbin, both man
#     pages, the systemd units (hapc.service, and the socket-activated
#     variant hapc-activated.service and .socket), /etc/default/hapc, the
#     sample configurations (conffiles), the documentation;
#   - hapc.service is enabled at installation, the socket-activated
#     variant is not;
#   - the packaged programs run, and compile the packaged configurations;
#   - `systemd-analyze verify` on the three units as installed by the
#     package;
#   - lintian: any error fails, warnings are printed.
# Runs scripts/setup-debian.sh first when the tree is not configured or a
# tool is missing. Environment:
#   HAPC_DEB_KEEP=DIR   copy the built .deb files to DIR
#   HAPC_DEB_JOBS=N     parallel build jobs (default 2)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
# A configured tree and the packaging tools (setup-debian.sh installs
# both, as root; scripts/test.sh has already run it).
need_setup=0
[ -f Makefile ] || need_setup=1
for t in dpkg-buildpackage dh lintian dpkg-deb; do
	command -v "$t" >/dev/null 2>&1 || need_setup=1
done
if [ $need_setup = 1 ]; then
	scripts/setup-debian.sh
fi
start=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/hapc-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
version=$(sed -n 's/^PACKAGE_VERSION = //p' Makefile)
src=$work/hapc-$version
make -s distdir distdir="$src" >/dev/null

echo "deb-check: building in $src"
log=$work/build.log
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=${HAPC_DEB_JOBS:-2}" \
	dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
	tail -n 60 "$log"
	echo "deb-check: FAIL: dpkg-buildpackage (log above)"
	exit 1
fi
deb=$(ls "$work"/hapc_*.deb)
echo "deb-check: built $(basename "$deb") in $(( $(date +%s) - start ))s"

fail=0
contents=$work/contents
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$contents"
for f in /usr/bin/cfgc /usr/sbin/cfgrun \
	/usr/share/man/man1/cfgc.1.gz /usr/share/man/man1/cfgrun.1.gz \
	/lib/systemd/system/hapc.service /etc/default/hapc /etc/hapc/hapc.cfg \
	/lib/systemd/system/hapc-activated.service \
	/lib/systemd/system/hapc-activated.socket /etc/hapc/hapc-activated.cfg \
	/usr/share/doc/hapc/copyright /usr/share/doc/hapc/configuration.md \
	/usr/share/doc/hapc/packaging.md /usr/share/lintian/overrides/hapc; do
	# dh_compress gzips the larger documents
	grep -qxE "$f(\.gz)?" "$contents" || { echo "deb-check: FAIL: $f not in the package"; fail=1; }
done
for f in /usr/bin/cfgrun /usr/sbin/cfgc; do
	if grep -qx "$f" "$contents"; then echo "deb-check: FAIL: $f (wrong directory)"; fail=1; fi
done
ctl=$work/control
dpkg-deb -e "$deb" "$ctl"
for f in /etc/hapc/hapc.cfg /etc/hapc/hapc-activated.cfg /etc/default/hapc; do
	grep -qx "$f" "$ctl/conffiles" || { echo "deb-check: FAIL: $f is not a conffile"; fail=1; }
done
grep -q 'getent passwd hapc' "$ctl/postinst" && grep -q 'adduser --system' "$ctl/postinst" ||
	{ echo "deb-check: FAIL: postinst does not create the hapc user"; fail=1; }
# debhelper's snippets: hapc.service is enabled and started; the
# socket-activated units only have their state recorded (enabled again on
# upgrade only if the administrator had enabled them: `was-enabled`), and
# nothing starts them
grep -q "enable 'hapc.service'" "$ctl/postinst" ||
	{ echo "deb-check: FAIL: postinst does not enable hapc.service"; fail=1; }
for u in hapc-activated.service hapc-activated.socket; do
	grep -q "update-state '$u'" "$ctl/postinst" ||
		{ echo "deb-check: FAIL: postinst does not leave $u disabled"; fail=1; }
done
if grep -E "deb-systemd-invoke .*hapc-activated" "$ctl/postinst"; then
	echo "deb-check: FAIL: postinst starts the socket-activated variant"; fail=1
fi

root=$work/root
dpkg-deb -x "$deb" "$root"

# The packaged programs start (their RUNPATH finds BoringSSL) and the
# packaged cfgc compiles the packaged configuration.
if ! "$root/usr/bin/cfgc" --version >/dev/null || ! "$root/usr/sbin/cfgrun" --version >/dev/null; then
	echo "deb-check: FAIL: the packaged cfgc or cfgrun does not start"; fail=1
else
	for cfg in hapc.cfg hapc-activated.cfg; do
		"$root/usr/bin/cfgc" -c -Werror "$root/etc/hapc/$cfg" ||
			{ echo "deb-check: FAIL: the packaged cfgc refuses /etc/hapc/$cfg"; fail=1; }
	done
fi
# Every file a unit names in Documentation=file: is in the package as named.
units="/lib/systemd/system/hapc.service /lib/systemd/system/hapc-activated.service
	/lib/systemd/system/hapc-activated.socket"
for doc in $(for u in $units; do sed -n 's/^Documentation=//p' "$root$u"; done |
		tr ' ' '\n' | sed -n 's|^file:||p'); do
	grep -qx "$doc" "$contents" || { echo "deb-check: FAIL: Documentation=file:$doc not in the package"; fail=1; }
done

# The units as installed, in a root made of the package's files (verify
# looks the Exec*= programs up there) and this machine's systemd units
# (the targets the unit depends on). verify exits 0 after some complaints
# (an unknown key, a bad value): any line it prints fails too.
if command -v systemd-analyze >/dev/null 2>&1 && [ -d /lib/systemd/system ]; then
	mkdir -p "$root/lib/systemd/system"
	cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
	# shellcheck disable=SC2086 # $units: one path per word
	if ! out=$(systemd-analyze verify --man=no --root="$root" $units 2>&1) ||
			[ -n "$out" ]; then
		echo "$out"; echo "deb-check: FAIL: systemd-analyze verify" $units; fail=1
	fi
else
	echo "deb-check: note: no systemd-analyze, unit not verified"
fi

lint=$work/lintian.txt
lrc=0
lintian --fail-on error --info "$deb" >"$lint" 2>&1 || lrc=$?
if [ $lrc != 0 ]; then
	grep -v '^running with root' "$lint"
	echo "deb-check: FAIL: lintian (exit $lrc: errors, or lintian itself failed)"; fail=1
elif grep -q '^W:' "$lint"; then
	echo "deb-check: lintian warnings (not fatal):"; grep '^W:' "$lint"
fi

if [ -n "${HAPC_DEB_KEEP:-}" ]; then
	mkdir -p "$HAPC_DEB_KEEP" && cp "$work"/*.deb "$HAPC_DEB_KEEP"/
fi
[ $fail = 0 ] || exit 1
echo "deb-check: PASS ($(grep -c . "$contents") files, $(( $(date +%s) - start ))s)"
