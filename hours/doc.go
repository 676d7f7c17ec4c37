// Package hours is Maillage's engine for the OpenStreetMap opening_hours
// syntax, the format the national schema uses for "horaires": it parses
// values strictly, evaluates them ("is it open now, and until when?"),
// renders them in French, and turns French free text ("du lundi au vendredi
// de 9h à 12h", per-day columns "09:00 - 12:00 / 14:00 - 17:00") into it.
//
// # Validity and repair
//
// Parse and Compile accept the OSM grammar strictly and return a
// *SyntaxError (French Error, English English, byte offset Pos) otherwise.
// Repair is a separate, tolerant normaliser for the mistakes real producers
// make (9h-12h30, "Mo-Fr 09:00 - 12:00", lowercase or French day names, en
// dashes, a trailing ";"); it succeeds only when nothing had to be guessed,
// so a lone time ("Mo 09:00") or three times in a span ("08:00-12:00-14:00")
// stay errors. Validate combines both for the schema validator: valid,
// repaired (a warning showing the repaired value) or invalid (an error).
//
// # Evaluation context
//
// A value is evaluated in a Context: the place's *time.Location and its
// département code (for regional public holidays: Alsace-Moselle, overseas).
// Parse uses DefaultContext (Europe/Paris, national holidays); Compile takes
// the context explicitly and (*Hours).In changes it. Instants are converted
// to the place's wall clock before matching, so a place in Nouméa is
// evaluated in Pacific/Noumea whatever the server's zone.
//
// # Semantics
//
// Rules are applied in order as opening_hours.js (the reference
// implementation) does: a "; " rule that selects a day and says open or
// unknown replaces what earlier rules said about that day; "off" rules and
// ", " rules only change the times they name; " || " rules fill the times
// still closed. Spans past midnight (22:00-02:00) continue on the next day.
// An open end ("18:00+") is unknown until a guessed closing time (end of
// day, or 10 h / 8 h later when it starts after 17:00 / 22:00). A comment
// without open/off makes the state unknown. School holidays (SH) are not
// known: a rule that depends on them evaluates to unknown, never to open.
// Not supported (parse errors that say so): variable times (sunrise,
// sunset, dawn, dusk), points in time and periodic spans ("10:00-16:00/01:30"),
// which the OSM tag opening_hours does not need.
//
// Values that use only weekdays and times are compiled into a weekly table:
// IsOpen on them does not allocate.
package hours
