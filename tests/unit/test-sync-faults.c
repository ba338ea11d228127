/* test-sync-faults.c: sync through the failures of whole processes, with
 * the real yun-cloud binary ($YUN_CLOUD_BIN) as the server: yun-cloud
 * killed -9 in the middle of a push and of a pull and restarted, the phone
 * killed -9 in the middle of a push, and a conflict made on two phones
 * while offline, seen and resolved by the app layer.  Each run after a
 * kill must start at the last checkpoint.
 *
 * The phone that is killed is this program run again with
 * `--phone-push STORE URL TOKEN`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "yun-doc-store.h"
#include "yun-replicator.h"
#include "yun-sync.h"
#include "yun-test-cloud.h"
#include "yun-test-files.h"

/* How long a test waits for something before it fails. */
#define PATIENCE_S 90

static char *self_path;

/* A fresh yun-cloud with the user signed in, or NULL when the test
 * skips. */
static YunTestCloud *
start_cloud (void)
{
  g_autoptr(GError) error = NULL;
  YunTestCloud *cloud = yun_test_cloud_start (&error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
    g_test_skip (error->message);
    return NULL;
  }
  g_assert_no_error (error);
  return cloud;
}

static JsonObject *
http_object (YunTestCloud *cloud,
             const char   *method,
             const char   *path,
             const char   *body,
             guint         expected)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = yun_test_cloud_request (cloud, method, path, body, &status);
  g_assert_cmpuint (status, ==, expected);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* The number of documents the cloud has in "notes", or -1 while it has
 * no such database. */
static gint64
cloud_doc_count (YunTestCloud *cloud)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = yun_test_cloud_request (cloud, "GET", "sync/notes", NULL, &status);
  if (status != SOUP_STATUS_OK || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return -1;
  return json_object_get_int_member_with_default (json_node_get_object (node), "doc_count", -1);
}

/* Phones. */

static YunDocStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  YunDocStore *store = yun_doc_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
add_notes (YunDocStore *store,
           guint        n)
{
  g_autoptr(GError) error = NULL;

  yun_doc_store_create_db (store, "notes", &error);
  g_assert_no_error (error);
  for (guint done = 0; done < n;) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;

    for (; done < n && json_array_get_length (docs) < 500; done++) {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autofree char *id = g_strdup_printf ("note-%05u", done);
      g_autofree char *text = g_strdup_printf ("Note %u: call the plumber.", done);

      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "text", text);
      json_array_add_object_element (docs, g_steal_pointer (&doc));
    }
    rows = yun_doc_store_bulk_docs (store, "notes", docs, TRUE, &error);
    g_assert_no_error (error);
  }
}

/* A replication between the phone's "notes" and the cloud's: a push, or
 * with @from_cloud a pull. */
static YunReplicator *
new_replicator (YunDocStore  *store,
                YunTestCloud *cloud,
                guint         batch_size,
                gboolean      from_cloud)
{
  g_autofree char *url = g_strconcat (yun_test_cloud_get_url (cloud), "sync/notes", NULL);
  g_autoptr(YunSyncEndpoint) local = yun_sync_endpoint_new_local (store, "notes");
  g_autoptr(YunSyncEndpoint) remote = NULL;
  g_autoptr(GError) error = NULL;
  YunReplicator *replicator;

  remote = yun_sync_endpoint_new_remote (url, &error);
  g_assert_no_error (error);
  yun_sync_endpoint_set_bearer_token (remote, yun_test_cloud_get_token (cloud));
  yun_sync_endpoint_set_timeout (remote, 10);
  replicator = from_cloud ? yun_replicator_new (remote, local)
                          : yun_replicator_new (local, remote);
  yun_replicator_set_batch_size (replicator, batch_size);
  yun_replicator_set_create_target (replicator, TRUE);
  return replicator;
}

static YunReplicator *
new_push (YunDocStore  *store,
          YunTestCloud *cloud,
          guint         batch_size)
{
  return new_replicator (store, cloud, batch_size, FALSE);
}

