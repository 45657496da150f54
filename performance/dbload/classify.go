package dbload

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/redis/go-redis/v9"

	"github.com/scaletest/scaletest/harness/load"
)

// ErrEmpty is returned by an operation that found no work where the
// workload keeps some: an empty job queue or stream. It means the seed
// was too small for the run, not that the store failed.
var ErrEmpty = errors.New("no work to take")

// ClassifyError names an error's class for the run's summary:
// "postgres 40001" (the SQLSTATE), "redis NOGROUP" (the error's first
// word), "neo4j Neo.ClientError..." (the code), "empty" for ErrEmpty, and
// load.ClassifyError's classes for the rest.
func ClassifyError(err error) string {
	var (
		pe *pgconn.PgError
		re redis.Error
		ne *neo4j.Neo4jError
	)
	switch {
	case errors.Is(err, ErrEmpty):
		return "empty"
	case errors.As(err, &pe):
		return "postgres " + pe.Code
	case errors.Is(err, redis.Nil):
		return "redis nil"
	case errors.As(err, &re):
		word, _, _ := strings.Cut(re.Error(), " ")
		return "redis " + word
	case errors.As(err, &ne):
		return "neo4j " + ne.Code
	}
	return load.ClassifyError(err)
}
