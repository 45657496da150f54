#!/usr/bin/env bash
# build.sh builds local stand-ins for the official postgres and redis images
# from the distribution's own packages, for machines that cannot pull images.
#
# One debootstrap root filesystem holds postgresql-15 and redis-server; it is
# imported twice with different entrypoints, so the same testcontainers code
# runs against these images and the official ones:
#
#   scaletest/postgres:15  honours POSTGRES_USER, POSTGRES_PASSWORD,
#                          POSTGRES_DB like the official postgres image
#   scaletest/redis:7      runs redis-server like the official redis image
#
# The package mirror is read from the machine's apt configuration. Images
# that already exist are kept unless FORCE=1.
#
# Environment:
#   FORCE=1          rebuild even when both images exist
#   POSTGRES_TAG     name of the PostgreSQL image (scaletest/postgres:15)
#   REDIS_TAG        name of the Redis image (scaletest/redis:7)
#   SUITE            Debian suite to bootstrap (bookworm: has postgresql-15)
#   MIRROR           Debian mirror URL (default: first one in apt's config)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
postgres_tag=${POSTGRES_TAG:-scaletest/postgres:15}
redis_tag=${REDIS_TAG:-scaletest/redis:7}
suite=${SUITE:-bookworm}
packages=postgresql-15,redis-server,util-linux

log() { printf 'images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# apt_mirror prints the first main-archive URI of the apt configuration:
# deb822 files (*.sources) first, then one-line lists. Security and
# suite-update archives ("bookworm-security") are skipped.
apt_mirror() {
	local f
	shopt -s nullglob
	for f in /etc/apt/sources.list.d/*.sources; do
		awk '
			/^[ \t]*#/ { next }
			/^[ \t]*$/ {
				if (uri != "" && plain) { print uri; done = 1; exit }
				uri = ""; plain = 0; next
			}
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" {
				for (i = 2; i <= NF; i++) if ($i !~ /-/) plain = 1
			}
			END { if (!done && uri != "" && plain) print uri }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		awk '
			$1 != "deb" { next }
			{ i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; }
			$(i) ~ /\]$/ { i++ }
			$(i + 1) !~ /-/ { print $(i); exit }
		' "$f"
	done
}

# Skip the work when both images are there.
if [[ ${FORCE:-0} != 1 ]] && image_exists "$postgres_tag" &&
	image_exists "$redis_tag"; then
	log "$postgres_tag and $redis_tag exist (FORCE=1 rebuilds)"
	exit 0
fi

command -v docker >/dev/null || die "docker not found: install docker.io"
docker info >/dev/null 2>&1 ||
	die "docker engine not reachable: start dockerd (as root)"
command -v debootstrap >/dev/null ||
	die "debootstrap not found: apt-get install debootstrap"
[[ $(id -u) == 0 ]] || die "debootstrap needs root"

mirror=${MIRROR:-$(apt_mirror | head -n 1)}
[[ -n $mirror ]] ||
	die "no Debian mirror in /etc/apt; set MIRROR=<debian mirror URL>"

keyring=()
if [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
	keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
fi

work=$(mktemp -d /tmp/scaletest-images.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

# Bootstrap a minimal root filesystem with both servers.
log "debootstrap $suite from $mirror (about a minute)"
start=$SECONDS
debootstrap --variant=minbase "${keyring[@]}" --include="$packages" \
	"$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
	tail -n 30 "$work/debootstrap.log" >&2
	die "debootstrap failed"
}
log "debootstrap took $((SECONDS - start)) s"

# Drop what the packages set up for a host: the Debian cluster, caches.
rm -rf "$root"/etc/postgresql/15 "$root"/var/lib/postgresql/15 \
	"$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
install -d -o 0 -g 0 "$root/var/lib/postgresql/data" "$root/data"
install -m 0755 "$here/postgres-entrypoint.sh" \
	"$root/usr/local/bin/postgres-entrypoint.sh"
install -m 0755 "$here/redis-entrypoint.sh" \
	"$root/usr/local/bin/redis-entrypoint.sh"
chroot "$root" chown postgres:postgres /var/lib/postgresql/data
chroot "$root" chown redis:redis /data

tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" .
pgpath=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin
pgpath=$pgpath:/usr/sbin:/usr/bin:/sbin:/bin

log "importing $postgres_tag"
docker import \
	--change "ENV PATH=$pgpath" \
	--change 'ENV LANG=C.UTF-8' \
	--change 'ENV PGDATA=/var/lib/postgresql/data' \
	--change 'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]' \
	--change 'CMD ["postgres"]' \
	--change 'EXPOSE 5432' \
	"$work/rootfs.tar" "$postgres_tag" >/dev/null

log "importing $redis_tag"
docker import \
	--change 'ENV LANG=C.UTF-8' \
	--change 'WORKDIR /data' \
	--change 'ENTRYPOINT ["/usr/local/bin/redis-entrypoint.sh"]' \
	--change 'CMD ["redis-server"]' \
	--change 'EXPOSE 6379' \
	"$work/rootfs.tar" "$redis_tag" >/dev/null

log "built $postgres_tag and $redis_tag"
