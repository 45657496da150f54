#!/usr/bin/env bash
# postgres-entrypoint.sh starts PostgreSQL the way the official postgres
# image does, so that testcontainers' postgres module works against it:
#
#  1. as root, prepare PGDATA and the socket directory, then re-run itself
#     as the postgres user (PostgreSQL refuses to run as root);
#  2. on an empty PGDATA, initdb with POSTGRES_USER and POSTGRES_PASSWORD,
#     open host connections with password auth on all addresses, start a
#     temporary server (its log goes to the container output, so "database
#     system is ready to accept connections" appears once here and once for
#     the real server), create POSTGRES_DB, run /docker-entrypoint-initdb.d
#     scripts, stop the temporary server;
#  3. exec postgres with the given arguments.
#
# Environment: POSTGRES_USER (postgres), POSTGRES_PASSWORD (required unless
# POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (POSTGRES_USER),
# POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (scram-sha-256), PGDATA.
set -euo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
export PGDATA

# Options alone mean "postgres <options>".
if [[ $# -eq 0 || ${1:0:1} == - ]]; then
	set -- postgres "$@"
fi

if [[ $1 != postgres ]]; then
	exec "$@"
fi

# Step 1: as root, own the directories and drop to the postgres user.
if [[ $(id -u) == 0 ]]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 0700 "$PGDATA"
	chmod 2777 /var/run/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups \
		"$BASH_SOURCE" "$@"
fi

# Step 2: initialise an empty data directory through a temporary server.
if [[ ! -s $PGDATA/PG_VERSION ]]; then
	if [[ -z ${POSTGRES_PASSWORD:-} && $POSTGRES_HOST_AUTH_METHOD != trust ]]
	then
		echo "postgres-entrypoint: POSTGRES_PASSWORD is not set" \
			"(or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
		exit 1
	fi
	pwfile=$(mktemp)
	printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list.
	# --no-sync: a test server need not survive a power cut, and syncing
	# a fresh cluster takes seconds on a busy disk.
	initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --no-sync \
		${POSTGRES_INITDB_ARGS:-}
	rm -f "$pwfile"

	printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
	printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" \
		>>"$PGDATA/pg_hba.conf"

	# Only the local socket while initialising.
	pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start

	psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER")
	if [[ $POSTGRES_DB != postgres ]]; then
		"${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<-'SQL'
			CREATE DATABASE :"db";
		SQL
	fi
	for f in /docker-entrypoint-initdb.d/*; do
		[[ -e $f ]] || continue
		case $f in
		*.sh) echo "running $f"; . "$f" ;;
		*.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
		*.sql.gz)
			echo "running $f"
			gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB"
			;;
		*) echo "ignoring $f" ;;
		esac
	done

	pg_ctl -D "$PGDATA" -m fast -w stop
	echo "PostgreSQL init process complete; ready for start up."
fi

# Step 3: the real server, in the foreground.
exec "$@"
