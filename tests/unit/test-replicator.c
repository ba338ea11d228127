/* test-replicator.c: the CouchDB replication protocol against two real
 * peers, pouchdb-server and yun-cloud (the binary, with a user signed
 * in), and against a proxy in front of each that breaks chosen requests.
 * Every test of the peer runs once per peer, under
 * /yun/services/replicator/pouchdb-server/ and .../yun-cloud/; the tests
 * whose answers the proxy makes up run once, with yun-cloud behind it.
 *
 * The pouchdb-server tests skip when it is not installed:
 *   npm ci --ignore-scripts --prefix tests/interop
 * and the yun-cloud ones outside meson test ($YUN_CLOUD_BIN is not set).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yun-doc-store.h"
#include "yun-replicator.h"
#include "yun-test-cloud.h"
#include "yun-test-files.h"
#include "yun-test-pouchdb.h"
#include "yun-test-proxy.h"

/* A server the tests replicate with. */
typedef struct {
  const char *name;      /* in the test paths */
  char *url;             /* where its databases are, ending in a slash */
  char *token;           /* (nullable) the bearer token it wants */
  const char *user;      /* a user it knows, for Basic */
  const char *password;
  char *skip_reason;     /* (nullable) why its tests skip */
} Peer;

/* A test of one peer; data is the test's own (a FaultCase, a count). */
typedef struct {
  Peer *peer;
  gconstpointer data;
} PeerTest;

static YunTestPouchdb *pouchdb;
static YunTestCloud *cloud;
static Peer pouchdb_peer = { "pouchdb-server", NULL, NULL, "user", "pa ss", NULL };
static Peer cloud_peer = { "yun-cloud", NULL, NULL, YUN_TEST_CLOUD_USER,
                           YUN_TEST_CLOUD_PASSWORD, NULL };
static GPtrArray *peer_tests;
static guint db_counter;

typedef struct {
  Peer *peer;
  gconstpointer data;
  char *dir;
  YunDocStore *a;
  YunDocStore *b;
  char *remote;       /* a fresh database on the peer */
  YunTestProxy *proxy;
  char *proxied;      /* the same database through the proxy */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const PeerTest *test = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *a_path = NULL;
  g_autofree char *b_path = NULL;
  g_autofree char *name = NULL;

  f->peer = test->peer;
  f->data = test->data;
  if (f->peer->skip_reason != NULL)
    return;

  f->dir = g_dir_make_tmp ("yun-replicator-XXXXXX", &error);
  g_assert_no_error (error);
  a_path = g_build_filename (f->dir, "a.db", NULL);
  b_path = g_build_filename (f->dir, "b.db", NULL);
  f->a = yun_doc_store_open (a_path, &error);
  g_assert_no_error (error);
  f->b = yun_doc_store_open (b_path, &error);
  g_assert_no_error (error);
  yun_doc_store_create_db (f->a, "notes", &error);
  g_assert_no_error (error);
  yun_doc_store_create_db (f->b, "notes", &error);
  g_assert_no_error (error);

  name = g_strdup_printf ("test%u", ++db_counter);
  f->remote = g_strconcat (f->peer->url, name, NULL);
  f->proxy = yun_test_proxy_new (f->peer->url);
  f->proxied = g_strconcat (yun_test_proxy_get_url (f->proxy), name, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir == NULL)
    return;
  g_clear_pointer (&f->proxy, yun_test_proxy_free);
  g_assert_finalize_object (f->a);
  g_assert_finalize_object (f->b);
  yun_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->remote);
  g_free (f->proxied);
}

static gboolean
skip_without_peer (Fixture *f)
{
  if (f->peer->skip_reason == NULL)
    return FALSE;
  g_test_skip (f->peer->skip_reason);
  return TRUE;
}

/* Helpers. */

/* A database of the peer, @url, with the peer's credentials. */
static YunSyncEndpoint *
remote (Fixture    *f,
        const char *url)
{
  g_autoptr(GError) error = NULL;
  YunSyncEndpoint *endpoint = yun_sync_endpoint_new_remote (url, &error);

  g_assert_no_error (error);
  if (f->peer->token != NULL)
    yun_sync_endpoint_set_bearer_token (endpoint, f->peer->token);
  return endpoint;
}

/* A blocking request to the peer (never through the proxy, which runs in
 * this thread), with its credentials. */
static JsonNode *
peer_http (Fixture    *f,
           const char *method,
           const char *url,
           const char *body,
           guint      *status)
{
  g_autofree char *authorization = NULL;

  if (f->peer->token != NULL)
    authorization = g_strconcat ("Bearer ", f->peer->token, NULL);
  return yun_test_http_json_as (method, url, authorization, body, status);
}

static void
on_run_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs a replication in a worker thread while this thread's main loop
 * serves the proxy. */
