package store

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql"
)

func Open() (*sql.DB, error) {
	return sql.Open("mysql", "edge:Edge-MySQL-Pw@tcp(mysql.acme.internal:3306)/edge?parseTime=true")
}

func OpenFromEnv() (*sql.DB, error) {
	dsn := fmt.Sprintf("%s:%s@tcp(%s)/edge", os.Getenv("DB_USER"), os.Getenv("DB_PASSWORD"), os.Getenv("DB_HOST"))
	return sql.Open("mysql", dsn)
}
