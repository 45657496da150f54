package emulator

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"google.golang.org/api/youtube/v3"
)

// lookup returns video id if it exists.
func (s *Server) lookup(id string) (*video, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.videos[id]
	return v, ok
}

// owned returns video id if it exists and belongs to c.
func (s *Server) owned(id string, c *channelState) (*video, *apiError) {
	v, ok := s.lookup(id)
	switch {
	case id == "" || !ok:
		return nil, errNoVideo
	case v.channel != c.ID:
		return nil, errNotOwner
	}
	return v, nil
}

// videosList serves videos.list by id.
func (s *Server) videosList(w http.ResponseWriter, r *http.Request) {
	s.call(w, r, "videos.list", func(_ *channelState, _ time.Time) *apiError {
		ps, aerr := parts(r)
		if aerr != nil {
			return aerr
		}
		ids := r.URL.Query().Get("id")
		if ids == "" {
			return badRequest("videos.list needs id (the emulator " +
				"supports no other filter)")
		}
		list := &youtube.VideoListResponse{Kind: "youtube#videoListResponse",
			Items: []*youtube.Video{}}
		for id := range strings.SplitSeq(ids, ",") {
			if v, ok := s.lookup(strings.TrimSpace(id)); ok {
				list.Items = append(list.Items, s.render(v, sortedParts(ps)))
			}
		}
		list.PageInfo = &youtube.PageInfo{TotalResults: int64(len(list.Items)),
			ResultsPerPage: int64(len(list.Items))}
		writeJSON(w, http.StatusOK, list)
		return nil
	})
}

// videosUpdate serves videos.update of snippet and status.
func (s *Server) videosUpdate(w http.ResponseWriter, r *http.Request) {
	s.call(w, r, "videos.update", func(c *channelState, _ time.Time) *apiError {
		ps, aerr := parts(r)
		if aerr != nil {
			return aerr
		}
		b, aerr := readJSONBody(r)
		if aerr != nil {
			return aerr
		}
		in, aerr := decodeVideo(b)
		if aerr != nil {
			return aerr
		}
		v, aerr := s.owned(in.Id, c)
		if aerr != nil {
			return aerr
		}
		s.mu.Lock()
		if ps["snippet"] && in.Snippet != nil {
			sn := *v.res.Snippet
			sn.Title, sn.Description = in.Snippet.Title, in.Snippet.Description
			sn.Tags, sn.CategoryId = in.Snippet.Tags, in.Snippet.CategoryId
			v.res.Snippet = &sn
		}
		if ps["status"] && in.Status != nil {
			st := *v.res.Status
			st.PrivacyStatus = in.Status.PrivacyStatus
			if !s.channels[c.ID].project.Audited {
				st.PrivacyStatus = "private"
			}
			v.res.Status = &st
		}
		out := v.view(sortedParts(ps))
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
		return nil
	})
}

// thumbnailsSet serves thumbnails.set: the image as the body (media) or
// the second part of a multipart body.
func (s *Server) thumbnailsSet(w http.ResponseWriter, r *http.Request) {
	s.call(w, r, "thumbnails.set", func(c *channelState, _ time.Time) *apiError {
		v, aerr := s.owned(r.URL.Query().Get("videoId"), c)
		if aerr != nil {
			return aerr
		}
		img := io.Reader(r.Body)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			mr, aerr := multipartReader(r)
			if aerr != nil {
				return aerr
			}
			if _, img, aerr = splitMultipart(mr); aerr != nil {
				return aerr
			}
		}
		const maxThumb = 2 << 20 // YouTube's limit, 2 MiB
		n, err := io.Copy(sha256.New(), io.LimitReader(img, maxThumb+1))
		switch {
		case err != nil:
			return badRequest("reading the image: " + err.Error())
		case n == 0:
			return badRequest("thumbnails.set needs an image")
		case n > maxThumb:
			return errf(http.StatusBadRequest, "mediaBodyTooLarge",
				"The thumbnail is over 2 MiB.")
		}
		s.mu.Lock()
		v.thumbnail = n
		s.mu.Unlock()
		url := baseURL(r) + "/vi/" + v.res.Id + "/default.jpg"
		writeJSON(w, http.StatusOK, &youtube.ThumbnailSetResponse{
			Kind: "youtube#thumbnailSetResponse",
			Items: []*youtube.ThumbnailDetails{{Default: &youtube.Thumbnail{
				Url: url, Width: 120, Height: 90}}}})
		return nil
	})
}

