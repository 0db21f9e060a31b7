"""The project file's schema, as ordered migrations. Version N is reached by running steps 1..N.

Never edit a released step: add a new one. Each step has a test that opens a file of the previous
version with data in it and checks the data after migrating (tests/unit/storage/test_migrations.py).
"""

from __future__ import annotations

APPLICATION_ID = 0x56524254  # "VRBT"

# Step 1: the study, its media and documents, and the edit journal.
STEP_1 = """
CREATE TABLE study (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    app_version TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    rel_path TEXT,
    abs_path TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    duration REAL NOT NULL,
    codec TEXT NOT NULL,
    channels INTEGER NOT NULL,
    sample_rate INTEGER NOT NULL,
    container TEXT NOT NULL DEFAULT '',
    embedded INTEGER NOT NULL DEFAULT 0,
    added TEXT NOT NULL
);
CREATE INDEX media_sha256 ON media(sha256);
CREATE TABLE media_chunks (
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (media_id, seq)
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    media_id INTEGER REFERENCES media(id),
    language TEXT,
    recorded_date TEXT,
    interviewer TEXT,
    status TEXT NOT NULL DEFAULT 'imported'
        CHECK (status IN ('imported', 'transcribing', 'transcribed', 'checked')),
    field_notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    label TEXT NOT NULL,
    changes TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
"""

# Step 2: transcripts: runs, speakers, segments, words, and full-text search over segments.
STEP_2 = """
CREATE TABLE transcription_runs (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model_name TEXT NOT NULL,
    model_sha256 TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '{}',
    language TEXT,
    language_probability REAL,
    started TEXT NOT NULL,
    finished TEXT,
    audio_seconds REAL NOT NULL DEFAULT 0,
    wall_seconds REAL NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'running'
        CHECK (state IN ('running', 'cancelled', 'failed', 'finished', 'interrupted')),
    resume_at REAL NOT NULL DEFAULT 0,
    error TEXT
);
CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    display_name TEXT,
    color TEXT,
    participant_id INTEGER,
    UNIQUE (document_id, label)
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES transcription_runs(id) ON DELETE SET NULL,
    seq INTEGER NOT NULL,
    start REAL NOT NULL,
    end REAL NOT NULL,
    speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
    text TEXT NOT NULL
);
CREATE INDEX segments_document ON segments(document_id, seq);
CREATE TABLE words (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start REAL NOT NULL,
    end REAL NOT NULL,
    text TEXT NOT NULL,
    probability REAL,
    speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
    edited INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX words_segment ON words(segment_id, seq);
CREATE VIRTUAL TABLE segments_fts USING fts5(text, content='segments', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER segments_au AFTER UPDATE OF text ON segments BEGIN
    INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
END;
"""

# Step 3: analysis: participants and attributes, the code tree, codings, memos, glossary, pseudonyms.
STEP_3 = """
CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE attributes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL DEFAULT 'text'
        CHECK (type IN ('text', 'integer', 'decimal', 'date', 'boolean', 'category')),
    choices TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE attribute_values (
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    value TEXT,
    PRIMARY KEY (participant_id, attribute_id)
);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT '#808080',
    description TEXT NOT NULL DEFAULT '',
    codable INTEGER NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    guid TEXT
);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start_segment_id INTEGER NOT NULL REFERENCES segments(id),
    start_offset INTEGER NOT NULL,
    end_segment_id INTEGER NOT NULL REFERENCES segments(id),
    end_offset INTEGER NOT NULL,
    start_time REAL,
    end_time REAL,
    coder TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    memo TEXT NOT NULL DEFAULT '',
    needs_review INTEGER NOT NULL DEFAULT 0,
    guid TEXT
);
CREATE INDEX codings_document ON codings(document_id);
CREATE INDEX codings_code ON codings(code_id);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('study', 'document', 'code', 'coding', 'segment')),
    target_id INTEGER,
    text TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE TABLE glossary_terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE pseudonyms (
    id INTEGER PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    pseudonym TEXT NOT NULL
);
"""

# Step 4: pseudonymisation decisions: a hit the user chose to keep as spoken (per segment and place).
STEP_4 = """
CREATE TABLE pseudonym_skips (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    start_offset INTEGER NOT NULL,
    matched_text TEXT NOT NULL,
    identifier TEXT NOT NULL,
    UNIQUE (segment_id, start_offset, identifier)
);
CREATE INDEX pseudonym_skips_segment ON pseudonym_skips(segment_id);
"""

# Step 5: analysis: study settings, attribute values with their own id (so the journal can undo them),
# realist tags and C-M-O configurations, and indexes for retrieval at scale.
STEP_5 = """
CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL DEFAULT ''
);
CREATE TABLE attribute_values_v5 (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    value TEXT,
    UNIQUE (participant_id, attribute_id)
);
INSERT INTO attribute_values_v5 (participant_id, attribute_id, value)
    SELECT participant_id, attribute_id, value FROM attribute_values;
DROP TABLE attribute_values;
ALTER TABLE attribute_values_v5 RENAME TO attribute_values;
CREATE INDEX attribute_values_attribute ON attribute_values(attribute_id, value);
CREATE INDEX speakers_participant ON speakers(participant_id);
CREATE INDEX codings_code_document ON codings(code_id, document_id);
CREATE INDEX memos_target ON memos(target_type, target_id);
CREATE TABLE realist_tags (
    id INTEGER PRIMARY KEY,
    coding_id INTEGER NOT NULL UNIQUE REFERENCES codings(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('context', 'mechanism', 'outcome')),
    polarity TEXT CHECK (polarity IN ('positive', 'negative'))
);
CREATE TABLE cmo_configurations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE TABLE cmo_members (
    id INTEGER PRIMARY KEY,
    configuration_id INTEGER NOT NULL REFERENCES cmo_configurations(id) ON DELETE CASCADE,
    coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
    UNIQUE (configuration_id, coding_id)
);
CREATE INDEX cmo_members_coding ON cmo_members(coding_id);
"""

# Step 6: words in overlapping or unclear speech, whose speaker the diarization could not be sure of.
STEP_6 = """
ALTER TABLE words ADD COLUMN overlap INTEGER NOT NULL DEFAULT 0;
"""

# Step 7: the interview details a COREQ report asks for, beside the interviewer and date already kept:
# where it took place (setting) and how (format: in person, telephone, video call…).
STEP_7 = """
ALTER TABLE documents ADD COLUMN setting TEXT;
ALTER TABLE documents ADD COLUMN interview_format TEXT;
"""

# Step 8: English beside the original: a second text layer, one row per turn and language, aligned to the
# turn it translates (codings stay on the original), with its own full-text index. ``source_text`` is the
# original as it was when translated, so a later correction of the original can be noticed; ``edited``
# marks a translation the researcher corrected, which translating again keeps unless told to replace it.
STEP_8 = """
CREATE TABLE translations (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    language TEXT NOT NULL DEFAULT 'en',
    text TEXT NOT NULL,
    source_text TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    edited INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    UNIQUE (segment_id, language)
);
CREATE VIRTUAL TABLE translations_fts USING fts5(text, content='translations', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER translations_ai AFTER INSERT ON translations BEGIN
    INSERT INTO translations_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER translations_ad AFTER DELETE ON translations BEGIN
    INSERT INTO translations_fts(translations_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER translations_au AFTER UPDATE OF text ON translations BEGIN
    INSERT INTO translations_fts(translations_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO translations_fts(rowid, text) VALUES (new.id, new.text);
END;
"""

STEPS: list[str] = [STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6, STEP_7, STEP_8]
CURRENT_VERSION = len(STEPS)
