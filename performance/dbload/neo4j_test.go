package dbload

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scaletest/scaletest/harness/services"
)

var smallGraphSeed = GraphSeed{Projects: 3, Documents: 10, Topics: 5, Videos: 30,
	TopicsPerVideo: 2}

// openGraph returns a seeded graph store on the shared Neo4j server (the
// test skips where none can be had), removing its nodes at the end.
func openGraph(t *testing.T, seed GraphSeed, pool int) *GraphStore {
	t.Helper()
	svc := services.Neo4j(t)
	g, err := OpenNeo4j(t.Context(), svc.URL(), pool)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		assert.NoError(t, g.Cleanup(ctx))
		g.Close(ctx)
	})
	require.NoError(t, g.Setup(t.Context(), seed))
	return g
}

func TestNeo4jOperations(t *testing.T) {
	_, mix, _ := setup(t)
	g := openGraph(t, smallGraphSeed, 4)
	ops := g.Ops()
	for _, spec := range mix.Store(Neo4j) {
		op, ok := ops[spec.Name]
		require.True(t, ok, "no code for %s", spec.Name)
		for i := range int64(3) {
			require.NoError(t, op(t.Context(), 0, i), "%s #%d", spec.Name, i)
		}
	}
	assert.Len(t, ops, len(mix.Store(Neo4j)), "operations beyond the mix")

	// Each seeded video is about TopicsPerVideo topics; the links made
	// three more videos.
	res, err := g.query(t.Context(), `MATCH (v:Video {run: $run})
		OPTIONAL MATCH (v)-[a:ABOUT]->(:Topic)
		RETURN count(DISTINCT v) AS videos, count(a) AS about`,
		map[string]any{"run": g.run})
	require.NoError(t, err)
	videos, _ := res.Records[0].Get("videos")
	about, _ := res.Records[0].Get("about")
	assert.Equal(t, int64(smallGraphSeed.Videos+3), videos)
	assert.GreaterOrEqual(t, about.(int64), int64(smallGraphSeed.Videos*2))
}

func TestNeo4jHoldsPeak(t *testing.T) {
	cfg, mix, plan := setup(t)
	g := openGraph(t, DefaultGraphSeed, plan.PoolSize)
	w := &Workload{Store: Neo4j, Mix: mix, Config: cfg, Ops: g.Ops()}
	steady(t, w, plan, noCheck{})
}

// noCheck is the checker of a store without bookkeeping.
type noCheck struct{}

func (noCheck) Check(context.Context) error { return nil }