static YunReplicationStats *
replicate_full (YunSyncEndpoint  *source,
                YunSyncEndpoint  *target,
                guint             batch_size,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(YunReplicator) replicator = yun_replicator_new (source, target);
  g_autoptr(GAsyncResult) result = NULL;

  YunReplicationStats *stats;
  gpointer alive;

  yun_replicator_set_batch_size (replicator, batch_size);
  yun_replicator_set_create_target (replicator, TRUE);
  yun_replicator_run_async (replicator, cancellable, on_run_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stats = yun_replicator_run_finish (replicator, result, error);

  /* The worker thread lets go of its task (and the replicator, and the
   * stores) just after the callback was scheduled. */
  g_clear_object (&result);
  alive = replicator;
  g_object_add_weak_pointer (G_OBJECT (replicator), &alive);
  g_clear_object (&replicator);
  while (alive != NULL)
    g_usleep (1000);
  return stats;
}

static YunReplicationStats *
replicate (YunSyncEndpoint *source,
           YunSyncEndpoint *target,
           guint            batch_size)
{
  g_autoptr(GError) error = NULL;
  YunReplicationStats *stats = replicate_full (source, target, batch_size, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static YunReplicationStats *
push (Fixture *f,
      guint    batch_size)
{
  g_autoptr(YunSyncEndpoint) source = yun_sync_endpoint_new_local (f->a, "notes");
  g_autoptr(YunSyncEndpoint) target = remote (f, f->remote);

  return replicate (source, target, batch_size);
}

static YunReplicationStats *
pull (Fixture     *f,
      YunDocStore *store,
      guint        batch_size)
{
  g_autoptr(YunSyncEndpoint) source = remote (f, f->remote);
  g_autoptr(YunSyncEndpoint) target = yun_sync_endpoint_new_local (store, "notes");

  return replicate (source, target, batch_size);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
remote_get (Fixture    *f,
            const char *url)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = peer_http (f, "GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static gint64
remote_doc_count (Fixture *f)
{
  g_autoptr(JsonObject) info = remote_get (f, f->remote);

  return json_object_get_int_member (info, "doc_count");
}

static gint64
local_doc_count (YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = yun_doc_store_get_db_info (store, "notes", &error);

  g_assert_no_error (error);
  return json_object_get_int_member (info, "doc_count");
}

/* Note @i, with a text attachment, and every tenth a binary one too. */
static JsonObject *
make_note (guint i)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) atts = json_object_new ();
  g_autoptr(JsonObject) text = json_object_new ();
  g_autofree char *id = g_strdup_printf ("note-%05u", i);
  g_autofree char *title = g_strdup_printf ("Note %u", i);
  g_autofree char *body = g_strdup_printf ("Body of note %u: remember the milk.", i);
  g_autofree char *body64 = g_base64_encode ((const guchar *) body, strlen (body));

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "title", title);
  json_object_set_int_member (doc, "n", i);
  json_object_set_string_member (text, "content_type", "text/plain");
  json_object_set_string_member (text, "data", body64);
  json_object_set_object_member (atts, "body.txt", g_steal_pointer (&text));
  if (i % 10 == 0) {
    g_autoptr(JsonObject) binary = json_object_new ();
    guchar raw[300];
    g_autofree char *raw64 = NULL;

    for (guint j = 0; j < sizeof raw; j++)
      raw[j] = (guchar) (i * 7 + j);
    raw64 = g_base64_encode (raw, sizeof raw);
    json_object_set_string_member (binary, "content_type", "application/octet-stream");
    json_object_set_string_member (binary, "data", raw64);
    json_object_set_object_member (atts, "photo.bin", g_steal_pointer (&binary));
  }
  json_object_set_object_member (doc, "_attachments", g_steal_pointer (&atts));
  return g_steal_pointer (&doc);
}

static void
add_notes (YunDocStore *store,
           guint        first,
           guint        n)
{
  for (guint done = 0; done < n;) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;
    g_autoptr(GError) error = NULL;

    for (; done < n && json_array_get_length (docs) < 500; done++)
      json_array_add_object_element (docs, make_note (first + done));
    rows = yun_doc_store_bulk_docs (store, "notes", docs, TRUE, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      g_assert_false (json_object_has_member (json_array_get_object_element (rows, i), "error"));
  }
}

static char *
edit_note (YunDocStore *store,
           const char  *id,
           const char  *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = yun_doc_store_get (store, "notes", id, NULL,
                                                 YUN_DOC_STORE_GET_NONE, &error);
  char *rev;

  g_assert_no_error (error);
  json_object_set_string_member (doc, "title", title);
  rev = yun_doc_store_put (store, "notes", doc, NULL, &error);
  g_assert_no_error (error);
  return rev;
}

static void
delete_note (YunDocStore *store,
             const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = yun_doc_store_get (store, "notes", id, NULL,
                                                 YUN_DOC_STORE_GET_NONE, &error);
  g_autofree char *rev = NULL;

  g_assert_no_error (error);
  rev = yun_doc_store_delete (store, "notes", id, json_object_get_string_member (doc, "_rev"),
                              &error);
  g_assert_no_error (error);
}

static GHashTable *
changes_by_id (YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) feed = yun_doc_store_changes (store, "notes", 0, 0,
                                                      YUN_DOC_STORE_CHANGES_ALL_DOCS, &error);
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_object_unref);
  JsonArray *results;

  g_assert_no_error (error);
  results = json_object_get_array_member (feed, "results");
  for (guint i = 0; i < json_array_get_length (results); i++) {
    JsonObject *row = json_array_get_object_element (results, i);

    json_object_remove_member (row, "seq");
    g_hash_table_insert (rows, g_strdup (json_object_get_string_member (row, "id")),
                         json_object_ref (row));
  }
  return rows;
}

static void
assert_objects_equal (JsonObject *a,
                      JsonObject *b)
{
  g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), b);

  if (!json_node_equal (node_a, node_b)) {
    g_autofree char *text_a = json_to_string (node_a, FALSE);
    g_autofree char *text_b = json_to_string (node_b, FALSE);

    g_assert_cmpstr (text_a, ==, text_b);
  }
}

/* PouchDB's stores set an attachment's revpos to the generation of the
 * revision that brought its data (pouchdb-adapter-leveldb-core,
 * saveAttachment), where CouchDB and Yun keep the revpos replicated; so
 * revpos is left out of comparisons across a PouchDB peer. */
static void
forget_revpos (JsonObject *doc)
{
  JsonNode *atts = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *att;

  if (atts == NULL)
    return;
  json_object_iter_init (&iter, json_node_get_object (atts));
  while (json_object_iter_next (&iter, &name, &att))
    json_object_remove_member (json_node_get_object (att), "revpos");
}

/* Every document, leaf revision, tombstone, ancestry and attachment of
 * the two stores' "notes" is the same. */
static void
assert_stores_equal (YunDocStore *a,
                     YunDocStore *b)
{
  g_autoptr(GHashTable) rows_a = changes_by_id (a);
  g_autoptr(GHashTable) rows_b = changes_by_id (b);
  GHashTableIter iter;
  const char *id;
  JsonObject *row;

  g_assert_cmpuint (g_hash_table_size (rows_a), ==, g_hash_table_size (rows_b));
  g_hash_table_iter_init (&iter, rows_a);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &row)) {
    JsonObject *other = g_hash_table_lookup (rows_b, id);
    JsonArray *changes = json_object_get_array_member (row, "changes");

    g_assert_nonnull (other);
    assert_objects_equal (row, other);
    for (guint i = 0; i < json_array_get_length (changes); i++) {
      const char *rev = json_object_get_string_member (json_array_get_object_element (changes, i),
                                                       "rev");
      YunDocStoreGetFlags flags = YUN_DOC_STORE_GET_REVISIONS | YUN_DOC_STORE_GET_CONFLICTS |
                                  YUN_DOC_STORE_GET_DELETED_CONFLICTS |
                                  YUN_DOC_STORE_GET_ATTACHMENTS;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) doc_a = yun_doc_store_get (a, "notes", id, rev, flags, &error);
      g_autoptr(JsonObject) doc_b = NULL;

      g_assert_no_error (error);
      doc_b = yun_doc_store_get (b, "notes", id, rev, flags, &error);
      g_assert_no_error (error);
      forget_revpos (doc_a);
      forget_revpos (doc_b);
      assert_objects_equal (doc_a, doc_b);
    }
  }
}

/* The sequence a source reports after its first @n changes. */
static char *
local_seq_after (YunDocStore *store,
                 guint        n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) feed = yun_doc_store_changes (store, "notes", 0, n,
                                                      YUN_DOC_STORE_CHANGES_ALL_DOCS, &error);

  g_assert_no_error (error);
  return json_to_string (json_object_get_member (feed, "last_seq"), FALSE);
}

