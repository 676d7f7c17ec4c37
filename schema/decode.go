package schema

import (
	"fmt"
	"hash/maphash"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"maillage"
	"maillage/fold"
	"maillage/idset"
	"maillage/territory"
)

// slot is a column the decoder understands: a v1 field or a legacy v0.1 one.
type slot int

const (
	slotNone slot = iota
	slotID
	slotPivot
	slotName
	slotCommune
	slotPostalCode
	slotINSEE
	slotAddress
	slotAddressComplement
	slotLatitude
	slotLongitude
	slotTypology
	slotTelephone
	slotEmails
	slotWebsite
	slotHours
	slotSummary
	slotDescription
	slotSource
	slotItinerance
	slotParent
	slotUpdatedOn
	slotServices
	slotPublics
	slotSpecificSupport
	slotFees
	slotNationalPrograms
	slotTrainingsLabels
	slotOtherLabels
	slotAccessModes
	slotSupportModes
	slotAccessibilitySheet
	slotAppointment
	// legacy v0.1
	slotLegacyNationalLabels
	slotLegacyAccessTerms
	slotLegacyPublics
	slotLegacyOtherLabels
	slotLegacyAccessibility
	slotLegacyBANKey
	slotLegacyEmail
	slotCount
)

// columnSlots maps column names (folded: case, accents and _ ignored) to slots.
var columnSlots = map[string]slot{}

func init() {
	for name, s := range map[string]slot{
		FieldID: slotID, FieldPivot: slotPivot, FieldName: slotName, FieldCommune: slotCommune,
		FieldPostalCode: slotPostalCode, FieldINSEE: slotINSEE, FieldAddress: slotAddress,
		FieldAddressComplement: slotAddressComplement, FieldLatitude: slotLatitude,
		FieldLongitude: slotLongitude, FieldTypology: slotTypology, FieldTelephone: slotTelephone,
		FieldEmails: slotEmails, FieldWebsite: slotWebsite, FieldHours: slotHours,
		FieldSummary: slotSummary, FieldDescription: slotDescription, FieldSource: slotSource,
		FieldItinerance: slotItinerance, FieldParentOrganization: slotParent,
		FieldUpdatedOn: slotUpdatedOn, FieldServices: slotServices, FieldPublics: slotPublics,
		FieldSpecificSupport: slotSpecificSupport, FieldFees: slotFees,
		FieldNationalPrograms: slotNationalPrograms, FieldTrainingsLabels: slotTrainingsLabels,
		FieldOtherLabels: slotOtherLabels, FieldAccessModes: slotAccessModes,
		FieldSupportModes: slotSupportModes, FieldAccessibilitySheet: slotAccessibilitySheet,
		FieldAppointment:     slotAppointment,
		LegacyNationalLabels: slotLegacyNationalLabels, LegacyAccessTerms: slotLegacyAccessTerms,
		LegacyAccessTermsTypo: slotLegacyAccessTerms, LegacyPublics: slotLegacyPublics,
		LegacyOtherLabels: slotLegacyOtherLabels, LegacyAccessibility: slotLegacyAccessibility,
		LegacyBANKey: slotLegacyBANKey, LegacyEmail: slotLegacyEmail,
	} {
		columnSlots[fold.Key(name)] = s
	}
}

// IsLegacyColumn reports whether a column name belongs to the v0.1 schema
// only (it was renamed or dropped in v1).
func IsLegacyColumn(name string) bool {
	return columnSlots[fold.Key(name)] >= slotLegacyNationalLabels
}

