/* test-sync.c: the sync engine keeping phones and a real pouchdb-server in
 * sync, continuously, through failures.
 *
 * The tests skip when pouchdb-server is not installed:
 *   npm ci --ignore-scripts --prefix tests/interop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yun-doc-store.h"
#include "yun-replicator.h"
#include "yun-sync.h"
#include "yun-test-files.h"
#include "yun-test-pouchdb.h"
#include "yun-test-proxy.h"

/* How long a test waits for something before it fails. */
#define PATIENCE_S 60

static YunTestPouchdb *pouchdb;
static char *pouchdb_skip_reason;
static guint base_counter;

typedef struct {
  char *dir;
  YunDocStore *a;
  YunDocStore *b;
  YunSync *sync_a;
  YunSync *sync_b;
  YunTestProxy *proxy;
  char *base;        /* this test's database names start with base_name */
  char *base_name;
  char *proxied;     /* the same through the proxy */
  GPtrArray *changed_a;  /* databases named by "changed" on sync_a */
  GArray *states_a;
} Fixture;

static YunSync *
new_sync (YunDocStore *store)
{
  YunSync *sync = yun_sync_new (store);

  yun_sync_set_intervals (sync, 50, 2000);
  yun_sync_set_backoff (sync, 50, 400);
  yun_sync_set_timeout (sync, 10);
  yun_sync_set_batch_size (sync, 100);
  return sync;
}

static void
on_changed (YunSync    *sync,
            const char *db,
            GPtrArray  *log)
{
  g_ptr_array_add (log, g_strdup (db));
}

static void
on_state_changed (YunSync    *sync,
                  GParamSpec *pspec,
                  GArray     *log)
{
  YunSyncState state = yun_sync_get_state (sync);

  g_array_append_val (log, state);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a_path = NULL;
  g_autofree char *b_path = NULL;

  if (pouchdb == NULL)
    return;

  f->dir = g_dir_make_tmp ("yun-sync-XXXXXX", &error);
  g_assert_no_error (error);
  a_path = g_build_filename (f->dir, "a.db", NULL);
  b_path = g_build_filename (f->dir, "b.db", NULL);
  f->a = yun_doc_store_open (a_path, &error);
  g_assert_no_error (error);
  f->b = yun_doc_store_open (b_path, &error);
  g_assert_no_error (error);

  /* Each test gets databases of its own on the server: a path prefix
   * that pouchdb-server's database names allow. */
  f->base_name = g_strdup_printf ("t%u", ++base_counter);
  f->base = g_strdup (yun_test_pouchdb_get_url (pouchdb));
  f->proxy = yun_test_proxy_new (yun_test_pouchdb_get_url (pouchdb));
  f->proxied = g_strdup (yun_test_proxy_get_url (f->proxy));

  f->sync_a = new_sync (f->a);
  f->sync_b = new_sync (f->b);
  f->changed_a = g_ptr_array_new_with_free_func (g_free);
  f->states_a = g_array_new (FALSE, FALSE, sizeof (YunSyncState));
  g_signal_connect (f->sync_a, "changed", G_CALLBACK (on_changed), f->changed_a);
  g_signal_connect (f->sync_a, "notify::state", G_CALLBACK (on_state_changed), f->states_a);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir == NULL)
    return;
  g_assert_finalize_object (f->sync_a);
  g_assert_finalize_object (f->sync_b);
  g_clear_pointer (&f->proxy, yun_test_proxy_free);
  /* Deliveries still queued for the finalized engines. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->a);
  g_assert_finalize_object (f->b);
  yun_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->base_name);
  g_free (f->proxied);
  g_ptr_array_unref (f->changed_a);
  g_array_unref (f->states_a);
}

static gboolean
skip_without_pouchdb (void)
{
  if (pouchdb != NULL)
    return FALSE;
  g_test_skip (pouchdb_skip_reason);
  return TRUE;
}

/* Helpers. */

static char *
db_name (Fixture    *f,
         const char *kind)
{
  return g_strconcat (f->base_name, "-", kind, NULL);
}

static void
add_db (Fixture    *f,
        YunSync    *sync,
        const char *kind)
{
  g_autofree char *name = db_name (f, kind);
  g_autoptr(GError) error = NULL;

  /* Created here so that the test can write at once. */
  if (!yun_doc_store_create_db (sync == f->sync_a ? f->a : f->b, name, &error))
    g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS);
  yun_sync_add_db (sync, name);
}

static void
connect_to (YunSync    *sync,
            const char *base)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (yun_sync_set_remote (sync, base, &error));
  g_assert_no_error (error);
}

