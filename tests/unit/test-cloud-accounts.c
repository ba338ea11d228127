/* test-cloud-accounts.c: tests for YunCloudAccounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real accounts database in a temporary folder.  Token expiry is tested
 * with a clock the test moves, never by waiting.
 */

#include "config.h"

#include "yun-test-files.h"
#include "yun-cloud-accounts.h"
#include "yun-cloud-accounts-private.h"

#include <sqlite3.h>

#include <string.h>

#define PASSWORD "correct horse battery"
#define START_TIME ((gint64) 1800000000)

typedef struct {
  char             *tmp_dir;
  char             *path;
  YunCloudAccounts *accounts;
  gint64            now;
} Fixture;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->now;
}

static YunCloudAccounts *
open_accounts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  YunCloudAccounts *accounts = yun_cloud_accounts_open (fixture->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (accounts);
  yun_cloud_accounts_set_clock (accounts, fake_clock, fixture);

  return accounts;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-accounts-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmp_dir, "accounts.sqlite", NULL);
  fixture->now = START_TIME;
  fixture->accounts = open_accounts (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (fixture->accounts != NULL)
    g_assert_finalize_object (fixture->accounts);
  yun_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
  g_free (fixture->path);
}

static void
register_user (Fixture    *fixture,
               const char *name,
               const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (yun_cloud_accounts_register (fixture->accounts, name, password, &error));
  g_assert_no_error (error);
}

static char *
sign_in (Fixture    *fixture,
         const char *name,
         gint64     *expires)
{
  g_autoptr(GError) error = NULL;
  char *token = yun_cloud_accounts_sign_in (fixture->accounts, name, PASSWORD, expires, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);

  return token;
}

static void
assert_token_user (Fixture    *fixture,
                   const char *token,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = yun_cloud_accounts_check_token (fixture->accounts, token, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, expected);
}

static void
assert_token_refused (Fixture    *fixture,
                      const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = yun_cloud_accounts_check_token (fixture->accounts, token, NULL, &error);

  g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN);
  g_assert_null (name);
}

static gboolean
password_works (Fixture    *fixture,
                const char *name,
                const char *password)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = yun_cloud_accounts_check_password (fixture->accounts, name, password, &error);

  if (!ok)
    g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS);

  return ok;
}

/* Every value of one column of the accounts database, read with SQLite
 * directly, as an attacker with a copy of the file would. */
static GPtrArray *
read_column (Fixture    *fixture,
             const char *sql)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  while (sqlite3_step (statement) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (statement, 0)));
  sqlite3_finalize (statement);
  sqlite3_close (db);

  return values;
}

static void
test_register_and_check (Fixture       *fixture,
                         gconstpointer  user_data)
{
  register_user (fixture, "alice", PASSWORD);

  g_assert_true (password_works (fixture, "alice", PASSWORD));
  g_assert_false (password_works (fixture, "alice", PASSWORD "x"));
  g_assert_false (password_works (fixture, "alice", "correct horse batter"));
  g_assert_false (password_works (fixture, "Alice", PASSWORD));
}

static void
test_name_rules (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *longest = g_strnfill (YUN_CLOUD_ACCOUNTS_MAX_NAME, 'n');
  g_autofree char *too_long = g_strnfill (YUN_CLOUD_ACCOUNTS_MAX_NAME + 1, 'n');
  const char *bad[] = {
    "", "Alice", "al ice", "../alice", "a/b", "a.b", "a\\b", "ä", "alice\n", "a:b",
    "%2e%2e", too_long,
  };
  const char *good[] = { "a", "0", "a-b_9", "-", "_", longest };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (yun_cloud_accounts_register (fixture->accounts, bad[i], PASSWORD, &error));
    g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_INVALID_NAME);
    /* Nothing was created. */
    g_assert_false (password_works (fixture, bad[i], PASSWORD));
  }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    register_user (fixture, good[i], PASSWORD);

  {
    g_autoptr(GPtrArray) names = read_column (fixture, "SELECT name FROM users");

    g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (good));
  }
}

