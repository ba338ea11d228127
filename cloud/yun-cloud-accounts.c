/* yun-cloud-accounts.c: the users of yun-cloud, their passwords and tokens
 *
 * Passwords are stored as Argon2id hashes in the PHC string format
 * (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`), so the cost can be raised
 * later without touching the hashes already stored: each one carries its
 * own parameters.  Tokens are 32 random bytes handed to the client once,
 * in base64url; only their SHA-256 is stored, so a copy of the database
 * does not let anyone in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-accounts.h"
#include "yun-cloud-accounts-private.h"

#include <argon2.h>
#include <sqlite3.h>

#include <errno.h>
#include <string.h>
#include <sys/random.h>

/* Argon2id with OWASP's recommended minimum: 19 MiB, two passes, one lane.
 * About 30 to 60 ms on a phone-class core; hashing always runs on a
 * worker thread. */
#define HASH_TIME_COST 2
#define HASH_MEMORY_KIB 19456
#define HASH_PARALLELISM 1
#define SALT_BYTES 16
#define HASH_BYTES 32
#define TOKEN_BYTES 32
/* base64url of TOKEN_BYTES without padding. */
#define TOKEN_LENGTH 43

struct _YunCloudAccounts {
  GObject                parent_instance;

  /* Guards db; hashing happens outside it so that sign-ins run in
   * parallel. */
  GMutex                 mutex;
  sqlite3               *db;
  char                  *uuid;
  gint64                 token_lifetime;
  YunCloudAccountsClock  clock;
  gpointer               clock_data;

  /* A hash of a random password, checked against when the user does not
   * exist, so that a wrong name takes as long as a wrong password. */
  GMutex                 decoy_mutex;
  char                  *decoy_hash;
};

G_DEFINE_FINAL_TYPE (YunCloudAccounts, yun_cloud_accounts, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-cloud-accounts-error-quark, yun_cloud_accounts_error)

static const char schema_sql[] =
  "PRAGMA journal_mode = WAL;"
  "PRAGMA synchronous = FULL;"
  "PRAGMA foreign_keys = ON;"
  "CREATE TABLE IF NOT EXISTS users ("
  "  name TEXT PRIMARY KEY, hash TEXT NOT NULL, created INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
  "  created INTEGER NOT NULL, expires INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens (name);"
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "PRAGMA user_version = 1;";

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
now (YunCloudAccounts *self)
{
  return self->clock (self->clock_data);
}

static gboolean set_sqlite_error (sqlite3     *db,
                                  const char  *doing,
                                  GError     **error);

/* set_sqlite_error () for functions that return a pointer. */
static gpointer
sqlite_error_null (sqlite3     *db,
                   const char  *doing,
                   GError     **error)
{
  set_sqlite_error (db, doing, error);
  return NULL;
}

static gboolean
set_sqlite_error (sqlite3     *db,
                  const char  *doing,
                  GError     **error)
{
  g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO,
               "%s: %s", doing, db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

/* Fills @buffer from the kernel's random number generator. */
static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize done = 0;

  while (done < length) {
    gssize n = getrandom (buffer + done, length - done, 0);

    if (n < 0) {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO,
                   "Could not get random bytes: %s", g_strerror (saved_errno));
      return FALSE;
    }
    done += n;
  }

  return TRUE;
}

static char *
base64url (const guint8 *data,
           gsize         length)
{
  g_autofree char *text = g_base64_encode (data, length);
  char *end;

  for (char *p = text; *p != '\0'; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  }
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';

  return g_steal_pointer (&text);
}

