package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"math"
	"net/http"
	"path"
	"strings"
	"sync"

	"maillage/territory"
)

//go:embed static
var uiStatic embed.FS

// staticAsset is a static file ready to serve: its bytes, their gzip and
// a short hash of the content for cache busting.
type staticAsset struct {
	body, gz []byte
	ctype    string
	hash     string
}

var (
	assetsOnce sync.Once
	assets     map[string]*staticAsset // by path under static/
)

// servedExt are the kinds of files served from static/ (the vendoring
// script and its npm files stay private).
var servedExt = map[string]string{
	".css":     "text/css; charset=utf-8",
	".js":      "text/javascript; charset=utf-8",
	".png":     "image/png",
	".svg":     "image/svg+xml",
	".geojson": "application/geo+json",
	"":         "text/plain; charset=utf-8", // LICENSE files
}

func loadAssets() {
	assets = map[string]*staticAsset{}
	fs.WalkDir(uiStatic, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(p)
		ctype, ok := servedExt[ext]
		if !ok || (ext == "" && path.Base(p) != "LICENSE") {
			return nil
		}
		body, err := uiStatic.ReadFile(p)
		if err != nil {
			return err
		}
		assets[strings.TrimPrefix(p, "static/")] = newAsset(body, ctype)
		return nil
	})
	assets["departements.geojson"] = newAsset(simplifiedOutlines(), servedExt[".geojson"])
}

func newAsset(body []byte, ctype string) *staticAsset {
	sum := sha256.Sum256(body)
	a := &staticAsset{body: body, ctype: ctype, hash: hex.EncodeToString(sum[:4])}
	if !strings.HasPrefix(ctype, "image/png") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			a.gz = buf.Bytes()
		}
	}
	return a
}

// assetURL is the URL of a static file with its content hash, so that
// browsers may keep it for a year.
func assetURL(name string) string {
	assetsOnce.Do(loadAssets)
	if a, ok := assets[name]; ok {
		return "/static/" + name + "?v=" + a.hash
	}
	return "/static/" + name
}

func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) {
	assetsOnce.Do(loadAssets)
	a, ok := assets[strings.TrimPrefix(r.URL.Path, "/static/")]
	if !ok {
		s.uiError(w, r, http.StatusNotFound, "")
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	h.Set("ETag", `"`+a.hash+`"`)
	if r.Header.Get("If-None-Match") == `"`+a.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	w.Write(body)
}

// simplifiedOutlines returns the département outlines of the territory
// data lightened for the fallback map layer: coordinates rounded to 1/100
// degree (about 1 km) and points closer than 0.05 degree (about 5 km) to
// the previous kept one dropped. The outlines only keep the map readable when the tiles
// cannot load; the full file weighs 570 KB.
func simplifiedOutlines() []byte {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string         `json:"type"`
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(territory.DepartementOutlines(), &fc); err != nil {
		return []byte(`{"type":"FeatureCollection","features":[]}`)
	}
	type feature struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	out := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for _, f := range fc.Features {
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if json.Unmarshal(f.Geometry.Coordinates, &p) != nil {
				continue
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if json.Unmarshal(f.Geometry.Coordinates, &polys) != nil {
				continue
			}
		default:
			continue
		}
		var kept [][][][2]float64
		for _, poly := range polys {
			var rings [][][2]float64
			for _, ring := range poly {
				if r := simplifyRing(ring, 0.05); len(r) >= 4 {
					rings = append(rings, r)
				}
			}
			if len(rings) > 0 {
				kept = append(kept, rings)
			}
		}
		if len(kept) == 0 {
			continue
		}
		out.Features = append(out.Features, feature{
			Type:       "Feature",
			Properties: map[string]any{"code": f.Properties["code"], "nom": f.Properties["nom"]},
			Geometry:   map[string]any{"type": "MultiPolygon", "coordinates": kept},
		})
	}
	b, _ := json.Marshal(out)
	return b
}

// simplifyRing keeps the points of a closed ring at least tol degrees from
// the previous kept point, rounded to 2 decimals, and closes it again.
func simplifyRing(ring [][2]float64, tol float64) [][2]float64 {
	if len(ring) < 4 {
		return nil
	}
	round := func(p [2]float64) [2]float64 {
		return [2]float64{math.Round(p[0]*100) / 100, math.Round(p[1]*100) / 100}
	}
	out := [][2]float64{round(ring[0])}
	for _, p := range ring[1 : len(ring)-1] {
		last := out[len(out)-1]
		if math.Hypot(p[0]-last[0], p[1]-last[1]) >= tol {
			out = append(out, round(p))
		}
	}
	return append(out, out[0])
}
