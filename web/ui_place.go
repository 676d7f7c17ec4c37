package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"maillage"
	"maillage/territory"
)

// dayRow is a line of the weekly hours table.
type dayRow struct {
	Day, Hours string
	Today      bool
}

// sourceLine says what a source contributed to a place.
type sourceLine struct {
	Title, Producer, Licence, Homepage string
	UpdatedOn                          time.Time
}

// placeView is everything the place page shows.
type placeView struct {
	ID, Name    string
	Kinds       []string
	Address     []string // lines of the address
	Approx      bool
	Itinerary   string       // link to a route planner
	GeoURI      template.URL // geo: link for phones (built from numbers only)
	Status      string
	State       string
	Week        []dayRow
	RawHours    string // the hours as the source wrote them, when they cannot be read
	Access      []string
	Phone       string
	PhoneURI    template.URL // tel: link (built from digits and "+" only)
	Emails      []string
	Websites    []string
	Appointment string
	Services    []string
	Publics     []string
	Support     []string
	Modes       []string
	Fees        string
	Programs    []string
	Labels      []string
	A11ySheet   string
	Summary     string
	Description string
	Itinerant   bool
	UpdatedOn   time.Time
	Sources     []sourceLine
	Report      reportLink
}

// reportLink is the "Signaler une erreur" link of an instance.
type reportLink struct {
	URL, Label string
}

// reportLink returns where to report an error on a place ("" for the
// instance as a whole): Config.ReportURL with the place named in the
// subject of a mail or in the form's query.
func (s *Server) reportLink(id, name string) reportLink {
	base := s.cfg.ReportURL
	if base == "" {
		return reportLink{}
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	if id == "" {
		return reportLink{URL: base, Label: strings.TrimPrefix(base, "mailto:")}
	}
	if strings.HasPrefix(base, "mailto:") {
		subject := fmt.Sprintf("Erreur sur la fiche « %s » (%s)", name, id)
		return reportLink{URL: base + sep + "subject=" + strings.ReplaceAll(url.QueryEscape(subject), "+", "%20")}
	}
	return reportLink{URL: base + sep + "lieu=" + url.QueryEscape(id)}
}

func (s *Server) placePage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.cfg.Index.Load().Place(r.PathValue("id"))
	if !ok {
		s.uiError(w, r, http.StatusNotFound, "Ce lieu n'est pas (ou plus) dans l'annuaire. Il a peut-être fermé, ou été fusionné avec une autre fiche : cherchez-le depuis la page d'accueil.")
		return
	}
	v := s.placeViewOf(r, c)
	s.uiRender(w, r, http.StatusOK, tmplPlace, uiPage{Title: v.Name, Data: v})
}

// placeViewOf describes a consolidated place for people.
func (s *Server) placeViewOf(r *http.Request, c *maillage.Consolidated) *placeView {
	p := &c.Place
	now := s.cfg.Now()
	v := &placeView{
		ID: p.ID, Name: p.Name, Approx: c.Precision == maillage.PrecisionCommune,
		Phone: phoneFR(p.Telephone), Emails: p.Emails, Websites: p.Websites,
		Appointment: p.AppointmentURL, Fees: feeWords(p.Fees), A11ySheet: p.AccessibilitySheet,
		Summary: p.Summary, Description: p.Description, UpdatedOn: p.UpdatedOn,
		Itinerant: slices.Contains(p.Itinerance, maillage.Itinerant),
		Report:    s.reportLink(p.ID, p.Name),
	}
	if v.Description == v.Summary {
		v.Description = ""
	}
	v.PhoneURI = telURI(p.Telephone)
	for _, t := range p.Typologies {
		v.Kinds = append(v.Kinds, typologyLabel(t))
	}
	if p.Address != "" {
		v.Address = append(v.Address, p.Address)
	}
	if p.AddressComplement != "" {
		v.Address = append(v.Address, p.AddressComplement)
	}
	if line := strings.TrimSpace(p.PostalCode + " " + p.Commune); line != "" {
		v.Address = append(v.Address, line)
	}
	if p.HasCoordinates {
		ll := fmt.Sprintf("%.5f,%.5f", p.Latitude, p.Longitude)
		v.Itinerary = "https://www.openstreetmap.org/directions?to=" + ll
		// html/template lets only http(s) and mailto links through: these
		// are marked safe, which they are, being made of numbers only.
		v.GeoURI = template.URL("geo:" + ll)
	}
	v.Status, v.State = statusOf(p, now)
	if h := placeHours(p); h != nil {
		loc := territory.TimeZone(p.INSEECode)
		today := (int(now.In(loc).Weekday()) + 6) % 7
		for i, line := range h.WeekFR(now) {
			day, hrs, _ := strings.Cut(line, " : ")
			v.Week = append(v.Week, dayRow{Day: day, Hours: hrs, Today: i == today})
		}
	} else if p.OpeningHours != "" {
		v.RawHours = p.OpeningHours
	}
	for _, m := range p.AccessModes {
		v.Access = append(v.Access, accessWords(m))
	}
	for _, x := range p.Services {
		if ch, ok := serviceGroup.byValue(string(x)); ok {
			v.Services = append(v.Services, ch.Label)
		}
	}
	for _, x := range p.Publics {
		if ch, ok := publicGroup.byValue(string(x)); ok {
			v.Publics = append(v.Publics, ch.Label)
		}
	}
	for _, x := range p.SpecificSupport {
		if ch, ok := supportGroup.byValue(string(x)); ok {
			v.Support = append(v.Support, ch.Label)
		}
	}
	for _, x := range p.SupportModes {
		if ch, ok := modeGroup.byValue(string(x)); ok {
			v.Modes = append(v.Modes, ch.Label)
		}
	}
	for _, x := range p.NationalPrograms {
		v.Programs = append(v.Programs, string(x))
	}
	for _, x := range p.TrainingsLabels {
		v.Labels = append(v.Labels, string(x))
	}
	v.Labels = append(v.Labels, p.OtherLabels...)
	v.Sources = s.sourcesOf(r, c)
	return v
}

// sourcesOf lists the sources a place was built from, each with the date
// of its most recent record about the place.
func (s *Server) sourcesOf(r *http.Request, c *maillage.Consolidated) []sourceLine {
	known := map[string]maillage.Source{}
	if s.cfg.Store != nil {
		if list, err := s.cfg.Store.Sources(r.Context()); err == nil {
			for _, src := range list {
				known[src.Name] = src
			}
		} else {
			s.cfg.Logger.Warn("sources", "err", err)
		}
	}
	latest := map[string]time.Time{}
	for _, pv := range c.Fields {
		if pv.UpdatedOn.After(latest[pv.Source]) {
			latest[pv.Source] = pv.UpdatedOn
		}
	}
	var out []sourceLine
	seen := map[string]bool{}
	for _, m := range c.Members {
		if seen[m.Source] {
			continue
		}
		seen[m.Source] = true
		line := sourceLine{Title: m.Source, UpdatedOn: latest[m.Source]}
		if src, ok := known[m.Source]; ok {
			line.Title, line.Producer, line.Licence, line.Homepage = src.Title, src.Producer, src.Licence, src.Homepage
		}
		out = append(out, line)
	}
	return out
}

// telURI is the tel: link of a telephone number: its "+" and digits only,
// "" when it has no digit. html/template would replace a plain "tel:"
// string by "#ZgotmplZ"; the link is safe since nothing else goes in it.
func telURI(phone string) template.URL {
	digits := strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, phone)
	if strings.Trim(digits, "+") == "" {
		return ""
	}
	return template.URL("tel:" + digits)
}
