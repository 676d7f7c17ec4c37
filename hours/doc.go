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
// so a lone time ("Mo 09:00"), three times in a span ("08:00-12:00-14:00")
// and days without any time ("Lundi - samedi": "Mo-Sa" would mean open all
// day; FromFrench gives `Mo-Sa unknown "Lundi - samedi"`) stay errors. Validate combines both for the schema validator: valid,
// repaired (a warning showing the repaired value) or invalid (an error).
//
// # French free text
//
// FromFrench reads French hours ("du lundi au vendredi de 9h à 12h",
// "10H 18H", "9h12h / 14h18h") and never invents hours: a text without
// day or hours ("Itinérance", "Une fois par mois"), a lone time, three
// times in a span, days without hours next to days with hours or words it
// does not know is flagged (ok false) and kept by the caller. A text that
// is already an OSM value with times is kept as it is. Texts that state no
// hours but days or a state become:
//   - closed ("off"): "Fermé", "fermé au public", "Pas d'accueil", "Non
//     ouvert au public". A lone "-" is the mark of an empty cell: it means
//     closed only in FromDayColumns, and is flagged by FromFrench;
//   - an appointment-only comment: "Sur rendez-vous" gives
//     "sur rendez-vous", "Sur rendez-vous le vendredi" Fr "sur rendez-vous",
//     "sur RDV (par tél ou courriel)" keeps its details in the comment;
//   - unknown "…" with the text as the comment, OSM's way to say "state
//     unknown, see comment", only for texts that say the hours are not
//     known or are given elsewhere: "Horaires non communiqués", "Aux
//     horaires d'ouverture de la structure", "Aux jours et heures
//     d'ouverture de la médiathèque", "Horaires du CCAS", "Se rapprocher
//     de l'organisme", "Se renseigner…", "Contacter…", "Voir site
//     internet", "Horaires variables…", "Selon planning…", "calendrier,
//     dates et lieux sur demande", "idem". Such a value evaluates to
//     Unknown, never to open;
//   - days without hours: those days unknown with the text as the
//     comment, the other days closed, which is what such a text says:
//     "Du lundi au vendredi" gives Mo-Fr unknown "Du lundi au vendredi",
//     "Tous les jours", "Toute la semaine" and "Quotidien" Mo-Su unknown
//     "…", "Le mardi et le jeudi" Tu,Th unknown "…", "Vendredi matin" or
//     "les lundis et mardis matins en période scolaire" keep their
//     details in the comment. A bare OSM day list ("Mo", "Mo-Fr"), found
//     in the day columns of some sources, gives "Mo unknown" without a
//     comment, which would only repeat it; in FromDayColumns a cell that
//     names its own day ("Mo" in the Lundi column) makes that day unknown
//     and one that names another day is flagged. Days next to a closed
//     day, a negation ("non ouvert le lundi") or a dash ("samedi : -")
//     stay flagged, and so does a text that only closes days ("Fermé le
//     lundi"), where "off" would close the whole week.
//
// Days in a list: a "/" between two days ("Lundi / Jeudi / Vendredi",
// "Mardi/ jeudi … Mercredi 9h30-12h30") is a list when both readings agree
// (consecutive days), when the text chains three days or more with "/", or
// when a day between the two has its own hours elsewhere in the text; a
// lone "lundi/jeudi" (a list, or Monday to Thursday?) is flagged. A chain
// of dashes ("Tu-Th-Fr", "mardi-jeudi-vendredi": a list or ranges?) is
// flagged unless both readings agree or each day it would skip is named
// elsewhere with its own hours. The same day given overlapping hours
// twice ("vendredi 14h-20h … vendredi 14h-18h", "09:00 - 16:30 / 13:30 -
// 16:30") and a span that ends when it starts ("00:00 - 00:00", an empty
// slot of some exports, never 24 hours) are flagged.
//
// Appointments: "sur rendez-vous" before all days and hours or after all
// of them is about the whole text ("9h à 19h sur rendez-vous"). Otherwise
// it is about the hours or days it follows directly, or about the hours
// after it up to a "sans rendez-vous" or a ";": "9:00 - 12:00 / Sur RDV :
// 14:00 - 17:00" gives `09:00-12:00, Mo-Su 14:00-17:00 "sur rendez-vous"`
// (an additional rule, so the mornings stay open), "Lundi au vendredi
// 9h-18h; samedi sur rendez-vous" `Mo-Fr 09:00-18:00; Sa "sur
// rendez-vous"`. A part of the day by appointment whose hours are not
// given next to hours that are ("10:00 - 13:00 / Après-midi sur RDV",
// "8h30 à 16h15 (sur RDV l'après-midi)") is flagged: its times would be
// invented, and the comment must not go on the mornings. Without any
// hours ("Sur RDV l'après-midi") the text is the comment.
//
// Hours stated with a qualifier that makes them uncertain ("10h à 12h une
// semaine sur deux", "9:00 - 16:30 selon planning permanences", "hors
// vacances scolaires", "tous les 15 jours") keep the hours with the whole
// text as the comment: unknown within those hours, closed outside.
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
// # Conformance with opening_hours.js
//
// TestConformanceOpeningHoursJS replays the values of opening_hours.js's
// own test log and checks that we accept (strictly or after Repair) exactly
// the values it accepts. We do not claim, and the test reports apart, the
// values that use: points in time and periodic points (modes 1 and 2, lone
// times such as "Su 07:30,10:00"); variable times (sunrise…); the 12-hour
// clock, with or without am/pm ("Tu-Th 12-8"); day, month or other words in
// other languages or scripts; English or French words in place of the
// syntax, and comments without quotes ("open sur rendez vous"); selectors
// out of order or repeated, which opening_hours.js reorders ("Mo-We PH",
// "SH PH", a comment before the selectors, "week 01 Mo" after times); date
// ranges bounded by a constrained weekday ("Nov Su[-1]-Dec Su[1]"); a span
// without its end ("14-": an open end or a missing end?); invalid values
// without any hours ("7/7", "Mon", "PH: We,Fr", "Jan 01,3,9"), which
// opening_hours.js reads as open all day and Repair refuses (see above);
// values the test log itself calls "not ideal (probably wrong)"; and
// constructor arguments that are not values.
//
// Monthday lists follow opening_hours.js: a day after a date continues in
// the same month ("Jan 01,03,15-17" is Jan 01, Jan 03 and Jan 15-17), and
// String prints each date with its month ("Jan 01,Jan 03,Jan 15-17").
//
// # Performance
//
// Values that use only weekdays and times are compiled into a weekly table.
// An instant is turned into a civil day and a minute with a per-zone table
// of offsets (1900–2200) instead of time.Time.In, and public holidays are a
// per-département bitset (1900–2200), so IsOpen does not allocate and does
// no calendar arithmetic on the common path. NextChange and Intervals
// paint each distinct way the rules match a day once (a value with dates
// or PH has few), so scanning two years stays cheap however long the value.
package hours
