// Test oracle for package hours: runs opening_hours.js (LGPL-3.0, installed
// here by `npm ci`, never shipped) on values read from stdin.
//
// Input (stdin, JSON): {"mode": "states"|"accept"|"bench", "values": [...],
//   "instants": [ms since epoch...], "state": "Île-de-France", "iterations": n}
// Output (stdout, JSON): one entry per value:
//   states: {"ok": true, "states": "oocu…"} (o open, c closed, u unknown) or {"ok": false, "error": "…"}
//   accept: {"ok": bool, "error": "…"}
//   bench:  {"parsed": n, "evaluations": n, "parse_ns": n, "eval_ns": n}
// Run with TZ set to the zone the instants are read in (the Go test uses Europe/Paris).
'use strict';
const OpeningHours = require('opening_hours');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const req = JSON.parse(input);
  // A nominatim-like object so that PH means the French public holidays.
  const nominatim = {
    lat: 48.8566, lon: 2.3522,
    address: { country_code: 'fr', state: req.state || 'Île-de-France' },
  };
  const instants = (req.instants || []).map((ms) => new Date(ms));
  let out;
  switch (req.mode) {
    case 'accept':
      out = req.values.map((v) => {
        try { new OpeningHours(v, nominatim); return { ok: true }; } catch (e) { return { ok: false, error: String(e) }; }
      });
      break;
    case 'bench': {
      const compiled = [];
      let t0 = process.hrtime.bigint();
      for (const v of req.values) {
        try { compiled.push(new OpeningHours(v, nominatim)); } catch (e) { /* rejected values are skipped */ }
      }
      const parseNs = Number(process.hrtime.bigint() - t0);
      const iterations = req.iterations || 1;
      let n = 0;
      let sink = 0;
      t0 = process.hrtime.bigint();
      for (let k = 0; k < iterations; k++) {
        for (const oh of compiled) {
          for (const d of instants) { if (oh.getState(d)) sink++; n++; }
        }
      }
      const evalNs = Number(process.hrtime.bigint() - t0);
      out = { parsed: compiled.length, evaluations: n, parse_ns: parseNs, eval_ns: evalNs, sink };
      break;
    }
    default:
      out = req.values.map((v) => {
        let oh;
        try { oh = new OpeningHours(v, nominatim); } catch (e) { return { ok: false, error: String(e) }; }
        let s = '';
        for (const d of instants) {
          s += oh.getUnknown(d) ? 'u' : (oh.getState(d) ? 'o' : 'c');
        }
        return { ok: true, states: s };
      });
  }
  process.stdout.write(JSON.stringify(out));
});