static char *
token_digest (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static gboolean
token_is_well_formed (const char *token)
{
  if (strlen (token) != TOKEN_LENGTH)
    return FALSE;

  for (const char *p = token; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  }

  return TRUE;
}

static gboolean
validate_password (const char  *password,
                   GError     **error)
{
  gsize length = strlen (password);

  if (length > YUN_CLOUD_ACCOUNTS_MAX_PASSWORD) {
    g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD,
                 "A password is at most %d bytes long", YUN_CLOUD_ACCOUNTS_MAX_PASSWORD);
    return FALSE;
  }

  if (!g_utf8_validate (password, length, NULL)) {
    g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD,
                         "A password must be valid UTF-8 text");
    return FALSE;
  }

  if (g_utf8_strlen (password, length) < YUN_CLOUD_ACCOUNTS_MIN_PASSWORD) {
    g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD,
                 "A password needs at least %d characters", YUN_CLOUD_ACCOUNTS_MIN_PASSWORD);
    return FALSE;
  }

  return TRUE;
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  guint8 salt[SALT_BYTES];
  gsize encoded_length;
  g_autofree char *encoded = NULL;
  int rc;

  if (!fill_random (salt, sizeof salt, error))
    return NULL;

  encoded_length = argon2_encodedlen (HASH_TIME_COST, HASH_MEMORY_KIB, HASH_PARALLELISM,
                                      SALT_BYTES, HASH_BYTES, Argon2_id);
  encoded = g_malloc0 (encoded_length);
  rc = argon2id_hash_encoded (HASH_TIME_COST, HASH_MEMORY_KIB, HASH_PARALLELISM,
                              password, strlen (password), salt, sizeof salt,
                              HASH_BYTES, encoded, encoded_length);
  if (rc != ARGON2_OK) {
    g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO,
                 "Could not hash the password: %s", argon2_error_message (rc));
    return NULL;
  }

  return g_steal_pointer (&encoded);
}

/* Whether @password matches @encoded; argon2id_verify () compares the
 * hashes in constant time. */
static gboolean
password_matches (const char *encoded,
                  const char *password)
{
  return argon2id_verify (encoded, password, strlen (password)) == ARGON2_OK;
}

static const char *
get_decoy_hash (YunCloudAccounts *self)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->decoy_mutex);

  if (self->decoy_hash == NULL) {
    guint8 random[24];
    g_autofree char *password = NULL;

    if (!fill_random (random, sizeof random, NULL))
      return NULL;
    password = base64url (random, sizeof random);
    self->decoy_hash = hash_password (password, NULL);
  }

  return self->decoy_hash;
}

static void
set_bad_credentials (GError **error)
{
  g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS,
                       "Name or password is incorrect");
}

/* Looks up @name's stored hash; %NULL with no error when there is no such
 * user. */
static char *
lookup_hash (YunCloudAccounts  *self,
             const char        *name,
             GError           **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  sqlite3_stmt *statement = NULL;
  char *hash = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT hash FROM users WHERE name = ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return sqlite_error_null (self->db, "reading the users", error);

  sqlite3_bind_text (statement, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    hash = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self->db, "reading the users", error);
  sqlite3_finalize (statement);

  return hash;
}

static void
yun_cloud_accounts_finalize (GObject *object)
{
  YunCloudAccounts *self = YUN_CLOUD_ACCOUNTS (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->decoy_hash, g_free);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->decoy_mutex);

  G_OBJECT_CLASS (yun_cloud_accounts_parent_class)->finalize (object);
}

static void
yun_cloud_accounts_class_init (YunCloudAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_cloud_accounts_finalize;
}

static void
yun_cloud_accounts_init (YunCloudAccounts *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->decoy_mutex);
  self->token_lifetime = YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME;
  self->clock = real_clock;
}

/* Reads the server's random id from the meta table, making one the first
 * time. */
static gboolean
load_uuid (YunCloudAccounts  *self,
           GError           **error)
{
  sqlite3_stmt *statement = NULL;
  guint8 random[16];
  g_autofree char *fresh = NULL;
  int rc;

  if (!fill_random (random, sizeof random, error))
    return FALSE;
  fresh = g_malloc0 (2 * sizeof random + 1);
  for (gsize i = 0; i < sizeof random; i++)
    g_snprintf (fresh + 2 * i, 3, "%02x", random[i]);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO meta (key, value) VALUES ('uuid', ?1) "
                          "ON CONFLICT (key) DO NOTHING", -1, &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, "opening the accounts", error);
  sqlite3_bind_text (statement, 1, fresh, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, "opening the accounts", error);

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = 'uuid'", -1,
                          &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, "opening the accounts", error);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    self->uuid = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  sqlite3_finalize (statement);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self->db, "opening the accounts", error);

  return TRUE;
}

