/* test-permission-store.c: decisions and the access log on real SQLite files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "yun-permission-store.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("yun-permissions-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "permissions.sqlite", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

    g_unlink (file);
  }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
on_flushed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (yun_permission_store_flush_finish (result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
flush (YunPermissionStore *store)
{
  gboolean done = FALSE;

  yun_permission_store_flush_async (store, NULL, on_flushed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static YunPermissionStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  YunPermissionStore *store = yun_permission_store_open (fixture->path, &error);

  g_assert_no_error (error);
  return store;
}

static void
test_decisions_survive_reopening (Fixture       *fixture,
                                  gconstpointer  data)
{
  YunPermissionStore *store = open_store (fixture);

  g_assert_cmpint (yun_permission_store_get (store, "a", "contacts"), ==, YUN_PERMISSION_STATE_PROMPT);
  yun_permission_store_set (store, "a", "contacts", YUN_PERMISSION_STATE_GRANTED);
  yun_permission_store_set (store, "b", "camera", YUN_PERMISSION_STATE_DENIED);
  /* Known at once, before the disk has it. */
  g_assert_cmpint (yun_permission_store_get (store, "a", "contacts"), ==, YUN_PERMISSION_STATE_GRANTED);
  flush (store);
  g_assert_finalize_object (store);

  store = open_store (fixture);
  g_assert_cmpint (yun_permission_store_get (store, "a", "contacts"), ==, YUN_PERMISSION_STATE_GRANTED);
  g_assert_cmpint (yun_permission_store_get (store, "b", "camera"), ==, YUN_PERMISSION_STATE_DENIED);
  g_assert_cmpint (yun_permission_store_get (store, "a", "camera"), ==, YUN_PERMISSION_STATE_PROMPT);
  g_assert_finalize_object (store);
}

static void
test_revoke_forgets (Fixture       *fixture,
                     gconstpointer  data)
{
  YunPermissionStore *store = open_store (fixture);
  g_autoptr(GPtrArray) decisions = NULL;

  yun_permission_store_set (store, "a", "contacts", YUN_PERMISSION_STATE_GRANTED);
  yun_permission_store_set (store, "a", "contacts", YUN_PERMISSION_STATE_PROMPT);
  flush (store);
  g_assert_finalize_object (store);

  store = open_store (fixture);
  g_assert_cmpint (yun_permission_store_get (store, "a", "contacts"), ==, YUN_PERMISSION_STATE_PROMPT);
  decisions = yun_permission_store_list_decisions (store);
  g_assert_cmpuint (decisions->len, ==, 0);
  g_clear_pointer (&decisions, g_ptr_array_unref);
  g_assert_finalize_object (store);
}

static void
test_decisions_are_listed_in_order (Fixture       *fixture,
                                    gconstpointer  data)
{
  YunPermissionStore *store = open_store (fixture);
  g_autoptr(GPtrArray) decisions = NULL;
  YunPermissionDecision *first, *last;

  yun_permission_store_set (store, "zeta", "notes", YUN_PERMISSION_STATE_DENIED);
  yun_permission_store_set (store, "alpha", "photos", YUN_PERMISSION_STATE_GRANTED);
  yun_permission_store_set (store, "alpha", "calls", YUN_PERMISSION_STATE_GRANTED);
  decisions = yun_permission_store_list_decisions (store);

  g_assert_cmpuint (decisions->len, ==, 3);
  first = g_ptr_array_index (decisions, 0);
  last = g_ptr_array_index (decisions, 2);
  g_assert_cmpstr (first->app_id, ==, "alpha");
  g_assert_cmpstr (first->permission, ==, "calls");
  g_assert_cmpstr (last->app_id, ==, "zeta");
  g_assert_cmpint (last->state, ==, YUN_PERMISSION_STATE_DENIED);
  g_clear_pointer (&decisions, g_ptr_array_unref);
  flush (store);
  g_assert_finalize_object (store);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray **accesses = user_data;
  g_autoptr(GError) error = NULL;

  *accesses = yun_permission_store_list_accesses_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_access_log_newest_first (Fixture       *fixture,
                              gconstpointer  data)
{
  YunPermissionStore *store = open_store (fixture);
  g_autoptr(GPtrArray) accesses = NULL;
  YunPermissionAccess *newest;

  yun_permission_store_log_access (store, "a", "contacts.find", "contacts", TRUE);
  yun_permission_store_log_access (store, "b", "camera.takePicture", "camera", FALSE);
  yun_permission_store_list_accesses_async (store, 10, NULL, on_listed, &accesses);
  while (accesses == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (accesses->len, ==, 2);
  newest = g_ptr_array_index (accesses, 0);
  g_assert_cmpstr (newest->app_id, ==, "b");
  g_assert_cmpstr (newest->method, ==, "camera.takePicture");
  g_assert_false (newest->allowed);
  g_assert_cmpint (newest->time, >, 0);
  g_assert_finalize_object (store);
}

static void
test_unopenable_file_is_an_error (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunPermissionStore) store = NULL;

  /* A folder is not a database. */
  store = yun_permission_store_open (fixture->dir, &error);
  g_assert_null (store);
  g_assert_error (error, YUN_PERMISSION_STORE_ERROR, YUN_PERMISSION_STORE_ERROR_IO);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/permission-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("decisions-survive-reopening", test_decisions_survive_reopening);
  ADD ("revoke-forgets", test_revoke_forgets);
  ADD ("decisions-are-listed-in-order", test_decisions_are_listed_in_order);
  ADD ("access-log-newest-first", test_access_log_newest_first);
  ADD ("unopenable-file-is-an-error", test_unopenable_file_is_an_error);

#undef ADD

  return g_test_run ();
}
