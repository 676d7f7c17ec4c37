package maillage

// Severity tells whether a finding makes a row invalid.
type Severity string

// Severities of findings.
const (
	SeverityError   Severity = "error"   // the row breaks the schema: it is quarantined, not stored
	SeverityWarning Severity = "warning" // the row is kept, possibly repaired; the producer should look
)

// Finding is one thing the validator says about one value of one row.
type Finding struct {
	Row      int      `json:"row"`   // 1-based data row (0: the whole file)
	Field    string   `json:"field"` // national schema field name (v1.0.2), or the input column
	Value    string   `json:"value"` // the value as read
	Code     string   `json:"code"`  // stable machine code (see schema/codes.go)
	Severity Severity `json:"severity"`
	Message  string   `json:"message"` // in French, for a person
}
