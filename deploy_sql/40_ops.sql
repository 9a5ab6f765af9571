-- OPS: the console's own tables. (The task graph also lives in this schema,
-- see 60_tasks.sql.)

create table if not exists CAVES_ALBERT_DB.OPS.ADMIN_AUDIT_LOG (
    AUDIT_ID varchar not null default uuid_string(),
    ACTOR varchar not null comment 'Who did it: the viewer''s user name (st.user), the CLI user, or a task',
    -- ACTION is a Snowflake non-reserved keyword; the name is the console's contract.
    ACTION varchar not null comment 'deploy, suspend, resume, execute, retention, sql, ...',  -- noqa: RF04
    TARGET varchar comment 'The object acted upon, e.g. a fully-qualified task name',
    DETAILS variant comment 'Free-form JSON: parameters, plan, row counts',
    OUTCOME varchar not null comment 'started, succeeded, failed, refused',
    ERROR_MESSAGE varchar,
    STARTED_AT timestamp_ntz not null default convert_timezone('UTC', current_timestamp())::timestamp_ntz,
    FINISHED_AT timestamp_ntz,
    -- Added after the first release: an existing table gets it through ALTER TABLE ... ADD COLUMN (caves.dag).
    SOURCE varchar comment 'Where the action was taken: console or cli'
)
comment = 'Every admin action taken from the console or the CLI (never purged)';

create table if not exists CAVES_ALBERT_DB.OPS.SIMULATED_SHOP (
    SHOP_ID varchar not null comment 'The simulated shop fed into this warehouse (one per warehouse)',
    SIM_CONFIG varchar not null comment 'The simulator settings the shop runs on, as JSON (seed, volume, noise)',
    DEMO_FACTOR number(6, 0) not null default 1 comment 'Accelerated demo: volume x this factor (1 = real rhythm)',
    OPENED_AT timestamp_ntz not null comment 'The shop''s opening: its opening stock, then its first order',
    DELIVERED_MESSAGES number(18, 0) not null default 0 comment 'Messages of the shop''s story landed in RAW so far',
    UPDATED_AT timestamp_ntz
)
comment = 'The event simulator''s shop: the live simulator continues this one, never opens a second';