static YunReplicationStats *
run (YunReplicator *replicator)
{
  g_autoptr(GError) error = NULL;
  YunReplicationStats *stats = yun_replicator_run (replicator, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static YunReplicationStats *
pull (YunTestCloud *cloud,
      YunDocStore  *store)
{
  g_autoptr(YunReplicator) replicator = new_replicator (store, cloud,
                                                        YUN_REPLICATOR_DEFAULT_BATCH_SIZE, TRUE);

  return run (replicator);
}

/* A sequence as the replicator reports it ("1234" or "\"1234-…\"") as a
 * number. */
static guint64
seq_number (const char *seq)
{
  g_assert_nonnull (seq);
  if (seq[0] == '"')
    seq++;
  return g_ascii_strtoull (seq, NULL, 10);
}

/* Every one of the phone's @n notes is on the cloud exactly once: one
 * change per id, one leaf revision per document, the phone's revision. */
static void
assert_cloud_has_exactly (YunTestCloud *cloud,
                          YunDocStore  *store,
                          guint         n)
{
  g_autoptr(JsonObject) info = http_object (cloud, "GET", "sync/notes", NULL, SOUP_STATUS_OK);
  g_autoptr(JsonObject) feed = http_object (cloud, "GET", "sync/notes/_changes?style=all_docs",
                                            NULL, SOUP_STATUS_OK);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *results = json_object_get_array_member (feed, "results");

  g_assert_cmpint (json_object_get_int_member (info, "doc_count"), ==, n);
  g_assert_cmpuint (json_array_get_length (results), ==, n);
  for (guint i = 0; i < json_array_get_length (results); i++) {
    JsonObject *row = json_array_get_object_element (results, i);
    const char *id = json_object_get_string_member (row, "id");
    JsonArray *changes = json_object_get_array_member (row, "changes");
    g_autoptr(JsonObject) local = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_hash_table_add (seen, (gpointer) id));
    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    local = yun_doc_store_get (store, "notes", id, NULL, YUN_DOC_STORE_GET_CONFLICTS, &error);
    g_assert_no_error (error);
    g_assert_false (json_object_has_member (local, "_conflicts"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                    "rev"),
                     ==, json_object_get_string_member (local, "_rev"));
  }
}

static gint64
local_doc_count (YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = yun_doc_store_get_db_info (store, "notes", &error);

  g_assert_no_error (error);
  return json_object_get_int_member (info, "doc_count");
}

static void
on_run_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The worker thread of an async run lets go of its replicator (and the
 * stores) just after the callback was scheduled. */
static void
release_replicator (YunReplicator **replicator)
{
  gpointer alive = *replicator;

  g_object_add_weak_pointer (G_OBJECT (alive), &alive);
  g_clear_object (replicator);
  while (alive != NULL)
    g_usleep (1000);
}

/* The sequence of @replicator's last checkpoint on its source (the phone's
 * @store, or with @from_cloud the cloud), read before a run: where that run
 * must start, never 0.  The source's is written first, and trusted when
 * the target's is of the same session. */
static char *
checkpoint_seq (YunReplicator *replicator,
                YunDocStore   *store,
                YunTestCloud  *cloud,
                gboolean       from_cloud)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = yun_replicator_dup_replication_id (replicator, &error);
  g_autofree char *local_id = NULL;
  g_autoptr(JsonObject) doc = NULL;
  char *seq;

  g_assert_no_error (error);
  local_id = g_strconcat ("_local/", id, NULL);
  if (from_cloud) {
    g_autofree char *path = g_strconcat ("sync/notes/", local_id, NULL);

    doc = http_object (cloud, "GET", path, NULL, SOUP_STATUS_OK);
  } else {
    doc = yun_doc_store_get_local (store, "notes", local_id, &error);
    g_assert_no_error (error);
  }
  seq = json_to_string (json_object_get_member (doc, "source_last_seq"), FALSE);
  g_assert_cmpuint (seq_number (seq), >, 0);
  return seq;
}

/* (a) yun-cloud killed -9 while the phone pushes 5,000 notes (or, with
 * @data, while a second phone pulls them), restarted on the same data and
 * port: the next run starts at the last checkpoint, and every note is on
 * the cloud and the phone once. */
