const { Pool } = require('pg');
const mysql = require('mysql2/promise');

const pool = new Pool({
  host: process.env.PGHOST,
  user: process.env.PGUSER,
  password: process.env.PGPASSWORD,
  database: 'storefront',
});

const legacy = mysql.createPool({
  host: 'legacy-mysql.acme.internal',
  user: 'storefront_ro',
  password: 'Ro-Legacy-My5ql',
  database: 'catalog',
});

const reporting = new Pool({ connectionString: 'postgresql://report:Rep0rt-Pg-99@reports.acme.internal/reports' });

if (typeof config.password === 'string') {
  console.warn('password set in config');
}
const PASSWORD_REGEX = /^(?=.*[A-Z])(?=.*\d).{12,}$/;

module.exports = { pool, legacy, reporting };
