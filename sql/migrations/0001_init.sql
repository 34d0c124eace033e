-- 0001_init: programs, jobs (proof records), keys.
-- Applied by store_open when PRAGMA user_version < 1 (embedded in the binary
-- by the make rule in src/store/local.mk). Times: *_at unix seconds,
-- *_ms unix milliseconds. Hashes: lower-case hex; vkey/tx/block hashes 0x.

CREATE TABLE programs (
    sha256       TEXT PRIMARY KEY,            -- of the ELF bytes
    elf          BLOB NOT NULL,
    size         INTEGER NOT NULL,
    sp1_version  TEXT NOT NULL,               -- detected, e.g. '3.2.0'
    sp1_major    INTEGER NOT NULL,
    vk           BLOB CHECK (vk IS NULL OR length(vk) = 32),
    vkey         TEXT,                        -- bytes32 form of vk, 0x
    created_at   INTEGER NOT NULL
);

CREATE TABLE jobs (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,  -- cursor order
    id                TEXT NOT NULL UNIQUE,               -- the proof id
    api               TEXT NOT NULL CHECK (api IN ('compat', 'v1')),
    program_sha256    TEXT NOT NULL REFERENCES programs(sha256),
    stdin             BLOB NOT NULL,       -- bincode Vec<Vec<u8>> (items)
    stdin_sha256      TEXT NOT NULL,
    cycle_limit       INTEGER NOT NULL,
    status            TEXT NOT NULL DEFAULT 'queued' CHECK (status IN
                      ('queued', 'running', 'waiting_for_key', 'done',
                       'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    created_ms        INTEGER NOT NULL,
    started_ms        INTEGER,
    executed_ms       INTEGER,
    finished_ms       INTEGER,
    exec_ms           INTEGER,             -- executor wall time
    -- execution result (set once, when the job leaves 'running')
    cycles            INTEGER,
    exit_code         INTEGER,
    sp1_version       TEXT,
    vk                BLOB CHECK (vk IS NULL OR length(vk) = 32),
    vkey              TEXT,
    public_values     BLOB,
    -- signature (set once, when the job becomes 'done')
    digest            BLOB CHECK (digest IS NULL OR length(digest) = 32),
    signature         BLOB CHECK (signature IS NULL OR length(signature) = 65),
    signer            TEXT,
    key_id            INTEGER REFERENCES keys(id),
    error_code        TEXT,
    error             TEXT,
    CHECK (status <> 'done' OR signature IS NOT NULL)
);
CREATE INDEX jobs_status ON jobs(status, seq);
CREATE INDEX jobs_vkey ON jobs(vkey, seq);
CREATE INDEX jobs_signer ON jobs(signer, seq);
CREATE INDEX jobs_program ON jobs(program_sha256, seq);
CREATE INDEX jobs_created ON jobs(created_ms);

CREATE TABLE keys (
    id                INTEGER PRIMARY KEY,
    address           TEXT NOT NULL,                 -- 0x EIP-55
    secret            BLOB CHECK (secret IS NULL OR length(secret) = 32),
    status            TEXT NOT NULL CHECK (status IN ('generated',
                      'registering', 'active', 'retired', 'failed')),
    created_at        INTEGER NOT NULL,
    report_data       BLOB,
    quote             BLOB,
    quote_sha256      TEXT,
    tee_mode          TEXT NOT NULL CHECK (tee_mode IN ('tdx', 'simulated')),
    tx_hash           TEXT,
    ref_block_number  INTEGER,
    ref_block_hash    TEXT,
    registered_block  INTEGER,
    expires_at        INTEGER,
    error             TEXT
);
CREATE INDEX keys_status ON keys(status, id);

-- The proof history, for plain sqlite3 users (see README).
CREATE VIEW proofs AS
SELECT id, program_sha256, vkey, sp1_version, stdin_sha256,
       lower(hex(public_values)) AS public_values_hex,
       lower(hex(digest)) AS digest_hex,
       lower(hex(signature)) AS signature_hex,
       signer, key_id, cycles, exec_ms,
       datetime(created_ms / 1000, 'unixepoch') AS created,
       finished_ms - created_ms AS latency_ms, status, error_code, error
FROM jobs WHERE status IN ('done', 'failed');
