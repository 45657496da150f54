# scaletest: `make test` is the test command (CI scale); `make scale` is the
# main job. `make help` lists every target.

SHELL := /bin/bash
GO ?= go
PKGS ?= ./...
TEST_TIMEOUT ?= 25m

# Docker provider settings for machines that cannot pull images: the local
# stand-ins built by `make images`, no Ryuk, and the loopback host.
export SCALETEST_POSTGRES_IMAGE ?= scaletest/postgres:15
export SCALETEST_REDIS_IMAGE ?= scaletest/redis:7
export TESTCONTAINERS_RYUK_DISABLED ?= true
export TESTCONTAINERS_HOST_OVERRIDE ?= 127.0.0.1
# go-nvml's deprecated symbols warn at every cgo build; keep the defaults.
export CGO_CFLAGS ?= -O2 -g -Wno-deprecated-declarations

# The services package runs once per provider in services-matrix.
TEST_PKGS ?= $(shell $(GO) list ./... | grep -v /harness/services)

BENCH_CLASS = $(shell $(GO) run ./cmd/benchgate -class)
BENCH_BASELINE = testdata/baselines/$(BENCH_CLASS)/performance.txt
BENCH_FLAGS = -short -run '^$$' -bench . -benchtime 1x -count 10 -timeout 60m

.PHONY: help deps images test test-short test-local services-matrix lint \
	bench gate bench-baseline scale plan serve fuzz

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -F':.*## ' '{ printf "  %-16s %s\n", $$1, $$2 }'

deps: ## report what is missing and install it where possible (root + apt)
	@scripts/deps.sh

images: ## build local PostgreSQL and Redis images from Debian packages
	@if ! docker info >/dev/null 2>&1; then \
		echo "images: no Docker engine; the Docker provider will be skipped"; \
	elif [[ $$SCALETEST_POSTGRES_IMAGE$$SCALETEST_REDIS_IMAGE != *scaletest/* ]]; then \
		echo "images: official images configured; nothing to build"; \
	else POSTGRES_TAG=$$SCALETEST_POSTGRES_IMAGE REDIS_TAG=$$SCALETEST_REDIS_IMAGE \
		images/build.sh; fi

test: deps images ## the test command: CI scale, both service providers
	$(GO) vet $(PKGS)
	$(GO) test -short -timeout $(TEST_TIMEOUT) $(TEST_PKGS)
	$(MAKE) --no-print-directory services-matrix

services-matrix: ## services tests once per provider (docker, process)
	CI=true SCALETEST_PROVIDERS=docker $(GO) test -short -count=1 -v ./harness/services/... \
		| scripts/gotest-summary.sh docker
	CI=true SCALETEST_PROVIDERS=process $(GO) test -short -count=1 -v ./harness/services/... \
		| scripts/gotest-summary.sh process

test-short: ## go test -short without any set-up
	$(GO) test -short -timeout $(TEST_TIMEOUT) $(PKGS)

test-local: ## the local scale: go test without -short
	$(GO) test -timeout 60m $(PKGS)

lint: ## gofmt, go vet (also -tags gpu), staticcheck, actionlint
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || \
		{ gofmt -l $$(git ls-files '*.go'); echo "lint: gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) vet -tags gpu $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags gpu $(PKGS)
	$(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

fuzz: ## run each fuzz target for a while (FUZZTIME, default 30s)
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $${FUZZTIME:-30s} ./harness/targets
	$(GO) test -run '^$$' -fuzz FuzzRequest -fuzztime $${FUZZTIME:-30s} ./youtubeapi/emulator

bench: ## performance benchmarks, -count 10, into results/bench/new.txt
	@mkdir -p results/bench
	$(GO) test $(BENCH_FLAGS) ./performance > results/bench/new.txt || \
		{ tail -20 results/bench/new.txt; exit 1; }

gate: ## compare results/bench/new.txt with this machine class's baseline
	$(GO) run ./cmd/scaletest gate -new results/bench/new.txt

bench-baseline: ## record this machine class's baseline (on an idle machine)
	@mkdir -p $(dir $(BENCH_BASELINE))
	$(GO) test $(BENCH_FLAGS) ./performance > $(BENCH_BASELINE).tmp && \
		mv $(BENCH_BASELINE).tmp $(BENCH_BASELINE)

scale: ## the main job: every category at full scale, then the scorecard
	$(GO) run ./cmd/scaletest run

plan: ## capacity and cost plan from scale.yaml alone
	$(GO) run ./cmd/scaletest plan

serve: ## the dashboard at http://localhost:8080/scale-dashboard
	$(GO) run ./cmd/scaletest serve
