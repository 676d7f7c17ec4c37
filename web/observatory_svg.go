package web

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The observatory's charts and map are SVG drawn on the server: they show
// without JavaScript, print, and carry a title and a description for
// screen readers (role="img"); each is followed by a table of the same
// figures. Colours come from classes of static/observatoire.css (the
// pages' security policy forbids inline styles).

// barChart is a horizontal bar chart: one group of bars per category, one
// bar per series.
type barChart struct {
	ID, Title, Unit string
	Decimals        int
	Series          []string
	Groups          []barGroup
	// Max is the value of a full bar; 0 takes the largest value.
	Max           float64
	Width, Height int
}

type barGroup struct {
	Label  string
	Values []*float64
	LabelY float64
	Bars   []bar
}

// bar is one bar, laid out.
type bar struct {
	Y, W         float64
	Class        string
	Text         string
	TextX, TextY float64
}

// Bar chart geometry, in SVG user units.
const (
	chartWidth    = 640
	chartBarArea  = 500
	chartLabelH   = 20
	chartBarH     = 16
	chartBarGap   = 4
	chartGroupGap = 12
)

// layout computes the positions of the bars.
func (c *barChart) layout() {
	max := c.Max
	if max == 0 {
		for _, g := range c.Groups {
			for _, v := range g.Values {
				if v != nil && *v > max {
					max = *v
				}
			}
		}
	}
	y := 0.0
	for gi := range c.Groups {
		g := &c.Groups[gi]
		y += chartLabelH
		g.LabelY = y - 6
		for si, v := range g.Values {
			b := bar{Y: y, Class: "serie" + strconv.Itoa(si), TextY: y + chartBarH - 4}
			if v == nil {
				b.Text = undefinedFR
			} else {
				if max > 0 {
					b.W = math.Round(*v/max*chartBarArea*10) / 10
				}
				b.Text = decFR(*v, c.Decimals)
				if c.Unit != "" {
					b.Text += nbsp + c.Unit
				}
			}
			b.TextX = b.W + 6
			g.Bars = append(g.Bars, b)
			y += chartBarH + chartBarGap
		}
		y += chartGroupGap
	}
	c.Width = chartWidth
	c.Height = int(math.Ceil(y))
}

// mapArea is a département on the map.
type mapArea struct {
	Code, Name, Class, Value string
	Path                     string
}

// choropleth is the map of the départements.
type choropleth struct {
	Title   string
	ViewBox string
	Areas   []mapArea
	// Missing lists the départements without outline (overseas).
	Missing []string
}

// legendItem is a class of the map.
type legendItem struct {
	Class, Text string
}

var (
	outlinesOnce sync.Once
	outlinePaths map[string]outlinePath
)

// outlinePath is the SVG path of a département in the map's projection,
// with its bounds.
type outlinePath struct {
	d                      string
	minX, minY, maxX, maxY float64
}

// mapScale is the number of SVG units per degree of latitude; longitudes
// are shrunk by the cosine of 46.5° (the middle of metropolitan France),
// which keeps the shapes right at that scale.
const mapScale = 100

var mapCos = math.Cos(46.5 * math.Pi / 180)

