<?php
// Connections kept for the old reporting pages until they move to the API.

function reporting_link()
{
    return mysqli_connect('reports-db.acme.internal', 'reporting', 'Rpt-Mysql-2019!', 'reporting');
}

function archive_pdo(): PDO
{
    return new PDO('mysql:host=archive-db.acme.internal;dbname=archive', 'archiver', 'Arch1ve-Pdo-77');
}

function orders_pg()
{
    return pg_connect("host=orders-db.acme.internal port=5432 dbname=orders user=orders_ro password=OrdersRo-5432x");
}

function local_link()
{
    return mysqli_connect(DB_HOST, DB_USER, DB_PASSWORD, DB_NAME);
}

function upload_to_partner($file)
{
    $conn = ftp_connect('ftp.partner.example');
    ftp_login($conn, 'acme-upload', 'Ftp-Partner-0417');
    ftp_put($conn, basename($file), $file, FTP_BINARY);
    ftp_close($conn);
}

function directory_check($user, $password)
{
    $ds = ldap_connect('ldaps://dc01.acme.internal');
    return ldap_bind($ds, "uid=$user,ou=people,dc=acme,dc=io", $password);
}

function orders_pg_from_env()
{
    return pg_connect(sprintf("host=%s dbname=orders user=%s password=%s", getenv('PGHOST'), getenv('PGUSER'), getenv('PGPASSWORD')));
}