static gboolean
on_patience_over (gpointer user_data)
{
  g_error ("waited %d s for: %s", PATIENCE_S, (const char *) user_data);
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

static void
wait_until (Fixture       *f,
            Condition      condition,
            gconstpointer  data,
            const char    *what)
{
  guint id = g_timeout_add_seconds (PATIENCE_S, on_patience_over, (gpointer) what);

  while (!condition (f, data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
put_note (YunDocStore *store,
          const char  *db,
          const char  *id,
          const char  *text)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) old = yun_doc_store_get (store, db, id, NULL, YUN_DOC_STORE_GET_NONE,
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "text", text);
  if (old != NULL)
    json_object_set_string_member (doc, "_rev", json_object_get_string_member (old, "_rev"));
  rev = yun_doc_store_put (store, db, doc, NULL, &error);
  g_assert_no_error (error);
}

typedef struct {
  YunDocStore *store;
  const char *db;
  const char *id;
  const char *text;
} Expect;

static gboolean
has_text (Fixture       *f,
          gconstpointer  data)
{
  const Expect *e = data;
  g_autoptr(JsonObject) doc = yun_doc_store_get (e->store, e->db, e->id, NULL,
                                                 YUN_DOC_STORE_GET_NONE, NULL);

  return doc != NULL && g_strcmp0 (json_object_get_string_member (doc, "text"), e->text) == 0;
}

static gboolean
idle_and_done (Fixture       *f,
               gconstpointer  data)
{
  YunSync *sync = (YunSync *) data;

  return yun_sync_get_state (sync) == YUN_SYNC_STATE_IDLE && yun_sync_get_pending (sync) == 0 &&
         yun_sync_get_last_sync_time (sync) > 0;
}

typedef struct {
  YunSync *sync;
  YunSyncState state;
} StateIs;

static gboolean
state_is (Fixture       *f,
          gconstpointer  data)
{
  const StateIs *s = data;

  return yun_sync_get_state (s->sync) == s->state;
}

static void
wait_for_state (Fixture      *f,
                YunSync      *sync,
                YunSyncState  state)
{
  StateIs s = { sync, state };

  wait_until (f, state_is, &s, yun_sync_state_to_string (state));
}

/* Tests. */

static void
test_signed_out_without_remote (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = NULL;

  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  g_assert_cmpint (yun_sync_get_state (f->sync_a), ==, YUN_SYNC_STATE_SIGNED_OUT);
  status = yun_sync_dup_status (f->sync_a);
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "signed-out");
  g_assert_true (json_object_get_null_member (status, "lastSync"));

  g_assert_false (yun_sync_set_remote (f->sync_a, "ftp://example.com/", &error));
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (yun_sync_set_remote (f->sync_a, "http://user:pw@example.com/", &error));
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID);
  g_assert_cmpint (yun_sync_get_state (f->sync_a), ==, YUN_SYNC_STATE_SIGNED_OUT);
}

