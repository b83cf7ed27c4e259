#!/usr/bin/env bash
# Prepares podman for the container runtime's tests (test/integration/agent/oci-runtime.test.ts) on
# a Debian machine as root: installs podman, runc and busybox-static when missing, and builds the
# test image localhost/skiff-busybox:test from Debian's static busybox with `podman import` (no
# registry is reachable). Idempotent and quick when everything is there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="$here/containers.conf"
# The flags the tests give podman too (test/support/podman.ts): Debian's runc, and cgroupfs since
# there is no systemd to manage cgroups.
podman=(podman --runtime /usr/sbin/runc --cgroup-manager=cgroupfs)
image=localhost/skiff-busybox:test

missing=()
command -v podman >/dev/null || missing+=(podman)
[[ -x /usr/sbin/runc ]] || missing+=(runc)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! "${podman[@]}" image exists "$image"; then
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,dev,etc,proc,sys,tmp,root}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ -e "$rootfs/bin/$applet" ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | "${podman[@]}" import --quiet \
    --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - "$image" >/dev/null
fi

# Fails here, with the engine's own words, rather than in the middle of the tests.
"${podman[@]}" run --rm --network host "$image" true
echo "podman $(podman version --format '{{.Client.Version}}'), $(/usr/sbin/runc --version | head -1), image $image ready"
