package quota

import (
	"time"
	_ "time/tzdata" // the reset must not depend on the host's zoneinfo
)

// pacific is the zone of YouTube's quota day. Quotas reset at midnight
// America/Los_Angeles, which is UTC-8 in winter and UTC-7 in summer: a
// fixed offset would be an hour off for most of the year.
var pacific = mustZone("America/Los_Angeles")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}

// Pacific returns the America/Los_Angeles location.
func Pacific() *time.Location { return pacific }

// Day returns the quota day of t, the date in America/Los_Angeles, as
// YYYY-MM-DD.
func Day(t time.Time) string {
	return t.In(pacific).Format(time.DateOnly)
}

// DayStart returns the midnight America/Los_Angeles that starts the quota
// day of t.
func DayStart(t time.Time) time.Time {
	y, m, d := t.In(pacific).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, pacific)
}

// NextReset returns the first quota reset after t: the next midnight
// America/Los_Angeles. The day before it is 23 h long on the spring
// daylight-saving change and 25 h on the autumn one.
func NextReset(t time.Time) time.Time {
	y, m, d := t.In(pacific).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, pacific)
}