// Decoder turns the rows of a file in the national schema — v1.0.2 or the
// legacy v0.1, in any mix — into Places normalised to v1.0.2, with the
// findings of the validation. One Decoder reads one file: it remembers the
// ids it has seen to report duplicates.
type Decoder struct {
	// Territory resolves communes, postal codes and coordinates. Required.
	Territory *territory.Data
	// Now is the current time, for dates in the future (time.Now if nil).
	Now func() time.Time
	// CheckHours validates and repairs an opening_hours value. When nil,
	// horaires is copied as is.
	CheckHours func(value string) (normalised string, repaired bool, err error)
	// IgnoreDuplicateIDs turns off the check of duplicate ids: the decoder
	// then uses the same memory whatever the number of rows (the check
	// keeps 8 to 16 bytes per row).
	IgnoreDuplicateIDs bool
	// LenientContacts makes an unusable telephone, e-mail or web address a
	// warning instead of an error: the value is left out of the place,
	// kept in Place.Extra under "<field>_invalide", and the place is not
	// lost for a typo in its contacts. The import uses it; validate does
	// not (the row breaks the schema).
	LenientContacts bool

	lastNames []string
	slots     []slot
	seed      maphash.Seed
	seenIDs   idset.Set
	hours     map[string]hoursResult
	today     time.Time
	state     rowState // reused from row to row
}

type hoursResult struct {
	value    string
	repaired bool
	err      error
}

// NewDecoder returns a Decoder that uses the given territory data.
func NewDecoder(t *territory.Data) *Decoder {
	return &Decoder{Territory: t}
}

// rowState is what one row's decoding accumulates.
type rowState struct {
	d        *Decoder
	row      int
	place    *maillage.Place
	findings []Finding
	values   [slotCount]string
	present  [slotCount]bool
	commune  *territory.Commune // resolved by checkCommune
	placeVal maillage.Place
}

func (s *rowState) add(field, value, code string, sev Severity, msg string) {
	s.findings = append(s.findings, Finding{Row: s.row, Field: field, Value: value, Code: code, Severity: sev, Message: msg})
}

func (s *rowState) errorf(field, value, code, format string, args ...any) {
	s.add(field, value, code, Error, fmt.Sprintf(format, args...))
}

func (s *rowState) warnf(field, value, code, format string, args ...any) {
	s.add(field, value, code, Warning, fmt.Sprintf(format, args...))
}

// Decode reads one row: names and values are the columns of the row, row its
// 1-based number. Findings are appended to findings and returned.
func (d *Decoder) Decode(row int, names, values []string, findings []Finding) (maillage.Place, []Finding) {
	d.bind(names)
	s := &d.state
	*s = rowState{d: d, row: row, findings: findings}
	s.place = &s.placeVal
	place := s.place
	for i, v := range values {
		if i >= len(d.slots) {
			break
		}
		v = strings.TrimSpace(v)
		if strings.IndexByte(v, '\r') >= 0 {
			// CSV readers turn CRLF inside quoted fields into LF: do the
			// same for every input so that conversions round-trip.
			v = strings.ReplaceAll(v, "\r\n", "\n")
		}
		sl := d.slots[i]
		if sl == slotNone {
			if v != "" {
				if place.Extra == nil {
					place.Extra = make(map[string]string)
				}
				place.Extra[names[i]] = v
			}
			continue
		}
		if v == "" || s.present[sl] {
			continue
		}
		s.values[sl], s.present[sl] = v, true
	}
	s.decodeFields()
	s.checkCommune()
	s.checkCoordinates()
	s.checkPivot()
	s.checkPhone()
	return s.placeVal, s.findings
}

