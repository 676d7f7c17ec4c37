package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const goodAndBadCSV = `id;pivot;nom;commune;code_postal;adresse;date_maj;services;telephone
a;43493312300029;EPN de Reims;Reims;51100;1 rue de Vesle;2024-04-02;Aide aux démarches administratives;03 26 00 00 00
b;43493312300029;Sans adresse;Reims;51100;;2024-04-02;Aide aux démarches administratives;
c;00000000000000;EPN;Reims;51100;2 rue de Vesle;2024-04-02;Cours de cuisine;
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateJSON(t *testing.T) {
	f := writeFile(t, "lieux.csv", goodAndBadCSV)
	code, out, errOut := runCmd("validate", "--json", f)
	if code != exitRowErrors {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitRowErrors, errOut)
	}
	var sum struct {
		File     string `json:"file"`
		Rows     int    `json:"rows"`
		Valid    int    `json:"valid"`
		Invalid  int    `json:"invalid"`
		Warnings int    `json:"warnings"`
		Findings []struct {
			Row      int    `json:"row"`
			Field    string `json:"field"`
			Value    string `json:"value"`
			Code     string `json:"code"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	if sum.File != f || sum.Rows != 3 || sum.Valid != 1 || sum.Invalid != 2 {
		t.Fatalf("summary = %+v", sum)
	}
	found := false
	for _, fd := range sum.Findings {
		if fd.Row == 3 && fd.Field == "services" && fd.Severity == "error" && strings.Contains(fd.Message, "Cours de cuisine") {
			found = true
		}
	}
	if !found {
		t.Errorf("no finding for the unknown service of row 3: %+v", sum.Findings)
	}
}