/* Phone A writes, phone B sees it without anyone asking; and back. */
static void
test_two_phones_converge (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *notes = db_name (f, "notes");
  g_autofree char *contacts = db_name (f, "contacts");
  Expect on_b = { f->b, notes, "n1", "from A" };
  Expect on_a = { f->a, notes, "n1", "from B" };
  Expect contact_on_a = { f->a, contacts, "c1", "Ada" };
  g_autoptr(JsonObject) status = NULL;
  YunSyncState syncing = YUN_SYNC_STATE_SYNCING;

  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  add_db (f, f->sync_a, "contacts");
  add_db (f, f->sync_b, "notes");
  add_db (f, f->sync_b, "contacts");
  connect_to (f->sync_a, f->base);
  connect_to (f->sync_b, f->base);
  wait_until (f, idle_and_done, f->sync_a, "A idle");
  wait_until (f, idle_and_done, f->sync_b, "B idle");

  put_note (f->a, notes, "n1", "from A");
  wait_until (f, has_text, &on_b, "A's note on B");
  put_note (f->b, notes, "n1", "from B");
  wait_until (f, has_text, &on_a, "B's edit on A");
  put_note (f->b, contacts, "c1", "Ada");
  wait_until (f, has_text, &contact_on_a, "B's contact on A");

  wait_until (f, idle_and_done, f->sync_a, "A idle again");
  status = yun_sync_dup_status (f->sync_a);
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "idle");
  g_assert_cmpint (json_object_get_int_member (status, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (status, "lastSync"), >, 0);
  g_assert_true (json_object_get_null_member (status, "error"));

  /* A was told, per database, about what it pulled. */
  g_assert_true (g_ptr_array_find_with_equal_func (f->changed_a, notes, g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (f->changed_a, contacts, g_str_equal, NULL));
  for (guint i = 0; i < f->states_a->len; i++) {
    if (g_array_index (f->states_a, YunSyncState, i) == syncing)
      return;
  }
  g_assert_not_reached ();
}

static gboolean
changed_has (Fixture       *f,
             gconstpointer  data)
{
  return g_ptr_array_find_with_equal_func (f->changed_a, data, g_str_equal, NULL);
}

/* A change on the server reaches A through the long poll, and only the
 * database that changed says so. */
static void
test_changed_signal_per_db (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *notes = db_name (f, "notes");
  g_autofree char *contacts = db_name (f, "contacts");
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) answer = NULL;
  Expect contact_on_a = { f->a, contacts, "c9", "Grace" };
  guint status = 0;

  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  add_db (f, f->sync_a, "contacts");
  connect_to (f->sync_a, f->base);
  wait_until (f, idle_and_done, f->sync_a, "A idle");
  g_ptr_array_set_size (f->changed_a, 0);

  url = g_strconcat (f->base, contacts, "/c9", NULL);
  answer = yun_test_http_json ("PUT", url, "{\"text\": \"Grace\"}", &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
  wait_until (f, changed_has, contacts, "changed::contacts");
  g_assert_true (has_text (f, &contact_on_a));
  g_assert_false (g_ptr_array_find_with_equal_func (f->changed_a, notes, g_str_equal, NULL));
}

/* Both phones edit the same note offline; back online, both keep both
 * versions and show the same one. */
static void
test_offline_conflict_converges (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *notes = db_name (f, "notes");
  Expect on_b = { f->b, notes, "shared", "v1" };
  g_autoptr(JsonObject) doc_a = NULL;
  g_autoptr(JsonObject) doc_b = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  add_db (f, f->sync_b, "notes");
  connect_to (f->sync_a, f->proxied);
  connect_to (f->sync_b, f->proxied);
  put_note (f->a, notes, "shared", "v1");
  wait_until (f, has_text, &on_b, "v1 on B");
  wait_until (f, idle_and_done, f->sync_a, "A idle");
  wait_until (f, idle_and_done, f->sync_b, "B idle");

  /* The network goes. */
  yun_test_proxy_break (f->proxy, NULL, "", 0, YUN_TEST_FAULT_CUT_BEFORE, 0, NULL);
  put_note (f->a, notes, "shared", "edited on A");
  put_note (f->b, notes, "shared", "edited on B");
  wait_for_state (f, f->sync_a, YUN_SYNC_STATE_OFFLINE);
  wait_for_state (f, f->sync_b, YUN_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (yun_sync_get_pending (f->sync_a), >=, 1);
  g_assert_nonnull (yun_sync_get_last_error (f->sync_a));

  /* It comes back. */
  yun_test_proxy_clear (f->proxy);
  yun_sync_now (f->sync_a);
  yun_sync_now (f->sync_b);
  wait_until (f, idle_and_done, f->sync_a, "A idle after");
  wait_until (f, idle_and_done, f->sync_b, "B idle after");
  /* Whichever pushed second has not pulled the other's edit yet. */
  yun_sync_now (f->sync_a);
  yun_sync_now (f->sync_b);
  wait_until (f, idle_and_done, f->sync_a, "A idle at last");
  wait_until (f, idle_and_done, f->sync_b, "B idle at last");

  doc_a = yun_doc_store_get (f->a, notes, "shared", NULL, YUN_DOC_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  doc_b = yun_doc_store_get (f->b, notes, "shared", NULL, YUN_DOC_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc_a, "_rev"), ==,
                   json_object_get_string_member (doc_b, "_rev"));
  g_assert_cmpstr (json_object_get_string_member (doc_a, "text"), ==,
                   json_object_get_string_member (doc_b, "text"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc_a, "_conflicts")),
                    ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (doc_a,
                                                                                "_conflicts"),
                                                  0),
                   ==,
                   json_array_get_string_element (json_object_get_array_member (doc_b,
                                                                                "_conflicts"),
                                                  0));
}

typedef struct {
  guint n;
  guint delays[8];
} Attempts;

static void
on_offline_attempt (YunSync    *sync,
                    GParamSpec *pspec,
                    Attempts   *attempts)
{
  if (yun_sync_get_state (sync) == YUN_SYNC_STATE_OFFLINE &&
      attempts->n < G_N_ELEMENTS (attempts->delays))
    attempts->delays[attempts->n++] = yun_sync_get_retry_delay (sync);
}

static gboolean
attempts_done (Fixture       *f,
               gconstpointer  data)
{
  const Attempts *attempts = data;

  return attempts->n == G_N_ELEMENTS (attempts->delays);
}

/* While the server is unreachable, the retries come further and further
 * apart: each wait twice the one before, up to the cap.  The engine says
 * which wait it chose after each failure; the clock is not asked. */