// bind computes the slot of each column, once per distinct header.
func (d *Decoder) bind(names []string) {
	if len(names) == len(d.lastNames) {
		same := true
		for i := range names {
			if names[i] != d.lastNames[i] {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	d.lastNames = append(d.lastNames[:0], names...)
	d.slots = d.slots[:0]
	for _, n := range names {
		d.slots = append(d.slots, columnSlots[fold.Key(n)])
	}
}

func (s *rowState) decodeFields() {
	p := s.place
	v := &s.values

	p.ID = v[slotID]
	if p.ID == "" {
		s.errorf(FieldID, "", CodeRequired, "identifiant (id) obligatoire manquant")
	} else if !s.d.IgnoreDuplicateIDs {
		s.d.checkDuplicateID(s, p.ID)
	}
	p.Name = v[slotName]
	if p.Name == "" {
		s.errorf(FieldName, "", CodeRequired, "nom du lieu obligatoire manquant")
	} else if !hasLetterOrDigit(p.Name) {
		// "?", "-", "." stand for a name nobody typed: a person could not
		// tell the place from another one.
		s.errorf(FieldName, p.Name, CodeRequired, "nom du lieu manquant : « %s » ne contient ni lettre ni chiffre", p.Name)
	}
	p.Commune = v[slotCommune]
	p.Address = v[slotAddress]
	if p.Address == "" {
		s.errorf(FieldAddress, "", CodeRequired, "adresse obligatoire manquante")
	}
	p.AddressComplement = v[slotAddressComplement]
	p.Source = v[slotSource]
	p.ParentOrganization = v[slotParent]
	p.Description = v[slotDescription]
	p.AppointmentURL = s.url(FieldAppointment, v[slotAppointment])
	p.AccessibilitySheet = s.url(FieldAccessibilitySheet, v[slotAccessibilitySheet])
	if p.AccessibilitySheet == "" {
		p.AccessibilitySheet = s.url(LegacyAccessibility, v[slotLegacyAccessibility])
	}
	for w := range splitMulti(v[slotWebsite], true) {
		if u := s.url(FieldWebsite, w); u != "" {
			p.Websites = appendUnique(p.Websites, u)
		}
	}
	s.emails(FieldEmails, v[slotEmails])
	s.emails(LegacyEmail, v[slotLegacyEmail])

	s.postalCode()
	s.insee()
	s.coordinates()
	s.summary()
	s.date()
	s.openingHours()

	decodeList(s, vocabTypologies, v[slotTypology], "", &p.Typologies)
	decodeList(s, vocabItinerance, v[slotItinerance], "", &p.Itinerance)
	decodeList(s, vocabServices, v[slotServices], "services", &p.Services)
	decodeList(s, vocabPublics, v[slotPublics], "", &p.Publics)
	decodeList(s, vocabSpecificSupport, v[slotSpecificSupport], "", &p.SpecificSupport)
	decodeList(s, vocabFees, v[slotFees], "", &p.Fees)
	decodeList(s, vocabNationalPrograms, v[slotNationalPrograms], "", &p.NationalPrograms)
	decodeList(s, vocabTrainingsLabels, v[slotTrainingsLabels], "", &p.TrainingsLabels)
	decodeList(s, vocabAccessModes, v[slotAccessModes], "", &p.AccessModes)
	decodeList(s, vocabSupportModes, v[slotSupportModes], "modalites_accompagnement", &p.SupportModes)
	for l := range splitMulti(v[slotOtherLabels], false) {
		p.OtherLabels = appendUnique(p.OtherLabels, l)
	}
	for l := range splitMulti(v[slotLegacyOtherLabels], false) {
		p.OtherLabels = appendUnique(p.OtherLabels, l)
	}
	s.legacyList(LegacyNationalLabels, v[slotLegacyNationalLabels])
	s.legacyList(LegacyAccessTerms, v[slotLegacyAccessTerms])
	s.legacyList(LegacyPublics, v[slotLegacyPublics])
	if b := v[slotLegacyBANKey]; b != "" {
		s.warnf(LegacyBANKey, b, CodeLegacyDropped, "le champ cle_ban (clé d'adresse BAN) n'existe plus en v1 : valeur non reprise")
	}
}

func (d *Decoder) checkDuplicateID(s *rowState, id string) {
	if d.seenIDs.Len() == 0 {
		d.seed = maphash.MakeSeed()
	}
	if !d.seenIDs.Add(maphash.String(d.seed, id)) {
		s.errorf(FieldID, id, CodeDuplicateID, "l'identifiant « %s » est déjà utilisé par une ligne précédente", id)
	}
}

// splitMulti yields the values of a multi-valued field, cut on "|" (v1) and
// ";" (v0.1); with spaces, also on whitespace (for lists of web addresses).
func splitMulti(s string, spaces bool) iter.Seq[string] {
	return func(yield func(string) bool) {
		for s != "" {
			i := nextSeparator(s, spaces)
			part := s
			if i >= 0 {
				part, s = s[:i], s[i+1:]
			} else {
				s = ""
			}
			if part = strings.TrimSpace(part); part != "" {
				if !yield(part) {
					return
				}
			}
		}
	}
}

// nextSeparator returns the index of the first "|" or ";" of s (or
// whitespace, with spaces), or -1.
func nextSeparator(s string, spaces bool) int {
	if spaces {
		return strings.IndexFunc(s, func(r rune) bool {
			return r == '|' || r == ';' || r == ' ' || r == '\n' || r == '\t'
		})
	}
	i := strings.IndexByte(s, '|')
	if j := strings.IndexByte(s, ';'); j >= 0 && (i < 0 || j < i) {
		return j
	}
	return i
}

func appendUnique[T comparable](list []T, v T) []T {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// decodeList reads a multi-valued vocabulary field into *out. legacyField
// names the v0.1 field whose old values are also understood in this column
// (they land in the place's fields through the legacy table, possibly in
// *out itself).
func decodeList[T ~string](s *rowState, vocab *vocabulary, value, legacyField string, out *[]T) {
	if value == "" {
		return
	}
	if *out == nil {
		*out = make([]T, 0, 1+strings.Count(value, "|")+strings.Count(value, ";"))
	}
	for part := range splitMulti(value, false) {
		if l, corrected, ok := vocab.lookup(part); ok {
			if corrected {
				s.warnf(vocab.field, part, CodeValueCorrected, "« %s » lu comme « %s »", part, l)
			}
			*out = appendUnique(*out, T(l))
			continue
		}
		if legacyField != "" {
			if m, ok := lookupLegacy(legacyField, part); ok {
				s.applyLegacy(m, part)
				continue
			}
			// Old files join values with ", " (the CNFS files do).
			if pieces := strings.Split(part, ", "); len(pieces) > 1 && s.allKnown(vocab, legacyField, pieces) {
				for _, piece := range pieces {
					if l, _, ok := vocab.lookup(piece); ok {
						*out = appendUnique(*out, T(l))
					} else if m, ok := lookupLegacy(legacyField, piece); ok {
						s.applyLegacy(m, piece)
					}
				}
				continue
			}
		}
		s.unknownValue(vocab, part)
	}
}

func (s *rowState) allKnown(vocab *vocabulary, legacyField string, pieces []string) bool {
	for _, p := range pieces {
		if _, _, ok := vocab.lookup(p); ok {
			continue
		}
		if _, ok := lookupLegacy(legacyField, p); !ok {
			return false
		}
	}
	return true
}

func (s *rowState) unknownValue(vocab *vocabulary, value string) {
	if c := vocab.closest(value); c != "" {
		s.errorf(vocab.field, value, CodeUnknownValue, "Valeur inconnue « %s » : vouliez-vous dire « %s » ?", value, c)
		return
	}
	if len(vocab.labels) <= 12 {
		s.errorf(vocab.field, value, CodeUnknownValue, "Valeur inconnue « %s » : valeurs possibles : %s", value, strings.Join(vocab.labels, ", "))
		return
	}
	s.errorf(vocab.field, value, CodeUnknownValue, "Valeur inconnue « %s » pour le champ %s", value, vocab.field)
}

// legacyList reads a v0.1-only field value by value through the legacy table.
func (s *rowState) legacyList(field, value string) {
	for part := range splitMulti(value, false) {
		if m, ok := lookupLegacy(field, part); ok {
			s.applyLegacy(m, part)
			continue
		}
		// Old CNFS files join with ", ".
		if pieces := strings.Split(part, ", "); len(pieces) > 1 {
			all := true
			for _, piece := range pieces {
				if _, ok := lookupLegacy(field, piece); !ok {
					all = false
					break
				}
			}
			if all {
				for _, piece := range pieces {
					m, _ := lookupLegacy(field, piece)
					s.applyLegacy(m, piece)
				}
				continue
			}
		}
		// A v1 value written in the old column is taken as such.
		if s.applyV1InLegacy(field, part) {
			continue
		}
		if field == LegacyNationalLabels {
			s.place.OtherLabels = appendUnique(s.place.OtherLabels, part)
			s.warnf(field, part, CodeLegacyNoEquivalent, "label « %s » inconnu en v1 : conservé dans autres_formations_labels", part)
			continue
		}
		labels := legacyLabels(field)
		if c := closestLabel(part, labels); c != "" {
			s.errorf(field, part, CodeUnknownValue, "Valeur inconnue « %s » : vouliez-vous dire « %s » ?", part, c)
		} else {
			s.errorf(field, part, CodeUnknownValue, "Valeur inconnue « %s » pour le champ %s", part, field)
		}
	}
}

func legacyLabels(field string) []string {
	var out []string
	for _, m := range LegacyMappings {
		if m.OldField == field {
			out = append(out, m.OldValue)
		}
	}
	return out
}

// applyV1InLegacy accepts v1 values found in a v0.1 column (a producer
// half-way between the two versions).
func (s *rowState) applyV1InLegacy(field, value string) bool {
	p := s.place
	switch field {
	case LegacyNationalLabels:
		if l, _, ok := vocabNationalPrograms.lookup(value); ok {
			p.NationalPrograms = appendUnique(p.NationalPrograms, maillage.NationalProgram(l))
			return true
		}
		if l, _, ok := vocabTrainingsLabels.lookup(value); ok {
			p.TrainingsLabels = appendUnique(p.TrainingsLabels, maillage.TrainingLabel(l))
			return true
		}
	case LegacyAccessTerms:
		if l, _, ok := vocabFees.lookup(value); ok {
			p.Fees = appendUnique(p.Fees, maillage.Fee(l))
			return true
		}
	case LegacyPublics:
		if l, _, ok := vocabPublics.lookup(value); ok {
			p.Publics = appendUnique(p.Publics, maillage.Public(l))
			return true
		}
		if l, _, ok := vocabSpecificSupport.lookup(value); ok {
			p.SpecificSupport = appendUnique(p.SpecificSupport, maillage.SpecificSupport(l))
			return true
		}
	}
	return false
}

// applyLegacy puts a v0.1 value where the table says.
func (s *rowState) applyLegacy(m *LegacyMapping, read string) {
	p := s.place
	switch m.NewField {
	case FieldServices:
		p.Services = appendUnique(p.Services, maillage.Service(m.NewValue))
	case FieldNationalPrograms:
		p.NationalPrograms = appendUnique(p.NationalPrograms, maillage.NationalProgram(m.NewValue))
	case FieldTrainingsLabels:
		p.TrainingsLabels = appendUnique(p.TrainingsLabels, maillage.TrainingLabel(m.NewValue))
	case FieldOtherLabels:
		p.OtherLabels = appendUnique(p.OtherLabels, m.NewValue)
	case FieldFees:
		p.Fees = appendUnique(p.Fees, maillage.Fee(m.NewValue))
	case FieldPublics:
		if m.NewValue != "" {
			p.Publics = appendUnique(p.Publics, maillage.Public(m.NewValue))
		}
	case FieldSpecificSupport:
		p.SpecificSupport = appendUnique(p.SpecificSupport, maillage.SpecificSupport(m.NewValue))
	case FieldSupportModes:
		p.SupportModes = appendUnique(p.SupportModes, maillage.SupportMode(m.NewValue))
	}
	if m.Note != "" {
		s.warnf(m.OldField, read, CodeLegacyNoEquivalent, "%s", m.Note)
	}
}

func (s *rowState) url(field, value string) string {
	if value == "" {
		return ""
	}
	u, repaired, err := NormalizeURL(value)
	if err != nil {
		s.badContact(field, value, CodeURLInvalid, "adresse web invalide : "+err.Error())
		return ""
	}
	if repaired {
		s.warnf(field, value, CodeURLRepaired, "adresse web sans « https:// » : lue comme %s", u)
	}
	return u
}

// badContact reports an unusable contact value: an error, or with
// LenientContacts a warning, the value being kept in Extra.
func (s *rowState) badContact(field, value, code, msg string) {
	if !s.d.LenientContacts {
		s.add(field, value, code, Error, msg)
		return
	}
	if s.place.Extra == nil {
		s.place.Extra = make(map[string]string)
	}
	key := field + "_invalide"
	if old := s.place.Extra[key]; old != "" {
		value = old + " | " + value
	}
	s.place.Extra[key] = value
	s.add(field, value, code, Warning, msg+" (valeur écartée, gardée à part)")
}

func (s *rowState) emails(field, value string) {
	if value == "" {
		return
	}
	for e := range strings.FieldsFuncSeq(value, func(r rune) bool {
		return r == '|' || r == ';' || r == ',' || r == ' ' || r == '\n' || r == '/'
	}) {
		n, err := NormalizeEmail(e)
		if err != nil {
			s.badContact(field, e, CodeEmailInvalid, "courriel invalide : "+err.Error())
			continue
		}
		s.place.Emails = appendUnique(s.place.Emails, n)
	}
}

func (s *rowState) postalCode() {
	cp := s.values[slotPostalCode]
	switch {
	case cp == "":
		s.errorf(FieldPostalCode, "", CodeRequired, "code postal obligatoire manquant")
	case len(cp) == 5 && isDigits(cp):
		s.place.PostalCode = cp
	case len(cp) == 4 && isDigits(cp) && len(s.d.Territory.CommunesByPostalCode("0"+cp)) > 0:
		s.place.PostalCode = "0" + cp
		s.warnf(FieldPostalCode, cp, CodePostalRepaired, "code postal à 4 chiffres : lu comme %s (zéro initial restauré)", s.place.PostalCode)
	default:
		s.errorf(FieldPostalCode, cp, CodePattern, "code postal invalide : 5 chiffres attendus")
	}
}

func (s *rowState) insee() {
	code := s.values[slotINSEE]
	if code == "" {
		return
	}
	if len(code) == 4 && isDigits(code) {
		// A spreadsheet dropped the leading zero: restore it only when the
		// postal code confirms the commune.
		if _, ok := s.d.Territory.Commune("0" + code); ok && s.place.PostalCode != "" && s.d.Territory.PostalCodeBelongs(s.place.PostalCode, "0"+code) {
			s.warnf(FieldINSEE, code, CodePostalRepaired, "code INSEE à 4 chiffres : lu comme 0%s (zéro initial restauré)", code)
			code = "0" + code
		}
	}
	if !validINSEEPattern(code) {
		s.errorf(FieldINSEE, code, CodePattern, "code INSEE invalide : 5 caractères attendus (ex. 51454, 2A004)")
		return
	}
	s.place.INSEECode = code
}

// validINSEEPattern is the schema's ^([013-9]\d|2[AB1-9])\d{3}$.
func validINSEEPattern(c string) bool {
	if len(c) != 5 || !isDigits(c[2:]) {
		return false
	}
	switch {
	case c[0] == '2':
		return c[1] == 'A' || c[1] == 'B' || (c[1] >= '1' && c[1] <= '9')
	case c[0] >= '0' && c[0] <= '9':
		return c[1] >= '0' && c[1] <= '9'
	}
	return false
}

func (s *rowState) coordinates() {
	lat, lon := s.values[slotLatitude], s.values[slotLongitude]
	if lat == "" && lon == "" {
		return
	}
	if lat == "" || lon == "" {
		s.errorf(FieldLatitude, lat+" "+lon, CodeCoordsInvalid, "latitude et longitude doivent être données ensemble")
		return
	}
	la, err1 := parseCoordinate(lat)
	lo, err2 := parseCoordinate(lon)
	if err1 != nil {
		s.errorf(FieldLatitude, lat, CodeCoordsInvalid, "latitude invalide : nombre décimal attendu (ex. 43.52609)")
	}
	if err2 != nil {
		s.errorf(FieldLongitude, lon, CodeCoordsInvalid, "longitude invalide : nombre décimal attendu (ex. 5.41423)")
	}
	if err1 != nil || err2 != nil {
		return
	}
	if la == 0 && lo == 0 {
		s.warnf(FieldLatitude, lat+","+lon, CodeCoordsMissing, "coordonnées 0,0 : valeur d'attente, considérées comme absentes")
		return
	}
	s.place.Latitude, s.place.Longitude, s.place.HasCoordinates = la, lo, true
}

// parseCoordinate reads a decimal number, with a dot or a decimal comma.
func parseCoordinate(s string) (float64, error) {
	if strings.IndexByte(s, ',') >= 0 && strings.IndexByte(s, '.') < 0 {
		s = strings.Replace(s, ",", ".", 1)
	}
	return strconv.ParseFloat(s, 64)
}

func (s *rowState) summary() {
	r := s.values[slotSummary]
	if r == "" {
		return
	}
	n := utf8.RuneCountInString(r)
	if n <= SummaryMaxLength {
		s.place.Summary = r
		return
	}
	short := truncateWords(r, SummaryMaxLength-1) + "…"
	s.place.Summary = short
	if s.place.Description == "" {
		s.place.Description = r
	} else if !strings.Contains(s.place.Description, r) {
		s.place.Description = r + "\n\n" + s.place.Description
	}
	s.warnf(FieldSummary, r, CodeSummaryMoved, "résumé de %d caractères (280 au plus) : raccourci, texte complet gardé dans presentation_detail", n)
}

// truncateWords cuts s to at most max runes, at a word boundary when one is
// near.
func truncateWords(s string, max int) string {
	i, count := 0, 0
	for i < len(s) && count < max {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	cut := s[:i]
	if sp := strings.LastIndexByte(cut, ' '); sp > len(cut)*2/3 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " ,;:.-")
}

func (s *rowState) date() {
	v := s.values[slotUpdatedOn]
	if v == "" {
		s.errorf(FieldUpdatedOn, "", CodeRequired, "date de mise à jour (date_maj) obligatoire manquante")
		return
	}
	t, ok := parseDate(v)
	if !ok {
		s.errorf(FieldUpdatedOn, v, CodeDateInvalid, "date invalide : format AAAA-MM-JJ attendu (ex. 2024-04-02)")
		return
	}
	if t.Year() < 1971 {
		s.errorf(FieldUpdatedOn, v, CodeDatePlaceholder, "date %s : valeur par défaut d'un logiciel (1970), pas une vraie date de mise à jour", t.Format(maillage.DateLayout))
		return
	}
	today := s.d.todayUTC()
	if t.After(today.AddDate(0, 0, 1)) {
		s.errorf(FieldUpdatedOn, v, CodeDateFuture, "date dans le futur : %s", t.Format(maillage.DateLayout))
		return
	}
	s.place.UpdatedOn = t
}

func (d *Decoder) todayUTC() time.Time {
	if d.today.IsZero() {
		now := time.Now
		if d.Now != nil {
			now = d.Now
		}
		n := now().UTC()
		d.today = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	}
	return d.today
}

// parseDate reads YYYY-MM-DD, an RFC 3339 timestamp (its date is kept) or
// the French DD/MM/YYYY.
func parseDate(v string) (time.Time, bool) {
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' {
		if len(v) > 10 && v[10] != 'T' && v[10] != ' ' {
			return time.Time{}, false
		}
		return civilDate(v[0:4], v[5:7], v[8:10])
	}
	if len(v) == 10 && v[2] == '/' && v[5] == '/' {
		return civilDate(v[6:10], v[3:5], v[0:2])
	}
	return time.Time{}, false
}

// civilDate builds a date from its digits, refusing days that do not exist
// (2024-02-30).
func civilDate(year, month, day string) (time.Time, bool) {
	if !isDigits(year) || !isDigits(month) || !isDigits(day) {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

func (s *rowState) openingHours() {
	v := s.values[slotHours]
	if v == "" {
		return
	}
	if s.d.CheckHours == nil {
		s.place.OpeningHours = v
		return
	}
	if s.d.hours == nil {
		s.d.hours = make(map[string]hoursResult)
	}
	r, ok := s.d.hours[v]
	if !ok {
		r.value, r.repaired, r.err = s.d.CheckHours(v)
		if len(s.d.hours) < 100_000 {
			s.d.hours[v] = r
		}
	}
	switch {
	case r.err != nil:
		s.errorf(FieldHours, v, CodeHoursInvalid, "horaires invalides : %v", r.err)
	case r.repaired:
		s.place.OpeningHours = r.value
		s.warnf(FieldHours, v, CodeHoursRepaired, "horaires corrigés en « %s »", r.value)
	default:
		s.place.OpeningHours = r.value
	}
}

// hasLetterOrDigit reports whether s contains a letter or a digit.
func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
