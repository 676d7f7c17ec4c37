-- Sources, their committed imports, their current records and the
-- quarantine of their latest import.
--
-- Names and ids are COLLATE "C": they sort by their bytes, as Go and
-- SQLite compare strings, whatever the database's locale. JSON columns are
-- json, not jsonb: json keeps the text as written (the order of a raw
-- row's columns, \u0000), and nothing here queries inside it; cast to jsonb
-- for ad hoc queries.

CREATE TABLE sources (
    name      text COLLATE "C" PRIMARY KEY,
    title     text NOT NULL DEFAULT '',
    producer  text NOT NULL DEFAULT '',
    licence   text NOT NULL DEFAULT '',
    homepage  text NOT NULL DEFAULT '',
    territory text NOT NULL DEFAULT '',
    format    text NOT NULL DEFAULT '',
    mapping   text NOT NULL DEFAULT '',
    trust     integer NOT NULL DEFAULT 0
);

-- One row per committed import; a source's latest import is the one with
-- the highest id.
CREATE TABLE imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text COLLATE "C" NOT NULL REFERENCES sources (name),
    file        text NOT NULL,
    checksum    text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    read        integer NOT NULL,
    stored      integer NOT NULL,
    quarantined integer NOT NULL,
    added       integer NOT NULL,
    changed     integer NOT NULL,
    unchanged   integer NOT NULL,
    removed     integer NOT NULL
);
CREATE INDEX imports_source_id ON imports (source, id);

-- The current version of each source's records; raw and warnings are NULL
-- when absent.
CREATE TABLE records (
    source      text COLLATE "C" NOT NULL REFERENCES sources (name),
    id          text COLLATE "C" NOT NULL,
    row         integer NOT NULL,
    fingerprint text NOT NULL,
    precision   text NOT NULL,
    place       json NOT NULL,
    raw         json,
    warnings    json,
    PRIMARY KEY (source, id)
);

-- The rows the latest import of each source rejected, in the order they
-- came (seq).
CREATE TABLE quarantine (
    source    text COLLATE "C" NOT NULL REFERENCES sources (name),
    import_id bigint NOT NULL REFERENCES imports (id),
    row       integer NOT NULL,
    seq       integer NOT NULL,
    record_id text NOT NULL,
    raw       json,
    findings  json NOT NULL,
    PRIMARY KEY (source, row, seq)
);
CREATE INDEX quarantine_import_id ON quarantine (import_id);
