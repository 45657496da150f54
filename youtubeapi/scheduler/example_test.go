package scheduler_test

import (
	"context"
	"fmt"
	"time"

	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/quota"
	"github.com/scaletest/scaletest/youtubeapi/scheduler"
)

// Example drives the scheduler on a virtual clock, as the simulation
// does: start what Next allows, report each outcome, and jump to WakeAt
// when nothing may start.
func Example() {
	model, _ := quota.Lookup("2026-06-01")
	ledger, _ := quota.NewLedger(quota.NewMemStore(), model, quota.Project{
		ID: "prod", Limits: map[quota.Bucket]quota.Units{quota.Uploads: 3}})
	s, _ := scheduler.New(scheduler.DefaultConfig(scheduler.Project{
		ID: "prod", Quota: ledger,
		Channels: []scheduler.Channel{{ID: "docs", UploadsPerDay: 100}}}))

	ctx := context.Background()
	now := time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC) // 11:00 PDT
	for i := range 4 {
		_ = s.Submit(scheduler.Upload{ID: fmt.Sprint("v", i),
			Channel: "docs"}, now)
	}
	for s.Waiting() > 0 {
		d, ok, err := s.Next(ctx, now)
		if err != nil {
			panic(err)
		}
		if !ok {
			why, _ := s.Why("v3", now)
			fmt.Println("v3 waits:", why.Reason)
			now, _ = s.WakeAt(now)
			continue
		}
		// The caller uploads here; this one always succeeds.
		_, _ = s.Report(ctx, d.Upload.ID, youtubeapi.Success, now)
		fmt.Println(d.Upload.ID, "at", now.In(quota.Pacific()).Format(
			"Jan 2 15:04 MST"))
	}
	// Output:
	// v0 at Jul 1 11:00 PDT
	// v1 at Jul 1 11:00 PDT
	// v2 at Jul 1 11:00 PDT
	// v3 waits: quota-exhausted
	// v3 at Jul 2 00:00 PDT
}
