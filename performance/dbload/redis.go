package dbload

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/scaletest/scaletest/harness/load"
)

// RedisSeed sizes the data a Redis run starts with.
type RedisSeed struct {
	// Entries is the number of jobs waiting on the stream.
	Entries int
	// Pending is the number read by a consumer that never acked them,
	// for the reclaimer to find.
	Pending int
	// Videos is the key space of the metadata cache; CachedVideos of
	// them start in the cache.
	Videos, CachedVideos int
}

// DefaultRedisSeed matches DefaultPGSeed's platform.
var DefaultRedisSeed = RedisSeed{Entries: 20_000, Pending: 200, Videos: 20_000,
	CachedVideos: 16_000}

// Redis keys and settings under the store's prefix.
const (
	streamKey = "jobs"
	groupName = "workers"
	// lostAckEvery is how often a consumer "crashes" before its ack: one
	// read in this many stays pending for the reclaimer.
	lostAckEvery = 50
	// cacheTTL is how long video metadata stays cached.
	cacheTTL = 5 * time.Minute
	// idempotencyTTL is how long an idempotency key guards its step.
	idempotencyTTL = time.Hour
	// retryEvery is how often a step is retried with a key already taken.
	retryEvery = 10
)

// RedisStore runs the Redis operations of the mix. Its methods are safe
// for concurrent use.
type RedisStore struct {
	rdb    *redis.Client
	prefix string
	// MinIdle is how long an entry must have been pending before the
	// reclaimer takes it. Default 1s.
	MinIdle time.Duration
	seed    RedisSeed
	run     string // tells this store's idempotency keys from others'

	// Counts of what the operations did, for Check.
	added, read, acked, reclaimed atomic.Int64
	// steps numbers idempotency keys across runs.
	steps atomic.Int64
}

// OpenRedis connects to the server at url (redis://host:port/db) with a
// pool of poolSize connections. Every key the store writes starts with
// prefix.
func OpenRedis(ctx context.Context, url, prefix string,
	poolSize int) (*RedisStore, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("open redis: %w", err)
	}
	opt.PoolSize = poolSize
	rdb := redis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("open redis: %w", err)
	}
	return &RedisStore{rdb: rdb, prefix: prefix, MinIdle: time.Second,
		run: strconv.FormatUint(rand.Uint64(), 36)}, nil
}

// Close closes the client.
func (r *RedisStore) Close() error { return r.rdb.Close() }

// Client returns the client.
func (r *RedisStore) Client() *redis.Client { return r.rdb }

func (r *RedisStore) key(k string) string { return r.prefix + k }

// Setup creates the stream and its consumer group, fills the stream,
// leaves seed.Pending entries unacked and warms the cache.
func (r *RedisStore) Setup(ctx context.Context, seed RedisSeed) error {
	if seed.Videos < 1 || seed.Entries < seed.Pending {
		return fmt.Errorf("setup redis: seed %+v: want videos >= 1, entries >= pending",
			seed)
	}
	r.seed = seed
	stream := r.key(streamKey)
	err := r.rdb.XGroupCreateMkStream(ctx, stream, groupName, "$").Err()
	if err != nil {
		return fmt.Errorf("setup redis: group: %w", err)
	}
	const batch = 1000
	for done := 0; done < seed.Entries; done += batch {
		pipe := r.rdb.Pipeline()
		for k := done; k < min(done+batch, seed.Entries); k++ {
			pipe.XAdd(ctx, r.jobEntry(int64(k)))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("setup redis: stream: %w", err)
		}
	}
	if seed.Pending > 0 {
		err := r.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: groupName,
			Consumer: "crashed", Streams: []string{stream, ">"},
			Count: int64(seed.Pending), Block: -1}).Err()
		if err != nil {
			return fmt.Errorf("setup redis: pending: %w", err)
		}
	}
	for done := 0; done < seed.CachedVideos; done += batch {
		pipe := r.rdb.Pipeline()
		for v := done; v < min(done+batch, seed.CachedVideos); v++ {
			pipe.Set(ctx, r.cacheKey(int64(v)), videoMeta(int64(v)), cacheTTL)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("setup redis: cache: %w", err)
		}
	}
	return nil
}

func (r *RedisStore) jobEntry(video int64) *redis.XAddArgs {
	return &redis.XAddArgs{Stream: r.key(streamKey), Values: []any{
		"video", video, "stage", "render", "at", time.Now().UnixMilli()}}
}

func (r *RedisStore) cacheKey(video int64) string {
	return r.key("video:" + strconv.FormatInt(video, 10))
}

// videoMeta is a video's cached metadata, about 200 bytes of JSON.
func videoMeta(video int64) string {
	return `{"id":` + strconv.FormatInt(video, 10) + `,"title":"How to configure ` +
		`the deployment pipeline","status":"published","duration_ms":184000,` +
		`"renditions":[1080,720,480],"channel":"dailydoco-main","project":42}`
}

// Ops returns the code of each Redis operation of the mix.
func (r *RedisStore) Ops() map[string]load.Op {
	return map[string]load.Op{
		"stream_add":     r.streamAdd,
		"stream_consume": r.streamConsume,
		"stream_reclaim": r.streamReclaim,
		"rate_limit":     r.rateLimit,
		"cache_get":      r.cacheGet,
		"idempotency":    r.idempotency,
	}
}

