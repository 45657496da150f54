#!/usr/bin/env bash
# redis-entrypoint.sh starts redis-server the way the official redis image
# does: arguments that start with "-" or name a .conf file go to
# redis-server; as root, it runs the server as the redis user in /data.
# Without a config file or a --protected-mode argument, protected mode is
# off so that clients outside the container can connect (the official
# image builds redis that way).
set -euo pipefail

if [[ $# -eq 0 || ${1:0:1} == - || $1 == *.conf ]]; then
	set -- redis-server "$@"
fi

if [[ $1 == redis-server ]]; then
	conf=0
	for a in "${@:2}"; do
		case $a in *.conf | --protected-mode) conf=1 ;; esac
	done
	if [[ $conf == 0 ]]; then
		set -- "$@" --protected-mode no
	fi
	if [[ $(id -u) == 0 ]]; then
		chown -R redis:redis . 2>/dev/null || true
		exec setpriv --reuid=redis --regid=redis --init-groups "$@"
	fi
fi

exec "$@"
