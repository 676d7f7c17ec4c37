// Package maillage holds the domain of Maillage, the shared commons of the
// places that help people with digital life in France ("lieux de médiation
// numérique"): the vocabulary every other package speaks.
//
// The root package imports nothing of the project. Adapters (schema codecs,
// stores, the web server…) import it; the command in cmd/maillage wires them.
package maillage
