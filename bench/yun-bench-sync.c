/* yun-bench-sync.c: yun-bench sync, the cloud sync benchmark.
 *
 * Yun's sync engine (YunReplicator) against a real yun-cloud started in
 * this process, with a registered user and a bearer token, over HTTP on
 * loopback:
 *  - initial sync of 10,000 notes: a phone store pushes them to the
 *    cloud, and a second, empty phone store pulls them (a restore);
 *  - one change among 100,000 documents: after a phone and the cloud are
 *    in sync, one note is edited on the phone and pushed; time and bytes
 *    on the wire (headers and bodies) from the replicator's statistics.
 *
 * The peer, in the same run: pouchdb-server (npm, --in-memory, on
 * loopback) doing the same replications with its own replicator
 * (POST /_replicate), one side a database of its own and the other side
 * the same server over HTTP, as the phone has its local store on one
 * side and the cloud over HTTP on the other.  The restore is compared
 * with pouchdb-server pulling 10,000 notes from itself over HTTP into an
 * empty database; the one change with pouchdb-server pushing one change
 * among 100,000 into an up-to-date copy over HTTP.  Its databases are
 * filled by Yun's engine beforehand (the same documents and revisions),
 * untimed.  When node or pouchdb-server is missing, its keys are n/a.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bench-sync.h"

#include "yun-bench-common.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "yun-cloud-server.h"
#include "yun-doc-store.h"
#include "yun-replicator.h"

#define USER "bench"
#define PASSWORD "correct horse battery staple"
#define EDITED_ID "note-004242"

typedef struct {
  char *dir;
  YunCloudServer *cloud;
  SoupSession *session;
  char *sync_url;       /* the cloud's /sync/, ending in a slash */
  char *token;
  GSubprocess *pouchdb;
  char *pouchdb_dir;
  char *pouchdb_url;    /* ending in a slash */
} Bench;

/* Stops the servers and removes the stores (hundreds of MB). */
static void
bench_clear (Bench *bench)
{
  if (bench->pouchdb != NULL) {
    g_subprocess_send_signal (bench->pouchdb, SIGTERM);
    g_subprocess_wait (bench->pouchdb, NULL, NULL);
  }
  g_clear_object (&bench->pouchdb);
  g_clear_object (&bench->session);
  g_clear_object (&bench->cloud);
  g_clear_pointer (&bench->sync_url, g_free);
  g_clear_pointer (&bench->token, g_free);
  g_clear_pointer (&bench->pouchdb_dir, g_free);
  g_clear_pointer (&bench->pouchdb_url, g_free);
  if (bench->dir != NULL)
    yun_bench_remove_tree (bench->dir);
  g_clear_pointer (&bench->dir, g_free);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A request whose answer is JSON.  The main context keeps running while
 * it waits, since the cloud answering it runs there. */
static JsonNode *
http_json (Bench       *bench,
           const char  *method,
           const char  *url,
           const char  *token,
           JsonNode    *body,
           guint       *status,
           GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;

  if (msg == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad URL %s", url);
    return NULL;
  }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL) {
    g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

    soup_message_headers_replace (headers, "Authorization", authorization);
  }
  if (body != NULL) {
    g_autofree char *text = json_to_string (body, FALSE);
    size_t length = strlen (text);

    soup_message_set_request_body_from_bytes (msg, "application/json",
                                              g_bytes_new_take (g_steal_pointer (&text), length));
  }
  soup_session_send_and_read_async (bench->session, msg, G_PRIORITY_DEFAULT, NULL, on_ready,
                                    &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  answer = soup_session_send_and_read_finish (bench->session, result, error);
  if (answer == NULL)
    return NULL;
  *status = soup_message_get_status (msg);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), error))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonNode *
