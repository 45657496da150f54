//go:build depspin

// Package depspin pins the module's dependencies until the packages
// that import them exist. It is never built.
package depspin

import (
	_ "github.com/HdrHistogram/hdrhistogram-go"
	_ "github.com/NVIDIA/go-nvml/pkg/nvml"
	_ "github.com/Shopify/toxiproxy/v2"
	_ "github.com/chromedp/chromedp"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/stretchr/testify/require"
	_ "github.com/testcontainers/testcontainers-go"
	_ "github.com/testcontainers/testcontainers-go/modules/postgres"
	_ "github.com/testcontainers/testcontainers-go/modules/redis"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/perf/benchfmt"
	_ "golang.org/x/perf/benchmath"
	_ "golang.org/x/perf/benchproc"
	_ "golang.org/x/perf/benchunit"
	_ "golang.org/x/sync/errgroup"
	_ "gonum.org/v1/gonum/optimize"
	_ "gonum.org/v1/gonum/optimize/convex/lp"
	_ "gonum.org/v1/plot"
	_ "google.golang.org/api/youtube/v3"
	_ "google.golang.org/api/option"
	_ "k8s.io/api/batch/v1"
	_ "k8s.io/apimachinery/pkg/apis/meta/v1"
	_ "sigs.k8s.io/yaml"
	_ "github.com/Shopify/toxiproxy/v2/client"
	_ "gonum.org/v1/plot/plotter"
	_ "gonum.org/v1/plot/vg"
)
