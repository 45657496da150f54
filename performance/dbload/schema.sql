-- The DailyDoco system of record: projects own videos; a video goes
-- through jobs (render, encode, publish), gets renditions and is
-- uploaded to YouTube.
CREATE TABLE projects (
	id         bigserial PRIMARY KEY,
	name       text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE videos (
	id          bigserial PRIMARY KEY,
	project_id  bigint NOT NULL REFERENCES projects (id),
	title       text NOT NULL,
	status      text NOT NULL DEFAULT 'queued' CHECK (status IN
		('queued', 'rendering', 'encoding', 'publishing', 'published', 'failed')),
	duration_ms integer NOT NULL CHECK (duration_ms > 0),
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX videos_project_created ON videos (project_id, created_at DESC);
CREATE INDEX videos_created ON videos (created_at);

CREATE TABLE jobs (
	id          bigserial PRIMARY KEY,
	video_id    bigint NOT NULL REFERENCES videos (id),
	stage       text NOT NULL CHECK (stage IN ('render', 'encode', 'publish')),
	status      text NOT NULL DEFAULT 'queued' CHECK (status IN
		('queued', 'running', 'done', 'failed')),
	attempts    integer NOT NULL DEFAULT 0,
	worker      text,
	run_after   timestamptz NOT NULL DEFAULT now(),
	claimed_at  timestamptz,
	finished_at timestamptz,
	CHECK (status = 'queued' OR claimed_at IS NOT NULL),
	CHECK (status NOT IN ('done', 'failed') OR finished_at IS NOT NULL)
);
-- Claims scan the queue in order; partial indexes keep them small.
CREATE INDEX jobs_queued ON jobs (run_after, id) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (claimed_at, id) WHERE status = 'running';
CREATE INDEX jobs_video ON jobs (video_id, id);

CREATE TABLE renditions (
	id         bigserial PRIMARY KEY,
	video_id   bigint NOT NULL REFERENCES videos (id),
	height     integer NOT NULL CHECK (height > 0),
	codec      text NOT NULL,
	bytes      bigint NOT NULL CHECK (bytes >= 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (video_id, height, codec)
);

CREATE TABLE uploads (
	id          bigserial PRIMARY KEY,
	video_id    bigint NOT NULL REFERENCES videos (id),
	channel     text NOT NULL,
	youtube_id  text NOT NULL UNIQUE,
	status      text NOT NULL CHECK (status IN ('uploading', 'done', 'failed')),
	started_at  timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz
);
CREATE INDEX uploads_video ON uploads (video_id);