credentials (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, USER);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, PASSWORD);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* yun-cloud in this process, with a user signed in. */
static gboolean
start_cloud (Bench   *bench,
             GError **error)
{
  g_autofree char *webapps = g_build_filename (bench->dir, "webapps", NULL);
  g_autofree char *data = g_build_filename (bench->dir, "cloud", NULL);
  g_autofree char *accounts = NULL;
  g_autofree char *session = NULL;
  g_autoptr(JsonNode) body = credentials ();
  g_autoptr(JsonNode) registered = NULL;
  g_autoptr(JsonNode) signed_in = NULL;
  guint status = 0;

  if (g_mkdir_with_parents (webapps, 0700) != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", webapps);
    return FALSE;
  }
  bench->cloud = yun_cloud_server_new (webapps, data, error);
  if (bench->cloud == NULL || !yun_cloud_server_listen (bench->cloud, "127.0.0.1", 0, error))
    return FALSE;
  bench->sync_url = g_strconcat (yun_cloud_server_get_url (bench->cloud), "sync/", NULL);

  accounts = g_strconcat (yun_cloud_server_get_url (bench->cloud), "accounts", NULL);
  registered = http_json (bench, "POST", accounts, NULL, body, &status, error);
  if (registered == NULL)
    return FALSE;
  if (status != SOUP_STATUS_CREATED) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "registering: HTTP %u", status);
    return FALSE;
  }
  session = g_strconcat (accounts, "/session", NULL);
  signed_in = http_json (bench, "POST", session, NULL, body, &status, error);
  if (signed_in == NULL)
    return FALSE;
  if (status != SOUP_STATUS_CREATED || !JSON_NODE_HOLDS_OBJECT (signed_in) ||
      json_object_get_string_member_with_default (json_node_get_object (signed_in), "token",
                                                  NULL) == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "signing in: HTTP %u", status);
    return FALSE;
  }
  bench->token = g_strdup (json_object_get_string_member (json_node_get_object (signed_in),
                                                          "token"));
  return TRUE;
}

static char *
find_pouchdb_server (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bench_dir = NULL;
  g_autofree char *build_dir = NULL;
  g_autofree char *source_dir = NULL;
  const char *relative = "tests/interop/node_modules/pouchdb-server/bin/pouchdb-server";
  char *path;

  if (g_getenv ("YUN_POUCHDB_SERVER") != NULL) {
    const char *chosen = g_getenv ("YUN_POUCHDB_SERVER");

    return g_file_test (chosen, G_FILE_TEST_EXISTS) ? g_strdup (chosen) : NULL;
  }

  /* Built in <source>/<build>/bench/yun-bench, or run from <source>. */
  if (exe != NULL) {
    bench_dir = g_path_get_dirname (exe);
    build_dir = g_path_get_dirname (bench_dir);
    source_dir = g_path_get_dirname (build_dir);
    path = g_build_filename (source_dir, relative, NULL);
    if (g_file_test (path, G_FILE_TEST_EXISTS))
      return path;
    g_free (path);
  }
  path = g_build_filename (g_get_current_dir (), relative, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  g_free (path);
  return NULL;
}

static guint
free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The server goes when the benchmark does, however it ends. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts pouchdb-server; %FALSE without an error when it is not
 * installed. */
static gboolean
start_pouchdb (Bench   *bench,
               GError **error)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = find_pouchdb_server ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *port_text = NULL;
  guint port;

  if (node == NULL || script == NULL)
    return FALSE;
  port = free_port (error);
  if (port == 0)
    return FALSE;
  port_text = g_strdup_printf ("%u", port);
  bench->pouchdb_url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  bench->pouchdb_dir = g_build_filename (bench->dir, "pouchdb", NULL);
  g_mkdir_with_parents (bench->pouchdb_dir, 0700);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, bench->pouchdb_dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  bench->pouchdb = g_subprocess_launcher_spawn (launcher, error, node, script, "--in-memory",
                                                "--host", "127.0.0.1", "--port", port_text,
                                                "--no-stdout-logs", NULL);
  if (bench->pouchdb == NULL)
    return FALSE;
  for (int i = 0; i < 600; i++) {
    g_autoptr(JsonNode) root = NULL;
    guint status = 0;

    root = http_json (bench, "GET", bench->pouchdb_url, NULL, NULL, &status, NULL);
    if (root != NULL && status == SOUP_STATUS_OK)
      return TRUE;
    if (g_subprocess_get_identifier (bench->pouchdb) == NULL)
      break;
    g_usleep (50 * 1000);
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pouchdb-server did not start on %s",
               bench->pouchdb_url);
  return FALSE;
}

static YunSyncEndpoint *
remote (const char  *url,
        const char  *token,
        GError     **error)
{
  YunSyncEndpoint *endpoint = yun_sync_endpoint_new_remote (url, error);

  if (endpoint != NULL && token != NULL)
    yun_sync_endpoint_set_bearer_token (endpoint, token);
  if (endpoint != NULL)
    yun_sync_endpoint_set_timeout (endpoint, 600);
  return endpoint;
}

/* One run of Yun's replicator, in its worker thread, while this thread
 * serves the cloud. */