static char *
remote_seq_after (Fixture *f,
                  guint    n)
{
  g_autofree char *url = g_strdup_printf ("%s/_changes?style=all_docs&limit=%u", f->remote, n);
  g_autoptr(JsonObject) feed = remote_get (f, url);

  return json_to_string (json_object_get_member (feed, "last_seq"), FALSE);
}

/* Tests: a real peer. */

static void
test_push_pull_with_attachments (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(YunReplicationStats) pushed = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;

  if (skip_without_peer (f))
    return;

  add_notes (f->a, 0, 1000);
  /* Second revisions and tombstones travel too. */
  for (guint i = 0; i < 1000; i += 97) {
    g_autofree char *id = g_strdup_printf ("note-%05u", i);

    g_free (edit_note (f->a, id, "edited"));
  }
  delete_note (f->a, "note-00500");
  delete_note (f->a, "note-00999");

  pushed = push (f, 100);
  g_assert_cmpuint (pushed->docs_written, ==, 1000);
  g_assert_cmpuint (pushed->missing_found, ==, 1000);
  g_assert_cmpuint (pushed->doc_write_failures, ==, 0);
  g_assert_cmpuint (pushed->n_batches, ==, 11);
  g_assert_cmpuint (pushed->bytes_sent, >, 100 * 1000);
  g_assert_cmpint (remote_doc_count (f), ==, 998);

  pulled = pull (f, f->b, 100);
  g_assert_cmpuint (pulled->docs_written, ==, 1000);
  g_assert_cmpuint (pulled->bytes_received, >, 100 * 1000);
  g_assert_cmpint (local_doc_count (f->b), ==, 998);
  assert_stores_equal (f->a, f->b);
}

static void
test_conflict_converges (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) note = parse_object ("{\"_id\": \"shared\", \"text\": \"v1\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *local_rev = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(YunReplicationStats) s1 = NULL;
  g_autoptr(YunReplicationStats) s2 = NULL;
  g_autoptr(YunReplicationStats) s3 = NULL;
  guint status = 0;

  if (skip_without_peer (f))
    return;

  rev1 = yun_doc_store_put (f->a, "notes", note, NULL, &error);
  g_assert_no_error (error);
  s1 = push (f, 10);

  /* Both sides edit revision 1 while apart. */
  local_rev = edit_note (f->a, "shared", "edited on the phone");
  url = g_strconcat (f->remote, "/shared", NULL);
  body = g_strdup_printf ("{\"_rev\": \"%s\", \"text\": \"edited on the web\"}", rev1);
  answer = peer_http (f, "PUT", url, body, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);

  s2 = push (f, 10);
  s3 = pull (f, f->a, 10);
  g_assert_cmpuint (s2->docs_written, ==, 1);
  g_assert_cmpuint (s3->docs_written, ==, 1);

  mine = yun_doc_store_get (f->a, "notes", "shared", NULL, YUN_DOC_STORE_GET_CONFLICTS, &error);
  g_assert_no_error (error);
  g_clear_pointer (&url, g_free);
  url = g_strconcat (f->remote, "/shared?conflicts=true", NULL);
  theirs = remote_get (f, url);

  /* The same winner and the same loser on both sides. */
  g_assert_cmpstr (json_object_get_string_member (mine, "_rev"), ==,
                   json_object_get_string_member (theirs, "_rev"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mine, "_conflicts")),
                    ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mine,
                                                                                "_conflicts"),
                                                  0),
                   ==,
                   json_array_get_string_element (json_object_get_array_member (theirs,
                                                                                "_conflicts"),
                                                  0));
  g_assert_cmpstr (json_object_get_string_member (theirs, "text"), ==,
                   json_object_get_string_member (mine, "text"));

  /* And a third replica pulled from the server agrees. */
  g_clear_pointer (&s3, yun_replication_stats_free);
  s3 = pull (f, f->b, 10);
  assert_stores_equal (f->a, f->b);
}

static void
test_second_run_resumes_from_checkpoint (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(YunReplicationStats) first = NULL;
  g_autoptr(YunReplicationStats) second = NULL;
  g_autoptr(YunReplicationStats) third = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_autoptr(YunReplicationStats) pulled_again = NULL;

  if (skip_without_peer (f))
    return;

  add_notes (f->a, 0, 50);
  first = push (f, 10);
  g_assert_cmpstr (first->start_seq, ==, "0");
  g_assert_cmpuint (first->docs_written, ==, 50);

  second = push (f, 10);
  g_assert_cmpstr (second->replication_id, ==, first->replication_id);
  g_assert_cmpstr (second->start_seq, ==, first->last_seq);
  g_assert_cmpstr (second->last_seq, ==, first->last_seq);
  g_assert_cmpuint (second->n_batches, ==, 1);
  g_assert_cmpuint (second->missing_checked, ==, 0);
  g_assert_cmpuint (second->docs_written, ==, 0);

  add_notes (f->a, 50, 5);
  third = push (f, 10);
  g_assert_cmpstr (third->start_seq, ==, first->last_seq);
  g_assert_cmpuint (third->missing_checked, ==, 5);
  g_assert_cmpuint (third->docs_written, ==, 5);

  /* The same from a remote source, whose sequences are its own. */
  pulled = pull (f, f->b, 10);
  pulled_again = pull (f, f->b, 10);
  g_assert_cmpstr (pulled->start_seq, ==, "0");
  g_assert_cmpstr (pulled_again->start_seq, ==, pulled->last_seq);
  g_assert_cmpuint (pulled_again->docs_read, ==, 0);
  g_assert_cmpuint (pulled_again->missing_checked, ==, 0);
}

static void
test_unchanged_attachment_not_resent (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) atts = json_object_new ();
  g_autoptr(JsonObject) photo = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guchar *raw = g_malloc (200 * 1024);
  g_autofree char *raw64 = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *rev2 = NULL;
  g_autoptr(YunReplicationStats) first = NULL;
  g_autoptr(YunReplicationStats) second = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;

  if (skip_without_peer (f))
    return;

  for (guint i = 0; i < 200 * 1024; i++)
    raw[i] = (guchar) g_random_int ();
  raw64 = g_base64_encode (raw, 200 * 1024);
  json_object_set_string_member (doc, "_id", "photo");
  json_object_set_string_member (photo, "content_type", "image/jpeg");
  json_object_set_string_member (photo, "data", raw64);
  json_object_set_object_member (atts, "photo.jpg", g_steal_pointer (&photo));
  json_object_set_object_member (doc, "_attachments", g_steal_pointer (&atts));
  rev = yun_doc_store_put (f->a, "notes", doc, NULL, &error);
  g_assert_no_error (error);

  first = push (f, 10);
  g_assert_cmpuint (first->bytes_sent, >, 200 * 1024);

  /* A new revision that keeps the attachment sends only a stub. */
  rev2 = edit_note (f->a, "photo", "renamed");
  second = push (f, 10);
  g_assert_cmpuint (second->docs_written, ==, 1);
  g_assert_cmpuint (second->bytes_sent, <, 20 * 1024);

  pulled = pull (f, f->b, 10);
  assert_stores_equal (f->a, f->b);
}