func (r *RedisStore) streamAdd(ctx context.Context, _ int, i int64) error {
	if err := r.rdb.XAdd(ctx, r.jobEntry(i)).Err(); err != nil {
		return fmt.Errorf("stream add: %w", err)
	}
	r.added.Add(1)
	return nil
}

// streamConsume reads one new entry for the worker's consumer and acks
// it, except one in lostAckEvery, left pending as by a crash.
func (r *RedisStore) streamConsume(ctx context.Context, worker int, i int64) error {
	stream := r.key(streamKey)
	res, err := r.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: groupName,
		Consumer: "worker-" + strconv.Itoa(worker), Streams: []string{stream, ">"},
		Count: 1, Block: -1}).Result()
	if errors.Is(err, redis.Nil) || err == nil && (len(res) == 0 ||
		len(res[0].Messages) == 0) {
		return fmt.Errorf("stream consume: %w", ErrEmpty)
	}
	if err != nil {
		return fmt.Errorf("stream consume: %w", err)
	}
	r.read.Add(1)
	if i%lostAckEvery == lostAckEvery-1 {
		return nil
	}
	if err := r.rdb.XAck(ctx, stream, groupName, res[0].Messages[0].ID).Err(); err != nil {
		return fmt.Errorf("stream consume: ack: %w", err)
	}
	r.acked.Add(1)
	return nil
}

// streamReclaim claims up to 10 entries pending longer than MinIdle and
// acks them, as a sweeper that finishes crashed workers' jobs.
func (r *RedisStore) streamReclaim(ctx context.Context, _ int, _ int64) error {
	stream := r.key(streamKey)
	msgs, _, err := r.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: stream,
		Group: groupName, Consumer: "reclaimer", MinIdle: r.MinIdle, Start: "0-0",
		Count: 10}).Result()
	if err != nil {
		return fmt.Errorf("stream reclaim: %w", err)
	}
	if len(msgs) == 0 {
		return nil
	}
	ids := make([]string, len(msgs))
	for k, m := range msgs {
		ids[k] = m.ID
	}
	n, err := r.rdb.XAck(ctx, stream, groupName, ids...).Result()
	if err != nil {
		return fmt.Errorf("stream reclaim: ack: %w", err)
	}
	r.reclaimed.Add(n)
	return nil
}

// rateLimit counts a call against its channel's per-minute window.
func (r *RedisStore) rateLimit(ctx context.Context, _ int, i int64) error {
	k := r.key("rate:channel-" + strconv.FormatInt(i%8, 10) + ":" +
		strconv.FormatInt(time.Now().Unix()/60, 10))
	pipe := r.rdb.Pipeline()
	incr := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, 2*time.Minute)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	if incr.Val() < 1 {
		return fmt.Errorf("rate limit: counter %s = %d after INCR", k, incr.Val())
	}
	return nil
}

// cacheGet reads a video's metadata through the cache, filling it on a
// miss. Popular videos are read more: the video is the smaller of two
// uniform draws.
func (r *RedisStore) cacheGet(ctx context.Context, _ int, _ int64) error {
	n := int64(r.seed.Videos)
	v := min(rand.Int64N(n), rand.Int64N(n))
	k := r.cacheKey(v)
	err := r.rdb.Get(ctx, k).Err()
	if errors.Is(err, redis.Nil) {
		err = r.rdb.Set(ctx, k, videoMeta(v), cacheTTL).Err()
	}
	if err != nil {
		return fmt.Errorf("cache get: %w", err)
	}
	return nil
}

// idempotency takes the key of a job step, which must be free. One step
// in retryEvery is then retried, as after a lost reply, and the retry
// must be refused.
func (r *RedisStore) idempotency(ctx context.Context, _ int, _ int64) error {
	i := r.steps.Add(1)
	k := r.key("idem:" + r.run + ":" + strconv.FormatInt(i, 10))
	ok, err := r.rdb.SetNX(ctx, k, "1", idempotencyTTL).Result()
	if err != nil {
		return fmt.Errorf("idempotency: %w", err)
	}
	if !ok {
		return fmt.Errorf("idempotency: fresh key %s already taken", k)
	}
	if i%retryEvery != retryEvery-1 {
		return nil
	}
	ok, err = r.rdb.SetNX(ctx, k, "1", idempotencyTTL).Result()
	if err != nil {
		return fmt.Errorf("idempotency: retry: %w", err)
	}
	if ok {
		return fmt.Errorf("idempotency: retry of %s was let through", k)
	}
	return nil
}

// Check verifies that the stream agrees with what the operations did: no
// entry lost, and every unacked read still pending.
func (r *RedisStore) Check(ctx context.Context) error {
	stream := r.key(streamKey)
	n, err := r.rdb.XLen(ctx, stream).Result()
	if err != nil {
		return fmt.Errorf("check redis: %w", err)
	}
	p, err := r.rdb.XPending(ctx, stream, groupName).Result()
	if err != nil {
		return fmt.Errorf("check redis: %w", err)
	}
	wantLen := int64(r.seed.Entries) + r.added.Load()
	wantPending := int64(r.seed.Pending) + r.read.Load() - r.acked.Load() -
		r.reclaimed.Load()
	if n != wantLen || p.Count != wantPending {
		return fmt.Errorf("check redis: stream length %d, pending %d; want %d, %d",
			n, p.Count, wantLen, wantPending)
	}
	return nil
}
