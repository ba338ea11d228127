/* test-sync-account.c: signing in to yun-cloud, as Settings does, with the
 * real yun-cloud on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "yun-sync-account.h"
#include "yun-test-cloud.h"
#include "yun-test-files.h"
#include "yun-test-loop.h"

/* Nothing listens on port 1 of loopback. */
#define NOWHERE "http://127.0.0.1:1/"

typedef struct {
  YunTestCloud *cloud;
  char *dir;
  YunDocStore *store;
  YunSync *sync;
  YunSyncAccount *account;
  guint name_changes;
} Fixture;

static void
on_name_changed (YunSyncAccount *account,
                 GParamSpec     *pspec,
                 Fixture        *f)
{
  f->name_changes++;
}

/* A signed-out account whose cloud is @cloud_url. */
static YunSyncAccount *
new_account (Fixture    *f,
             const char *cloud_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  YunSyncAccount *account = yun_sync_account_new (f->sync, session, cloud_url, f->dir);

  g_signal_connect (account, "notify::name", G_CALLBACK (on_name_changed), f);
  return account;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->cloud = yun_test_cloud_start (&error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
    g_test_skip (error->message);
    return;
  }
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("yun-sync-account-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "personal.sqlite", NULL);
  f->store = yun_doc_store_open (path, &error);
  g_assert_no_error (error);
  yun_doc_store_create_db (f->store, "notes", &error);
  g_assert_no_error (error);
  f->sync = yun_sync_new (f->store);
  yun_sync_add_db (f->sync, "notes");
  f->account = new_account (f, NOWHERE);
}

static gboolean
kept (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "sync-account.json", NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The account file is written and removed in the background. */
static void
wait_until_kept (Fixture  *f,
                 gboolean  exists)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (kept (f) != exists) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10 * 1000);
  }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->account != NULL && yun_sync_account_get_name (f->account) != NULL) {
    yun_sync_account_sign_out (f->account);
    wait_until_kept (f, FALSE);
  }
  g_clear_object (&f->account);
  g_clear_object (&f->sync);
  g_clear_object (&f->store);
  if (f->dir != NULL)
    yun_test_remove_tree (f->dir);
  g_free (f->dir);
  g_clear_pointer (&f->cloud, yun_test_cloud_stop);
}

typedef struct {
  gboolean done;
  GError *error;
} Outcome;

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Outcome *outcome = user_data;

  yun_sync_account_sign_in_finish (YUN_SYNC_ACCOUNT (source), result, &outcome->error);
  outcome->done = TRUE;
}

/* Signs in and waits; %NULL when signed in, the error otherwise. */
static GError *
sign_in (Fixture    *f,
         const char *cloud_url,
         const char *name,
         const char *password,
         gboolean    create)
{
  Outcome outcome = { 0 };

  yun_sync_account_sign_in_to_async (f->account, cloud_url, name, password, create, NULL,
                                     on_signed_in, &outcome);
  yun_test_run_until (&outcome.done, 30);
  return outcome.error;
}

/* The sync engine tells its state from its worker thread. */
static void
wait_until_signed_in (Fixture  *f,
                      gboolean  signed_in)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while ((yun_sync_get_state (f->sync) != YUN_SYNC_STATE_SIGNED_OUT) != signed_in) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10 * 1000);
  }
}

/* A refusal leaves the account as it was: signed out, on its cloud. */
static void
assert_unchanged (Fixture *f)
{
  g_assert_null (yun_sync_account_get_name (f->account));
  g_assert_cmpstr (yun_sync_account_get_cloud_url (f->account), ==, NOWHERE);
  g_assert_cmpuint (f->name_changes, ==, 0);
  g_assert_cmpint (yun_sync_get_state (f->sync), ==, YUN_SYNC_STATE_SIGNED_OUT);
  g_assert_false (kept (f));
}

static void
test_refusals_change_nothing (Fixture       *f,
                              gconstpointer  data)
{
  const char *url;
  GError *error;

  if (f->cloud == NULL)
    return;
  url = yun_test_cloud_get_url (f->cloud);

  error = sign_in (f, "ftp://127.0.0.1/", YUN_TEST_CLOUD_USER, YUN_TEST_CLOUD_PASSWORD, FALSE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  error = sign_in (f, "http:///nohost", YUN_TEST_CLOUD_USER, YUN_TEST_CLOUD_PASSWORD, FALSE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_unchanged (f);

  error = sign_in (f, url, YUN_TEST_CLOUD_USER, "not the password", FALSE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  assert_unchanged (f);

  /* The account's own cloud, where nothing answers. */
  error = sign_in (f, NULL, YUN_TEST_CLOUD_USER, YUN_TEST_CLOUD_PASSWORD, FALSE);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
  g_clear_error (&error);
  assert_unchanged (f);

  error = sign_in (f, url, YUN_TEST_CLOUD_USER, "another password", TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  assert_unchanged (f);
}

static void
test_cloud_chosen_is_kept (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(YunSyncAccount) again = NULL;
  g_autofree char *url = NULL;
  GError *error;

  if (f->cloud == NULL)
    return;
  /* Without its final slash, as a user may type it. */
  url = g_strdup (yun_test_cloud_get_url (f->cloud));
  url[strlen (url) - 1] = '\0';

  error = sign_in (f, url, YUN_TEST_CLOUD_USER, YUN_TEST_CLOUD_PASSWORD, FALSE);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_sync_account_get_name (f->account), ==, YUN_TEST_CLOUD_USER);
  g_assert_cmpstr (yun_sync_account_get_cloud_url (f->account), ==,
                   yun_test_cloud_get_url (f->cloud));
  g_assert_cmpuint (f->name_changes, ==, 1);
  wait_until_signed_in (f, TRUE);

  /* After a restart, on the cloud signed in to, not the one started with. */
  wait_until_kept (f, TRUE);
  again = new_account (f, NOWHERE);
  yun_sync_account_restore (again);
  while (f->name_changes < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (yun_sync_account_get_name (again), ==, YUN_TEST_CLOUD_USER);
  g_assert_cmpstr (yun_sync_account_get_cloud_url (again), ==, yun_test_cloud_get_url (f->cloud));
}

static void
test_register_then_sign_out (Fixture       *f,
                             gconstpointer  data)
{
  GError *error;

  if (f->cloud == NULL)
    return;
  error = sign_in (f, yun_test_cloud_get_url (f->cloud), "newcomer", "a new password", TRUE);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_sync_account_get_name (f->account), ==, "newcomer");
  wait_until_kept (f, TRUE);

  yun_sync_account_sign_out (f->account);
  g_assert_null (yun_sync_account_get_name (f->account));
  g_assert_cmpuint (f->name_changes, ==, 2);
  wait_until_signed_in (f, FALSE);
  wait_until_kept (f, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/yun/services/sync-account/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("refusals-change-nothing", test_refusals_change_nothing);
  ADD ("cloud-chosen-is-kept", test_cloud_chosen_is_kept);
  ADD ("register-then-sign-out", test_register_then_sign_out);

#undef ADD

  return g_test_run ();
}