static void
test_password_rules (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *longest = g_strnfill (YUN_CLOUD_ACCOUNTS_MAX_PASSWORD, 'p');
  g_autofree char *too_long = g_strnfill (YUN_CLOUD_ACCOUNTS_MAX_PASSWORD + 1, 'p');
  /* Seven characters in 14 bytes: characters count, not bytes. */
  const char *seven_wide = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  const char *eight_wide = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  const char *bad[] = { "", "1234567", seven_wide, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", too_long };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (yun_cloud_accounts_register (fixture->accounts, "bob", bad[i], &error));
    g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD);
    g_assert_false (password_works (fixture, "bob", bad[i]));
  }

  register_user (fixture, "eight", "12345678");
  register_user (fixture, "wide", eight_wide);
  register_user (fixture, "longest", longest);
  g_assert_true (password_works (fixture, "eight", "12345678"));
  g_assert_true (password_works (fixture, "wide", eight_wide));
  g_assert_true (password_works (fixture, "longest", longest));
  /* A password longer than any valid one is refused before hashing. */
  g_assert_false (password_works (fixture, "longest", too_long));
}

static void
test_name_taken (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  register_user (fixture, "alice", PASSWORD);
  g_assert_false (yun_cloud_accounts_register (fixture->accounts, "alice", "another password",
                                               &error));
  g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_EXISTS);

  /* The first password still works, the second never did. */
  g_assert_true (password_works (fixture, "alice", PASSWORD));
  g_assert_false (password_works (fixture, "alice", "another password"));
}

static void
test_unknown_user_like_wrong_password (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) wrong = NULL;

  register_user (fixture, "alice", PASSWORD);

  g_assert_false (yun_cloud_accounts_check_password (fixture->accounts, "nobody", PASSWORD, &unknown));
  g_assert_false (yun_cloud_accounts_check_password (fixture->accounts, "alice", "wrong password",
                                                     &wrong));
  g_assert_error (unknown, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS);
  g_assert_error (wrong, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS);
  g_assert_cmpstr (unknown->message, ==, wrong->message);
}

static void
test_hash_salted (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) hashes = NULL;

  register_user (fixture, "alice", PASSWORD);
  register_user (fixture, "bob", PASSWORD);

  hashes = read_column (fixture, "SELECT hash FROM users ORDER BY name");
  g_assert_cmpuint (hashes->len, ==, 2);
  for (guint i = 0; i < hashes->len; i++) {
    const char *hash = g_ptr_array_index (hashes, i);

    g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
    g_assert_null (strstr (hash, PASSWORD));
  }
  /* The same password, different salts, different hashes. */
  g_assert_cmpstr (g_ptr_array_index (hashes, 0), !=, g_ptr_array_index (hashes, 1));
}

static void
test_token_sign_in (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  gint64 expires = 0;

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", &expires);
  other = sign_in (fixture, "alice", NULL);

  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_cmpstr (token, !=, other);
  g_assert_cmpint (expires, ==, START_TIME + YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME);
  assert_token_user (fixture, token, "alice");
  assert_token_user (fixture, other, "alice");
}

static void
test_token_bad_password (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) tokens = NULL;

  register_user (fixture, "alice", PASSWORD);
  token = yun_cloud_accounts_sign_in (fixture->accounts, "alice", "not the password", NULL, &error);
  g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS);
  g_assert_null (token);

  tokens = read_column (fixture, "SELECT hash FROM tokens");
  g_assert_cmpuint (tokens->len, ==, 0);
}

static void
test_token_stored_hashed (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", NULL);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);

  stored = read_column (fixture, "SELECT hash FROM tokens");
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (stored, 0), ==, digest);
  g_assert_cmpstr (g_ptr_array_index (stored, 0), !=, token);
}

static void
test_token_expires (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  gint64 expires = 0;

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", &expires);

  fixture->now = expires - 1;
  assert_token_user (fixture, token, "alice");
  fixture->now = expires;
  assert_token_refused (fixture, token);
  fixture->now = expires + 365 * 24 * 60 * 60;
  assert_token_refused (fixture, token);
}