/**
 * yun_cloud_accounts_validate_name:
 * @name: a user name
 * @error: return location for a #GError
 *
 * Checks a user name against the rules: 1 to %YUN_CLOUD_ACCOUNTS_MAX_NAME
 * bytes, each a lowercase ASCII letter, a digit, `-` or `_`.  Such a name
 * is safe as a file name.
 *
 * Returns: %TRUE if @name is valid; else %FALSE with
 *   %YUN_CLOUD_ACCOUNTS_ERROR_INVALID_NAME
 */
gboolean
yun_cloud_accounts_validate_name (const char  *name,
                                  GError     **error)
{
  gsize length;

  g_return_val_if_fail (name != NULL, FALSE);

  length = strlen (name);
  if (length == 0 || length > YUN_CLOUD_ACCOUNTS_MAX_NAME)
    goto bad;

  for (gsize i = 0; i < length; i++) {
    char c = name[i];

    if (!(c >= 'a' && c <= 'z') && !g_ascii_isdigit (c) && c != '-' && c != '_')
      goto bad;
  }

  return TRUE;

bad:
  g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_INVALID_NAME,
               "A user name is 1 to %d lowercase letters, digits, “-” or “_”",
               YUN_CLOUD_ACCOUNTS_MAX_NAME);
  return FALSE;
}

/**
 * yun_cloud_accounts_open:
 * @path: (type filename): the accounts' SQLite file, created if missing
 * @error: return location for a #GError
 *
 * Opens the accounts database.  Every method blocks on the disk, and the
 * password methods take tens of milliseconds of CPU on purpose: call them
 * from a worker thread.  They are safe to call from several threads.
 *
 * Returns: (transfer full) (nullable): the accounts, or %NULL with @error
 *   set to %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
YunCloudAccounts *
yun_cloud_accounts_open (const char  *path,
                         GError     **error)
{
  g_autoptr(YunCloudAccounts) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_CLOUD_ACCOUNTS, NULL);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK) {
    g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO,
                 "Could not open the accounts database %s: %s", path,
                 self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
    return NULL;
  }

  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
    set_sqlite_error (self->db, "setting up the accounts database", error);
    return NULL;
  }

  if (!load_uuid (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * yun_cloud_accounts_get_uuid:
 * @self: a #YunCloudAccounts
 *
 * Gets the random id this cloud was given when its accounts database was
 * made: 32 lowercase hex digits, the same on every start.
 *
 * Returns: the id
 */
const char *
yun_cloud_accounts_get_uuid (YunCloudAccounts *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), NULL);

  return self->uuid;
}

/**
 * yun_cloud_accounts_set_token_lifetime:
 * @self: a #YunCloudAccounts
 * @seconds: how long new tokens stay valid, at least 1
 *
 * Sets how long the tokens made from now on stay valid; the default is
 * %YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME.  Call it before other
 * threads use @self.
 */
void
yun_cloud_accounts_set_token_lifetime (YunCloudAccounts *self,
                                       gint64            seconds)
{
  g_return_if_fail (YUN_IS_CLOUD_ACCOUNTS (self));
  g_return_if_fail (seconds > 0);

  self->token_lifetime = seconds;
}

/**
 * yun_cloud_accounts_get_token_lifetime:
 * @self: a #YunCloudAccounts
 *
 * Returns: how long new tokens stay valid, in seconds
 */
gint64
yun_cloud_accounts_get_token_lifetime (YunCloudAccounts *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), 0);

  return self->token_lifetime;
}