/* Tests: a broken peer. */

typedef struct {
  const char *name;
  gboolean pull;          /* the remote side is the source */
  const char *method;
  const char *path_part;
  YunTestFault fault;
  int code;               /* the YunReplicatorError expected */
  guint docs_after;       /* documents on the target after the failed run */
  guint batches_kept;     /* batches the next run starts after */
} FaultCase;

#define NETWORK YUN_REPLICATOR_ERROR_NETWORK
#define PROTOCOL YUN_REPLICATOR_ERROR_PROTOCOL

static const FaultCase fault_cases[] = {
  { "push/revs-diff/garbage", FALSE, "POST", "/_revs_diff", YUN_TEST_FAULT_GARBAGE, PROTOCOL, 20, 2 },
  { "push/revs-diff/truncated", FALSE, "POST", "/_revs_diff", YUN_TEST_FAULT_TRUNCATE, NETWORK, 20, 2 },
  { "push/revs-diff/cut", FALSE, "POST", "/_revs_diff", YUN_TEST_FAULT_CUT, NETWORK, 20, 2 },
  { "push/bulk-docs/garbage", FALSE, "POST", "/_bulk_docs", YUN_TEST_FAULT_GARBAGE, PROTOCOL, 30, 2 },
  { "push/bulk-docs/truncated", FALSE, "POST", "/_bulk_docs", YUN_TEST_FAULT_TRUNCATE, NETWORK, 30, 2 },
  { "push/bulk-docs/cut-after-write", FALSE, "POST", "/_bulk_docs", YUN_TEST_FAULT_CUT, NETWORK, 30, 2 },
  { "push/bulk-docs/cut-before-write", FALSE, "POST", "/_bulk_docs", YUN_TEST_FAULT_CUT_BEFORE, NETWORK, 20, 2 },
  /* The source's checkpoint is written first; the same session on both
   * sides then trusts the source's, and the target has the batch. */
  { "push/checkpoint/garbage", FALSE, "PUT", "/_local/", YUN_TEST_FAULT_GARBAGE, PROTOCOL, 30, 3 },
  { "push/checkpoint/cut-after-write", FALSE, "PUT", "/_local/", YUN_TEST_FAULT_CUT, NETWORK, 30, 3 },
  { "push/checkpoint/cut-before-write", FALSE, "PUT", "/_local/", YUN_TEST_FAULT_CUT_BEFORE, NETWORK, 30, 3 },
  { "pull/changes/garbage", TRUE, "GET", "/_changes", YUN_TEST_FAULT_GARBAGE, PROTOCOL, 20, 2 },
  { "pull/changes/truncated", TRUE, "GET", "/_changes", YUN_TEST_FAULT_TRUNCATE, NETWORK, 20, 2 },
  { "pull/changes/cut", TRUE, "GET", "/_changes", YUN_TEST_FAULT_CUT, NETWORK, 20, 2 },
  { "pull/bulk-get/garbage", TRUE, "POST", "/_bulk_get", YUN_TEST_FAULT_GARBAGE, PROTOCOL, 20, 2 },
  { "pull/bulk-get/truncated", TRUE, "POST", "/_bulk_get", YUN_TEST_FAULT_TRUNCATE, NETWORK, 20, 2 },
  { "pull/bulk-get/cut", TRUE, "POST", "/_bulk_get", YUN_TEST_FAULT_CUT, NETWORK, 20, 2 },
  { "pull/checkpoint/garbage", TRUE, "PUT", "/_local/", YUN_TEST_FAULT_GARBAGE, PROTOCOL, 30, 3 },
  { "pull/checkpoint/cut-after-write", TRUE, "PUT", "/_local/", YUN_TEST_FAULT_CUT, NETWORK, 30, 3 },
  { "pull/checkpoint/cut-before-write", TRUE, "PUT", "/_local/", YUN_TEST_FAULT_CUT_BEFORE, NETWORK, 30, 2 },
};

/* Replicates the @n documents of f->a to the peer (or, for a pull, from
 * the peer, where they were pushed first, into f->b) in batches of
 * @batch_size, and breaks the @nth request that @c names.  The run fails
 * with a clear error and keeps the batches it checkpointed; the next run
 * starts there and ends with every document once. */
static void
break_then_resume (Fixture         *f,
                   const FaultCase *c,
                   guint            n,
                   guint            batch_size,
                   guint            nth)
{
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autoptr(YunReplicationStats) failed = NULL;
  g_autoptr(YunReplicationStats) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_start = NULL;

  if (c->pull) {
    yun_replication_stats_free (push (f, 100));
    source = remote (f, f->proxied);
    target = yun_sync_endpoint_new_local (f->b, "notes");
  } else {
    json_node_unref (peer_http (f, "PUT", f->remote, NULL, NULL));
    source = yun_sync_endpoint_new_local (f->a, "notes");
    target = remote (f, f->proxied);
  }

  /* libsoup sends an idempotent request (GET, PUT) again when a reused
   * connection closes before any answer, so those retries break too. */
  yun_test_proxy_break (f->proxy, c->method, c->path_part, nth, c->fault, 10, NULL);
  failed = replicate_full (source, target, batch_size, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, YUN_REPLICATOR_ERROR, c->code);
  g_test_message ("the error: %s", error->message);
  g_assert_nonnull (strstr (error->message, yun_test_proxy_get_url (f->proxy)));
  g_assert_cmpint (c->pull ? local_doc_count (f->b) : remote_doc_count (f), ==, c->docs_after);

  yun_test_proxy_clear (f->proxy);
  resumed = replicate (source, target, batch_size);
  expected_start = c->pull ? remote_seq_after (f, c->batches_kept * batch_size)
                           : local_seq_after (f->a, c->batches_kept * batch_size);
  g_assert_cmpstr (resumed->start_seq, ==, expected_start);
  g_assert_cmpuint (resumed->missing_found, ==, n - c->docs_after);
  g_assert_cmpuint (resumed->docs_written, ==, n - c->docs_after);
  g_assert_cmpuint (resumed->doc_write_failures, ==, 0);

  g_assert_cmpint (c->pull ? local_doc_count (f->b) : remote_doc_count (f), ==, n);
  if (c->pull)
    assert_stores_equal (f->a, f->b);
}

/* Forty notes in batches of ten; the third batch's request breaks. */
static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  if (skip_without_peer (f))
    return;

  add_notes (f->a, 0, 40);
  break_then_resume (f, f->data, 40, 10, 3);
}

/* Tests: an attachment cut in transit. */

#define N_PHOTOS 3
#define PHOTO_SIZE (256 * 1024)