static YunReplicationStats *
replicate (YunSyncEndpoint  *source,
           YunSyncEndpoint  *target,
           double           *ms,
           GError          **error)
{
  g_autoptr(YunReplicator) replicator = yun_replicator_new (source, target);
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  YunReplicationStats *stats;

  yun_replicator_set_create_target (replicator, TRUE);
  yun_replicator_run_async (replicator, NULL, on_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stats = yun_replicator_run_finish (replicator, result, error);
  *ms = ms_since (start);
  return stats;
}

static YunReplicationStats *
push (YunDocStore  *store,
      const char   *db,
      const char   *url,
      const char   *token,
      double       *ms,
      GError      **error)
{
  g_autoptr(YunSyncEndpoint) source = yun_sync_endpoint_new_local (store, db);
  g_autoptr(YunSyncEndpoint) target = remote (url, token, error);

  return target == NULL ? NULL : replicate (source, target, ms, error);
}

static YunReplicationStats *
pull (const char   *url,
      const char   *token,
      YunDocStore  *store,
      const char   *db,
      double       *ms,
      GError      **error)
{
  g_autoptr(YunSyncEndpoint) source = remote (url, token, error);
  g_autoptr(YunSyncEndpoint) target = yun_sync_endpoint_new_local (store, db);

  return source == NULL ? NULL : replicate (source, target, ms, error);
}

static guint64
wire_bytes (const YunReplicationStats *stats)
{
  return stats->bytes_sent + stats->bytes_received;
}

/* A phone store with @n notes of about 200 bytes each. */
static YunDocStore *
phone_with_notes (Bench       *bench,
                  const char  *name,
                  guint        n,
                  GError     **error)
{
  g_autofree char *path = g_build_filename (bench->dir, name, NULL);
  g_autoptr(YunDocStore) store = yun_doc_store_open (path, error);

  if (store == NULL || !yun_doc_store_create_db (store, "notes", error))
    return NULL;
  for (guint done = 0; done < n;) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;

    for (; done < n && json_array_get_length (docs) < 1000; done++) {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autofree char *id = g_strdup_printf ("note-%06u", done);
      g_autofree char *text = g_strdup_printf ("Note %u. Buy milk, call the plumber, water the "
                                               "plants, and remember the meeting on Thursday.",
                                               done);

      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "title", id);
      json_object_set_string_member (doc, "text", text);
      json_object_set_int_member (doc, "created", 1700000000 + done);
      json_array_add_object_element (docs, g_steal_pointer (&doc));
    }
    rows = yun_doc_store_bulk_docs (store, "notes", docs, TRUE, error);
    if (rows == NULL)
      return NULL;
  }
  return g_steal_pointer (&store);
}

static gboolean
edit_note_id (YunDocStore  *store,
              const char   *id,
              GError      **error)
{
  g_autoptr(JsonObject) doc = yun_doc_store_get (store, "notes", id, NULL,
                                                 YUN_DOC_STORE_GET_NONE, error);
  g_autofree char *rev = NULL;

  if (doc == NULL)
    return FALSE;
  json_object_set_string_member (doc, "title", "edited on the phone");
  rev = yun_doc_store_put (store, "notes", doc, NULL, error);
  return rev != NULL;
}

static gboolean
edit_note (YunDocStore  *store,
           GError      **error)
{
  return edit_note_id (store, EDITED_ID, error);
}

/* Ten notes spread over the database, for bytes against the change. */
static gboolean
edit_ten_notes (YunDocStore  *store,
                guint         n_docs,
                GError      **error)
{
  for (guint i = 0; i < 10; i++) {
    g_autofree char *id = g_strdup_printf ("note-%06u", 17 + i * (n_docs / 10));

    if (!edit_note_id (store, id, error))
      return FALSE;
  }
  return TRUE;
}

/* pouchdb-server's own replicator, from @source to @target (database
 * names or URLs); -1 when it failed. */
static double
pouchdb_replicate (Bench      *bench,
                   const char *source,
                   const char *target,
                   gint64     *docs_written)
{
  g_autofree char *url = g_strconcat (bench->pouchdb_url, "_replicate", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint status = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, source);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, target);
  json_builder_set_member_name (builder, "create_target");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start = g_get_monotonic_time ();
  answer = http_json (bench, "POST", url, NULL, body, &status, &error);
  if (answer == NULL || status != SOUP_STATUS_OK) {
    g_printerr ("pouchdb-server's replication of %s failed: HTTP %u %s\n", source, status,
                error != NULL ? error->message : "");
    return -1;
  }
  if (docs_written != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    *docs_written = json_object_get_int_member_with_default (json_node_get_object (answer),
                                                             "docs_written", -1);
  return ms_since (start);
}

static char *
format_ms (double ms)
{
  return ms < 0 ? g_strdup ("n/a") : g_strdup_printf ("%.1f", ms);
}

