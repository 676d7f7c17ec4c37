-- What merging produces (maillage.PlaceStore): manual decisions on pairs of
-- records, the consolidated places, their members, the aliases of former
-- place ids and the change feed. Ids are COLLATE "C" as in 001_init.sql.

-- A person's decision on two records, keyed by the unordered pair: (a_source,
-- a_id) sorts before (b_source, b_id). No foreign key to records: a decision
-- outlives the records it names (they may come back with the next import).
CREATE TABLE decisions (
    a_source text COLLATE "C" NOT NULL,
    a_id     text COLLATE "C" NOT NULL,
    b_source text COLLATE "C" NOT NULL,
    b_id     text COLLATE "C" NOT NULL,
    link     boolean NOT NULL,
    note     text NOT NULL DEFAULT '',
    at       timestamptz NOT NULL,
    PRIMARY KEY (a_source, a_id, b_source, b_id)
);

-- The consolidated places: data is the JSON of a maillage.Consolidated,
-- hash the SHA-256 of data (a place is "updated" only when it changes).
CREATE TABLE places (
    id   text COLLATE "C" PRIMARY KEY,
    hash bytea NOT NULL,
    data json NOT NULL
);

-- Which place each record belongs to (a record is in at most one place).
CREATE TABLE place_members (
    source    text COLLATE "C" NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    place_id  text COLLATE "C" NOT NULL REFERENCES places (id),
    PRIMARY KEY (source, record_id)
);
CREATE INDEX place_members_place ON place_members (place_id);

-- Former ids of places that live on under another id.
CREATE TABLE place_aliases (
    alias    text COLLATE "C" PRIMARY KEY,
    place_id text COLLATE "C" NOT NULL,
    at       timestamptz NOT NULL
);
CREATE INDEX place_aliases_place ON place_aliases (place_id);

-- The change feed, in the order changes were recorded (seq).
CREATE TABLE place_changes (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    place_id text COLLATE "C" NOT NULL,
    kind     text NOT NULL,
    at       timestamptz NOT NULL
);
CREATE INDEX place_changes_at ON place_changes (at, seq);
