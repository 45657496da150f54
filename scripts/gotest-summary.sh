#!/usr/bin/env bash
# gotest-summary.sh LABEL: passes `go test -v` output through, prefixed with
# LABEL, and ends with one line counting passed, failed and skipped tests.
# Exits non-zero when go test failed (read from its final ok/FAIL lines).
set -uo pipefail
label=$1
pass=0 fail=0 skip=0 status=0
while IFS= read -r line; do
	printf '[%s] %s\n' "$label" "$line"
	case $line in
	"--- PASS"*) pass=$((pass + 1)) ;;
	"--- FAIL"*) fail=$((fail + 1)) ;;
	"--- SKIP"*) skip=$((skip + 1)) ;;
	FAIL*) status=1 ;;
	esac
done
echo "services($label): $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$status" -eq 0 ]
