/* build-libs: /usr/lib/x86_64-linux-gnu/libsqlite3.a -lpthread -lm */
/* SQLite (Debian's static libsqlite3.a) in :memory:: N thousand rows (argv[1]) inserted in one
 * transaction through a prepared statement, an index made, then range, join, group-by and LIKE
 * queries. Prints one checksum line, the same natively, under qemu-x86_64 and in skytrace. */
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>

static sqlite3 *db;
static void exec(const char *sql) {
  char *err = 0;
  if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, err); exit(1); }
}
static long long one(const char *sql) {
  sqlite3_stmt *s;
  long long v = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &s, 0) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db)); exit(1); }
  while (sqlite3_step(s) == SQLITE_ROW) v = v * 31 + sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

int main(int argc, char **argv) {
  int n = (argc > 1 ? atoi(argv[1]) : 10) * 1000;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  exec("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, name TEXT, v REAL)");
  exec("CREATE TABLE g(k INTEGER PRIMARY KEY, label TEXT)");
  exec("BEGIN");
  sqlite3_stmt *ins;
  sqlite3_prepare_v2(db, "INSERT INTO t(k, name, v) VALUES (?, ?, ?)", -1, &ins, 0);
  char name[32];
  unsigned x = 12345;
  for (int i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    snprintf(name, sizeof name, "n%u", (x >> 8) % 100000);
    sqlite3_bind_int(ins, 1, (x >> 4) % 997);
    sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 3, (x % 10000) / 7.0);
    sqlite3_step(ins);
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  for (int k = 0; k < 997; k++) { char q[96]; snprintf(q, sizeof q, "INSERT INTO g VALUES (%d, 'g%d')", k, k % 13); exec(q); }
  exec("COMMIT");
  exec("CREATE INDEX t_k ON t(k)");
  long long h = 0;
  h = h * 7 + one("SELECT count(*) FROM t WHERE k BETWEEN 100 AND 200");
  h = h * 7 + one("SELECT sum(id) FROM t WHERE k = 500");
  h = h * 7 + one("SELECT g.label, count(*), CAST(sum(t.v) AS INTEGER) FROM t JOIN g ON t.k = g.k GROUP BY g.label ORDER BY g.label");
  h = h * 7 + one("SELECT count(*) FROM t WHERE name LIKE 'n1%'");
  h = h * 7 + one("SELECT k FROM t ORDER BY v DESC, id LIMIT 50");
  printf("sqlite %d rows: %lld\n", n, h);
  sqlite3_close(db);
  return 0;
}
