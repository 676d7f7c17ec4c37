package schema

import (
	"slices"
	"strings"

	"maillage/territory"
)

// farThresholdKm is the distance from the commune's centre beyond which
// coordinates are reported as suspicious. Communes of Guyane and Polynésie
// are huge: they get a wider margin.
func farThresholdKm(departement string) float64 {
	switch departement {
	case "973", "987", "988":
		return 100
	}
	return 20
}

// zone returns the département of the place ("971", "988", "2A"…) from its
// INSEE code, or else from its postal code; "" when unknown.
func (s *rowState) zone() string {
	if s.commune != nil {
		return s.commune.Departement
	}
	cp := s.place.PostalCode
	if len(cp) == 5 {
		if strings.HasPrefix(cp, "97") || strings.HasPrefix(cp, "98") {
			return cp[:3]
		}
		return cp[:2]
	}
	return ""
}

// checkCommune resolves the commune from the INSEE code or from the postal
// code and name, and checks they agree.
func (s *rowState) checkCommune() {
	p := s.place
	t := s.d.Territory
	if p.INSEECode != "" {
		c, ok := t.Commune(p.INSEECode)
		s.commune = c
		if !ok {
			msg := "aucune commune n'a le code INSEE « " + p.INSEECode + " »"
			if p.PostalCode != "" {
				if found, ok := t.FindCommune(p.PostalCode, p.Commune); ok {
					msg += " : vouliez-vous dire « " + found.Code + " » (" + found.Name + ") ?"
				}
			}
			s.errorf(FieldINSEE, p.INSEECode, CodeInseeUnknown, "%s", msg)
			return
		}
		if p.Commune == "" {
			p.Commune = c.Name
			s.warnf(FieldCommune, "", CodeRequired, "nom de commune manquant : complété par « %s » d'après le code INSEE", c.Name)
		}
		if p.PostalCode != "" && !slices.Contains(c.PostalCodes, p.PostalCode) && !t.PostalCodeBelongs(p.PostalCode, p.INSEECode) {
			s.warnf(FieldPostalCode, p.PostalCode, CodePostalMismatch, "le code postal %s ne dessert pas la commune %s (%s)", p.PostalCode, c.Name, c.Code)
		}
		return
	}
	if p.Commune == "" {
		s.errorf(FieldCommune, "", CodeRequired, "nom de commune obligatoire manquant")
	}
	if p.PostalCode == "" {
		return
	}
	if c, ok := t.FindCommune(p.PostalCode, p.Commune); ok {
		s.commune = c
		p.INSEECode = c.Code
		if p.Commune == "" {
			p.Commune = c.Name
		}
		return
	}
	s.warnf(FieldCommune, p.Commune, CodeCommuneNotFound, "commune « %s » introuvable avec le code postal %s", p.Commune, p.PostalCode)
}

// checkCoordinates checks the point is in France, not swapped, and near its
// commune.
func (s *rowState) checkCoordinates() {
	p := s.place
	if !p.HasCoordinates {
		if !s.present[slotLatitude] && !s.present[slotLongitude] {
			s.add(FieldLatitude, "", CodeCoordsMissing, Warning, "coordonnées absentes : le lieu sera placé au centre de sa commune")
		}
		return
	}
	lat, lon := p.Latitude, p.Longitude
	value := func() string { return formatCoordinate(lat) + "," + formatCoordinate(lon) }
	if _, ok := territory.InFrance(lat, lon); !ok {
		if _, swapped := territory.InFrance(lon, lat); swapped && s.nearCommune(lon, lat) {
			p.Latitude, p.Longitude = lon, lat
			s.warnf(FieldLatitude, value(), CodeCoordsSwapped, "latitude et longitude inversées : corrigées en %s,%s", formatCoordinate(lon), formatCoordinate(lat))
			return
		}
		p.HasCoordinates, p.Latitude, p.Longitude = false, 0, 0
		s.errorf(FieldLatitude, value(), CodeCoordsOutside, "coordonnées hors de France (latitude %s, longitude %s)", formatCoordinate(lat), formatCoordinate(lon))
		return
	}
	clat, clon, ok := s.centroid()
	if !ok {
		return
	}
	d := territory.Distance(lat, lon, clat, clon)
	if max := farThresholdKm(s.commune.Departement); d > max {
		s.warnf(FieldLatitude, value(), CodeCoordsFar, "coordonnées à %.0f km du centre de la commune %s : à vérifier", d, p.INSEECode)
	}
}

// nearCommune tells whether a point is plausible for the place's commune; true
// when the commune is unknown (then being in France is all we can check).
func (s *rowState) nearCommune(lat, lon float64) bool {
	clat, clon, ok := s.centroid()
	if !ok {
		return true
	}
	return territory.Distance(lat, lon, clat, clon) <= farThresholdKm(s.commune.Departement)
}

// centroid is the centre of the place's commune (of the parent commune for
// an arrondissement); ok is false when the commune is unknown.
func (s *rowState) centroid() (lat, lon float64, ok bool) {
	c := s.commune
	if c == nil {
		return 0, 0, false
	}
	if c.HasCentroid {
		return c.Lat, c.Lon, true
	}
	return s.d.Territory.Centroid(c.Code)
}

func (s *rowState) checkPivot() {
	v := s.values[slotPivot]
	if v == "" {
		s.place.Pivot = PivotPlaceholder
		s.add(FieldPivot, "", CodePivotPlaceholder, Warning, "pivot (SIRET) absent : remplacé par la valeur d'attente 00000000000000")
		return
	}
	n, kind, err := NormalizePivot(v, s.zone())
	if err != nil {
		s.errorf(FieldPivot, v, CodePivotInvalid, "%v", err)
		return
	}
	s.place.Pivot = n
	if kind == PivotUnknown {
		s.add(FieldPivot, v, CodePivotPlaceholder, Warning, "SIRET d'attente 00000000000000 : renseignez le vrai SIRET du lieu (annuaire-entreprises.data.gouv.fr)")
	}
}

func (s *rowState) checkPhone() {
	v := s.values[slotTelephone]
	if v == "" {
		return
	}
	phone, others, err := NormalizePhone(v, s.zone())
	if err != nil {
		s.badContact(FieldTelephone, v, CodePhoneInvalid, "téléphone invalide : "+err.Error())
		return
	}
	s.place.Telephone = phone
	switch {
	case len(others) > 0:
		s.warnf(FieldTelephone, v, CodePhoneNormalised, "plusieurs numéros : seul le premier est gardé (%s) ; non repris : %s", phone, strings.Join(others, ", "))
	case phone != v:
		s.add(FieldTelephone, v, CodePhoneNormalised, Warning, "numéro mis au format international : "+phone)
	}
}