static void
test_token_lifetime (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  gint64 expires = 0;

  yun_cloud_accounts_set_token_lifetime (fixture->accounts, 60);
  g_assert_cmpint (yun_cloud_accounts_get_token_lifetime (fixture->accounts), ==, 60);

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", &expires);
  g_assert_cmpint (expires, ==, START_TIME + 60);

  fixture->now += 59;
  assert_token_user (fixture, token, "alice");
  fixture->now += 1;
  assert_token_refused (fixture, token);
}

static void
test_token_revoke (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *kept = NULL;

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", NULL);
  kept = sign_in (fixture, "alice", NULL);

  g_assert_true (yun_cloud_accounts_revoke_token (fixture->accounts, token, &error));
  g_assert_no_error (error);
  assert_token_refused (fixture, token);
  assert_token_user (fixture, kept, "alice");

  g_assert_false (yun_cloud_accounts_revoke_token (fixture->accounts, token, &error));
  g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN);
}

static void
test_token_revoke_all (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *bobs = NULL;

  register_user (fixture, "alice", PASSWORD);
  register_user (fixture, "bob", PASSWORD);
  first = sign_in (fixture, "alice", NULL);
  second = sign_in (fixture, "alice", NULL);
  bobs = sign_in (fixture, "bob", NULL);

  g_assert_true (yun_cloud_accounts_revoke_all (fixture->accounts, "alice", &error));
  g_assert_no_error (error);
  assert_token_refused (fixture, first);
  assert_token_refused (fixture, second);
  assert_token_user (fixture, bobs, "bob");

  /* The password still signs in. */
  g_clear_pointer (&first, g_free);
  first = sign_in (fixture, "alice", NULL);
  assert_token_user (fixture, first, "alice");
}

static void
test_token_malformed (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *huge = g_strnfill (100000, 'A');
  g_autofree char *token = NULL;
  g_autofree char *digest = NULL;
  const char *bad[] = {
    "", "abc", "Bearer x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "' OR 1=1 --", huge,
  };

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", NULL);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_token_refused (fixture, bad[i]);
  /* The stored hash is not a token either. */
  assert_token_refused (fixture, digest);
  /* A well-formed token nobody was given. */
  assert_token_refused (fixture, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  assert_token_user (fixture, token, "alice");
}

static void
test_persists (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *token = NULL;
  g_autofree char *uuid = NULL;

  register_user (fixture, "alice", PASSWORD);
  token = sign_in (fixture, "alice", NULL);
  uuid = g_strdup (yun_cloud_accounts_get_uuid (fixture->accounts));
  g_assert_cmpuint (strlen (uuid), ==, 32);

  g_assert_finalize_object (g_steal_pointer (&fixture->accounts));
  fixture->accounts = open_accounts (fixture);

  g_assert_true (password_works (fixture, "alice", PASSWORD));
  assert_token_user (fixture, token, "alice");
  g_assert_cmpstr (yun_cloud_accounts_get_uuid (fixture->accounts), ==, uuid);
}

static void
test_open_fails (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "missing", "accounts.sqlite", NULL);
  YunCloudAccounts *accounts = yun_cloud_accounts_open (path, &error);

  g_assert_error (error, YUN_CLOUD_ACCOUNTS_ERROR, YUN_CLOUD_ACCOUNTS_ERROR_IO);
  g_assert_null (accounts);
}

static void
add_test (const char *name,
          void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/accounts/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("register/check-password", test_register_and_check);
  add_test ("register/name-rules", test_name_rules);
  add_test ("register/password-rules", test_password_rules);
  add_test ("register/name-taken", test_name_taken);
  add_test ("password/unknown-user-like-wrong-password", test_unknown_user_like_wrong_password);
  add_test ("password/hash-salted", test_hash_salted);
  add_test ("token/sign-in", test_token_sign_in);
  add_test ("token/bad-password", test_token_bad_password);
  add_test ("token/stored-hashed", test_token_stored_hashed);
  add_test ("token/expires", test_token_expires);
  add_test ("token/lifetime", test_token_lifetime);
  add_test ("token/revoke", test_token_revoke);
  add_test ("token/revoke-all", test_token_revoke_all);
  add_test ("token/malformed", test_token_malformed);
  add_test ("persists", test_persists);
  add_test ("open-fails", test_open_fails);

  return g_test_run ();
}
