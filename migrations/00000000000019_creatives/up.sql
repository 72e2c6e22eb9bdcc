-- Creatives: the banners, text links, email swipes, social posts and video links a program hands
-- its partners, each with the partner's own tracking built into its code.

-- Image bytes, addressed by their SHA-256: one row per distinct file, however many creatives use
-- it, served from /creatives/files/{sha256} to anyone (partners embed them on their sites), and
-- cacheable for good since the address changes whenever the bytes do.
CREATE TABLE creative_files (
    sha256       TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE creatives (
    id               BIGSERIAL PRIMARY KEY,
    program_id       BIGINT NOT NULL REFERENCES programs (id),
    kind             TEXT NOT NULL CHECK (kind IN ('banner', 'text', 'email', 'social', 'video')),
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    landing_url      TEXT NOT NULL,
    -- Link text, ad copy, the HTML swipe, the post's text or the video's address, by kind.
    body             TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    alt_text         TEXT NOT NULL DEFAULT '' CHECK (length(alt_text) <= 200),
    tags             TEXT[] NOT NULL DEFAULT '{}',
    image_sha256     TEXT REFERENCES creative_files (sha256),
    image_type       TEXT CHECK (image_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    thumb_sha256     TEXT REFERENCES creative_files (sha256),
    file_name        TEXT,
    width            INTEGER CHECK (width > 0),
    height           INTEGER CHECK (height > 0),
    active_from      TIMESTAMPTZ,
    active_until     TIMESTAMPTZ,
    -- Who sees it: everyone, some partner kinds, some membership tiers, or named partners.
    visibility       TEXT NOT NULL DEFAULT 'all' CHECK (visibility IN ('all', 'kinds', 'tiers', 'partners')),
    visible_kinds    TEXT[] NOT NULL DEFAULT '{}',
    visible_tiers    TEXT[] NOT NULL DEFAULT '{}',
    visible_partners BIGINT[] NOT NULL DEFAULT '{}',
    archived_at      TIMESTAMPTZ,
    created_by       BIGINT NOT NULL REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (active_until IS NULL OR active_from IS NULL OR active_until > active_from),
    -- A banner has its image (and size); the social post's image is optional; the rest have none.
    CHECK ((kind = 'banner') <= (image_sha256 IS NOT NULL)),
    CHECK ((image_sha256 IS NULL) = (width IS NULL) AND (width IS NULL) = (height IS NULL)
           AND (width IS NULL) = (image_type IS NULL)),
    CHECK (kind IN ('banner', 'social') OR image_sha256 IS NULL)
);
CREATE INDEX creatives_program_idx ON creatives (program_id, id);

-- Which creative a click came through (its code's `cr` parameter), when it did; a conversion
-- keeps its click's, so rollups by creative outlive the click's month.
ALTER TABLE clicks ADD COLUMN creative_id BIGINT;
ALTER TABLE conversions ADD COLUMN creative_id BIGINT;

-- The daily rollups count per creative too (0: none), so that dashboards show clicks,
-- conversions, revenue and EPC per creative without reading raw clicks.
ALTER TABLE daily_stats ADD COLUMN creative_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_stats DROP CONSTRAINT daily_stats_pkey;
ALTER TABLE daily_stats ADD PRIMARY KEY (program_id, partner_id, day, link_id, sub1, creative_id, shard);