static void
test_cloud_killed_mid_batch (gconstpointer data)
{
  const guint n = 5000, batch = 100;
  gboolean from_cloud = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(YunDocStore) phone = NULL;
  g_autoptr(YunReplicator) replicator = NULL;
  g_autoptr(YunReplicator) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YunReplicationStats) failed = NULL;
  g_autoptr(YunReplicationStats) resumed = NULL;
  g_autofree char *checkpoint = NULL;
  gint64 at_kill = -1;
  g_autoptr(YunTestCloud) cloud = NULL;
  gint64 deadline = g_get_monotonic_time () + PATIENCE_S * G_USEC_PER_SEC;

  cloud = start_cloud ();
  if (cloud == NULL)
    return;

  dir = g_dir_make_tmp ("yun-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "phone.db", NULL);
  phone = open_store (path);
  add_notes (phone, n);
  if (from_cloud) {
    g_autofree char *new_path = g_build_filename (dir, "new-phone.db", NULL);
    g_autoptr(YunReplicationStats) seeded = NULL;

    replicator = new_push (phone, cloud, 1000);
    seeded = run (replicator);
    g_assert_finalize_object (g_steal_pointer (&replicator));
    g_assert_finalize_object (g_steal_pointer (&phone));
    phone = open_store (new_path);
    yun_doc_store_create_db (phone, "notes", &error);
    g_assert_no_error (error);
  }

  /* Killed once a fifth of the notes are there: batches are going on. */
  replicator = new_replicator (phone, cloud, batch, from_cloud);
  yun_replicator_run_async (replicator, NULL, on_run_ready, &result);
  while (result == NULL && g_get_monotonic_time () < deadline) {
    gint64 count = from_cloud ? local_doc_count (phone) : cloud_doc_count (cloud);

    if (count >= n / 5) {
      yun_test_cloud_kill (cloud);
      at_kill = count;
      break;
    }
    g_main_context_iteration (NULL, FALSE);
    g_usleep (5 * 1000);
  }
  g_assert_cmpint (at_kill, >=, n / 5);
  g_assert_cmpint (at_kill, <, n);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  failed = yun_replicator_run_finish (replicator, result, &error);
  g_assert_null (failed);
  /* Refused or cut; a cut in the middle of an answer may also read as a
   * truncated one. */
  g_assert_true (g_error_matches (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NETWORK) ||
                 g_error_matches (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_PROTOCOL));
  g_clear_error (&error);
  g_clear_object (&result);
  release_replicator (&replicator);

  /* Back on the same port, from the same files. */
  yun_test_cloud_restart (cloud);
  again = new_replicator (phone, cloud, batch, from_cloud);
  checkpoint = checkpoint_seq (again, phone, cloud, from_cloud);
  resumed = run (again);
  g_test_message ("killed at %" G_GINT64_FORMAT " notes on the %s; resumed after seq %s, "
                  "%" G_GUINT64_FORMAT " written", at_kill, from_cloud ? "phone" : "cloud",
                  resumed->start_seq, resumed->docs_written);
  /* It starts at the last checkpoint, which lags the documents by at most
   * the batch in flight. */
  g_assert_cmpstr (resumed->start_seq, ==, checkpoint);
  g_assert_cmpuint (seq_number (resumed->start_seq) + batch, >=, (guint64) at_kill);
  g_assert_cmpuint (resumed->missing_checked, <=, n - seq_number (resumed->start_seq));
  g_assert_cmpuint (resumed->docs_written, <=, n - (guint64) at_kill);
  assert_cloud_has_exactly (cloud, phone, n);
  g_assert_cmpint (local_doc_count (phone), ==, n);
  g_assert_true (yun_doc_store_check_integrity (phone, &error));
  g_assert_no_error (error);

  g_clear_pointer (&cloud, yun_test_cloud_stop);
  g_clear_object (&again);
  g_assert_finalize_object (g_steal_pointer (&phone));
  yun_test_remove_tree (dir);
}

