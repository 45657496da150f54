#!/usr/bin/env bash
# build.sh builds local stand-ins for the official postgres and redis images
# from the distribution's own packages, for machines that cannot pull images.
#
#  1. A base image: a minimal Debian root filesystem (debootstrap) with
#     postgresql-15 and redis-server, imported with `docker import`. The
#     package mirror is read from the machine's apt configuration.
#  2. Two images committed from it, each with its entrypoint script, so
#     that the same testcontainers code runs against these and the official
#     images:
#       scaletest/postgres:15  honours POSTGRES_USER, POSTGRES_PASSWORD,
#                              POSTGRES_DB like the official postgres image
#       scaletest/redis:7      runs redis-server like the official redis image
#
# Work is skipped when it is done: the base when it exists, an image when
# it exists with the current entrypoint (a label holds its checksum), so a
# changed entrypoint is rebuilt in seconds. FORCE=1 rebuilds everything.
#
# Environment:
#   FORCE=1          rebuild the base and both images
#   POSTGRES_TAG     name of the PostgreSQL image (scaletest/postgres:15)
#   REDIS_TAG        name of the Redis image (scaletest/redis:7)
#   BASE_TAG         name of the base image (scaletest/base:bookworm)
#   SUITE            Debian suite to bootstrap (bookworm: has postgresql-15)
#   MIRROR           Debian mirror URL (default: first one in apt's config)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
postgres_tag=${POSTGRES_TAG:-scaletest/postgres:15}
redis_tag=${REDIS_TAG:-scaletest/redis:7}
base_tag=${BASE_TAG:-scaletest/base:bookworm}
suite=${SUITE:-bookworm}
packages=postgresql-15,redis-server,util-linux
force=${FORCE:-0}

log() { printf 'images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# image_label prints label $2 of image $1, empty if absent.
image_label() {
	docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" \
		2>/dev/null || true
}

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

# build_base bootstraps the root filesystem and imports it as $base_tag.
build_base() {
	command -v debootstrap >/dev/null ||
		die "debootstrap not found: apt-get install debootstrap"
	[[ $(id -u) == 0 ]] || die "debootstrap needs root"
	local mirror keyring=() work root start
	mirror=${MIRROR:-$(apt_mirror | head -n 1)}
	[[ -n $mirror ]] ||
		die "no Debian mirror in /etc/apt; set MIRROR=<debian mirror URL>"
	if [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
		keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
	fi
	work=$(mktemp -d /tmp/scaletest-images.XXXXXX)
	# shellcheck disable=SC2064 # expand $work now
	trap "rm -rf '$work'" EXIT
	root=$work/rootfs

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
	install -d "$root/var/lib/postgresql/data" "$root/data"
	chroot "$root" chown postgres:postgres /var/lib/postgresql/data
	chroot "$root" chown redis:redis /data

	log "importing $base_tag"
	tar -C "$root" --numeric-owner -c . |
		docker import --change 'ENV LANG=C.UTF-8' - "$base_tag" >/dev/null
	rm -rf "$work"
	trap - EXIT
}

# build_image TAG SCRIPT CHANGE... commits the base with SCRIPT as
# /usr/local/bin/SCRIPT and the given Dockerfile changes, unless TAG
# exists with the same checksum of SCRIPT.
build_image() {
	local tag=$1 script=$2 sum ctr
	shift 2
	sum=$(sha256sum <"$here/$script" | cut -c1-16)
	if [[ $force != 1 ]] &&
		[[ $(image_label "$tag" scaletest.entrypoint) == "$sum" ]]; then
		log "$tag is up to date"
		return
	fi
	local changes=(--change "LABEL scaletest.entrypoint=$sum"
		--change "ENTRYPOINT [\"/usr/local/bin/$script\"]")
	for c in "$@"; do
		changes+=(--change "$c")
	done
	local old
	old=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
	ctr=$(docker create "$base_tag" /bin/true)
	tar -C "$here" --owner=0 --group=0 --mode=0755 -c "$script" |
		docker cp - "$ctr:/usr/local/bin/"
	docker commit "${changes[@]}" "$ctr" "$tag" >/dev/null
	docker rm "$ctr" >/dev/null
	# The image this one replaces, unless something still uses it.
	if [[ -n $old ]]; then
		docker image rm "$old" >/dev/null 2>&1 || true
	fi
	log "built $tag"
}

command -v docker >/dev/null || die "docker not found: install docker.io"
docker info >/dev/null 2>&1 ||
	die "docker engine not reachable: start dockerd (as root)"

if [[ $force == 1 ]] || ! image_exists "$base_tag"; then
	build_base
fi

pgpath=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin
pgpath=$pgpath:/usr/sbin:/usr/bin:/sbin:/bin
build_image "$postgres_tag" postgres-entrypoint.sh \
	"ENV PATH=$pgpath" \
	'ENV PGDATA=/var/lib/postgresql/data' \
	'WORKDIR /' \
	'CMD ["postgres"]' \
	'EXPOSE 5432'
build_image "$redis_tag" redis-entrypoint.sh \
	'WORKDIR /data' \
	'CMD ["redis-server"]' \
	'EXPOSE 6379'
