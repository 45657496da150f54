package quota_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
)

// Example reserves before each call and settles after it; the call that
// would exceed the bucket is refused until the Pacific midnight.
func Example() {
	model, _ := quota.Lookup("2026-06-01")
	ledger, _ := quota.NewLedger(quota.NewMemStore(), model, quota.Project{
		ID: "prod", Limits: map[quota.Bucket]quota.Units{quota.Uploads: 2}})
	ctx := context.Background()
	at := time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC) // DST starts today

	for i := range 3 {
		r, err := ledger.Reserve(ctx, "videos.insert", at)
		var ex *quota.ExhaustedError
		if errors.As(err, &ex) {
			fmt.Printf("call %d refused: %d of %d spent, resets %s\n", i+1,
				ex.Spent, ex.Limit, ex.ResetAt.UTC().Format(time.RFC3339))
			continue
		}
		charged, _ := ledger.Settle(ctx, r, youtubeapi.Success, at)
		fmt.Printf("call %d charged %d unit from %s\n", i+1, charged,
			r.Bucket)
	}
	// Output:
	// call 1 charged 1 unit from uploads
	// call 2 charged 1 unit from uploads
	// call 3 refused: 2 of 2 spent, resets 2026-03-09T07:00:00Z
}