/* The killed phone dies with the test too. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The killed phone: pushes its store to the cloud, in small batches. */
static int
phone_push_main (const char *path,
                 const char *url,
                 const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (path, &error);
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autoptr(YunReplicator) replicator = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;

  if (store == NULL)
    g_error ("%s", error->message);
  source = yun_sync_endpoint_new_local (store, "notes");
  target = yun_sync_endpoint_new_remote (url, &error);
  if (target == NULL)
    g_error ("%s", error->message);
  yun_sync_endpoint_set_bearer_token (target, token);
  replicator = yun_replicator_new (source, target);
  yun_replicator_set_batch_size (replicator, 50);
  yun_replicator_set_create_target (replicator, TRUE);
  stats = yun_replicator_run (replicator, NULL, &error);
  if (stats == NULL)
    g_error ("%s", error->message);
  return 0;
}

/* (b) The phone killed -9 while it pushes: its store is intact, and the
 * next sync from the same file starts at the checkpoint and ends with
 * both sides equal. */
static void
test_phone_killed_mid_push (void)
{
  const guint n = 3000, batch = 50;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(YunDocStore) phone = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(YunReplicator) replicator = NULL;
  g_autoptr(YunReplicationStats) resumed = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_autofree char *checkpoint = NULL;
  gint64 at_kill = -1;
  g_autoptr(YunTestCloud) cloud = NULL;
  gint64 deadline = g_get_monotonic_time () + PATIENCE_S * G_USEC_PER_SEC;

  cloud = start_cloud ();
  if (cloud == NULL)
    return;

  dir = g_dir_make_tmp ("yun-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "phone.db", NULL);
  phone = open_store (path);
  add_notes (phone, n);
  g_assert_finalize_object (g_steal_pointer (&phone));

  url = g_strconcat (yun_test_cloud_get_url (cloud), "sync/notes", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--phone-push", path, url,
                                       yun_test_cloud_get_token (cloud), NULL);
  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline && g_subprocess_get_identifier (child) != NULL) {
    gint64 count = cloud_doc_count (cloud);

    if (count >= n / 5) {
      g_subprocess_force_exit (child);
      at_kill = count;
      break;
    }
    g_usleep (2 * 1000);
  }
  g_subprocess_wait (child, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  g_assert_cmpint (at_kill, >=, n / 5);
  g_assert_cmpint (at_kill, <, n);

  /* The same file, after the crash. */
  phone = open_store (path);
  g_assert_true (yun_doc_store_check_integrity (phone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (local_doc_count (phone), ==, n);

  replicator = new_push (phone, cloud, batch);
  checkpoint = checkpoint_seq (replicator, phone, NULL, FALSE);
  resumed = run (replicator);
  g_test_message ("phone killed at %" G_GINT64_FORMAT " notes on the cloud; resumed after seq "
                  "%s, %" G_GUINT64_FORMAT " written", at_kill, resumed->start_seq,
                  resumed->docs_written);
  g_assert_cmpstr (resumed->start_seq, ==, checkpoint);
  g_assert_cmpuint (seq_number (resumed->start_seq) + batch, >=, (guint64) at_kill);
  g_assert_cmpuint (resumed->docs_written, <=, n - (guint64) at_kill);
  assert_cloud_has_exactly (cloud, phone, n);

  /* Nothing comes back that the phone does not have. */
  pulled = pull (cloud, phone);
  g_assert_cmpuint (pulled->docs_written, ==, 0);
  g_assert_cmpint (local_doc_count (phone), ==, n);
  g_assert_true (yun_doc_store_check_integrity (phone, &error));
  g_assert_no_error (error);

  g_clear_pointer (&cloud, yun_test_cloud_stop);
  g_clear_object (&replicator);
  g_assert_finalize_object (g_steal_pointer (&phone));
  yun_test_remove_tree (dir);
}

/* (c) The same note edited on two phones while the cloud is down. */

typedef struct {
  YunDocStore *store;
  YunSync *sync;
  gboolean was_offline;
} Phone;

static void
on_state_changed (YunSync    *sync,
                  GParamSpec *pspec,
                  Phone      *phone)
{
  if (yun_sync_get_state (sync) == YUN_SYNC_STATE_OFFLINE)
    phone->was_offline = TRUE;
}

static void
phone_set_up (Phone        *phone,
              const char   *dir,
              const char   *name,
              YunTestCloud *cloud)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *base = g_strconcat (yun_test_cloud_get_url (cloud), "sync/", NULL);
  g_autoptr(GError) error = NULL;

  phone->store = open_store (path);
  yun_doc_store_create_db (phone->store, "notes", &error);
  g_assert_no_error (error);
  phone->sync = yun_sync_new (phone->store);
  yun_sync_set_intervals (phone->sync, 50, 2000);
  yun_sync_set_backoff (phone->sync, 50, 400);
  yun_sync_set_timeout (phone->sync, 10);
  yun_sync_add_db (phone->sync, "notes");
  g_signal_connect (phone->sync, "notify::state", G_CALLBACK (on_state_changed), phone);
  g_assert_true (yun_sync_set_remote (phone->sync, base, &error));
  g_assert_no_error (error);
  yun_sync_set_bearer_token (phone->sync, yun_test_cloud_get_token (cloud));
}

static void
phone_tear_down (Phone *phone)
{
  g_signal_handlers_disconnect_by_data (phone->sync, phone);
  g_assert_finalize_object (g_steal_pointer (&phone->sync));
  /* Deliveries still queued for the finalized engine hold the store. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (g_steal_pointer (&phone->store));
}

static JsonObject *
get_note (YunDocStore *store)
{
  return yun_doc_store_get (store, "notes", "shopping", NULL, YUN_DOC_STORE_GET_CONFLICTS, NULL);
}

static char *
put_note (YunDocStore *store,
          const char  *text)
{
  g_autoptr(JsonObject) old = get_note (store);
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(GError) error = NULL;
  char *rev;

  json_object_set_string_member (doc, "_id", "shopping");
  json_object_set_string_member (doc, "text", text);
  if (old != NULL)
    json_object_set_string_member (doc, "_rev", json_object_get_string_member (old, "_rev"));
  rev = yun_doc_store_put (store, "notes", doc, NULL, &error);
  g_assert_no_error (error);
  return rev;
}

/* The conflicts of a document as one string, "" when none. */
static char *
conflicts_of (JsonObject *doc)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *conflicts;

  if (!json_object_has_member (doc, "_conflicts"))
    return g_string_free (g_steal_pointer (&text), FALSE);
  conflicts = json_object_get_array_member (doc, "_conflicts");
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "",
                            json_array_get_string_element (conflicts, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Both phones show the same winner with @n_conflicts conflicts. */
static gboolean
phones_agree (Phone *a,
              Phone *b,
              guint  n_conflicts)
{
  g_autoptr(JsonObject) doc_a = get_note (a->store);
  g_autoptr(JsonObject) doc_b = get_note (b->store);
  g_autofree char *conflicts_a = NULL;
  g_autofree char *conflicts_b = NULL;

  if (doc_a == NULL || doc_b == NULL)
    return FALSE;
  conflicts_a = conflicts_of (doc_a);
  conflicts_b = conflicts_of (doc_b);
  return g_str_equal (json_object_get_string_member (doc_a, "_rev"),
                      json_object_get_string_member (doc_b, "_rev")) &&
         g_str_equal (conflicts_a, conflicts_b) &&
         (n_conflicts == 0 ? conflicts_a[0] == '\0'
                           : json_array_get_length (json_object_get_array_member (doc_a,
                                                                                  "_conflicts"))
                               == n_conflicts);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop (the sync engines' signals) until both phones agree;
 * fails after PATIENCE_S. */
static void
wait_for_agreement (Phone      *a,
                    Phone      *b,
                    guint       n_conflicts,
                    const char *what)
{
  gint64 deadline = g_get_monotonic_time () + PATIENCE_S * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, on_tick, NULL);

  while (!phones_agree (a, b, n_conflicts)) {
    if (g_get_monotonic_time () > deadline)
      g_error ("waited %d s for %s", PATIENCE_S, what);
    g_main_context_iteration (NULL, TRUE);
  }
  g_source_remove (tick);
}

static void
wait_for_offline (Phone *a,
                  Phone *b)
{
  gint64 deadline = g_get_monotonic_time () + PATIENCE_S * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, on_tick, NULL);

  while (!a->was_offline || !b->was_offline) {
    if (g_get_monotonic_time () > deadline)
      g_error ("waited %d s for both phones to be offline", PATIENCE_S);
    g_main_context_iteration (NULL, TRUE);
  }
  g_source_remove (tick);
}

static void
test_offline_conflict_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *rev_a = NULL;
  g_autofree char *rev_b = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(JsonObject) doc_a = NULL;
  g_autoptr(JsonObject) doc_b = NULL;
  g_autoptr(JsonObject) on_cloud = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *loser = NULL;
  g_autoptr(YunTestCloud) cloud = NULL;
  Phone a = { 0 };
  Phone b = { 0 };

  cloud = start_cloud ();
  if (cloud == NULL)
    return;

  dir = g_dir_make_tmp ("yun-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  phone_set_up (&a, dir, "a.db", cloud);
  phone_set_up (&b, dir, "b.db", cloud);
  g_free (put_note (a.store, "milk"));
  wait_for_agreement (&a, &b, 0, "the note on both phones");

  /* The cloud goes away; both phones edit the note. */
  yun_test_cloud_kill (cloud);
  a.was_offline = b.was_offline = FALSE;
  rev_a = put_note (a.store, "milk, eggs");
  rev_b = put_note (b.store, "milk, bread");
  wait_for_offline (&a, &b);

  /* It comes back: both edits meet, on both phones. */
  yun_test_cloud_restart (cloud);
  yun_sync_now (a.sync);
  yun_sync_now (b.sync);
  wait_for_agreement (&a, &b, 1, "the same conflict on both phones");
  doc_a = get_note (a.store);
  doc_b = get_note (b.store);
  winner = g_strdup (json_object_get_string_member (doc_a, "_rev"));
  loser = conflicts_of (doc_a);
  g_assert_true ((g_str_equal (winner, rev_a) && g_str_equal (loser, rev_b)) ||
                 (g_str_equal (winner, rev_b) && g_str_equal (loser, rev_a)));
  g_assert_cmpstr (json_object_get_string_member (doc_a, "text"), ==,
                   json_object_get_string_member (doc_b, "text"));
  /* CouchDB's winner: same generation, so the greater revision id. */
  g_assert_cmpint (strcmp (winner, loser), >, 0);
  on_cloud = http_object (cloud, "GET", "sync/notes/shopping?conflicts=true", NULL,
                          SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (on_cloud, "_rev"), ==, winner);

  /* The app on phone B keeps the winner: it deletes the other branch. */
  gone = yun_doc_store_delete (b.store, "notes", "shopping", loser, &error);
  g_assert_no_error (error);
  wait_for_agreement (&a, &b, 0, "the resolution on both phones");
  resolved = get_note (a.store);
  g_assert_cmpstr (json_object_get_string_member (resolved, "_rev"), ==, winner);
  g_assert_cmpstr (json_object_get_string_member (resolved, "text"), ==,
                   json_object_get_string_member (doc_a, "text"));
  g_clear_pointer (&on_cloud, json_object_unref);
  on_cloud = http_object (cloud, "GET", "sync/notes/shopping?conflicts=true", NULL,
                          SOUP_STATUS_OK);
  g_assert_false (json_object_has_member (on_cloud, "_conflicts"));

  phone_tear_down (&a);
  phone_tear_down (&b);
  g_clear_pointer (&cloud, yun_test_cloud_stop);
  yun_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], "--phone-push"))
    return phone_push_main (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, NULL);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_path);

  g_test_add_data_func ("/yun/services/sync-faults/cloud-killed-mid-batch-resumes",
                        GINT_TO_POINTER (FALSE), test_cloud_killed_mid_batch);
  g_test_add_data_func ("/yun/services/sync-faults/cloud-killed-mid-pull-resumes",
                        GINT_TO_POINTER (TRUE), test_cloud_killed_mid_batch);
  g_test_add_func ("/yun/services/sync-faults/phone-killed-mid-push-resumes",
                   test_phone_killed_mid_push);
  g_test_add_func ("/yun/services/sync-faults/offline-conflict-seen-and-resolved",
                   test_offline_conflict_resolved);

  return g_test_run ();
}
