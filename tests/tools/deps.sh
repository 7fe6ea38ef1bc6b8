#!/bin/sh
# deps.sh PACKAGE... — install the Debian packages that are missing, and only
# those: apt-get update and install run only when something is missing,
# through sudo when not root.
missing=
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || exit 1
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing || exit 1