/* Three photos, one a batch; the second one's transfer breaks. */
static const FaultCase attachment_cases[] = {
  { "push/bulk-docs/cut-mid-upload", FALSE, "POST", "/_bulk_docs", YUN_TEST_FAULT_CUT_UPLOAD, NETWORK, 1, 1 },
  { "push/bulk-docs/cut-after-write", FALSE, "POST", "/_bulk_docs", YUN_TEST_FAULT_CUT, NETWORK, 2, 1 },
  { "pull/bulk-get/cut-mid-download", TRUE, "POST", "/_bulk_get", YUN_TEST_FAULT_TRUNCATE, NETWORK, 1, 1 },
  /* A server without _bulk_get: one GET ?open_revs&attachments=true a document. */
  { "pull/open-revs/cut-mid-download", TRUE, "GET", "/photo-", YUN_TEST_FAULT_TRUNCATE, NETWORK, 1, 1 },
};

static char *
md5_digest (const guchar *data,
            gsize         length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 digest[16];
  gsize digest_length = sizeof digest;
  g_autofree char *digest64 = NULL;

  g_checksum_update (checksum, data, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
  digest64 = g_base64_encode (digest, digest_length);
  return g_strconcat ("md5-", digest64, NULL);
}

/* Photo @i: PHOTO_SIZE random bytes.  Returns the MD5 digest of the
 * bytes, as CouchDB writes it. */
static char *
add_photo (YunDocStore *store,
           guint        i)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) atts = json_object_new ();
  g_autoptr(JsonObject) photo = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guchar *raw = g_malloc (PHOTO_SIZE);
  g_autofree char *id = g_strdup_printf ("photo-%u", i);
  g_autofree char *raw64 = NULL;
  g_autofree char *rev = NULL;

  for (guint j = 0; j < PHOTO_SIZE; j++)
    raw[j] = (guchar) g_random_int ();
  raw64 = g_base64_encode (raw, PHOTO_SIZE);
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (photo, "content_type", "image/jpeg");
  json_object_set_string_member (photo, "data", raw64);
  json_object_set_object_member (atts, "photo.jpg", g_steal_pointer (&photo));
  json_object_set_object_member (doc, "_attachments", g_steal_pointer (&atts));
  rev = yun_doc_store_put (store, "notes", doc, NULL, &error);
  g_assert_no_error (error);
  return md5_digest (raw, PHOTO_SIZE);
}

/* A replica's photo (with its attachment's data) has the original bytes. */
static void
assert_photo_bytes (JsonObject *doc,
                    const char *digest)
{
  JsonObject *photo = json_object_get_object_member (json_object_get_object_member (doc,
                                                                                    "_attachments"),
                                                     "photo.jpg");
  gsize length = 0;
  g_autofree guchar *raw = g_base64_decode (json_object_get_string_member (photo, "data"),
                                            &length);
  g_autofree char *md5 = md5_digest (raw, length);

  g_assert_cmpuint (length, ==, PHOTO_SIZE);
  g_assert_cmpstr (md5, ==, digest);
  g_assert_cmpstr (json_object_get_string_member (photo, "digest"), ==, digest);
}

static void
assert_photos (Fixture     *f,
               char *const *digests)
{
  for (guint i = 0; i < N_PHOTOS; i++) {
    g_autofree char *id = g_strdup_printf ("photo-%u", i);
    g_autofree char *url = g_strdup_printf ("%s/%s?attachments=true", f->remote, id);
    g_autoptr(JsonObject) on_peer = remote_get (f, url);
    YunDocStore *stores[] = { f->a, f->b };

    assert_photo_bytes (on_peer, digests[i]);
    for (guint j = 0; j < G_N_ELEMENTS (stores); j++) {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) doc = yun_doc_store_get (stores[j], "notes", id, NULL,
                                                     YUN_DOC_STORE_GET_ATTACHMENTS, &error);

      g_assert_no_error (error);
      assert_photo_bytes (doc, digests[i]);
    }
  }
}

/* The connection breaks while the second photo's bytes travel, one photo
 * a batch; every replica ends with the same photos, byte for byte. */
static void
test_attachment_fault (Fixture       *f,
                       gconstpointer  data)
{
  const FaultCase *c = f->data;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_auto(GStrv) digests = g_new0 (char *, N_PHOTOS + 1);

  if (skip_without_peer (f))
    return;

  for (guint i = 0; i < N_PHOTOS; i++)
    digests[i] = add_photo (f->a, i);
  if (c->pull && g_str_equal (c->method, "GET"))
    yun_test_proxy_break (f->proxy, "POST", "/_bulk_get", 0, YUN_TEST_FAULT_STATUS, 405, NULL);
  break_then_resume (f, c, N_PHOTOS, 1, 2);

  /* The third replica, for a push, straight from the peer. */
  if (!c->pull)
    pulled = pull (f, f->b, 10);
  assert_stores_equal (f->a, f->b);
  assert_photos (f, digests);
}

static YunReplicationStats *
pull_through_proxy (Fixture  *f,
                    guint     timeout,
                    GError  **error)
{
  g_autoptr(YunSyncEndpoint) source = remote (f, f->proxied);
  g_autoptr(YunSyncEndpoint) target = yun_sync_endpoint_new_local (f->b, "notes");

  if (timeout > 0)
    yun_sync_endpoint_set_timeout (source, timeout);
  return replicate_full (source, target, 10, NULL, error);
}

static void
seed_remote (Fixture *f,
             guint    n)
{
  add_notes (f->a, 0, n);
  yun_replication_stats_free (push (f, 100));
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;

  if (skip_without_peer (f))
    return;

  seed_remote (f, 5);
  yun_test_proxy_break (f->proxy, NULL, "", 0, YUN_TEST_FAULT_STATUS, 401,
                        "{\"error\":\"unauthorized\",\"reason\":\"Name or password is incorrect.\"}");
  stats = pull_through_proxy (f, 0, &error);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Name or password is incorrect."));
  g_assert_cmpint (local_doc_count (f->b), ==, 0);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;
  g_autoptr(YunReplicationStats) resumed = NULL;

  if (skip_without_peer (f))
    return;

  seed_remote (f, 25);
  yun_test_proxy_break (f->proxy, "POST", "/_bulk_get", 2, YUN_TEST_FAULT_STATUS, 500, NULL);
  stats = pull_through_proxy (f, 0, &error);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "500"));
  g_assert_cmpint (local_doc_count (f->b), ==, 10);

  g_clear_error (&error);
  yun_test_proxy_clear (f->proxy);
  resumed = pull_through_proxy (f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resumed->docs_written, ==, 15);
  assert_stores_equal (f->a, f->b);
}

/* The target answers 409 to a checkpoint: someone wrote it since it was
 * read.  Once, the replicator reads it again and writes once more; every
 * time, the run stops with the conflict, keeps its batches, and the next
 * run starts from the last checkpoint both sides agree on. */
