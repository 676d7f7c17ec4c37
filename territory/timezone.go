package territory

import (
	"sync"
	"time"

	// The tz database is embedded so that TimeZone works on machines
	// without one (scratch containers, Windows).
	_ "time/tzdata"
)

// DepartementOfINSEE returns the département code of an INSEE commune
// code: its first two characters ("01001" → "01", "2A004" → "2A"), three
// for overseas ("97105" → "971", "98818" → "988"). It returns "" when
// insee is not five characters of that form.
func DepartementOfINSEE(insee string) string {
	if len(insee) != 5 {
		return ""
	}
	for i := 2; i < 5; i++ {
		if insee[i] < '0' || insee[i] > '9' {
			return ""
		}
	}
	switch {
	case insee[0] == '2' && (insee[1] == 'A' || insee[1] == 'B'):
		return insee[:2]
	case insee[0] < '0' || insee[0] > '9' || insee[1] < '0' || insee[1] > '9':
		return ""
	case insee[:2] == "97" || insee[:2] == "98":
		return insee[:3]
	}
	return insee[:2]
}

// Communes of French Polynesia that are not on Tahiti time. The Marquesas
// (Îles Marquises subdivision) are at UTC−9:30, the Gambier at UTC−9.
var polynesiaZones = map[string]string{
	"98718": "Pacific/Marquesas", // Fatu-Hiva
	"98723": "Pacific/Marquesas", // Hiva-Oa
	"98731": "Pacific/Marquesas", // Nuku-Hiva
	"98746": "Pacific/Marquesas", // Tahuata
	"98756": "Pacific/Marquesas", // Ua-Huka
	"98757": "Pacific/Marquesas", // Ua-Pou
	"98719": "Pacific/Gambier",   // Gambier
}

// overseasZones maps overseas département codes to their IANA zone.
var overseasZones = map[string]string{
	"971": "America/Guadeloupe",
	"972": "America/Martinique",
	"973": "America/Cayenne",
	"974": "Indian/Reunion",
	"975": "America/Miquelon",
	"976": "Indian/Mayotte",
	"977": "America/St_Barthelemy",
	"978": "America/Marigot",
	"984": "Indian/Kerguelen",
	"986": "Pacific/Wallis",
	"987": "Pacific/Tahiti",
	"988": "Pacific/Noumea",
	"989": "Etc/GMT+8", // Clipperton, UTC−8, has no zone of its own
}

// TimeZoneName returns the IANA time zone of a commune from its INSEE
// code: "Europe/Paris" for metropolitan France and Corse, the zone of the
// territory overseas, with the Marquesas and the Gambier apart in French
// Polynesia, and Terre-Adélie (98414) on Antarctica/DumontDUrville. It
// returns "" for a code DepartementOfINSEE does not accept. It does not
// check that the commune exists.
func TimeZoneName(insee string) string {
	dep := DepartementOfINSEE(insee)
	switch {
	case dep == "":
		return ""
	case len(dep) == 2:
		if dep == "00" || dep == "20" || dep > "95" { // "2A" and "2B" sort before "95"
			return ""
		}
		return "Europe/Paris"
	case dep == "987":
		if z, ok := polynesiaZones[insee]; ok {
			return z
		}
	case insee == "98414":
		return "Antarctica/DumontDUrville"
	case insee == "98415":
		return "Indian/Reunion" // Îles Éparses, administered from La Réunion
	}
	return overseasZones[dep]
}

var (
	zonesMu sync.Mutex
	zones   = map[string]*time.Location{}
)

// TimeZone returns the time zone of a commune (see TimeZoneName), loaded
// once and cached, or nil when TimeZoneName returns "".
func TimeZone(insee string) *time.Location {
	name := TimeZoneName(insee)
	if name == "" {
		return nil
	}
	zonesMu.Lock()
	defer zonesMu.Unlock()
	if loc, ok := zones[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Cannot happen with time/tzdata embedded; the tests load every
		// name.
		panic("territory: time zone " + name + ": " + err.Error())
	}
	zones[name] = loc
	return loc
}
