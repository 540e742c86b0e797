#!/bin/sh
# Install what hapc needs on Debian 12 and build it in the source tree.
#   scripts/setup-debian.sh            install packages, configure, make
#   HAPC_SKIP_APT=1 scripts/setup-debian.sh   build only
# Run as root (apt-get). Everything it installs is a Debian package.
set -eu
cd "$(dirname "$0")/.."

# clang and libclang-rt-dev (its sanitizer and libFuzzer runtimes, only
# recommended by clang) for scripts/fuzz-ci.sh (configure --enable-fuzzing).
# The last line is for scripts/deb-check.sh: the packaging tools, and
# libpcre2-dev and zlib1g-dev, Build-Depends of debian/control.
PACKAGES="build-essential autoconf automake libtool pkg-config flex bison
libev-dev check android-libboringssl-dev python3 iproute2 haproxy procps curl openssl
strace groff-base chromium clang libclang-rt-dev
dpkg-dev debhelper lintian libpcre2-dev zlib1g-dev"

if [ "${HAPC_SKIP_APT:-0}" != 1 ]; then
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "setup: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
fi

if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi
fi
if [ ! -f Makefile ] || [ configure -nt config.status ]; then
	./configure ${HAPC_CONFIGURE_FLAGS:-}
fi
make -j"$(nproc)"
