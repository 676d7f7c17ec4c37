-- Sources, their committed imports, their current records and the
-- quarantine of their latest import.

CREATE TABLE sources (
    name      TEXT PRIMARY KEY,
    title     TEXT NOT NULL DEFAULT '',
    producer  TEXT NOT NULL DEFAULT '',
    licence   TEXT NOT NULL DEFAULT '',
    homepage  TEXT NOT NULL DEFAULT '',
    territory TEXT NOT NULL DEFAULT '',
    format    TEXT NOT NULL DEFAULT '',
    mapping   TEXT NOT NULL DEFAULT '',
    trust     INTEGER NOT NULL DEFAULT 0
);

-- One row per committed import; a source's latest import is the one with
-- the highest id. Times are UTC, "2006-01-02T15:04:05.000000Z".
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL REFERENCES sources (name),
    file        TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    read        INTEGER NOT NULL,
    stored      INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    changed     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    removed     INTEGER NOT NULL
);
CREATE INDEX imports_source_id ON imports (source, id);

-- The current version of each source's records. place, raw and warnings
-- are JSON text; raw and warnings are NULL when absent.
CREATE TABLE records (
    source      TEXT NOT NULL REFERENCES sources (name),
    id          TEXT NOT NULL,
    row         INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    precision   TEXT NOT NULL,
    place       TEXT NOT NULL,
    raw         TEXT,
    warnings    TEXT,
    PRIMARY KEY (source, id)
);

-- The rows the latest import of each source rejected, in the order they
-- came (seq). findings is a JSON array.
CREATE TABLE quarantine (
    source    TEXT NOT NULL REFERENCES sources (name),
    import_id INTEGER NOT NULL REFERENCES imports (id),
    row       INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    raw       TEXT,
    findings  TEXT NOT NULL,
    PRIMARY KEY (source, row, seq)
);
CREATE INDEX quarantine_import_id ON quarantine (import_id);
