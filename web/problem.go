package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"maillage"
	"maillage/search"
)

// problem is an error answer of the API in the format of RFC 9457
// ("application/problem+json"). Detail is French and names the faulty
// parameter, which Parameter also gives to programs.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance,omitempty"`
	Parameter string `json:"parametre,omitempty"`
}

// paramError is an invalid request parameter.
type paramError struct {
	param, msg string
}

func (e *paramError) Error() string { return e.param + " : " + e.msg }

// badParam returns the error of an invalid parameter.
func badParam(param, format string, args ...any) error {
	return &paramError{param: param, msg: fmt.Sprintf(format, args...)}
}

// writeProblem answers err in the problem format: a paramError or a
// search.ErrInvalidQuery is a 400, maillage.ErrNotFound a 404, anything
// else a 500 whose cause goes to the log only.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Instance: r.URL.RequestURI()}
	var pe *paramError
	switch {
	case errors.As(err, &pe):
		p.Status, p.Title, p.Detail, p.Parameter = http.StatusBadRequest, "Paramètre invalide", pe.Error(), pe.param
	case errors.Is(err, search.ErrInvalidQuery):
		// The search package's messages start with the parameter's name.
		msg := strings.TrimSuffix(err.Error(), " : "+search.ErrInvalidQuery.Error())
		p.Status, p.Title, p.Detail = http.StatusBadRequest, "Paramètre invalide", msg
		if name, _, ok := strings.Cut(msg, " : "); ok && isQueryParam(name) {
			p.Parameter = name
		}
	case errors.Is(err, errUnavailable):
		p.Status, p.Title, p.Detail = http.StatusServiceUnavailable, "Indisponible",
			"Cette instance de Maillage ne publie pas encore les lieux consolidés."
	case errors.Is(err, maillage.ErrNotFound):
		p.Status, p.Title, p.Detail = http.StatusNotFound, "Introuvable", err.Error()
	case errors.Is(err, errReadOnly):
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		p.Status, p.Title, p.Detail = http.StatusMethodNotAllowed, "Méthode non permise",
			"l'API se consulte en lecture seule : "+r.Method+" n'est pas permis, seulement GET, HEAD et OPTIONS"
	default:
		s.cfg.Logger.Error("api", "path", r.URL.Path, "err", err)
		p.Status, p.Title, p.Detail = http.StatusInternalServerError, "Erreur interne",
			"Le service n'a pas pu répondre. Réessayez dans quelques minutes."
	}
	p.Type = problemType(p.Status)
	h := w.Header()
	h.Del("ETag")
	h.Del("Link")
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// errReadOnly is a request that would change something: the API is read
// only (405).
var errReadOnly = errors.New("API en lecture seule")

// notFound answers a 404 for what.
func notFound(what string) error {
	return fmt.Errorf("%s : %w", what, maillage.ErrNotFound)
}

// problemType is the problem's type URI: one per kind of problem.
func problemType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "urn:maillage:probleme:parametre-invalide"
	case http.StatusNotFound:
		return "urn:maillage:probleme:introuvable"
	case http.StatusServiceUnavailable:
		return "urn:maillage:probleme:indisponible"
	case http.StatusMethodNotAllowed:
		return "urn:maillage:probleme:methode-non-permise"
	}
	return "urn:maillage:probleme:erreur-interne"
}
