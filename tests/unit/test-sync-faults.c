/* test-sync-faults.c: sync through the failures of whole processes, with
 * the real yun-cloud binary ($YUN_CLOUD_BIN) as the server: yun-cloud
 * killed -9 in the middle of a push and restarted, the phone killed -9 in
 * the middle of a push, and a conflict made on two phones while offline,
 * seen and resolved by the app layer.
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
#include "yun-test-files.h"

#define PASSWORD "correct horse battery staple"
/* How long a test waits for something before it fails. */
#define PATIENCE_S 90

static char *self_path;

/* yun-cloud as a process of its own. */

typedef struct {
  GSubprocess *process;
  char *data_dir;
  char *webapps_dir;
  guint port;
  char *url;         /* ending in a slash */
  char *token;
} Cloud;

/* A test that crashes or is killed takes its servers along. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts yun-cloud on cloud->port (0: a free one) and reads the URL it
 * prints.  Just after a kill the port may still be taken for a moment. */
static void
cloud_start (Cloud *cloud)
{
  const char *bin = g_getenv ("YUN_CLOUD_BIN");
  g_autofree char *port = g_strdup_printf ("%u", cloud->port);

  g_assert_nonnull (bin);
  for (guint attempt = 0; attempt < 100; attempt++) {
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GDataInputStream) out = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *line = NULL;
    g_autoptr(GUri) uri = NULL;

    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    cloud->process = g_subprocess_launcher_spawn (launcher, &error, bin, "--port", port, "--data",
                                                  cloud->data_dir, "--webapps",
                                                  cloud->webapps_dir, NULL);
    g_assert_no_error (error);
    out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cloud->process));
    line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
    if (line == NULL) {
      g_subprocess_wait (cloud->process, NULL, NULL);
      g_clear_object (&cloud->process);
      g_usleep (100 * 1000);
      continue;
    }
    uri = g_uri_parse (line, G_URI_FLAGS_NONE, &error);
    g_assert_no_error (error);
    g_assert_true (cloud->port == 0 || (guint) g_uri_get_port (uri) == cloud->port);
    cloud->port = g_uri_get_port (uri);
    g_free (cloud->url);
    cloud->url = g_steal_pointer (&line);
    return;
  }
  g_error ("yun-cloud did not start on port %u", cloud->port);
}

static void
cloud_kill (Cloud *cloud)
{
  g_subprocess_force_exit (cloud->process);
  g_subprocess_wait (cloud->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (cloud->process));
  g_assert_cmpint (g_subprocess_get_term_sig (cloud->process), ==, SIGKILL);
  g_clear_object (&cloud->process);
}

static void
cloud_stop (Cloud *cloud)
{
  if (cloud->process != NULL) {
    g_subprocess_send_signal (cloud->process, SIGTERM);
    g_subprocess_wait (cloud->process, NULL, NULL);
    g_clear_object (&cloud->process);
  }
  g_clear_pointer (&cloud->url, g_free);
  g_clear_pointer (&cloud->token, g_free);
  g_clear_pointer (&cloud->data_dir, g_free);
  g_clear_pointer (&cloud->webapps_dir, g_free);
}