// playlistItemsInsert serves playlistItems.insert of a video.
func (s *Server) playlistItemsInsert(w http.ResponseWriter, r *http.Request) {
	s.call(w, r, "playlistItems.insert", func(c *channelState,
		now time.Time) *apiError {
		if _, aerr := parts(r); aerr != nil {
			return aerr
		}
		b, aerr := readJSONBody(r)
		if aerr != nil {
			return aerr
		}
		var it youtube.PlaylistItem
		if err := json.Unmarshal(b, &it); err != nil {
			return badRequest("parsing the playlist item: " + err.Error())
		}
		sn := it.Snippet
		if sn == nil || sn.PlaylistId == "" || sn.ResourceId == nil {
			return badRequest("playlistItems.insert needs snippet.playlistId " +
				"and snippet.resourceId")
		}
		v, ok := s.lookup(sn.ResourceId.VideoId)
		if !ok {
			return errNoVideo
		}
		s.mu.Lock()
		v.playlists = append(v.playlists, sn.PlaylistId)
		pos := int64(len(v.playlists) - 1)
		s.mu.Unlock()
		sn.ChannelId, sn.Position = c.ID, pos
		sn.PublishedAt = now.UTC().Format(time.RFC3339)
		it.Kind, it.Id = "youtube#playlistItem", s.newID(34)
		writeJSON(w, http.StatusOK, &it)
		return nil
	})
}

// channelsList serves channels.list with mine=true or id.
func (s *Server) channelsList(w http.ResponseWriter, r *http.Request) {
	s.call(w, r, "channels.list", func(c *channelState, _ time.Time) *apiError {
		ps, aerr := parts(r)
		if aerr != nil {
			return aerr
		}
		q := r.URL.Query()
		var found []*channelState
		switch {
		case q.Get("mine") == "true":
			found = append(found, c)
		case q.Get("id") != "":
			s.mu.Lock()
			for id := range strings.SplitSeq(q.Get("id"), ",") {
				if ch, ok := s.channels[strings.TrimSpace(id)]; ok {
					found = append(found, ch)
				}
			}
			s.mu.Unlock()
		default:
			return badRequest("channels.list needs mine=true or id")
		}
		list := &youtube.ChannelListResponse{
			Kind: "youtube#channelListResponse", Items: []*youtube.Channel{}}
		for _, ch := range found {
			list.Items = append(list.Items, channelResource(ch, ps))
		}
		list.PageInfo = &youtube.PageInfo{TotalResults: int64(len(found)),
			ResultsPerPage: int64(len(found))}
		writeJSON(w, http.StatusOK, list)
		return nil
	})
}

func channelResource(c *channelState, ps map[string]bool) *youtube.Channel {
	out := &youtube.Channel{Kind: "youtube#channel", Id: c.ID}
	if ps["snippet"] {
		out.Snippet = &youtube.ChannelSnippet{Title: c.Title}
	}
	if ps["contentDetails"] {
		out.ContentDetails = &youtube.ChannelContentDetails{
			RelatedPlaylists: &youtube.ChannelContentDetailsRelatedPlaylists{
				Uploads: "UU" + c.ID}}
	}
	if ps["status"] {
		long := "eligible"
		if c.Verified {
			long = "allowed" // FACTS.md: verified channels, 12 h videos
		}
		out.Status = &youtube.ChannelStatus{IsLinked: true,
			LongUploadsStatus: long, PrivacyStatus: "public"}
	}
	return out
}