static char *
format_count (gint64 count)
{
  return count < 0 ? g_strdup ("n/a") : g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static char *
format_ratio (double ours,
              double theirs)
{
  return ours < 0 || theirs <= 0 ? g_strdup ("n/a") : g_strdup_printf ("%.2f", ours / theirs);
}

int
yun_bench_sync_run (int    argc,
                    char **argv)
{
  int n_notes = 10000;
  int n_docs = 100000;
  const GOptionEntry entries[] = {
    { "notes", 0, 0, G_OPTION_ARG_INT, &n_notes, "Notes in the initial sync", "N" },
    { "docs", 0, 0, G_OPTION_ARG_INT, &n_docs, "Documents around the one change", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- sync benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) phone = NULL;
  g_autoptr(YunDocStore) restored = NULL;
  g_autoptr(YunDocStore) big = NULL;
  g_autoptr(YunReplicationStats) pushed = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_autoptr(YunReplicationStats) seeded = NULL;
  g_autoptr(YunReplicationStats) one = NULL;
  g_autoptr(YunReplicationStats) ten = NULL;
  g_autofree char *notes_url = NULL;
  g_autofree char *big_url = NULL;
  g_autofree char *ratio_initial = NULL;
  g_autofree char *ratio_one = NULL;
  g_autofree char *pouch_initial_text = NULL;
  g_autofree char *pouch_one_text = NULL;
  g_autofree char *pouch_noop_text = NULL;
  g_autofree char *pouch_initial_docs_text = NULL;
  g_autofree char *pouch_one_docs_text = NULL;
  Bench bench = { 0 };
  gboolean have_pouchdb;
  double push_ms, pull_ms, seed_ms, one_ms, ten_ms, unused_ms;
  double pouch_initial_ms = -1, pouch_one_ms = -1, pouch_noop_ms = -1;
  gint64 pouch_initial_docs = -1, pouch_one_docs = -1;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_notes <= 0 ||
      n_docs <= 4242) {
    g_printerr ("yun-bench sync: %s\n",
                error != NULL ? error->message : "--notes must be positive, --docs above 4242");
    return 2;
  }

  bench.dir = g_dir_make_tmp ("yun-bench-sync-XXXXXX", &error);
  if (bench.dir == NULL)
    goto failed;
  bench.session = soup_session_new_with_options ("timeout", 0, NULL);
  if (!start_cloud (&bench, &error))
    goto failed;
  have_pouchdb = start_pouchdb (&bench, &error);
  if (!have_pouchdb && error != NULL)
    goto failed;

  /* Initial sync: a phone pushes, an empty phone restores. */
  phone = phone_with_notes (&bench, "phone.db", n_notes, &error);
  if (phone == NULL)
    goto failed;
  notes_url = g_strconcat (bench.sync_url, "notes", NULL);
  pushed = push (phone, "notes", notes_url, bench.token, &push_ms, &error);
  if (pushed == NULL)
    goto failed;
  restored = phone_with_notes (&bench, "restored.db", 0, &error);
  if (restored == NULL)
    goto failed;
  pulled = pull (notes_url, bench.token, restored, "notes", &pull_ms, &error);
  if (pulled == NULL)
    goto failed;

  /* One change among many: in sync first, then one edit pushed. */
  big = phone_with_notes (&bench, "big.db", n_docs, &error);
  if (big == NULL)
    goto failed;
  big_url = g_strconcat (bench.sync_url, "bignotes", NULL);
  seeded = push (big, "notes", big_url, bench.token, &seed_ms, &error);
  if (seeded == NULL || !edit_note (big, &error))
    goto failed;
  one = push (big, "notes", big_url, bench.token, &one_ms, &error);
  if (one == NULL || !edit_ten_notes (big, n_docs, &error))
    goto failed;
  ten = push (big, "notes", big_url, bench.token, &ten_ms, &error);
  if (ten == NULL)
    goto failed;

  if (have_pouchdb) {
    g_autofree char *src10k = g_strconcat (bench.pouchdb_url, "notes10k", NULL);
    g_autofree char *src100k = g_strconcat (bench.pouchdb_url, "notes100k", NULL);
    g_autofree char *copy100k = g_strconcat (bench.pouchdb_url, "notes100k-copy", NULL);
    g_autoptr(YunReplicationStats) s1 = NULL;
    g_autoptr(YunReplicationStats) s2 = NULL;
    g_autoptr(YunReplicationStats) s3 = NULL;
    g_autoptr(YunDocStore) big_again = NULL;

    /* 10,000 notes over HTTP into an empty database of its own. */
    s1 = push (phone, "notes", src10k, NULL, &unused_ms, &error);
    if (s1 == NULL)
      goto failed;
    pouch_initial_ms = pouchdb_replicate (&bench, src10k, "notes10k-copy", &pouch_initial_docs);

    /* 100,000 in both databases (pouchdb-server cannot copy as many
     * within its HTTP timeouts); its first run only compares, the second
     * carries the one change, from its database over HTTP to the copy. */
    big_again = phone_with_notes (&bench, "big-again.db", n_docs, &error);
    if (big_again == NULL)
      goto failed;
    s2 = push (big_again, "notes", src100k, NULL, &unused_ms, &error);
    if (s2 == NULL)
      goto failed;
    s3 = push (big_again, "notes", copy100k, NULL, &unused_ms, &error);
    if (s3 == NULL)
      goto failed;
    pouch_noop_ms = pouchdb_replicate (&bench, "notes100k", copy100k, NULL);
    if (!edit_note (big_again, &error))
      goto failed;
    g_clear_pointer (&s2, yun_replication_stats_free);
    s2 = push (big_again, "notes", src100k, NULL, &unused_ms, &error);
    if (s2 == NULL)
      goto failed;
    pouch_one_ms = pouchdb_replicate (&bench, "notes100k", copy100k, &pouch_one_docs);
  }

  ratio_initial = format_ratio (pull_ms, pouch_initial_ms);
  ratio_one = format_ratio (one_ms, pouch_one_ms);
  pouch_initial_text = format_ms (pouch_initial_ms);
  pouch_one_text = format_ms (pouch_one_ms);
  pouch_noop_text = format_ms (pouch_noop_ms);
  pouch_initial_docs_text = format_count (pouch_initial_docs);
  pouch_one_docs_text = format_count (pouch_one_docs);

  g_print ("Sync: Yun's replicator with yun-cloud in this process (HTTP on loopback, bearer "
           "token);\npeer: pouchdb-server's own replicator, its database to its database over "
           "HTTP%s.\n\n", have_pouchdb ? "" : " (not installed: n/a)");
  g_print ("%-56s %10s %12s %8s\n", "replication", "ms", "wire bytes", "docs");
  g_print ("%-56s %10.0f %12" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT "\n",
           "initial: phone pushes its notes to yun-cloud", push_ms, wire_bytes (pushed),
           pushed->docs_written);
  g_print ("%-56s %10.0f %12" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT "\n",
           "initial: empty phone pulls them (restore)", pull_ms, wire_bytes (pulled),
           pulled->docs_written);
  g_print ("%-56s %10s %12s %8s\n",
           "initial: pouchdb-server pulls them into an empty db", pouch_initial_text, "-",
           pouch_initial_docs_text);
  g_print ("%-56s %10.0f %12" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT "\n",
           "seed: another phone pushes its --docs notes to yun-cloud", seed_ms, wire_bytes (seeded),
           seeded->docs_written);
  g_print ("%-56s %10.1f %12" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT "\n",
           "one change among them: phone pushes it", one_ms, wire_bytes (one),
           one->docs_written);
  g_print ("%-56s %10.1f %12" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT "\n",
           "ten changes among them: phone pushes them", ten_ms, wire_bytes (ten),
           ten->docs_written);
  g_print ("%-56s %10s %12s %8s\n", "pouchdb-server: nothing to do (first run, compares)",
           pouch_noop_text, "-", "-");
  g_print ("%-56s %10s %12s %8s\n", "pouchdb-server: the one change",
           pouch_one_text, "-", pouch_one_docs_text);
  g_print ("\nratios (Yun / pouchdb-server): initial %s, one change %s; one change sent %"
           G_GUINT64_FORMAT " and received %" G_GUINT64_FORMAT " bytes in %u batch(es)\n\n",
           ratio_initial, ratio_one, one->bytes_sent, one->bytes_received, one->n_batches);

  g_print ("sync: initial_10k_ms=%.0f one_change_ms=%.1f one_change_bytes=%" G_GUINT64_FORMAT
           " pouchdb_initial_10k_ms=%s pouchdb_one_change_ms=%s initial_10k_push_ms=%.0f "
           "initial_ratio=%s one_change_ratio=%s ten_changes_ms=%.1f ten_changes_bytes=%"
           G_GUINT64_FORMAT " notes=%d docs=%d\n",
           pull_ms, one_ms, wire_bytes (one), pouch_initial_text, pouch_one_text, push_ms,
           ratio_initial, ratio_one, ten_ms, wire_bytes (ten), n_notes, n_docs);
  g_clear_object (&phone);
  g_clear_object (&restored);
  g_clear_object (&big);
  bench_clear (&bench);
  return 0;

failed:
  g_printerr ("yun-bench sync: %s\n", error != NULL ? error->message : "failed");
  bench_clear (&bench);
  return 1;
}
