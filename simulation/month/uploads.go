package month

import (
	"math"
	"time"

	"github.com/scaletest/scaletest/simulation/des"
	"github.com/scaletest/scaletest/youtubeapi"
	"github.com/scaletest/scaletest/youtubeapi/scheduler"
)

// dispatch starts uploads while slots, videos and the scheduler allow.
func (s *state) dispatch() {
	now := s.eng.Now()
	if now < s.blockedUntil {
		return
	}
	for len(s.upFree) > 0 && s.backlog.total > 0 {
		id, ok, wake, hasWake, err := s.pub.begin(now)
		if err != nil {
			s.err = err
			return
		}
		if !ok {
			s.block(wake, hasWake)
			return
		}
		s.unblock()
		arrival, media, _ := s.backlog.take()
		s.backlogS.Add(now, -1)
		n := len(s.upFree) - 1
		slot := s.upFree[n]
		s.upFree = s.upFree[:n]
		s.uploads[slot] = upload{id: id, arrival: arrival, media: media}
		s.upStarted++
		d := media * s.bytesPerSec / s.upBps
		s.eng.After(des.Seconds(d), evUploadDone, slot, 0)
	}
}

// block stops dispatching until wake (or, without one, until an upload
// ends) and starts counting the time blocked by the scheduler's reason.
func (s *state) block(wake time.Duration, hasWake bool) {
	now := s.eng.Now()
	if s.blockReason == scheduler.ReasonNone {
		s.blockReason = s.pub.blockReason(now)
		s.blockedSince = now
	}
	s.blockedUntil = time.Duration(math.MaxInt64)
	if hasWake {
		s.blockedUntil = wake
		s.wakeGen++
		s.eng.At(max(wake, now), evUploadWake, 0, s.wakeGen)
	}
}

func (s *state) unblock() {
	now := s.eng.Now()
	if s.blockReason != scheduler.ReasonNone {
		s.blocked[s.blockReason] += now - s.blockedSince
		s.blockReason = scheduler.ReasonNone
	}
	s.blockedUntil = 0
}

func (s *state) uploadDone(slot int32) {
	now := s.eng.Now()
	u := s.uploads[slot]
	s.upFree = append(s.upFree, slot)
	o := youtubeapi.Success
	if s.rUp.Float64() < s.a.UploadBackendErrorRate {
		o = youtubeapi.Outcome{Status: 503,
			Reason: youtubeapi.ReasonBackendError}
	}
	published, err := s.pub.finish(u.id, o, now)
	if err != nil {
		s.err = err
		return
	}
	if published {
		w := now.Seconds() - u.arrival
		s.published++
		s.pubHist.Record(w)
		s.pubSum += w
		s.inSys.Add(now, -1)
	} else {
		s.upFailed++
		s.backlog.add(u.arrival, u.media)
		s.backlogS.Add(now, 1)
	}
	s.blockedUntil = 0 // a finished upload may free a channel slot
	s.dispatch()
}
