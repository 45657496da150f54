package dbload

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/scaletest/scaletest/harness/load"
)

// GraphSeed sizes the knowledge graph a Neo4j run starts with.
type GraphSeed struct {
	Projects, Documents, Topics, Videos int
	// TopicsPerVideo is how many topics each video is about.
	TopicsPerVideo int
}

// DefaultGraphSeed matches DefaultPGSeed's platform, with 10 documents
// per project and 3 topics per video out of 200.
var DefaultGraphSeed = GraphSeed{Projects: 100, Documents: 1000, Topics: 200,
	Videos: 5000, TopicsPerVideo: 3}

// GraphStore runs the Neo4j operations of the mix on a knowledge graph of
// projects, documents, topics and videos. Every node carries the store's
// run tag, so stores sharing a server stay apart and Cleanup removes
// exactly theirs. Its methods are safe for concurrent use.
type GraphStore struct {
	driver neo4j.DriverWithContext
	run    string
	seed   GraphSeed
}

// OpenNeo4j connects to the server at rawURL (bolt://user:password@host:port;
// the credentials are taken from the URL) with a pool of poolSize
// connections.
func OpenNeo4j(ctx context.Context, rawURL string, poolSize int) (*GraphStore, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("open neo4j: %w", err)
	}
	auth := neo4j.NoAuth()
	if u.User != nil {
		pw, _ := u.User.Password()
		auth = neo4j.BasicAuth(u.User.Username(), pw, "")
		u.User = nil
	}
	d, err := neo4j.NewDriverWithContext(u.String(), auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = poolSize
	})
	if err != nil {
		return nil, fmt.Errorf("open neo4j: %w", err)
	}
	if err := d.VerifyConnectivity(ctx); err != nil {
		d.Close(ctx)
		return nil, fmt.Errorf("open neo4j: %w", err)
	}
	return &GraphStore{driver: d, run: "r" + strconv.FormatUint(rand.Uint64(), 36)}, nil
}

// Close closes the driver.
func (g *GraphStore) Close(ctx context.Context) error { return g.driver.Close(ctx) }

func (g *GraphStore) query(ctx context.Context, cypher string,
	params map[string]any) (*neo4j.EagerResult, error) {
	return neo4j.ExecuteQuery(ctx, g.driver, cypher, params,
		neo4j.EagerResultTransformer)
}

// id is the graph id of the n-th node of a kind in this store's run.
func (g *GraphStore) id(kind string, n int64) string {
	return g.run + ":" + kind + ":" + strconv.FormatInt(n, 10)
}

// Setup creates the uniqueness constraints (shared by every run) and
// seeds the graph in batches.
func (g *GraphStore) Setup(ctx context.Context, seed GraphSeed) error {
	if seed.Projects < 1 || seed.Documents < 1 || seed.Topics < 1 || seed.Videos < 1 ||
		seed.TopicsPerVideo < 1 {
		return fmt.Errorf("setup neo4j: seed %+v: want every count >= 1", seed)
	}
	g.seed = seed
	for _, label := range []string{"Project", "Document", "Topic", "Video"} {
		c := fmt.Sprintf("CREATE CONSTRAINT dailydoco_%s_id IF NOT EXISTS "+
			"FOR (n:%s) REQUIRE n.id IS UNIQUE", label, label)
		if _, err := g.query(ctx, c, nil); err != nil {
			return fmt.Errorf("setup neo4j: constraint: %w", err)
		}
	}
	steps := []struct {
		what, cypher string
		n            int
	}{
		{"projects", `UNWIND range($from, $to) AS n
			CREATE (:Project {id: $run + ':project:' + toString(n), run: $run})`, seed.Projects},
		{"topics", `UNWIND range($from, $to) AS n
			CREATE (:Topic {id: $run + ':topic:' + toString(n), run: $run})`, seed.Topics},
		{"documents", `UNWIND range($from, $to) AS n
			MATCH (p:Project {id: $run + ':project:' + toString(n % $projects)})
			CREATE (p)-[:HAS]->(:Document {id: $run + ':document:' + toString(n), run: $run})`,
			seed.Documents},
		{"videos", `UNWIND range($from, $to) AS n
			MATCH (d:Document {id: $run + ':document:' + toString(n % $documents)})
			CREATE (d)-[:EXPLAINED_BY]->(v:Video {id: $run + ':video:' + toString(n), run: $run})
			WITH v, n
			UNWIND range(0, $perVideo - 1) AS k
			MATCH (t:Topic {id: $run + ':topic:' +
				toString((n * 7 + k * 13) % $topics)})
			MERGE (v)-[:ABOUT]->(t)`, seed.Videos},
	}
	const batch = 500
	for _, s := range steps {
		for from := 0; from < s.n; from += batch {
			_, err := g.query(ctx, s.cypher, map[string]any{
				"run": g.run, "from": from, "to": min(from+batch, s.n) - 1,
				"projects": seed.Projects, "documents": seed.Documents,
				"topics": seed.Topics, "perVideo": seed.TopicsPerVideo,
			})
			if err != nil {
				return fmt.Errorf("setup neo4j: seed %s: %w", s.what, err)
			}
		}
	}
	return nil
}