/* A blocking request to the cloud, which runs in a process of its own. */
static JsonNode *
http (Cloud      *cloud,
      const char *method,
      const char *path,
      const char *body,
      guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (cloud->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (cloud->token != NULL) {
    g_autofree char *authorization = g_strconcat ("Bearer ", cloud->token, NULL);

    soup_message_headers_replace (headers, "Authorization", authorization);
  }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json",
                                              g_bytes_new (body, strlen (body)));
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  *status = soup_message_get_status (msg);
  if (answer == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonObject *
http_object (Cloud      *cloud,
             const char *method,
             const char *path,
             const char *body,
             guint       expected)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = http (cloud, method, path, body, &status);
  g_assert_cmpuint (status, ==, expected);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static gboolean
skip_without_cloud (void)
{
  if (g_getenv ("YUN_CLOUD_BIN") != NULL)
    return FALSE;
  g_test_skip ("YUN_CLOUD_BIN is not set: run through meson test");
  return TRUE;
}

/* A fresh yun-cloud with a user "phone" signed in. */
static void
cloud_set_up (Cloud      *cloud,
              const char *dir)
{
  g_autoptr(JsonObject) user = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) registered = NULL;
  g_autoptr(JsonObject) signed_in = NULL;

  cloud->data_dir = g_build_filename (dir, "cloud", NULL);
  cloud->webapps_dir = g_build_filename (dir, "webapps", NULL);
  g_assert_cmpint (g_mkdir_with_parents (cloud->webapps_dir, 0700), ==, 0);
  cloud_start (cloud);

  json_object_set_string_member (user, "name", "phone");
  json_object_set_string_member (user, "password", PASSWORD);
  node = json_node_init_object (json_node_alloc (), user);
  body = json_to_string (node, FALSE);
  registered = http_object (cloud, "POST", "accounts", body, SOUP_STATUS_CREATED);
  signed_in = http_object (cloud, "POST", "accounts/session", body, SOUP_STATUS_CREATED);
  cloud->token = g_strdup (json_object_get_string_member (signed_in, "token"));
  g_assert_nonnull (cloud->token);
}

/* The number of documents the cloud has in "notes", or -1 while it has
 * no such database. */
static gint64
cloud_doc_count (Cloud *cloud)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = http (cloud, "GET", "sync/notes", NULL, &status);
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

static YunReplicator *
new_push (YunDocStore *store,
          Cloud       *cloud,
          guint        batch_size)
{
  g_autofree char *url = g_strconcat (cloud->url, "sync/notes", NULL);
  g_autoptr(YunSyncEndpoint) source = yun_sync_endpoint_new_local (store, "notes");
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autoptr(GError) error = NULL;
  YunReplicator *replicator;

  target = yun_sync_endpoint_new_remote (url, &error);
  g_assert_no_error (error);
  yun_sync_endpoint_set_bearer_token (target, cloud->token);
  yun_sync_endpoint_set_timeout (target, 10);
  replicator = yun_replicator_new (source, target);
  yun_replicator_set_batch_size (replicator, batch_size);
  yun_replicator_set_create_target (replicator, TRUE);
  return replicator;
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
pull (Cloud       *cloud,
      YunDocStore *store)
{
  g_autofree char *url = g_strconcat (cloud->url, "sync/notes", NULL);
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = yun_sync_endpoint_new_local (store, "notes");
  g_autoptr(YunReplicator) replicator = NULL;
  g_autoptr(GError) error = NULL;

  source = yun_sync_endpoint_new_remote (url, &error);
  g_assert_no_error (error);
  yun_sync_endpoint_set_bearer_token (source, cloud->token);
  replicator = yun_replicator_new (source, target);
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
assert_cloud_has_exactly (Cloud       *cloud,
                          YunDocStore *store,
                          guint        n)
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

/* (a) yun-cloud killed -9 while a push of 5,000 notes is in flight,
 * restarted on the same data and port: the next push starts at the
 * checkpoint, and every note is on the cloud once. */
static void
test_cloud_killed_mid_batch (void)
{
  const guint n = 5000, batch = 100;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(YunDocStore) phone = NULL;
  g_autoptr(YunReplicator) replicator = NULL;
  g_autoptr(YunReplicator) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(YunReplicationStats) failed = NULL;
  g_autoptr(YunReplicationStats) resumed = NULL;
  gint64 at_kill = -1;
  Cloud cloud = { 0 };
  gint64 deadline = g_get_monotonic_time () + PATIENCE_S * G_USEC_PER_SEC;

  if (skip_without_cloud ())
    return;

  dir = g_dir_make_tmp ("yun-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  cloud_set_up (&cloud, dir);
  path = g_build_filename (dir, "phone.db", NULL);
  phone = open_store (path);
  add_notes (phone, n);

  /* Killed once a fifth of the notes are there: batches are going on. */
  replicator = new_push (phone, &cloud, batch);
  yun_replicator_run_async (replicator, NULL, on_run_ready, &result);
  while (result == NULL && g_get_monotonic_time () < deadline) {
    gint64 count = cloud_doc_count (&cloud);

    if (count >= n / 5) {
      cloud_kill (&cloud);
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
  cloud_start (&cloud);
  again = new_push (phone, &cloud, batch);
  resumed = run (again);
  g_test_message ("killed at %" G_GINT64_FORMAT " notes on the cloud; resumed after seq %s, "
                  "%" G_GUINT64_FORMAT " written", at_kill, resumed->start_seq,
                  resumed->docs_written);
  /* The checkpoint lags the documents by at most the batch in flight. */
  g_assert_cmpuint (seq_number (resumed->start_seq), >, 0);
  g_assert_cmpuint (seq_number (resumed->start_seq) + batch, >=, (guint64) at_kill);
  g_assert_cmpuint (resumed->missing_checked, <=, n - seq_number (resumed->start_seq));
  g_assert_cmpuint (resumed->docs_written, <=, n - (guint64) at_kill);
  assert_cloud_has_exactly (&cloud, phone, n);

  cloud_stop (&cloud);
  g_clear_object (&again);
  g_assert_finalize_object (g_steal_pointer (&phone));
  yun_test_remove_tree (dir);
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
  gint64 at_kill = -1;
  Cloud cloud = { 0 };
  gint64 deadline = g_get_monotonic_time () + PATIENCE_S * G_USEC_PER_SEC;

  if (skip_without_cloud ())
    return;

  dir = g_dir_make_tmp ("yun-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  cloud_set_up (&cloud, dir);
  path = g_build_filename (dir, "phone.db", NULL);
  phone = open_store (path);
  add_notes (phone, n);
  g_assert_finalize_object (g_steal_pointer (&phone));

  url = g_strconcat (cloud.url, "sync/notes", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--phone-push", path, url,
                                       cloud.token, NULL);
  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline && g_subprocess_get_identifier (child) != NULL) {
    gint64 count = cloud_doc_count (&cloud);

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

  replicator = new_push (phone, &cloud, batch);
  resumed = run (replicator);
  g_test_message ("phone killed at %" G_GINT64_FORMAT " notes on the cloud; resumed after seq "
                  "%s, %" G_GUINT64_FORMAT " written", at_kill, resumed->start_seq,
                  resumed->docs_written);
  g_assert_cmpuint (seq_number (resumed->start_seq), >, 0);
  g_assert_cmpuint (seq_number (resumed->start_seq) + batch, >=, (guint64) at_kill);
  g_assert_cmpuint (resumed->docs_written, <=, n - (guint64) at_kill);
  assert_cloud_has_exactly (&cloud, phone, n);

  /* Nothing comes back that the phone does not have. */
  pulled = pull (&cloud, phone);
  g_assert_cmpuint (pulled->docs_written, ==, 0);
  g_assert_cmpint (local_doc_count (phone), ==, n);
  g_assert_true (yun_doc_store_check_integrity (phone, &error));
  g_assert_no_error (error);

  cloud_stop (&cloud);
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
phone_set_up (Phone      *phone,
              const char *dir,
              const char *name,
              Cloud      *cloud)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *base = g_strconcat (cloud->url, "sync/", NULL);
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
  yun_sync_set_bearer_token (phone->sync, cloud->token);
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
  Cloud cloud = { 0 };
  Phone a = { 0 };
  Phone b = { 0 };

  if (skip_without_cloud ())
    return;

  dir = g_dir_make_tmp ("yun-sync-faults-XXXXXX", &error);
  g_assert_no_error (error);
  cloud_set_up (&cloud, dir);
  phone_set_up (&a, dir, "a.db", &cloud);
  phone_set_up (&b, dir, "b.db", &cloud);
  g_free (put_note (a.store, "milk"));
  wait_for_agreement (&a, &b, 0, "the note on both phones");

  /* The cloud goes away; both phones edit the note. */
  cloud_kill (&cloud);
  a.was_offline = b.was_offline = FALSE;
  rev_a = put_note (a.store, "milk, eggs");
  rev_b = put_note (b.store, "milk, bread");
  wait_for_offline (&a, &b);

  /* It comes back: both edits meet, on both phones. */
  cloud_start (&cloud);
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
  on_cloud = http_object (&cloud, "GET", "sync/notes/shopping?conflicts=true", NULL,
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
  on_cloud = http_object (&cloud, "GET", "sync/notes/shopping?conflicts=true", NULL,
                          SOUP_STATUS_OK);
  g_assert_false (json_object_has_member (on_cloud, "_conflicts"));

  phone_tear_down (&a);
  phone_tear_down (&b);
  cloud_stop (&cloud);
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

  g_test_add_func ("/yun/services/sync-faults/cloud-killed-mid-batch-resumes",
                   test_cloud_killed_mid_batch);
  g_test_add_func ("/yun/services/sync-faults/phone-killed-mid-push-resumes",
                   test_phone_killed_mid_push);
  g_test_add_func ("/yun/services/sync-faults/offline-conflict-seen-and-resolved",
                   test_offline_conflict_resolved);

  return g_test_run ();
}