static void
test_backoff_while_unreachable (Fixture       *f,
                                gconstpointer  data)
{
  Attempts attempts = { 0 };
  gulong id;

  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  yun_test_proxy_break (f->proxy, NULL, "", 0, YUN_TEST_FAULT_CUT_BEFORE, 0, NULL);
  id = g_signal_connect (f->sync_a, "notify::state", G_CALLBACK (on_offline_attempt), &attempts);
  connect_to (f->sync_a, f->proxied);
  wait_until (f, attempts_done, &attempts, "eight failed attempts");
  g_signal_handler_disconnect (f->sync_a, id);

  /* Backoff 50, 100, 200, 400, 400... ms, as the fixture sets it. */
  for (guint i = 0; i < attempts.n; i++)
    g_assert_cmpuint (attempts.delays[i], ==, MIN (50u << i, 400u));
  g_assert_cmpint (yun_sync_get_state (f->sync_a), ==, YUN_SYNC_STATE_OFFLINE);

  /* Back online, sync-now does not wait for the backoff. */
  yun_test_proxy_clear (f->proxy);
  yun_sync_now (f->sync_a);
  wait_until (f, idle_and_done, f->sync_a, "A idle");
}

static gboolean
error_mentions (Fixture       *f,
                gconstpointer  data)
{
  const char *error = yun_sync_get_last_error (f->sync_a);

  return error != NULL && strstr (error, data) != NULL;
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  yun_test_proxy_break (f->proxy, NULL, "", 0, YUN_TEST_FAULT_STATUS, 401,
                        "{\"error\":\"unauthorized\",\"reason\":\"Token expired.\"}");
  yun_sync_set_bearer_token (f->sync_a, "old");
  connect_to (f->sync_a, f->proxied);
  wait_until (f, error_mentions, "Token expired.", "the refusal");
  wait_for_state (f, f->sync_a, YUN_SYNC_STATE_SIGNED_OUT);

  /* New credentials: it syncs again. */
  yun_test_proxy_clear (f->proxy);
  yun_sync_set_bearer_token (f->sync_a, "new");
  wait_until (f, idle_and_done, f->sync_a, "A idle");
  g_assert_cmpstr (yun_test_proxy_get_authorization (f->proxy), ==, "Bearer new");
}

static void
test_server_error_retries (Fixture       *f,
                           gconstpointer  data)
{
  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  yun_test_proxy_break (f->proxy, NULL, "", 0, YUN_TEST_FAULT_STATUS, 500, NULL);
  connect_to (f->sync_a, f->proxied);
  wait_for_state (f, f->sync_a, YUN_SYNC_STATE_ERROR);
  g_assert_nonnull (strstr (yun_sync_get_last_error (f->sync_a), "500"));

  /* The server recovers; the backoff retries on its own. */
  yun_test_proxy_clear (f->proxy);
  wait_until (f, idle_and_done, f->sync_a, "A idle");
}

static gboolean
proxy_saw_changes (Fixture       *f,
                   gconstpointer  data)
{
  return yun_test_proxy_count (f->proxy, "GET", "/_changes") > 0;
}

/* Dropping the engine while a request hangs ends it promptly. */
static void
test_dispose_while_syncing (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *notes = db_name (f, "notes");

  if (skip_without_pouchdb ())
    return;

  add_db (f, f->sync_a, "notes");
  put_note (f->a, notes, "n1", "x");
  /* Longer than the test suite's timeout: only cancellation ends it. */
  yun_test_proxy_break (f->proxy, "GET", "/_changes", 0, YUN_TEST_FAULT_DELAY, 3600 * 1000, NULL);
  yun_sync_set_timeout (f->sync_a, 3600);
  connect_to (f->sync_a, f->proxied);
  wait_until (f, proxy_saw_changes, NULL, "a hanging request");
  /* Tear-down finalizes the engine while the request hangs. */
}

#define ADD(path, func) \
  g_test_add ("/yun/services/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  pouchdb = yun_test_pouchdb_start (&error);
  if (pouchdb == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
      g_error ("%s", error->message);
    pouchdb_skip_reason = g_strdup (error->message);
  }

  ADD ("signed-out-without-remote", test_signed_out_without_remote);
  ADD ("two-phones-converge", test_two_phones_converge);
  ADD ("changed-signal-per-db", test_changed_signal_per_db);
  ADD ("offline-conflict-converges", test_offline_conflict_converges);
  ADD ("backoff-while-unreachable", test_backoff_while_unreachable);
  ADD ("401-signs-out-until-new-credentials", test_unauthorized);
  ADD ("500-retries-until-it-recovers", test_server_error_retries);
  ADD ("dispose-while-a-request-hangs", test_dispose_while_syncing);

  status = g_test_run ();
  g_clear_pointer (&pouchdb, yun_test_pouchdb_stop);
  g_free (pouchdb_skip_reason);
  return status;
}
