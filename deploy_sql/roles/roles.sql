-- Les Caves d'Albert - roles and grants for Snowflake (run once per account, then
-- again whenever you like: every statement is idempotent).
--
-- Not part of the deployment plan: `caves deploy` runs the top-level files of
-- deploy_sql/ only, and these statements need account administrators. Run them
-- as written (the USE ROLE lines switch roles), e.g. in a Snowsight worksheet or
--     snow sql -f deploy_sql/roles/roles.sql --role ACCOUNTADMIN
-- Run this file BEFORE the first `caves deploy --target snowflake`: the FUTURE
-- grants then cover every object the deployment creates, and the ones it
-- replaces (CREATE OR REPLACE drops an object's grants: tasks and views are
-- replaced at every deploy, so grants on the existing objects alone would not
-- last).
--
--   CAVES_VIEWER    read the console: USAGE on the database and schemas, SELECT
--                   on PRODUCTION tables and views, MONITOR on the tasks
--                   (SHOW TASKS, TASK_HISTORY).
--   CAVES_OPERATOR  CAVES_VIEWER + OPERATE on the tasks (suspend, resume,
--                   execute: the task still runs with its owner's privileges),
--                   read RAW_DATA/STAGING/streams for pipeline health, write the
--                   admin audit log. Owns the Streamlit app: in Streamlit in
--                   Snowflake every viewer acts with the owner's role, so the app
--                   must not be owned by a role that can change the deployment.
--   CAVES_DEPLOYER  CAVES_OPERATOR + creates (and so owns) the tables, streams,
--                   tasks and views; the task owner, so it holds EXECUTE TASK and
--                   EXECUTE MANAGED TASK (the tasks are serverless).
--
-- The hierarchy ends at SYSADMIN, as Snowflake recommends for custom roles.

use role SYSADMIN;

create warehouse if not exists CAVES_WH
warehouse_size = 'XSMALL'
auto_suspend = 60
auto_resume = true
initially_suspended = true
comment = 'Les Caves d''Albert console and CLI queries';

-- The database and schemas belong to SYSADMIN; the deployer creates what is in them.
create database if not exists CAVES_ALBERT_DB;
create schema if not exists CAVES_ALBERT_DB.RAW_DATA;
create schema if not exists CAVES_ALBERT_DB.STAGING;
create schema if not exists CAVES_ALBERT_DB.PRODUCTION;
create schema if not exists CAVES_ALBERT_DB.OPS;

use role SECURITYADMIN;

create role if not exists CAVES_VIEWER comment = 'Les Caves d''Albert: read the console';
create role if not exists CAVES_OPERATOR comment = 'Les Caves d''Albert: operate the task graph';
create role if not exists CAVES_DEPLOYER comment = 'Les Caves d''Albert: deploy deploy_sql/';

grant role CAVES_VIEWER to role CAVES_OPERATOR;
grant role CAVES_OPERATOR to role CAVES_DEPLOYER;
grant role CAVES_DEPLOYER to role SYSADMIN;

---------- viewer
grant usage on warehouse CAVES_WH to role CAVES_VIEWER;
grant usage on database CAVES_ALBERT_DB to role CAVES_VIEWER;
grant usage on schema CAVES_ALBERT_DB.RAW_DATA to role CAVES_VIEWER;
grant usage on schema CAVES_ALBERT_DB.STAGING to role CAVES_VIEWER;
grant usage on schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_VIEWER;
grant usage on schema CAVES_ALBERT_DB.OPS to role CAVES_VIEWER;
grant select on all tables in schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_VIEWER;
grant select on future tables in schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_VIEWER;
grant select on all views in schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_VIEWER;
grant select on future views in schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_VIEWER;
grant monitor on all tasks in schema CAVES_ALBERT_DB.OPS to role CAVES_VIEWER;
grant monitor on future tasks in schema CAVES_ALBERT_DB.OPS to role CAVES_VIEWER;
-- the alerts (deploy_sql/90_alerts.sql): SHOW ALERTS
grant monitor on all alerts in schema CAVES_ALBERT_DB.OPS to role CAVES_VIEWER;  -- noqa: PRS
grant monitor on future alerts in schema CAVES_ALBERT_DB.OPS to role CAVES_VIEWER;  -- noqa: PRS

---------- operator
grant operate on all tasks in schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;
grant operate on future tasks in schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;
-- suspend / resume / EXECUTE ALERT from the Administration page
grant operate on all alerts in schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;  -- noqa: PRS
grant operate on future alerts in schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;  -- noqa: PRS
grant select on all tables in schema CAVES_ALBERT_DB.RAW_DATA to role CAVES_OPERATOR;
grant select on future tables in schema CAVES_ALBERT_DB.RAW_DATA to role CAVES_OPERATOR;
grant select on all tables in schema CAVES_ALBERT_DB.STAGING to role CAVES_OPERATOR;
grant select on future tables in schema CAVES_ALBERT_DB.STAGING to role CAVES_OPERATOR;
grant select on all streams in schema CAVES_ALBERT_DB.RAW_DATA to role CAVES_OPERATOR;
grant select on future streams in schema CAVES_ALBERT_DB.RAW_DATA to role CAVES_OPERATOR;
grant select on all streams in schema CAVES_ALBERT_DB.STAGING to role CAVES_OPERATOR;
grant select on future streams in schema CAVES_ALBERT_DB.STAGING to role CAVES_OPERATOR;
grant select on all streams in schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_OPERATOR;
grant select on future streams in schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_OPERATOR;
-- the audit log: rows are added and completed, never deleted
grant select, insert, update on all tables in schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;
grant select, insert, update on future tables in schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;
-- `snow streamlit deploy` run with this role creates the app (and its stage) owned by it
grant create streamlit on schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;
grant create stage on schema CAVES_ALBERT_DB.OPS to role CAVES_OPERATOR;

---------- deployer
grant create table, create stream, create view on schema CAVES_ALBERT_DB.RAW_DATA to role CAVES_DEPLOYER;
grant create table, create stream, create view on schema CAVES_ALBERT_DB.STAGING to role CAVES_DEPLOYER;
grant create table, create stream, create view on schema CAVES_ALBERT_DB.PRODUCTION to role CAVES_DEPLOYER;
grant create table, create stream, create view, create task on schema CAVES_ALBERT_DB.OPS to role CAVES_DEPLOYER;
grant create alert on schema CAVES_ALBERT_DB.OPS to role CAVES_DEPLOYER;

use role ACCOUNTADMIN;

-- The task owner runs the graphs: EXECUTE TASK, and EXECUTE MANAGED TASK because
-- the tasks have no WAREHOUSE (serverless).
grant execute task on account to role CAVES_DEPLOYER;
grant execute managed task on account to role CAVES_DEPLOYER;

-- The alert owner runs the alerts: EXECUTE ALERT, EXECUTE MANAGED ALERT (no WAREHOUSE: serverless alerts), and the
-- SNOWFLAKE.ALERT_VIEWER database role for SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME() in the alerts' SQL.
-- USAGE on the notification integration is granted when an administrator creates it (README, "Alerts").
grant execute alert on account to role CAVES_DEPLOYER;
grant execute managed alert on account to role CAVES_DEPLOYER;
grant database role SNOWFLAKE.ALERT_VIEWER to role CAVES_DEPLOYER;
