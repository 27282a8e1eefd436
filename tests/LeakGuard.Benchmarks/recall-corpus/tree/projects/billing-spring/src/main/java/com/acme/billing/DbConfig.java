package com.acme.billing;

import java.sql.Connection;
import java.sql.DriverManager;

public final class DbConfig {
    static Connection open() throws Exception {
        return DriverManager.getConnection("jdbc:sqlserver://sql01.acme.internal:1433;databaseName=ledger;user=ledger_rw;password=Ledger-Rw-2020;encrypt=true");
    }

    static Connection openFromEnv() throws Exception {
        return DriverManager.getConnection(System.getenv("LEDGER_JDBC_URL"), "ledger_rw", System.getenv("LEDGER_PASSWORD"));
    }
}