func loadOutlinePaths() {
	outlinePaths = map[string]outlinePath{}
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"code"`
			} `json:"properties"`
			Geometry struct {
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if json.Unmarshal(simplifiedOutlines(), &fc) != nil {
		return
	}
	for _, f := range fc.Features {
		p := outlinePath{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
		var b strings.Builder
		for _, poly := range f.Geometry.Coordinates {
			for _, ring := range poly {
				for i, pt := range ring {
					x, y := pt[0]*mapCos*mapScale, -pt[1]*mapScale
					p.minX, p.maxX = min(p.minX, x), max(p.maxX, x)
					p.minY, p.maxY = min(p.minY, y), max(p.maxY, y)
					if i == 0 {
						b.WriteByte('M')
					} else {
						b.WriteByte('L')
					}
					b.WriteString(strconv.FormatFloat(x, 'f', 1, 64))
					b.WriteByte(' ')
					b.WriteString(strconv.FormatFloat(y, 'f', 1, 64))
				}
				b.WriteByte('Z')
			}
		}
		p.d = b.String()
		outlinePaths[f.Properties.Code] = p
	}
}

// newChoropleth draws the départements that have an outline; nil when
// none has.
func newChoropleth(areas []mapArea, title string) *choropleth {
	outlinesOnce.Do(loadOutlinePaths)
	c := &choropleth{Title: title}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, a := range areas {
		p, ok := outlinePaths[a.Code]
		if !ok {
			c.Missing = append(c.Missing, a.Name)
			continue
		}
		a.Path = p.d
		c.Areas = append(c.Areas, a)
		minX, minY = min(minX, p.minX), min(minY, p.minY)
		maxX, maxY = max(maxX, p.maxX), max(maxY, p.maxY)
	}
	if len(c.Areas) == 0 {
		return nil
	}
	const margin = 10
	c.ViewBox = strings.Join([]string{
		strconv.FormatFloat(minX-margin, 'f', 0, 64), strconv.FormatFloat(minY-margin, 'f', 0, 64),
		strconv.FormatFloat(maxX-minX+2*margin, 'f', 0, 64), strconv.FormatFloat(maxY-minY+2*margin, 'f', 0, 64),
	}, " ")
	return c
}

// quantileBreaks returns up to 4 increasing thresholds splitting the
// defined values into classes of about the same size. When many values
// are the smallest one (often 0: no place at all), those get a class of
// their own and the others are split in quartiles, so that "none" never
// shares a colour with "some".
func quantileBreaks(values []*float64) []float64 {
	var vs []float64
	for _, v := range values {
		if v != nil {
			vs = append(vs, *v)
		}
	}
	if len(vs) == 0 {
		return nil
	}
	slices.Sort(vs)
	low := vs[0]
	rest := vs
	for len(rest) > 0 && rest[0] == low {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return nil
	}
	var breaks []float64
	add := func(b float64) {
		if b > low && (len(breaks) == 0 || b > breaks[len(breaks)-1]) {
			breaks = append(breaks, b)
		}
	}
	if 5*(len(vs)-len(rest)) >= len(vs) {
		add(rest[0])
		for k := 1; k < 4; k++ {
			add(rest[k*len(rest)/4])
		}
		return breaks
	}
	for k := 1; k < 5; k++ {
		add(vs[k*len(vs)/5])
	}
	return breaks
}

// classOf returns the class of a value among the classes of breaks, "q0"
// (lightest) to "q4" (darkest), or "nd" for an undefined value. With
// fewer than five classes the colours are spread over the scale (two
// classes are q0 and q4) so that they stay easy to tell apart; one class
// is q4.
func classOf(v *float64, breaks []float64) string {
	if v == nil {
		return "nd"
	}
	k := 0
	for _, b := range breaks {
		if *v >= b {
			k++
		}
	}
	return classIndex(k, len(breaks))
}

// classIndex maps class k of n+1 classes onto q0…q4.
func classIndex(k, n int) string {
	if n == 0 {
		return "q4"
	}
	return "q" + strconv.Itoa(int(math.Round(float64(k)*4/float64(n))))
}

// legend describes the classes of breaks.
func legend(breaks []float64, metric string) []legendItem {
	text := func(v float64) string { return metricText(metric, &v) }
	var items []legendItem
	n := len(breaks)
	for k := 0; k <= n; k++ {
		var t string
		switch {
		case n == 0:
			t = "toutes les valeurs"
		case k == 0:
			t = "moins de " + text(breaks[0])
		case k == n:
			t = text(breaks[n-1]) + " ou plus"
		default:
			t = "de " + text(breaks[k-1]) + " à moins de " + text(breaks[k])
		}
		items = append(items, legendItem{Class: classIndex(k, n), Text: t})
	}
	return append(items, legendItem{Class: "nd", Text: "non défini"})
}
