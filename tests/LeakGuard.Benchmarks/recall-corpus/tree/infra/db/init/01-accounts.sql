-- Application accounts, created by the provisioning job on first boot.
CREATE DATABASE IF NOT EXISTS orders;
CREATE USER 'orders'@'%' IDENTIFIED BY 'Tv5-Orders-Primary-1';
GRANT SELECT ON reports.* TO 'bi'@'10.2.%' IDENTIFIED BY 'Bi4!readonly2023';
CREATE USER 'app'@'%' IDENTIFIED BY '${APP_DB_PASSWORD}';
ALTER USER 'root'@'localhost' IDENTIFIED WITH caching_sha2_password BY 'Rt8#Mysql-Root';
-- rotate with: ALTER USER 'app'@'%' IDENTIFIED BY '<new password>';

-- PostgreSQL side (run by psql -v migrator_password=...)
CREATE ROLE grafana WITH LOGIN PASSWORD 'Gf2-Dash-Reader';
CREATE ROLE migrator WITH LOGIN PASSWORD :'migrator_password';
ALTER ROLE replicator WITH REPLICATION ENCRYPTED PASSWORD 'Rp7-Stream-Slot';

-- Oracle and SQL Server accounts of the reporting stack
CREATE USER hr_app IDENTIFIED BY Hr4pp2022 QUOTA 50M ON users;
ALTER USER legacy IDENTIFIED BY VALUES 'S:4A1F9C0E7B2D';
CREATE LOGIN reporting WITH PASSWORD = N'Rq9$SqlReport7', CHECK_POLICY = ON;
