-- Les Caves d'Albert - database and schemas.
--
-- Idempotent and safe on a live pipeline: IF NOT EXISTS only, nothing is ever
-- replaced or dropped. Every later script uses fully-qualified names, so no
-- USE statement is needed (or relied upon).

create database if not exists CAVES_ALBERT_DB
comment = 'Les Caves d''Albert: shop events pipeline (RAW -> STAGING -> PRODUCTION) and its console';

create schema if not exists CAVES_ALBERT_DB.RAW_DATA
comment = 'Kafka messages exactly as received, one row per message';

create schema if not exists CAVES_ALBERT_DB.STAGING
comment = 'Validated, typed events; rejected messages with their reason; the routing ledger';

create schema if not exists CAVES_ALBERT_DB.PRODUCTION
comment = 'Business tables (current orders, inventory) and the views the console reads';

create schema if not exists CAVES_ALBERT_DB.OPS
comment = 'Pipeline task graph (all tasks live here) and the console''s own tables';