void
yun_cloud_accounts_set_clock (YunCloudAccounts      *self,
                              YunCloudAccountsClock  clock,
                              gpointer               user_data)
{
  g_return_if_fail (YUN_IS_CLOUD_ACCOUNTS (self));

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

/**
 * yun_cloud_accounts_register:
 * @self: a #YunCloudAccounts
 * @name: the new user's name
 * @password: the new user's password
 * @error: return location for a #GError
 *
 * Creates a user.  Slow on purpose: the password is hashed.
 *
 * Returns: %TRUE on success; else %FALSE with @error set to
 *   %YUN_CLOUD_ACCOUNTS_ERROR_INVALID_NAME,
 *   %YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD,
 *   %YUN_CLOUD_ACCOUNTS_ERROR_EXISTS or %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
gboolean
yun_cloud_accounts_register (YunCloudAccounts  *self,
                             const char        *name,
                             const char        *password,
                             GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *statement = NULL;
  int rc;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!yun_cloud_accounts_validate_name (name, error) || !validate_password (password, error))
    return FALSE;

  hash = hash_password (password, error);
  if (hash == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO users (name, hash, created) VALUES (?1, ?2, ?3)",
                          -1, &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, "adding the user", error);

  sqlite3_bind_text (statement, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (statement, 3, now (self));
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);

  if (rc == SQLITE_CONSTRAINT) {
    g_set_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_EXISTS,
                 "The name “%s” is taken", name);
    return FALSE;
  }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, "adding the user", error);

  return TRUE;
}

/**
 * yun_cloud_accounts_check_password:
 * @self: a #YunCloudAccounts
 * @name: a user name
 * @password: the password to check
 * @error: return location for a #GError
 *
 * Checks a user's password.  Slow on purpose, and as slow for a user that
 * does not exist as for a wrong password.
 *
 * Returns: %TRUE if @password is @name's; else %FALSE with @error set to
 *   %YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS or
 *   %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
gboolean
yun_cloud_accounts_check_password (YunCloudAccounts  *self,
                                   const char        *name,
                                   const char        *password,
                                   GError           **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Nothing longer than a valid password is hashed: that would let a
   * client make the server hash megabytes. */
  if (strlen (password) > YUN_CLOUD_ACCOUNTS_MAX_PASSWORD) {
    set_bad_credentials (error);
    return FALSE;
  }

  if (yun_cloud_accounts_validate_name (name, NULL)) {
    hash = lookup_hash (self, name, &local_error);
    if (local_error != NULL) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  }

  if (hash == NULL) {
    const char *decoy = get_decoy_hash (self);

    if (decoy != NULL)
      password_matches (decoy, password);
    set_bad_credentials (error);
    return FALSE;
  }

  if (!password_matches (hash, password)) {
    set_bad_credentials (error);
    return FALSE;
  }

  return TRUE;
}

/**
 * yun_cloud_accounts_sign_in:
 * @self: a #YunCloudAccounts
 * @name: a user name
 * @password: the user's password
 * @expires: (out) (optional): when the token stops working, in seconds
 *   since the Unix epoch
 * @error: return location for a #GError
 *
 * Checks the password and makes a new bearer token for the user.  The
 * token is returned only here; the accounts keep just its hash.
 *
 * Returns: (transfer full) (nullable): the token, 43 base64url
 *   characters, or %NULL with @error set to
 *   %YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS or %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
char *
yun_cloud_accounts_sign_in (YunCloudAccounts  *self,
                            const char        *name,
                            const char        *password,
                            gint64            *expires,
                            GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *token = NULL;
  g_autofree char *digest = NULL;
  guint8 random[TOKEN_BYTES];
  sqlite3_stmt *statement = NULL;
  gint64 created;
  gint64 until;
  int rc;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!yun_cloud_accounts_check_password (self, name, password, error))
    return NULL;

  if (!fill_random (random, sizeof random, error))
    return NULL;
  token = base64url (random, sizeof random);
  digest = token_digest (token);

  created = now (self);
  until = created + self->token_lifetime;

  locker = g_mutex_locker_new (&self->mutex);

  /* Expired tokens are useless; sign-ins are rare enough to sweep them. */
  if (sqlite3_prepare_v2 (self->db, "DELETE FROM tokens WHERE expires <= ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return sqlite_error_null (self->db, "signing in", error);
  sqlite3_bind_int64 (statement, 1, created);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return sqlite_error_null (self->db, "signing in", error);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO tokens (hash, name, created, expires) VALUES (?1, ?2, ?3, ?4)",
                          -1, &statement, NULL) != SQLITE_OK)
    return sqlite_error_null (self->db, "signing in", error);
  sqlite3_bind_text (statement, 1, digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (statement, 3, created);
  sqlite3_bind_int64 (statement, 4, until);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return sqlite_error_null (self->db, "signing in", error);

  if (expires != NULL)
    *expires = until;

  return g_steal_pointer (&token);
}

