package web

import (
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Cache lifetimes of the API's answers. Answers that depend on the
// clock (open or closed now) live one minute: hours change on the minute.
const (
	maxAgeLive     = 60 * time.Second // search, one place, change feed
	maxAgeData     = 5 * time.Minute  // exports, sources
	maxAgeDocument = time.Hour        // the OpenAPI document, territories
)

// apiHandler is an API handler: it returns an error (answered in the
// problem format) or writes the answer itself.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

// api registers an API route: CORS on every answer, errors as problems.
func (s *Server) api(pattern string, h apiHandler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		setCORS(w.Header())
		if err := h(w, r); err != nil {
			s.writeProblem(w, r, err)
		}
	})
}

// setCORS opens the API to any web page: it is open data.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Link, X-Total-Count, Location")
}

// preflight answers the CORS preflight of a request sending
// If-None-Match (not a "simple" header).
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	setCORS(h)
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, Accept")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// notModified sets ETag and Cache-Control on the answer to r and
// reports whether the client's copy is still good, in which case it has
// answered 304 and the handler must stop. The tag is derived from the
// version of the index (every import or merge swaps it), the request's
// path and query, and, when the answer depends on the clock, the current
// minute.
func (s *Server) notModified(w http.ResponseWriter, r *http.Request, maxAge time.Duration, clock bool) bool {
	ix := s.cfg.Index.Load()
	h := fnv.New64a()
	h.Write([]byte(r.URL.Path))
	h.Write([]byte{'?'})
	h.Write([]byte(r.URL.RawQuery))
	if clock {
		h.Write([]byte(s.cfg.Now().UTC().Truncate(time.Minute).Format(time.RFC3339)))
	}
	tag := make([]byte, 0, 64)
	tag = append(tag, '"')
	tag = strconv.AppendInt(tag, ix.BuiltAt().UnixNano(), 36)
	tag = append(tag, '-')
	tag = strconv.AppendInt(tag, int64(ix.Len()), 36)
	tag = append(tag, '-')
	tag = strconv.AppendUint(tag, h.Sum64(), 36)
	tag = append(tag, '"')
	etag := string(tag)
	hdr := w.Header()
	hdr.Set("ETag", etag)
	hdr.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge/time.Second)))
	hdr.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// etagMatches reports whether an If-None-Match list names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(list, etag string) bool {
	for t := range strings.SplitSeq(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// checkParams rejects the parameters a route does not know: a typo
// ("service=" for "services=") would otherwise be silently ignored.
func checkParams(q url.Values, known ...string) error {
	var unknown []string
	for name := range q {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return badParam(unknown[0], "paramètre inconnu ; paramètres acceptés : %s", strings.Join(known, ", "))
}

// single returns the one value of a parameter ("" when absent) or an
// error when it is given several times.
func single(q url.Values, name string) (string, error) {
	switch v := q[name]; len(v) {
	case 0:
		return "", nil
	case 1:
		return v[0], nil
	}
	return "", badParam(name, "donné plusieurs fois, une seule valeur attendue")
}