static void
test_checkpoint_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autoptr(YunReplicationStats) first = NULL;
  g_autoptr(YunReplicationStats) failed = NULL;
  g_autoptr(YunReplicationStats) resumed = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_peer (f))
    return;

  add_notes (f->a, 0, 30);
  json_node_unref (peer_http (f, "PUT", f->remote, NULL, NULL));
  source = yun_sync_endpoint_new_local (f->a, "notes");
  target = remote (f, f->proxied);

  yun_test_proxy_break (f->proxy, "PUT", "/_local/", 1, YUN_TEST_FAULT_STATUS, 409, NULL);
  first = replicate (source, target, 10);
  g_assert_cmpuint (first->docs_written, ==, 30);
  /* Three batches' checkpoints, the first written twice, after a second
   * read. */
  g_assert_cmpuint (yun_test_proxy_count (f->proxy, "PUT", "/_local/"), ==, 4);
  g_assert_cmpuint (yun_test_proxy_count (f->proxy, "GET", "/_local/"), ==, 2);

  yun_test_proxy_clear (f->proxy);
  add_notes (f->a, 30, 25);
  yun_test_proxy_break (f->proxy, "PUT", "/_local/", 0, YUN_TEST_FAULT_STATUS, 409, NULL);
  failed = replicate_full (source, target, 10, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_CONFLICT);
  g_assert_cmpint (remote_doc_count (f), ==, 40);

  yun_test_proxy_clear (f->proxy);
  resumed = replicate (source, target, 10);
  g_assert_cmpstr (resumed->start_seq, ==, first->last_seq);
  g_assert_cmpuint (resumed->missing_checked, ==, 25);
  g_assert_cmpuint (resumed->docs_written, ==, 15);
  g_assert_cmpint (remote_doc_count (f), ==, 55);
  pulled = pull (f, f->b, 100);
  assert_stores_equal (f->a, f->b);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;

  if (skip_without_peer (f))
    return;

  seed_remote (f, 5);
  yun_test_proxy_break (f->proxy, "GET", "/_changes", 1, YUN_TEST_FAULT_DELAY, 3000, NULL);
  stats = pull_through_proxy (f, 1, &error);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "in time"));
  g_assert_cmpint (local_doc_count (f->b), ==, 0);
}

static void
test_bulk_get_fallback (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;

  if (skip_without_peer (f))
    return;

  seed_remote (f, 25);
  yun_test_proxy_break (f->proxy, "POST", "/_bulk_get", 0, YUN_TEST_FAULT_STATUS, 405, NULL);
  stats = pull_through_proxy (f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->docs_written, ==, 25);
  /* Asked once, then one GET per document. */
  g_assert_cmpuint (yun_test_proxy_count (f->proxy, "POST", "/_bulk_get"), ==, 1);
  g_assert_cmpuint (yun_test_proxy_count (f->proxy, "GET", "/note-"), ==, 25);
  assert_stores_equal (f->a, f->b);
}

/* Answers no server should give: each is refused as a protocol error and
 * nothing is written. */
static const char *const hostile_changes[] = {
  "{\"results\": 5, \"last_seq\": 1}",
  "{\"results\": [{\"seq\": 1, \"id\": 7, \"changes\": [{\"rev\": \"1-a\"}]}], \"last_seq\": 1}",
  "{\"results\": [{\"seq\": 1, \"id\": \"x\", \"changes\": [{\"rev\": \"one\"}]}], \"last_seq\": 1}",
  "{\"results\": [{\"seq\": 1, \"id\": \"x\", \"changes\": []}], \"last_seq\": 1}",
  "{\"results\": []}",
  "[]",
  "<html><body>Bad gateway</body></html>",
  "",
};

static void
test_hostile_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *deep = NULL;
  GString *nested = g_string_new (NULL);

  if (skip_without_peer (f))
    return;

  seed_remote (f, 3);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, '[');
  deep = g_string_free (nested, FALSE);

  for (guint i = 0; i <= G_N_ELEMENTS (hostile_changes); i++) {
    const char *body = i < G_N_ELEMENTS (hostile_changes) ? hostile_changes[i] : deep;
    g_autoptr(GError) error = NULL;
    g_autoptr(YunReplicationStats) stats = NULL;

    yun_test_proxy_clear (f->proxy);
    yun_test_proxy_break (f->proxy, "GET", "/_changes", 0, YUN_TEST_FAULT_GARBAGE, 0, body);
    stats = pull_through_proxy (f, 0, &error);
    g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_PROTOCOL);
    g_assert_cmpint (local_doc_count (f->b), ==, 0);
  }
}

/* A server may not hand out local documents, nor documents it was not
 * asked for. */
static void
test_hostile_documents (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;
  g_autoptr(YunReplicationStats) other = NULL;

  if (skip_without_peer (f))
    return;

  seed_remote (f, 3);
  yun_test_proxy_break (f->proxy, "GET", "/_changes", 0, YUN_TEST_FAULT_GARBAGE, 0,
                        "{\"results\": [{\"seq\": 1, \"id\": \"_local/yun-db-uuid\", "
                        "\"changes\": [{\"rev\": \"1-abc\"}]}], \"last_seq\": 1}");
  stats = pull_through_proxy (f, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->missing_checked, ==, 0);

  yun_test_proxy_clear (f->proxy);
  yun_test_proxy_break (f->proxy, "POST", "/_bulk_get", 0, YUN_TEST_FAULT_GARBAGE, 0,
                        "{\"results\": [{\"id\": \"note-00000\", \"docs\": [{\"ok\": "
                        "{\"_id\": \"intruder\", \"_rev\": \"1-abc\"}}]}]}");
  other = pull_through_proxy (f, 0, &error);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_PROTOCOL);
  g_assert_cmpint (local_doc_count (f->b), ==, 0);
}