// Cleanup deletes every node of this store's run, in batches.
func (g *GraphStore) Cleanup(ctx context.Context) error {
	for {
		res, err := g.query(ctx, `MATCH (n {run: $run}) WITH n LIMIT 5000
			DETACH DELETE n RETURN count(*) AS deleted`, map[string]any{"run": g.run})
		if err != nil {
			return fmt.Errorf("cleanup neo4j: %w", err)
		}
		if len(res.Records) == 0 {
			return nil
		}
		if n, _ := res.Records[0].Get("deleted"); n == int64(0) {
			return nil
		}
	}
}

// Ops returns the code of each Neo4j operation of the mix.
func (g *GraphStore) Ops() map[string]load.Op {
	return map[string]load.Op{
		"graph_link":    g.link,
		"graph_related": g.related,
		"graph_stale":   g.stale,
	}
}

// link adds a new video under a document of a project, about
// TopicsPerVideo topics.
func (g *GraphStore) link(ctx context.Context, _ int, i int64) error {
	s := g.seed
	topics := make([]string, s.TopicsPerVideo)
	for k := range topics {
		topics[k] = g.id("topic", rand.Int64N(int64(s.Topics)))
	}
	_, err := g.query(ctx, `MATCH (d:Document {id: $document})
		MERGE (v:Video {id: $video}) ON CREATE SET v.run = $run
		MERGE (d)-[:EXPLAINED_BY]->(v)
		WITH v UNWIND $topics AS tid
		MATCH (t:Topic {id: tid})
		MERGE (v)-[:ABOUT]->(t)`, map[string]any{
		"document": g.id("document", rand.Int64N(int64(s.Documents))),
		"video":    g.id("newvideo", i), "run": g.run, "topics": topics,
	})
	if err != nil {
		return fmt.Errorf("graph link: %w", err)
	}
	return nil
}

// related lists the ten videos sharing most topics with a video.
func (g *GraphStore) related(ctx context.Context, _ int, _ int64) error {
	_, err := g.query(ctx, `MATCH (v:Video {id: $video})-[:ABOUT]->(:Topic)
			<-[:ABOUT]-(o:Video)
		WHERE o <> v
		RETURN o.id AS id, count(*) AS shared ORDER BY shared DESC LIMIT 10`,
		map[string]any{"video": g.id("video", rand.Int64N(int64(g.seed.Videos)))})
	if err != nil {
		return fmt.Errorf("graph related: %w", err)
	}
	return nil
}

// stale finds the videos that explain a document and the other documents
// of its project, the work a change to that document may redo.
func (g *GraphStore) stale(ctx context.Context, _ int, _ int64) error {
	_, err := g.query(ctx, `MATCH (p:Project)-[:HAS]->(d:Document {id: $document})
		MATCH (d)-[:EXPLAINED_BY]->(v:Video)
		OPTIONAL MATCH (p)-[:HAS]->(other:Document)
		RETURN collect(DISTINCT v.id) AS videos, count(DISTINCT other) AS siblings`,
		map[string]any{"document": g.id("document",
			rand.Int64N(int64(g.seed.Documents)))})
	if err != nil {
		return fmt.Errorf("graph stale: %w", err)
	}
	return nil
}
