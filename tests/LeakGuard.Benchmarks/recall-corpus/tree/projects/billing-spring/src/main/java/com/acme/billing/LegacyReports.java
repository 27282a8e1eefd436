package com.acme.billing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The reporting database the old invoice exports still read. */
final class LegacyReports {
    private static final String URL = "jdbc:sqlserver://reports01.acme.internal:1433;databaseName=Reports";

    private LegacyReports() {
    }

    static Connection open() throws SQLException {
        return DriverManager.getConnection(URL, "reports_app", "Rep0rts-Sql-2020");
    }

    static Connection openAs(String user, String password) throws SQLException {
        return DriverManager.getConnection(URL, user, password);
    }
}
