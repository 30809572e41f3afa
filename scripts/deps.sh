#!/bin/sh
# Installs the Debian packages stackmap needs when they are missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
# usage: scripts/deps.sh build|check
set -eu
build_pkgs="gcc make pkg-config libyaml-dev libcmark-dev libcurl4-openssl-dev libjansson-dev"
check_pkgs="libcmocka-dev libmicrohttpd-dev valgrind clang clang-tidy clang-format cppcheck mandoc python3 python3-yaml python3-jsonschema cmark strace"
case "${1:-build}" in
build) want="$build_pkgs" ;;
check) want="$build_pkgs $check_pkgs" ;;
*) echo "usage: $0 build|check" >&2; exit 2 ;;
esac
missing=""
if [ "${1:-build}" = check ]; then
	# the site checks: a browser, Java for the Nu checker, Node.js for npm
	want="$want chromium default-jre-headless"
	command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
fi
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "stackmap: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "stackmap: missing Debian packages. Run:" >&2
	echo "  sudo apt-get install$missing" >&2
	exit 1
fi
