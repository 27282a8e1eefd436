package com.acme.billing

object LedgerClient {
    private val clientSecret: String = "LGrcq3Lm8Wz5Rk2Tx7Vb4Nc9Pd1Fh6J"
    private val clientSecretHeader: String = "X-Ledger-Secret"
    private val ledgerPassword: String = "Ledger-Pw#2023"
}
