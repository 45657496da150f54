#!/usr/bin/env bash
# deps.sh: reports which tools the suite needs are missing and, when run as
# root on a machine with apt, installs them from the distribution's
# packages and starts the Docker engine. Without root it only reports.
set -euo pipefail

# tool -> Debian package that provides it
declare -A pkg=(
	[dockerd]=docker.io
	[ffmpeg]=ffmpeg
	[ffprobe]=ffmpeg
	[redis-server]=redis-server
	[redis-benchmark]=redis-tools
	[pgbench]=postgresql-15
	[debootstrap]=debootstrap
	[chromium]=chromium
)
# PostgreSQL's server binaries live outside PATH on Debian.
pgbin=/usr/lib/postgresql/15/bin

have() {
	command -v "$1" >/dev/null 2>&1 || { [ "$1" = pgbench ] && [ -x "$pgbin/pgbench" ]; }
}

missing=()
for tool in "${!pkg[@]}"; do
	have "$tool" || missing+=("${pkg[$tool]}")
done
if ! command -v initdb >/dev/null 2>&1 && [ ! -x "$pgbin/initdb" ]; then
	missing+=(postgresql-15)
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: missing packages: ${missing[*]}"
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
		echo "deps: installed ${missing[*]}"
	else
		echo "deps: run as root with apt to install them, or install them yourself;"
		echo "deps: tests that need them will skip and say so"
	fi
else
	echo "deps: all tools present"
fi

# The Docker engine: start it when it is installed but not answering.
if command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: starting dockerd"
		nohup dockerd >/tmp/scaletest-dockerd.log 2>&1 &
		for _ in $(seq 60); do
			docker info >/dev/null 2>&1 && break
			sleep 1
		done
		docker info >/dev/null 2>&1 || {
			echo "deps: dockerd did not start; see /tmp/scaletest-dockerd.log"
			exit 1
		}
	else
		echo "deps: dockerd is installed but not running; start it as root"
	fi
fi