static void
test_missing_database (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;

  if (skip_without_peer (f))
    return;

  stats = pull_through_proxy (f, 0, &error);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NOT_FOUND);
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  if (skip_without_peer (f))
    return;

  /* A port bound but not listening refuses connections. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/notes",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  source = remote (f, url);
  target = yun_sync_endpoint_new_local (f->b, "notes");
  stats = replicate_full (source, target, 10, NULL, &error);
  g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NETWORK);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (skip_without_peer (f))
    return;

  add_notes (f->a, 0, 5);
  source = yun_sync_endpoint_new_local (f->a, "notes");
  target = remote (f, f->remote);
  g_cancellable_cancel (cancellable);
  stats = replicate_full (source, target, 10, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_credentials_sent (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunReplicationStats) stats = NULL;
  g_autoptr(YunSyncEndpoint) source = NULL;
  g_autoptr(YunSyncEndpoint) target = NULL;
  g_autofree char *user = g_uri_escape_string (f->peer->user, NULL, FALSE);
  g_autofree char *password = g_uri_escape_string (f->peer->password, NULL, FALSE);
  g_autofree char *pair = g_strconcat (f->peer->user, ":", f->peer->password, NULL);
  g_autofree char *pair64 = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *basic = g_strconcat ("Basic ", pair64, NULL);
  g_autofree char *bearer = NULL;
  g_autofree char *url = NULL;
  /* pouchdb-server lets any bearer token by; yun-cloud wants its own. */
  const char *token = f->peer->token != NULL ? f->peer->token : "t0ken";
  const char *at;

  if (skip_without_peer (f))
    return;

  seed_remote (f, 2);
  /* The name and password in the URL, escaped; the peer checks them. */
  at = strstr (f->proxied, "127.0.0.1");
  url = g_strdup_printf ("http://%s:%s@%s", user, password, at);
  source = yun_sync_endpoint_new_remote (url, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (yun_sync_endpoint_get_description (source), password));
  target = yun_sync_endpoint_new_local (f->b, "notes");
  stats = replicate_full (source, target, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_test_proxy_get_authorization (f->proxy), ==, basic);

  g_clear_object (&source);
  g_clear_pointer (&stats, yun_replication_stats_free);
  source = yun_sync_endpoint_new_remote (f->proxied, &error);
  g_assert_no_error (error);
  yun_sync_endpoint_set_bearer_token (source, token);
  bearer = g_strconcat ("Bearer ", token, NULL);
  stats = replicate_full (source, target, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_test_proxy_get_authorization (f->proxy), ==, bearer);
}

static void
test_invalid_url (void)
{
  const char *const bad[] = { "ftp://example.com/db", "not a url", "http:///db", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunSyncEndpoint) endpoint = yun_sync_endpoint_new_remote (bad[i], &error);

    g_assert_null (endpoint);
    g_assert_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID);
  }
}

/* Perf mode (-m perf): timings and bytes against pouchdb-server, beside
 * pouchdb-server's own replicator doing the same in the same run.  They
 * print; they do not judge. */

static void
add_plain_notes (YunDocStore *store,
                 guint        n)
{
  for (guint done = 0; done < n;) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;
    g_autoptr(GError) error = NULL;

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
    rows = yun_doc_store_bulk_docs (store, "notes", docs, TRUE, &error);
    g_assert_no_error (error);
  }
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* pouchdb-server replicating @db into @db-copy on itself, over HTTP. */
static double
pouchdb_replicate (Fixture    *f,
                   const char *db)
{
  g_autofree char *url = g_strconcat (yun_test_pouchdb_get_url (pouchdb), "_replicate", NULL);
  g_autofree char *body = g_strdup_printf ("{\"source\": \"%s\", \"target\": \"%s%s-copy\", "
                                           "\"create_target\": true}",
                                           db, yun_test_pouchdb_get_url (pouchdb), db);
  g_autoptr(JsonNode) answer = NULL;
  gint64 start = g_get_monotonic_time ();
  guint status = 0;

  answer = yun_test_http_json ("POST", url, body, &status);
  if (status != SOUP_STATUS_OK) {
    g_test_message ("pouchdb-server's replication of %s failed: HTTP %u", db, status);
    return -1;
  }
  return ms_since (start);
}

