package schema

import "maillage/hours"

// CheckHours is the opening-hours check of the validator: a value in the
// OpenStreetMap syntax comes back in its canonical form; a value the hours
// package can repair without guessing comes back repaired (a warning); any
// other value is an error with the parser's message (where and why).
func CheckHours(value string) (normalised string, repaired bool, err error) {
	d := hours.Validate(value)
	switch d.Level {
	case hours.Valid:
		return d.Value, false, nil
	case hours.Repaired:
		return d.Value, true, nil
	}
	if d.Err != nil {
		return "", false, d.Err
	}
	return "", false, errorString(d.Message)
}

type errorString string

func (e errorString) Error() string { return string(e) }