func TestValidateHumanReport(t *testing.T) {
	f := writeFile(t, "lieux.csv", goodAndBadCSV)
	code, out, _ := runCmd("validate", f)
	if code != exitRowErrors {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Ligne 2 (id b", "ERREUR", "adresse obligatoire manquante", "3 ligne(s) lue(s) : 1 valide(s), 2 en erreur"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd("validate", "--errors-only", f)
	if strings.Contains(out, "avertissement  ") || code != exitRowErrors {
		t.Errorf("--errors-only shows warnings or wrong exit %d:\n%s", code, out)
	}
}

func TestValidateExitCodes(t *testing.T) {
	good := writeFile(t, "ok.csv", strings.Join(strings.Split(goodAndBadCSV, "\n")[:2], "\n")+"\n")
	if code, out, errOut := runCmd("validate", good); code != exitOK {
		t.Errorf("valid file: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCmd("validate", filepath.Join(t.TempDir(), "absent.csv")); code != exitUnreadable || !strings.Contains(errOut, "impossible d'ouvrir") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCmd("validate"); code != exitUnreadable {
		t.Errorf("no file: exit %d", code)
	}
	if code, _, _ := runCmd("nope"); code != exitUnreadable {
		t.Errorf("unknown command: exit %d", code)
	}
	// Several files: NDJSON, one object per line; the worst exit wins.
	bad := writeFile(t, "bad.csv", goodAndBadCSV)
	code, out, _ := runCmd("validate", "--json", good, bad)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || code != exitRowErrors {
		t.Errorf("two files: %d lines, exit %d", len(lines), code)
	}
}

func TestConvertCountsAndOutput(t *testing.T) {
	in := writeFile(t, "lieux.csv", goodAndBadCSV)
	outFile := filepath.Join(t.TempDir(), "out.geojson")
	code, out, errOut := runCmd("convert", in, "--to", "geojson", "--output", outFile)
	if code != exitRowErrors {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	if out != "" {
		t.Errorf("stdout should be empty with --output, got %q", out)
	}
	if !strings.Contains(errOut, "3 ligne(s) lue(s) = 1 écrite(s) + 2 rejetée(s)") || !strings.Contains(errOut, "rejetée : ligne 2") {
		t.Errorf("stderr lacks the counts or the reasons:\n%s", errOut)
	}
	data, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 1 {
		t.Fatalf("output = %s (%v)", data, err)
	}
	if fc.Features[0].Properties["telephone"] != "+33326000000" || fc.Features[0].Properties["code_insee"] != "51454" {
		t.Errorf("not normalised: %v", fc.Features[0].Properties)
	}
	if code, _, _ := runCmd("convert", in, "--to", "xml"); code != exitUnreadable {
		t.Errorf("unknown format: exit %d", code)
	}
}

// TestConvertThenValidateRealFiles runs the two commands on every real
// file: what convert writes validates without error, and the counts add up.
func TestConvertThenValidateRealFiles(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/lieux_schema/*.json")
	files = append(files, "../../../shared/spec/exemple-valide-v1.csv")
	if _, err := os.Stat(files[len(files)-1]); err != nil || len(files) < 2 {
		t.Skip("../shared absent: real-file test skipped")
	}
	counts := regexp.MustCompile(`(\d+) ligne\(s\) lue\(s\) = (\d+) écrite\(s\) \+ (\d+) rejetée\(s\)`)
	for _, f := range files {
		for _, format := range []string{"csv", "json", "ndjson", "geojson"} {
			out := filepath.Join(t.TempDir(), "out."+format)
			code, _, errOut := runCmd("convert", f, "--to", format, "--output", out)
			if code == exitUnreadable {
				t.Fatalf("%s: exit %d: %s", f, code, errOut)
			}
			m := counts.FindStringSubmatch(errOut)
			if m == nil {
				t.Fatalf("%s: no counts in %q", f, errOut)
			}
			read, _ := strconv.Atoi(m[1])
			written, _ := strconv.Atoi(m[2])
			rejected, _ := strconv.Atoi(m[3])
			if read != written+rejected {
				t.Errorf("%s: read %d != %d + %d", f, read, written, rejected)
			}
			code, report, _ := runCmd("validate", "--json", out)
			var sum struct{ Rows, Invalid int }
			json.Unmarshal([]byte(report), &sum)
			if code != exitOK || sum.Invalid != 0 || sum.Rows != written {
				t.Errorf("%s → %s: validate exit %d, %d rows (want %d), %d invalid", filepath.Base(f), format, code, sum.Rows, written, sum.Invalid)
			}
		}
	}
}

// TestServe starts the service on the demo data, checks the health check,
// the home page and the search API, then imports a new source through the
// command (as another process would) and waits until the served index has
// its places, then shuts down gracefully.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "serve.db")
	store, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := loadDemoIfEmpty(ctx, store, logger); err != nil {
		t.Fatal(err)
	}
	handler, err := startService(ctx, store, logger, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, addr, handler, logger, io.Discard) }()
	get := func(path string) (int, string) {
		t.Helper()
		var resp *http.Response
		for i := 0; i < 50; i++ {
			resp, err = http.Get("http://" + addr + path)
			if err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(body)
	}
	if code, body := get("/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("healthz: %d %q", code, body)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, `lang="fr"`) {
		t.Errorf("home page: %d %s", code, body)
	}
	total := func(query string) int {
		t.Helper()
		code, body := get("/api/v1/lieux?" + query)
		if code != 200 {
			t.Fatalf("/api/v1/lieux?%s: %d %s", query, code, body)
		}
		var page struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatalf("/api/v1/lieux: %v: %s", err, body)
		}
		return page.Total
	}
	if n := total("departement=16"); n == 0 {
		t.Fatal("no demo place of Charente served")
	}
	if n := total("departement=51"); n != 0 {
		t.Fatalf("%d places in the Marne before importing them", n)
	}
	f := writeFile(t, "reims.csv", v1CSV)
	if code, _, errOut := runCmd("import", f, "--source", "reims", "--db", db); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	deadline := time.Now().Add(10 * time.Second)
	for total("departement=51") != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the index was not rebuilt after the import: %d places in the Marne", total("departement=51"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
}