/**
 * yun_cloud_accounts_check_token:
 * @self: a #YunCloudAccounts
 * @token: a bearer token from yun_cloud_accounts_sign_in()
 * @expires: (out) (optional): when the token stops working, in seconds
 *   since the Unix epoch
 * @error: return location for a #GError
 *
 * Finds whose token @token is.
 *
 * Returns: (transfer full) (nullable): the user's name, or %NULL with
 *   @error set to %YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN when the token is
 *   malformed, unknown, revoked or expired, or %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
char *
yun_cloud_accounts_check_token (YunCloudAccounts  *self,
                                const char        *token,
                                gint64            *expires,
                                GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt *statement = NULL;
  gint64 until = 0;
  int rc;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!token_is_well_formed (token)) {
    g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN,
                         "The token is not a Yun token");
    return NULL;
  }

  digest = token_digest (token);

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "SELECT name, expires FROM tokens WHERE hash = ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return sqlite_error_null (self->db, "checking the token", error);
  sqlite3_bind_text (statement, 1, digest, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW) {
    name = g_strdup ((const char *) sqlite3_column_text (statement, 0));
    until = sqlite3_column_int64 (statement, 1);
  }
  sqlite3_finalize (statement);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_error_null (self->db, "checking the token", error);

  if (name == NULL) {
    g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN,
                         "The token is unknown or was revoked");
    return NULL;
  }

  if (until <= now (self)) {
    g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN,
                         "The token has expired; sign in again");
    return NULL;
  }

  if (expires != NULL)
    *expires = until;

  return g_steal_pointer (&name);
}

/**
 * yun_cloud_accounts_revoke_token:
 * @self: a #YunCloudAccounts
 * @token: a bearer token
 * @error: return location for a #GError
 *
 * Makes @token stop working at once.
 *
 * Returns: %TRUE if the token existed and is now gone; else %FALSE with
 *   @error set to %YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN or
 *   %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
gboolean
yun_cloud_accounts_revoke_token (YunCloudAccounts  *self,
                                 const char        *token,
                                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *digest = NULL;
  sqlite3_stmt *statement = NULL;
  int rc;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!token_is_well_formed (token)) {
    g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN,
                         "The token is not a Yun token");
    return FALSE;
  }

  digest = token_digest (token);

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "DELETE FROM tokens WHERE hash = ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, "revoking the token", error);
  sqlite3_bind_text (statement, 1, digest, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, "revoking the token", error);

  if (sqlite3_changes (self->db) == 0) {
    g_set_error_literal (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN,
                         "The token is unknown or was revoked");
    return FALSE;
  }

  return TRUE;
}

/**
 * yun_cloud_accounts_revoke_all:
 * @self: a #YunCloudAccounts
 * @name: a user name
 * @error: return location for a #GError
 *
 * Makes every token of @name stop working at once, say after a phone was
 * lost.  A user without tokens is not an error.
 *
 * Returns: %TRUE on success; else %FALSE with @error set to
 *   %YUN_CLOUD_ACCOUNTS_ERROR_IO
 */
gboolean
yun_cloud_accounts_revoke_all (YunCloudAccounts  *self,
                               const char        *name,
                               GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *statement = NULL;
  int rc;

  g_return_val_if_fail (YUN_IS_CLOUD_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db, "DELETE FROM tokens WHERE name = ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, "revoking the tokens", error);
  sqlite3_bind_text (statement, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self->db, "revoking the tokens", error);

  return TRUE;
}
