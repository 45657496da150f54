package dbload

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var smallRedisSeed = RedisSeed{Entries: 100, Pending: 10, Videos: 100, CachedVideos: 50}

func TestRedisOperations(t *testing.T) {
	_, mix, _ := setup(t)
	r := openRedis(t, smallRedisSeed, 4)
	r.MinIdle = 0
	ops := r.Ops()
	for _, spec := range mix.Store(Redis) {
		op, ok := ops[spec.Name]
		require.True(t, ok, "no code for %s", spec.Name)
		for i := range int64(lostAckEvery + 1) {
			require.NoError(t, op(t.Context(), 0, i), "%s #%d", spec.Name, i)
		}
	}
	assert.Len(t, ops, len(mix.Store(Redis)), "operations beyond the mix")
	require.NoError(t, r.Check(t.Context()))
	assert.Positive(t, r.reclaimed.Load(), "entries reclaimed")
}

// Every read the reclaimer does not ack stays pending, and entries a
// crashed consumer left behind are taken over once idle.
func TestRedisStreamReclaim(t *testing.T) {
	r := openRedis(t, RedisSeed{Entries: 30, Pending: 20, Videos: 1}, 2)
	ctx := t.Context()
	r.MinIdle = time.Hour
	require.NoError(t, r.streamReclaim(ctx, 0, 0))
	assert.Zero(t, r.reclaimed.Load(), "entries reclaimed before they are idle")

	r.MinIdle = 0
	for range 2 {
		require.NoError(t, r.streamReclaim(ctx, 0, 0))
	}
	assert.Equal(t, int64(20), r.reclaimed.Load(), "entries reclaimed (10 per call)")
	require.NoError(t, r.Check(ctx))

	// 10 entries are left; consuming them all, then one more, is empty.
	for i := range int64(10) {
		require.NoError(t, r.streamConsume(ctx, 0, i))
	}
	assert.ErrorIs(t, r.streamConsume(ctx, 0, 10), ErrEmpty)
	require.NoError(t, r.Check(ctx))
}

func redisWorkload(t *testing.T, pool int) (*Workload, *RedisStore) {
	cfg, mix, _ := setup(t)
	r := openRedis(t, DefaultRedisSeed, pool)
	return &Workload{Store: Redis, Mix: mix, Config: cfg, Ops: r.Ops()}, r
}

func TestRedisHoldsPeak(t *testing.T) {
	_, _, plan := setup(t)
	w, r := redisWorkload(t, plan.PoolSize)
	steady(t, w, plan, r)
}

func TestRedisCompressedDay(t *testing.T) {
	_, _, plan := setup(t)
	w, r := redisWorkload(t, plan.PoolSize)
	day(t, w, plan, r)
}

func TestRedisKnee(t *testing.T) {
	_, _, plan := setup(t)
	w, r := redisWorkload(t, plan.PoolSize)
	knee(t, w, plan, r)
}

func TestRedisConcurrencySweep(t *testing.T) {
	_, _, plan := setup(t)
	w, r := redisWorkload(t, plan.PoolSize)
	for _, name := range []string{"cache_get", "stream_add"} {
		sweep(t, Redis, name, w.Ops[name], plan)
	}
	require.NoError(t, r.Check(t.Context()))
}
