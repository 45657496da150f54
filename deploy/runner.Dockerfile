# Runner image for distributed scaletest runs (Kubernetes Indexed Jobs).
# Build from the repository root:
#   docker build -f deploy/runner.Dockerfile -t REGISTRY/scaletest-runner:TAG .
# The first stage compiles every package's tests into /out/bin/<pkg>.test
# and the scaletest command; the second carries them with the tools the
# tests call (ffmpeg, the PostgreSQL and Redis clients and benchmarks).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN mkdir -p /out/bin && \
    for pkg in $(go list ./... | grep -v /internal/); do \
      name=$(echo "${pkg#github.com/scaletest/scaletest/}" | tr / -); \
      go test -c -o "/out/bin/${name}.test" "$pkg" || exit 1; \
    done && \
    go build -o /out/bin/scaletest ./cmd/scaletest && \
    cp scale.yaml /out/scale.yaml

FROM debian:bookworm-slim
RUN apt-get update && \
    apt-get install -y --no-install-recommends ffmpeg postgresql-client redis-tools \
      ca-certificates && \
    rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /scaletest/
ENV SCALETEST_CONFIG=/scaletest/scale.yaml PATH=/scaletest/bin:$PATH
WORKDIR /scaletest
ENTRYPOINT ["/scaletest/bin/scaletest"]