static void
test_perf_initial (Fixture       *f,
                   gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (f->data);
  g_autoptr(YunReplicationStats) pushed = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_autofree char *db = NULL;
  gint64 start;
  double push_ms;
  double pull_ms;
  double pouch_ms;

  if (skip_without_peer (f))
    return;

  add_plain_notes (f->a, n);
  start = g_get_monotonic_time ();
  pushed = push (f, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
  push_ms = ms_since (start);
  start = g_get_monotonic_time ();
  pulled = pull (f, f->b, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
  pull_ms = ms_since (start);
  g_assert_cmpuint (pulled->docs_written, ==, n);

  /* The engine without a network peer: store to store. */
  {
    g_autoptr(YunSyncEndpoint) source = yun_sync_endpoint_new_local (f->a, "notes");
    g_autoptr(YunSyncEndpoint) target = NULL;
    g_autoptr(YunReplicationStats) local = NULL;
    g_autoptr(GError) error = NULL;

    yun_doc_store_create_db (f->b, "copy", &error);
    g_assert_no_error (error);
    target = yun_sync_endpoint_new_local (f->b, "copy");
    start = g_get_monotonic_time ();
    local = replicate (source, target, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
    g_test_message ("initial %u notes from store to store: %.0f ms", n, ms_since (start));
  }

  db = g_path_get_basename (f->remote);
  pouch_ms = pouchdb_replicate (f, db);
  g_test_message ("initial %u notes: push %.0f ms (%" G_GUINT64_FORMAT " bytes sent), pull "
                  "%.0f ms (%" G_GUINT64_FORMAT " bytes received); pouchdb-server's own "
                  "replication %.0f ms", n, push_ms, pushed->bytes_sent, pull_ms,
                  pulled->bytes_received, pouch_ms);
  g_test_message ("sync-perf: initial_%uk_ms=%.0f initial_%uk_push_ms=%.0f "
                  "pouchdb_initial_%uk_ms=%.0f", n / 1000, pull_ms, n / 1000, push_ms,
                  n / 1000, pouch_ms);
}

static void
test_perf_one_change (Fixture       *f,
                      gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (f->data);
  g_autoptr(YunReplicationStats) seeded = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;
  g_autoptr(YunReplicationStats) pushed_one = NULL;
  g_autoptr(YunReplicationStats) pulled_one = NULL;
  g_autofree char *db = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonObject) remote_doc = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = NULL;
  gint64 start;
  double push_ms;
  double pull_ms;
  double pouch_initial_ms;
  double pouch_ms;
  guint status = 0;

  if (skip_without_peer (f))
    return;

  add_plain_notes (f->a, n);
  start = g_get_monotonic_time ();
  seeded = push (f, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
  g_test_message ("initial push of %u notes: %.0f ms", n, ms_since (start));
  start = g_get_monotonic_time ();
  pulled = pull (f, f->b, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
  g_test_message ("initial pull of %u notes: %.0f ms", n, ms_since (start));
  db = g_path_get_basename (f->remote);

  /* pouchdb-server cannot copy 100,000 documents within its HTTP
   * timeouts, so its copy is seeded by this engine (the same revisions)
   * and its own first run only compares. */
  {
    g_autofree char *copy = g_strconcat (f->remote, "-copy", NULL);
    g_autoptr(YunSyncEndpoint) source = yun_sync_endpoint_new_local (f->a, "notes");
    g_autoptr(YunSyncEndpoint) target = remote (f, copy);

    yun_replication_stats_free (replicate (source, target, YUN_REPLICATOR_DEFAULT_BATCH_SIZE));
  }
  pouch_initial_ms = pouchdb_replicate (f, db);

  /* One note edited on the phone, pushed. */
  g_free (edit_note (f->a, "note-004242", "edited on the phone"));
  start = g_get_monotonic_time ();
  pushed_one = push (f, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
  push_ms = ms_since (start);
  g_assert_cmpuint (pushed_one->docs_written, ==, 1);

  /* One note edited on the server, pulled. */
  url = g_strconcat (f->remote, "/note-000777", NULL);
  remote_doc = remote_get (f, url);
  json_object_set_string_member (remote_doc, "title", "edited on the web");
  body = json_to_string (json_node_init_object (json_node_alloc (), remote_doc), FALSE);
  answer = peer_http (f, "PUT", url, body, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
  start = g_get_monotonic_time ();
  pulled_one = pull (f, f->b, YUN_REPLICATOR_DEFAULT_BATCH_SIZE);
  pull_ms = ms_since (start);
  g_assert_cmpuint (pulled_one->docs_written, ==, 2);

  pouch_ms = pouchdb_replicate (f, db);
  g_test_message ("one change among %u: push %.1f ms, %" G_GUINT64_FORMAT " bytes; pull %.1f ms, "
                  "%" G_GUINT64_FORMAT " bytes (2 changes: the push's and the web's); "
                  "pouchdb-server's own: initial %.0f ms, the 2 changes %.1f ms",
                  n, push_ms, pushed_one->bytes_sent + pushed_one->bytes_received, pull_ms,
                  pulled_one->bytes_sent + pulled_one->bytes_received, pouch_initial_ms,
                  pouch_ms);
  g_test_message ("sync-perf: one_change_ms=%.1f one_change_bytes=%" G_GUINT64_FORMAT
                  " pouchdb_one_change_ms=%.1f", push_ms,
                  pushed_one->bytes_sent + pushed_one->bytes_received, pouch_ms);
}

/* The peers. */

static void
start_pouchdb (Peer *peer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  pouchdb = yun_test_pouchdb_start (&error);
  if (pouchdb == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
      g_error ("%s", error->message);
    peer->skip_reason = g_strdup (error->message);
    return;
  }
  peer->url = g_strdup (yun_test_pouchdb_get_url (pouchdb));

  /* Anyone may do anything there (CouchDB's "admin party"), but Basic
   * credentials must name a user it has. */
  url = g_strconcat (peer->url, "_users/org.couchdb.user:", peer->user, NULL);
  body = g_strdup_printf ("{\"name\": \"%s\", \"password\": \"%s\", \"roles\": [], "
                          "\"type\": \"user\"}", peer->user, peer->password);
  answer = yun_test_http_json ("PUT", url, body, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
}

static void
start_cloud (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  cloud = yun_test_cloud_start (&error);
  if (cloud == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
      g_error ("%s", error->message);
    peer->skip_reason = g_strdup (error->message);
    return;
  }
  peer->url = g_strconcat (yun_test_cloud_get_url (cloud), "sync/", NULL);
  peer->token = g_strdup (yun_test_cloud_get_token (cloud));
}

static void
peer_clear (Peer *peer)
{
  g_clear_pointer (&peer->url, g_free);
  g_clear_pointer (&peer->token, g_free);
  g_clear_pointer (&peer->skip_reason, g_free);
}

typedef void (*PeerTestFunc) (Fixture       *f,
                              gconstpointer  data);

static void
add_peer_test (Peer         *peer,
               const char   *path,
               gconstpointer data,
               PeerTestFunc  func)
{
  PeerTest *test = g_new0 (PeerTest, 1);
  g_autofree char *full = g_strconcat ("/yun/services/replicator/", peer->name, "/", path, NULL);

  test->peer = peer;
  test->data = data;
  g_ptr_array_add (peer_tests, test);
  g_test_add (full, Fixture, test, fixture_set_up, func, fixture_tear_down);
}

static void
add_peer_tests (Peer *peer)
{
  add_peer_test (peer, "push-pull/1000-notes-with-attachments", NULL,
                 test_push_pull_with_attachments);
  add_peer_test (peer, "conflict/same-winner-both-sides", NULL, test_conflict_converges);
  add_peer_test (peer, "checkpoint/second-run-starts-at-checkpoint", NULL,
                 test_second_run_resumes_from_checkpoint);
  add_peer_test (peer, "attachments/unchanged-sent-as-stub", NULL,
                 test_unchanged_attachment_not_resent);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++) {
    g_autofree char *path = g_strconcat ("fault/", fault_cases[i].name, NULL);

    add_peer_test (peer, path, &fault_cases[i], test_fault);
  }
  for (guint i = 0; i < G_N_ELEMENTS (attachment_cases); i++) {
    g_autofree char *path = g_strconcat ("fault/attachment/", attachment_cases[i].name, NULL);

    add_peer_test (peer, path, &attachment_cases[i], test_attachment_fault);
  }
  add_peer_test (peer, "http/500-then-resume", NULL, test_server_error);
  add_peer_test (peer, "http/409-checkpoint-then-resume", NULL, test_checkpoint_conflict);
  add_peer_test (peer, "http/bulk-get-missing-falls-back-to-open-revs", NULL,
                 test_bulk_get_fallback);
  add_peer_test (peer, "http/404-missing-database", NULL, test_missing_database);
  add_peer_test (peer, "http/credentials-sent", NULL, test_credentials_sent);
}

/* Tests whose answers come from the proxy, not the peer: once, with @peer
 * behind the proxy. */
static void
add_proxy_tests (Peer *peer)
{
  add_peer_test (peer, "http/401-unauthorized", NULL, test_unauthorized);
  add_peer_test (peer, "http/timeout", NULL, test_timeout);
  add_peer_test (peer, "http/connection-refused", NULL, test_unreachable);
  add_peer_test (peer, "hostile/changes-feed", NULL, test_hostile_changes);
  add_peer_test (peer, "hostile/documents", NULL, test_hostile_documents);
  add_peer_test (peer, "cancelled", NULL, test_cancelled);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  peer_tests = g_ptr_array_new_with_free_func (g_free);
  start_pouchdb (&pouchdb_peer);
  start_cloud (&cloud_peer);

  add_peer_tests (&pouchdb_peer);
  add_peer_tests (&cloud_peer);
  /* yun-cloud is there whenever meson runs the tests. */
  add_proxy_tests (&cloud_peer);
  g_test_add_func ("/yun/services/replicator/invalid-url", test_invalid_url);
  /* The perf tests compare with pouchdb-server's own replicator. */
  if (g_test_perf ()) {
    add_peer_test (&pouchdb_peer, "perf/initial-10k", GUINT_TO_POINTER (10000),
                   test_perf_initial);
    add_peer_test (&pouchdb_peer, "perf/one-change-among-100k", GUINT_TO_POINTER (100000),
                   test_perf_one_change);
  }

  status = g_test_run ();
  g_clear_pointer (&pouchdb, yun_test_pouchdb_stop);
  g_clear_pointer (&cloud, yun_test_cloud_stop);
  peer_clear (&pouchdb_peer);
  peer_clear (&cloud_peer);
  g_ptr_array_unref (peer_tests);
  return status;
}
