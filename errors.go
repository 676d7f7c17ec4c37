package maillage

import "errors"

// Domain errors. Adapters wrap them (fmt.Errorf("…: %w", ErrNotFound)) and
// the web layer maps them to HTTP statuses in one place.
var (
	ErrNotFound = errors.New("introuvable")        // no such source, record, place…
	ErrInvalid  = errors.New("donnée invalide")    // the caller gave something unusable
	ErrConflict = errors.New("conflit de données") // the change contradicts what is stored
)
