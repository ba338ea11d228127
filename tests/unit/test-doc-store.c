/* test-doc-store.c: the CouchDB-compatible document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "yun-doc-store.h"

typedef struct {
  char *dir;
  char *path;
  YunDocStore *store;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("yun-doc-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->store = yun_doc_store_open (f->path, &error);
  g_assert_no_error (error);
  yun_doc_store_create_db (f->store, "notes", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (f->store);
  f->store = yun_doc_store_open (f->path, &error);
  g_assert_no_error (error);
}

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *doc = yun_doc_store_parse_doc (json, strlen (json), &error);

  g_assert_no_error (error);
  return doc;
}

static char *
put (Fixture    *f,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = parse (json);
  char *rev = yun_doc_store_put (f->store, "notes", doc, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rev);
  return rev;
}

static char *
put_with_rev (Fixture    *f,
              const char *id,
              const char *rev,
              const char *member,
              const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  char *new_rev;

  json_object_set_string_member (doc, "_id", id);
  if (rev != NULL)
    json_object_set_string_member (doc, "_rev", rev);
  json_object_set_string_member (doc, member, value);
  new_rev = yun_doc_store_put (f->store, "notes", doc, NULL, &error);
  g_assert_no_error (error);
  return new_rev;
}

static JsonObject *
get (Fixture             *f,
     const char          *id,
     const char          *rev,
     YunDocStoreGetFlags  flags)
{
  g_autoptr(GError) error = NULL;
  JsonObject *doc = yun_doc_store_get (f->store, "notes", id, rev, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static gint64
update_seq (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = yun_doc_store_get_db_info (f->store, "notes", &error);

  g_assert_no_error (error);
  return json_object_get_int_member (info, "update_seq");
}

static char *
to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
changes_of (Fixture                 *f,
            gint64                   since,
            guint                    limit,
            YunDocStoreChangesStyle  style)
{
  g_autoptr(GError) error = NULL;
  JsonObject *feed = yun_doc_store_changes (f->store, "notes", since, limit, style, &error);

  g_assert_no_error (error);
  return feed;
}

static guint
n_results (JsonObject *feed)
{
  return json_array_get_length (json_object_get_array_member (feed, "results"));
}

static const char *
row_string (JsonArray  *rows,
            guint       index,
            const char *member)
{
  return json_object_get_string_member (json_array_get_object_element (rows, index), member);
}

static void
assert_json (JsonObject *object,
             const char *expected)
{
  g_autofree char *text = to_json (object);

  g_assert_cmpstr (text, ==, expected);
}

static gboolean
is_rev (const char *rev,
        guint       pos)
{
  g_autofree char *prefix = g_strdup_printf ("%u-", pos);
  const char *hash = rev + strlen (prefix);

  if (!g_str_has_prefix (rev, prefix) || strlen (hash) != 32)
    return FALSE;
  for (; *hash != '\0'; hash++) {
    if (!g_ascii_isxdigit (*hash) || g_ascii_isupper (*hash))
      return FALSE;
  }
  return TRUE;
}

/* A 32-digit revision hash made of one repeated digit, for building trees
 * by hand. */
static char *
hash_of (char c)
{
  return g_strnfill (32, c);
}

static char *
rev_of (guint pos,
        char  c)
{
  g_autofree char *hash = hash_of (c);

  return g_strdup_printf ("%u-%s", pos, hash);
}

/* {"_id": id, "_rev": ..., "_revisions": {...}} for a linear path whose
 * hashes are given newest first, one character each. */
static void
replicate_path (Fixture    *f,
                const char *id,
                guint       start,
                const char *hashes,
                gboolean    deleted)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) revisions = json_object_new ();
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = rev_of (start, hashes[0]);
  g_autofree char *written = NULL;

  for (const char *c = hashes; *c != '\0'; c++) {
    g_autofree char *hash = hash_of (*c);

    json_array_add_string_element (ids, hash);
  }
  json_object_set_int_member (revisions, "start", start);
  json_object_set_array_member (revisions, "ids", g_steal_pointer (&ids));

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  json_object_set_object_member (doc, "_revisions", g_steal_pointer (&revisions));
  json_object_set_string_member (doc, "branch", rev);
  if (deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  written = yun_doc_store_put_replicated (f->store, "notes", doc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, rev);
}

static const char *
winner_of (Fixture    *f,
           const char *id)
{
  static char winner[64];
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) listing = yun_doc_store_all_docs (f->store, "notes", id, id, 0, FALSE,
                                                          &error);
  g_autoptr(JsonObject) changes = NULL;
  JsonArray *rows;

  g_assert_no_error (error);
  rows = json_object_get_array_member (listing, "rows");
  if (json_array_get_length (rows) == 1) {
    JsonObject *row = json_array_get_object_element (rows, 0);

    g_strlcpy (winner, json_object_get_string_member (json_object_get_object_member (row, "value"),
                                                      "rev"),
               sizeof winner);
    return winner;
  }

  /* Deleted documents are not listed; their winner shows in the feed. */
  changes = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  rows = json_object_get_array_member (changes, "results");
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *row = json_array_get_object_element (rows, i);

    if (strcmp (json_object_get_string_member (row, "id"), id) == 0) {
      JsonArray *revs = json_object_get_array_member (row, "changes");

      g_strlcpy (winner, row_string (revs, 0, "rev"),
                 sizeof winner);
      return winner;
    }
  }
  g_assert_not_reached ();
}

static void
test_create_update_conflict (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  char *rev;

  rev1 = put (f, "{\"_id\": \"n1\", \"title\": \"first\"}");
  g_assert_true (is_rev (rev1, 1));

  /* Without _rev, or with one that is not current, an update conflicts. */
  stale = parse ("{\"_id\": \"n1\", \"title\": \"second\"}");
  rev = yun_doc_store_put (f->store, "notes", stale, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_assert_null (rev);
  g_clear_error (&error);

  rev2 = put_with_rev (f, "n1", rev1, "title", "second");
  g_assert_true (is_rev (rev2, 2));

  rev = yun_doc_store_put (f->store, "notes", stale, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  json_object_set_string_member (stale, "_rev", rev1);
  rev = yun_doc_store_put (f->store, "notes", stale, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_assert_null (rev);
  g_clear_error (&error);

  doc = get (f, "n1", NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev2);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "second");
}

static void
test_put_generates_id (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = parse ("{\"title\": \"anonymous\"}");
  g_autoptr(JsonObject) read = NULL;
  g_autofree char *id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *other_rev = NULL;

  rev = yun_doc_store_put (f->store, "notes", doc, &id, &error);
  g_assert_no_error (error);
  other_rev = yun_doc_store_put (f->store, "notes", doc, &other_id, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (strlen (id), ==, 32);
  g_assert_cmpstr (id, !=, other_id);
  read = get (f, id, NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpstr (json_object_get_string_member (read, "_rev"), ==, rev);
}

/* The same edit of the same parent gets the same revision id anywhere. */
static void
test_rev_is_deterministic (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr(YunDocStore) other = yun_doc_store_open (other_path, &error);
  g_autoptr(JsonObject) doc = parse ("{\"_id\": \"n1\", \"title\": \"same\", \"n\": [1, 2.5]}");
  g_autoptr(JsonObject) deleted = parse ("{\"_id\": \"n2\", \"_deleted\": true}");
  g_autoptr(JsonObject) alive = parse ("{\"_id\": \"n2\"}");
  g_autofree char *here = NULL;
  g_autofree char *there = NULL;
  g_autofree char *tomb = NULL;
  g_autofree char *not_tomb = NULL;
  g_autofree char *edited = NULL;

  g_assert_no_error (error);
  yun_doc_store_create_db (other, "notes", &error);
  g_assert_no_error (error);

  here = yun_doc_store_put (f->store, "notes", doc, NULL, &error);
  g_assert_no_error (error);
  there = yun_doc_store_put (other, "notes", doc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (here, ==, there);

  /* The deleted flag and the parent are part of the hash. */
  tomb = yun_doc_store_put (f->store, "notes", deleted, NULL, &error);
  g_assert_no_error (error);
  not_tomb = yun_doc_store_put (other, "notes", alive, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tomb, !=, not_tomb);
  edited = put_with_rev (f, "n1", here, "title", "same");
  g_assert_cmpstr (edited + 2, !=, here + 2);

  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_winner_longest_path (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *c3 = rev_of (3, 'c');
  g_autofree char *z2 = rev_of (2, 'f');

  /* 1-a -> 2-b -> 3-c and 1-a -> 2-f: the longer branch wins even though
   * its hashes sort lower. */
  replicate_path (f, "doc", 3, "cba", FALSE);
  replicate_path (f, "doc", 2, "fa", FALSE);

  g_assert_cmpstr (winner_of (f, "doc"), ==, c3);
  doc = get (f, "doc", NULL, YUN_DOC_STORE_GET_CONFLICTS);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, c3);
  g_assert_cmpstr (json_object_get_string_member (doc, "branch"), ==, c3);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (doc, "_conflicts"),
                                                  0), ==, z2);
}

static void
test_winner_tie_highest_rev (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *b2 = rev_of (2, 'b');
  g_autofree char *e2 = rev_of (2, 'e');
  g_autofree char *d2 = rev_of (2, 'd');

  /* Three branches of the same length: the highest rev id wins, whatever
   * order they arrived in. */
  replicate_path (f, "doc", 2, "ba", FALSE);
  replicate_path (f, "doc", 2, "ea", FALSE);
  replicate_path (f, "doc", 2, "da", FALSE);

  g_assert_cmpstr (winner_of (f, "doc"), ==, e2);
  doc = get (f, "doc", NULL, YUN_DOC_STORE_GET_CONFLICTS);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, e2);
  /* The conflicts come in winner order too. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "_conflicts")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (doc, "_conflicts"),
                                                  0), ==, d2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (doc, "_conflicts"),
                                                  1), ==, b2);
}

static void
test_winner_not_deleted_beats_deleted (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *c5 = rev_of (5, 'c');
  g_autofree char *z2 = rev_of (2, 'f');

  /* A longer branch that ends in a tombstone loses to a living one. */
  replicate_path (f, "doc", 5, "cba98", TRUE);
  replicate_path (f, "doc", 2, "f8", FALSE);

  g_assert_cmpstr (winner_of (f, "doc"), ==, z2);
  doc = get (f, "doc", NULL, YUN_DOC_STORE_GET_CONFLICTS | YUN_DOC_STORE_GET_DELETED_CONFLICTS);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, z2);
  g_assert_false (json_object_has_member (doc, "_conflicts"));
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (doc, "_deleted_conflicts"), 0), ==, c5);
}

static void
test_winner_all_deleted (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) tomb = NULL;
  g_autofree char *b3 = rev_of (3, 'b');

  /* When every leaf is a tombstone the longest one wins and the document
   * reads as deleted. */
  replicate_path (f, "doc", 3, "b21", TRUE);
  replicate_path (f, "doc", 2, "e1", TRUE);

  g_assert_cmpstr (winner_of (f, "doc"), ==, b3);
  missing = yun_doc_store_get (f->store, "notes", "doc", NULL, YUN_DOC_STORE_GET_NONE, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
  tomb = get (f, "doc", b3, YUN_DOC_STORE_GET_NONE);
  g_assert_true (json_object_get_boolean_member (tomb, "_deleted"));
}

static void
test_tombstones (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = put (f, "{\"_id\": \"n1\", \"title\": \"x\"}");
  g_autofree char *rev2 = NULL;
  g_autofree char *rev3 = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(JsonObject) tomb = NULL;
  g_autoptr(JsonObject) listing = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) back = NULL;
  char *rev;

  /* Deleting needs the current revision. */
  rev = yun_doc_store_delete (f->store, "notes", "n1", NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_assert_null (rev);
  g_clear_error (&error);
  rev = yun_doc_store_delete (f->store, "notes", "nope", "1-abc", &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  rev = yun_doc_store_delete (f->store, "notes", "n1", "one", &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  rev2 = yun_doc_store_delete (f->store, "notes", "n1", rev1, &error);
  g_assert_no_error (error);
  g_assert_true (is_rev (rev2, 2));

  gone = yun_doc_store_get (f->store, "notes", "n1", NULL, YUN_DOC_STORE_GET_NONE, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "deleted"));
  g_clear_error (&error);

  tomb = get (f, "n1", rev2, YUN_DOC_STORE_GET_REVISIONS);
  g_assert_true (json_object_get_boolean_member (tomb, "_deleted"));
  g_assert_false (json_object_has_member (tomb, "title"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (tomb, "_revisions"), "ids")), ==, 2);

  listing = yun_doc_store_all_docs (f->store, "notes", NULL, NULL, 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (listing, "total_rows"), ==, 0);

  changes = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  g_assert_true (json_object_get_boolean_member (
                   json_array_get_object_element (json_object_get_array_member (changes, "results"),
                                                  0), "deleted"));

  info = yun_doc_store_get_db_info (f->store, "notes", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (info, "doc_count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (info, "doc_del_count"), ==, 1);

  /* A deleted document can be created again, on top of its tombstone. */
  rev3 = put (f, "{\"_id\": \"n1\", \"title\": \"again\"}");
  g_assert_true (is_rev (rev3, 3));
  back = get (f, "n1", NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpstr (json_object_get_string_member (back, "title"), ==, "again");
}

static void
test_changes_order_since_limit (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = put (f, "{\"_id\": \"a\"}");
  g_autofree char *b1 = put (f, "{\"_id\": \"b\"}");
  g_autofree char *c1 = put (f, "{\"_id\": \"c\"}");
  g_autofree char *a2 = put_with_rev (f, "a", a1, "v", "2");
  g_autofree char *expected = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonObject) since = NULL;
  g_autoptr(JsonObject) limited = NULL;
  g_autoptr(JsonObject) rest = NULL;
  g_autoptr(JsonObject) empty = NULL;

  /* Each document appears once, at its latest change. */
  all = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  expected = g_strdup_printf ("{\"results\":["
                              "{\"seq\":2,\"id\":\"b\",\"changes\":[{\"rev\":\"%s\"}]},"
                              "{\"seq\":3,\"id\":\"c\",\"changes\":[{\"rev\":\"%s\"}]},"
                              "{\"seq\":4,\"id\":\"a\",\"changes\":[{\"rev\":\"%s\"}]}],"
                              "\"last_seq\":4}", b1, c1, a2);
  assert_json (all, expected);

  since = changes_of (f, 2, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  g_assert_cmpuint (n_results (since), ==, 2);
  g_assert_cmpint (json_object_get_int_member (since, "last_seq"), ==, 4);

  limited = changes_of (f, 0, 2, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  g_assert_cmpuint (n_results (limited), ==, 2);
  g_assert_cmpint (json_object_get_int_member (limited, "last_seq"), ==, 3);

  /* Resuming from last_seq gives the rest. */
  rest = yun_doc_store_changes (f->store, "notes", json_object_get_int_member (limited, "last_seq"),
                                2, YUN_DOC_STORE_CHANGES_MAIN_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_results (rest), ==, 1);
  g_assert_cmpint (json_object_get_int_member (rest, "last_seq"), ==, 4);

  empty = changes_of (f, 4, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  assert_json (empty, "{\"results\":[],\"last_seq\":4}");
}

static void
test_changes_all_docs_style (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) main_only = NULL;
  g_autoptr(JsonObject) all_docs = NULL;
  g_autofree char *b2 = rev_of (2, 'b');
  g_autofree char *c2 = rev_of (2, 'c');
  g_autofree char *expected = NULL;

  replicate_path (f, "doc", 2, "ba", FALSE);
  replicate_path (f, "doc", 2, "ca", FALSE);

  main_only = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  expected = g_strdup_printf ("{\"results\":[{\"seq\":2,\"id\":\"doc\",\"changes\":"
                              "[{\"rev\":\"%s\"}]}],\"last_seq\":2}", c2);
  assert_json (main_only, expected);
  g_free (expected);

  all_docs = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_ALL_DOCS);
  expected = g_strdup_printf ("{\"results\":[{\"seq\":2,\"id\":\"doc\",\"changes\":"
                              "[{\"rev\":\"%s\"},{\"rev\":\"%s\"}]}],\"last_seq\":2}", c2, b2);
  assert_json (all_docs, expected);
}

static void
test_all_docs (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonObject) range = NULL;
  g_autoptr(JsonObject) limited = NULL;
  g_autoptr(JsonObject) with_docs = NULL;
  g_autofree char *rev_b = NULL;
  g_autofree char *rev_d = NULL;
  g_autofree char *expected = NULL;
  JsonArray *rows;
  JsonObject *doc;

  g_free (put (f, "{\"_id\": \"d\"}"));
  g_free (put (f, "{\"_id\": \"B\"}"));
  rev_b = put (f, "{\"_id\": \"b\", \"k\": 1}");
  g_free (put (f, "{\"_id\": \"a\"}"));
  g_free (put (f, "{\"_id\": \"_design/app\"}"));
  g_free (put (f, "{\"_id\": \"_local/hidden\"}"));
  rev_d = put (f, "{\"_id\": \"c\"}");
  g_free (yun_doc_store_delete (f->store, "notes", "c", rev_d, &error));
  g_assert_no_error (error);

  /* Byte order of ids; deleted and local documents are not listed. */
  all = yun_doc_store_all_docs (f->store, "notes", NULL, NULL, 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (all, "total_rows"), ==, 5);
  rows = json_object_get_array_member (all, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 5);
  g_assert_cmpstr (row_string (rows, 0, "id"), ==, "B");
  g_assert_cmpstr (row_string (rows, 1, "id"), ==, "_design/app");
  g_assert_cmpstr (row_string (rows, 2, "id"), ==, "a");
  g_assert_cmpstr (row_string (rows, 3, "id"), ==, "b");
  g_assert_cmpstr (row_string (rows, 4, "id"), ==, "d");

  range = yun_doc_store_all_docs (f->store, "notes", "a", "b", 0, FALSE, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("{\"total_rows\":5,\"offset\":0,\"rows\":["
                              "{\"id\":\"a\",\"key\":\"a\",\"value\":{\"rev\":\"%s\"}},"
                              "{\"id\":\"b\",\"key\":\"b\",\"value\":{\"rev\":\"%s\"}}]}",
                              json_object_get_string_member (json_object_get_object_member (
                                json_array_get_object_element (rows, 2), "value"), "rev"),
                              rev_b);
  assert_json (range, expected);

  limited = yun_doc_store_all_docs (f->store, "notes", "a", NULL, 3, FALSE, &error);
  g_assert_no_error (error);
  rows = json_object_get_array_member (limited, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_cmpstr (row_string (rows, 2, "id"), ==, "d");

  with_docs = yun_doc_store_all_docs (f->store, "notes", "b", "b", 0, TRUE, &error);
  g_assert_no_error (error);
  doc = json_object_get_object_member (json_array_get_object_element (
                                         json_object_get_array_member (with_docs, "rows"), 0), "doc");
  g_assert_cmpint (json_object_get_int_member (doc, "k"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, rev_b);
}

static void
test_revs_diff (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autofree char *text = NULL;
  g_autofree char *a1 = rev_of (1, 'a');
  g_autofree char *b2 = rev_of (2, 'b');
  g_autofree char *c3 = rev_of (3, 'c');
  g_autofree char *d4 = rev_of (4, 'd');
  g_autofree char *x2 = rev_of (2, 'e');
  g_autofree char *expected = NULL;

  replicate_path (f, "doc", 2, "ba", FALSE);

  /* Known revisions, leaves or not, are not missing; a leaf of a lower
   * generation than a missing one may be its ancestor. */
  text = g_strdup_printf ("{\"doc\": [\"%s\", \"%s\", \"%s\", \"%s\"], "
                          "\"other\": [\"%s\"], \"_design/x\": [\"%s\"], \"whole\": []}",
                          a1, b2, c3, d4, a1, x2);
  request = parse (text);
  diff = yun_doc_store_revs_diff (f->store, "notes", request, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("{\"doc\":{\"missing\":[\"%s\",\"%s\"],\"possible_ancestors\":[\"%s\"]},"
                              "\"other\":{\"missing\":[\"%s\"]},"
                              "\"_design/x\":{\"missing\":[\"%s\"]}}",
                              c3, d4, b2, a1, x2);
  assert_json (diff, expected);
}

static void
test_revs_diff_bad_request (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) not_list = parse ("{\"doc\": \"1-abc\"}");
  g_autoptr(JsonObject) not_rev = parse ("{\"doc\": [\"abc\"]}");
  g_autoptr(JsonObject) diff = NULL;

  diff = yun_doc_store_revs_diff (f->store, "notes", not_list, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_null (diff);
  g_clear_error (&error);
  diff = yun_doc_store_revs_diff (f->store, "notes", not_rev, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "doc[0]"));
}

static void
test_local_docs (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) checkpoint = parse ("{\"_id\": \"_local/sync\", \"seq\": 10}");
  g_autoptr(JsonObject) read = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  char *rev;

  rev1 = yun_doc_store_put_local (f->store, "notes", checkpoint, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rev1, ==, "0-1");

  /* A second write needs the current revision, like any document. */
  rev = yun_doc_store_put_local (f->store, "notes", checkpoint, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_assert_null (rev);
  g_clear_error (&error);
  json_object_set_string_member (checkpoint, "_rev", rev1);
  json_object_set_int_member (checkpoint, "seq", 20);
  rev2 = yun_doc_store_put_local (f->store, "notes", checkpoint, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rev2, ==, "0-2");

  read = yun_doc_store_get_local (f->store, "notes", "_local/sync", &error);
  g_assert_no_error (error);
  assert_json (read, "{\"_id\":\"_local/sync\",\"_rev\":\"0-2\",\"seq\":20}");

  /* Local documents stay out of the feed and the sequence. */
  g_assert_cmpint (update_seq (f), ==, 0);
  changes = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  g_assert_cmpuint (n_results (changes), ==, 0);

  g_assert_false (yun_doc_store_delete_local (f->store, "notes", "_local/sync", "0-1", &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (yun_doc_store_delete_local (f->store, "notes", "_local/sync", "0-2", &error));
  g_assert_no_error (error);
  gone = yun_doc_store_get_local (f->store, "notes", "_local/sync", &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
}

static GBytes *
read_stream (GInputStream *stream)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static guint
count_files (Fixture *f)
{
  g_autofree char *dir_path = g_strconcat (f->path, ".attachments", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_attachments_round_trip (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) streamed = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *rev1 = put (f, "{\"_id\": \"photo\", \"title\": \"cat\"}");
  g_autofree char *rev2 = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *file = NULL;
  g_autofree char *dir = g_strconcat (f->path, ".attachments", NULL);
  gint64 length = 0;

  rev2 = yun_doc_store_put_attachment (f->store, "notes", "photo", rev1, "a.txt", "text/plain",
                                       hello, &error);
  g_assert_no_error (error);
  g_assert_true (is_rev (rev2, 2));

  /* The stub reports what CouchDB would: md5 of "hello" in base64. */
  doc = get (f, "photo", NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "cat");
  assert_json (json_object_get_object_member (doc, "_attachments"),
               "{\"a.txt\":{\"content_type\":\"text/plain\","
               "\"digest\":\"md5-XUFAKrxLKna5cZ2REBfFkg==\",\"length\":5,\"revpos\":2,\"stub\":true}}");

  read = yun_doc_store_get_attachment (f->store, "notes", "photo", NULL, "a.txt", &content_type,
                                       &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, hello));
  g_assert_cmpstr (content_type, ==, "text/plain");

  stream = yun_doc_store_open_attachment (f->store, "notes", "photo", rev2, "a.txt", NULL, &length,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (length, ==, 5);
  streamed = read_stream (stream);
  g_assert_true (g_bytes_equal (streamed, hello));

  /* Content-addressed: the file is named by the SHA-256 of "hello". */
  file = g_build_filename (dir, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                           NULL);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
}

static void
test_attachments_inline_and_stubs (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) inlined = NULL;
  g_autoptr(JsonObject) bad_stub = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *text = NULL;
  char *rev;

  /* Inline base64 data, then an edit that keeps it as a stub. */
  rev1 = put (f, "{\"_id\": \"n\", \"_attachments\": {\"x.bin\": "
                 "{\"content_type\": \"application/octet-stream\", \"data\": \"AAEC/w==\"}}}");
  text = g_strdup_printf ("{\"_id\": \"n\", \"_rev\": \"%s\", \"v\": 2, \"_attachments\": "
                          "{\"x.bin\": {\"stub\": true}}}", rev1);
  rev2 = put (f, text);

  read = yun_doc_store_get_attachment (f->store, "notes", "n", rev2, "x.bin", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (read), ==, 4);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (read, NULL))[3], ==, 0xff);

  doc = get (f, "n", NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (doc, "_attachments"), "x.bin"), "revpos"), ==, 1);

  /* Asked for, the data comes inline. */
  inlined = get (f, "n", NULL, YUN_DOC_STORE_GET_ATTACHMENTS);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (inlined, "_attachments"), "x.bin"), "data"),
                   ==, "AAEC/w==");

  /* A stub must name an attachment the edited revision has. */
  g_free (text);
  text = g_strdup_printf ("{\"_id\": \"n\", \"_rev\": \"%s\", \"_attachments\": "
                          "{\"y.bin\": {\"stub\": true}}}", rev2);
  bad_stub = parse (text);
  rev = yun_doc_store_put (f->store, "notes", bad_stub, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "y.bin"));
  g_assert_null (rev);
}

static void
test_attachments_from_stream_and_gc (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) big = g_byte_array_new ();
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) short_contents = g_bytes_new_static ("short", 5);
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *rev3 = NULL;
  guint removed = 99;

  for (guint i = 0; i < 300 * 1024; i++)
    g_byte_array_append (big, (const guint8 *) &(guint8) { i * 7 % 251 }, 1);
  contents = g_byte_array_free_to_bytes (g_steal_pointer (&big));
  stream = g_memory_input_stream_new_from_bytes (contents);

  rev1 = yun_doc_store_put_attachment_from_stream (f->store, "notes", "video", NULL, "clip",
                                                   "video/webm", stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (is_rev (rev1, 1));
  read = yun_doc_store_get_attachment (f->store, "notes", "video", NULL, "clip", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, contents));
  g_assert_cmpuint (count_files (f), ==, 1);

  /* Nothing referenced is collected. */
  g_assert_true (yun_doc_store_collect_garbage (f->store, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 0);

  /* Replacing the attachment leaves the old file unreferenced. */
  rev2 = yun_doc_store_put_attachment (f->store, "notes", "video", rev1, "clip", "video/webm",
                                       short_contents, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (f), ==, 2);
  g_assert_true (yun_doc_store_collect_garbage (f->store, &removed, &error));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpuint (count_files (f), ==, 1);

  /* A tombstone has no attachments. */
  rev3 = yun_doc_store_delete (f->store, "notes", "video", rev2, &error);
  g_assert_no_error (error);
  g_assert_true (yun_doc_store_collect_garbage (f->store, &removed, &error));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpuint (count_files (f), ==, 0);
}

static void
test_replication_is_idempotent (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) with_att = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autofree char *c3 = rev_of (3, 'c');
  g_autofree char *text = NULL;

  replicate_path (f, "doc", 3, "cba", FALSE);
  g_assert_cmpint (update_seq (f), ==, 1);
  replicate_path (f, "doc", 3, "cba", FALSE);
  replicate_path (f, "doc", 2, "ba", FALSE);
  g_assert_cmpint (update_seq (f), ==, 1);

  changes = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_ALL_DOCS);
  g_assert_cmpuint (n_results (changes), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (json_object_get_array_member (changes, "results"),
                                                     0), "changes")), ==, 1);

  doc = get (f, "doc", NULL, YUN_DOC_STORE_GET_REVISIONS);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, c3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (doc, "_revisions"), "ids")), ==, 3);

  /* The same with attachments, through _bulk_docs, twice. */
  text = g_strdup_printf ("{\"_id\": \"p\", \"_rev\": \"%s\", \"_revisions\": {\"start\": 3, "
                          "\"ids\": [\"%s\"]}, \"_attachments\": {\"a\": {\"content_type\": "
                          "\"text/plain\", \"data\": \"aGVsbG8=\", \"revpos\": 2}}}",
                          c3, c3 + 2);
  with_att = parse (text);
  json_array_add_object_element (batch, json_object_ref (with_att));
  json_array_add_object_element (batch, json_object_ref (with_att));
  rows = yun_doc_store_bulk_docs (f->store, "notes", batch, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_assert_cmpstr (row_string (rows, 1, "rev"),
                   ==, c3);
  g_assert_cmpint (update_seq (f), ==, 2);
  g_assert_cmpuint (count_files (f), ==, 1);
}

static void
test_replicated_stub_uses_known_attachment (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) unknown = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autofree char *a1 = rev_of (1, 'a');
  g_autofree char *b2 = rev_of (2, 'b');
  g_autofree char *text = NULL;
  char *rev;

  text = g_strdup_printf ("{\"_id\": \"p\", \"_rev\": \"%s\", \"_attachments\": {\"a\": "
                          "{\"content_type\": \"text/plain\", \"data\": \"aGVsbG8=\"}}}", a1);
  first = parse (text);
  g_free (yun_doc_store_put_replicated (f->store, "notes", first, &error));
  g_assert_no_error (error);

  /* The source sends a stub for what our 1-a already holds. */
  g_free (text);
  text = g_strdup_printf ("{\"_id\": \"p\", \"_rev\": \"%s\", \"_revisions\": {\"start\": 2, "
                          "\"ids\": [\"%s\", \"%s\"]}, \"_attachments\": {\"a\": {\"stub\": true, "
                          "\"digest\": \"md5-XUFAKrxLKna5cZ2REBfFkg==\", \"revpos\": 1}}}",
                          b2, b2 + 2, a1 + 2);
  second = parse (text);
  g_free (yun_doc_store_put_replicated (f->store, "notes", second, &error));
  g_assert_no_error (error);
  read = yun_doc_store_get_attachment (f->store, "notes", "p", b2, "a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (read, NULL), g_bytes_get_size (read), "hello", 5);

  /* A stub for something the store never had is refused. */
  g_free (text);
  text = g_strdup_printf ("{\"_id\": \"q\", \"_rev\": \"%s\", \"_attachments\": {\"a\": "
                          "{\"stub\": true}}}", a1);
  unknown = parse (text);
  rev = yun_doc_store_put_replicated (f->store, "notes", unknown, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_null (rev);
}

static void
test_open_revs (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) leaves = NULL;
  g_autoptr(JsonArray) listed = NULL;
  g_autoptr(JsonArray) none = NULL;
  g_autofree char *b2 = rev_of (2, 'b');
  g_autofree char *a1 = rev_of (1, 'a');
  const char *wanted[] = { b2, a1, "9-abc", NULL };

  replicate_path (f, "doc", 2, "ba", FALSE);
  replicate_path (f, "doc", 2, "ca", TRUE);

  /* Every leaf, tombstones too. */
  leaves = yun_doc_store_get_open_revs (f->store, "notes", "doc", NULL,
                                        YUN_DOC_STORE_GET_REVISIONS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (leaves), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (leaves, 0), "ok"), "_rev"), ==, b2);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   json_array_get_object_element (leaves, 1), "ok"), "_deleted"));

  /* A listed revision whose body is gone, or unknown, is missing. */
  listed = yun_doc_store_get_open_revs (f->store, "notes", "doc", wanted, YUN_DOC_STORE_GET_NONE,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (listed), ==, 3);
  g_assert_true (json_object_has_member (json_array_get_object_element (listed, 0), "ok"));
  g_assert_cmpstr (row_string (listed, 1, "missing"), ==, a1);
  g_assert_cmpstr (row_string (listed, 2, "missing"), ==, "9-abc");

  none = yun_doc_store_get_open_revs (f->store, "notes", "nothing", NULL, YUN_DOC_STORE_GET_NONE,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);
}

/* The counts GET /db reports, checked against a count of the documents'
 * rows by a connection of our own and against _all_docs' total_rows. */
static void
assert_counts (Fixture *f,
               gint64   live,
               gint64   deleted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = yun_doc_store_get_db_info (f->store, "notes", &error);
  g_autoptr(JsonObject) listing = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (info, "doc_count"), ==, live);
  g_assert_cmpint (json_object_get_int_member (info, "doc_del_count"), ==, deleted);

  listing = yun_doc_store_all_docs (f->store, "notes", NULL, NULL, 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (listing, "total_rows"), ==, live);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FILTER (WHERE deleted = 0), "
                                           "count(*) FILTER (WHERE deleted = 1) FROM docs "
                                           "WHERE db = (SELECT id FROM dbs WHERE name = 'notes')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, live);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, deleted);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_bulk_docs (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autofree char *existing = put (f, "{\"_id\": \"taken\"}");

  g_assert_true (is_rev (existing, 1));

  /* Documents without an id get new ones, written without a savepoint of
   * their own, among others refused. */
  request = parse ("{\"docs\": [{\"_id\": \"one\"}, {\"_id\": \"taken\"}, {\"_id\": \"_bad\"}, "
                   "3, {\"_id\": \"two\", \"v\": 2}, {\"v\": 3}, {\"_id\": \"taken\"}, {\"v\": 4}, "
                   "{\"_rev\": \"1-967a00dff5e02add41819138abb3284d\", \"v\": 5}]}");
  rows = yun_doc_store_bulk_docs (f->store, "notes", json_object_get_array_member (request, "docs"),
                                  TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 9);

  /* Refused documents get error rows; the others are written. */
  g_assert_true (is_rev (row_string (rows, 0, "rev"), 1));
  g_assert_cmpstr (row_string (rows, 1, "error"),
                   ==, "conflict");
  g_assert_cmpstr (row_string (rows, 1, "id"),
                   ==, "taken");
  g_assert_cmpstr (row_string (rows, 2, "error"),
                   ==, "bad_request");
  g_assert_cmpstr (row_string (rows, 3, "error"),
                   ==, "bad_request");
  g_assert_cmpstr (row_string (rows, 4, "id"),
                   ==, "two");
  g_assert_cmpstr (row_string (rows, 6, "error"),
                   ==, "conflict");
  /* A _rev for a document that gets a new id is a conflict of its own. */
  g_assert_cmpstr (row_string (rows, 8, "error"),
                   ==, "conflict");
  g_assert_cmpstr (row_string (rows, 5, "id"), !=, row_string (rows, 7, "id"));
  for (guint i = 5; i <= 7; i += 2) {
    g_autoptr(JsonObject) doc = get (f, row_string (rows, i, "id"), NULL, YUN_DOC_STORE_GET_NONE);

    g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, row_string (rows, i, "rev"));
    g_assert_cmpint (json_object_get_int_member (doc, "v"), ==, i == 5 ? 3 : 4);
  }
  g_assert_cmpint (update_seq (f), ==, 5);
  assert_counts (f, 5, 0);
  g_assert_true (yun_doc_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

/* Changes the store's file from outside it. */
static void
run_sql (Fixture    *f,
         const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);
}

/* Makes every bump of a sequence number fail, from outside the store. */
static void
inject_failure (Fixture  *f,
                gboolean  on)
{
  run_sql (f, on ? "CREATE TRIGGER fail_bump BEFORE UPDATE OF update_seq ON dbs "
                   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                 : "DROP TRIGGER fail_bump");
}

static void
test_failed_transaction_leaves_no_trace (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev1 = put (f, "{\"_id\": \"kept\", \"v\": 1}");
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *retry = NULL;
  char *rev;

  before = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_ALL_DOCS);
  inject_failure (f, TRUE);

  /* The failure comes after the revision rows were written. */
  text = g_strdup_printf ("{\"_id\": \"kept\", \"_rev\": \"%s\", \"v\": 2, \"_attachments\": "
                          "{\"a\": {\"data\": \"aGVsbG8=\"}}}", rev1);
  update = parse (text);
  rev = yun_doc_store_put (f->store, "notes", update, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "injected failure"));
  g_assert_null (rev);
  g_clear_error (&error);

  /* A store failure in a batch writes none of it, documents with new ids
   * (which have no savepoint of their own) included. */
  request = parse ("{\"docs\": [{\"v\": 1}, {\"_id\": \"x\"}, {\"_id\": \"y\"}]}");
  rows = yun_doc_store_bulk_docs (f->store, "notes", json_object_get_array_member (request, "docs"),
                                  TRUE, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO);
  g_assert_null (rows);
  g_clear_error (&error);

  inject_failure (f, FALSE);

  after = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_ALL_DOCS);
  before_text = to_json (before);
  after_text = to_json (after);
  g_assert_cmpstr (before_text, ==, after_text);
  g_assert_cmpint (update_seq (f), ==, 1);
  missing = yun_doc_store_get (f->store, "notes", "x", NULL, YUN_DOC_STORE_GET_NONE, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (f), ==, 0);

  /* The same edit goes through once the failure is gone: 1-... is still
   * the current revision. */
  retry = yun_doc_store_put (f->store, "notes", update, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (is_rev (retry, 2));
}

static JsonArray *
batch_write (YunDocStoreBatch *batch,
             const char       *json)
{
  g_autoptr(JsonObject) request = parse (json);
  g_autoptr(GError) error = NULL;
  JsonArray *rows = yun_doc_store_batch_write (batch, json_object_get_array_member (request, "docs"),
                                               TRUE, &error);

  g_assert_no_error (error);
  return rows;
}

/* A batch is one transaction over several writes: all of them once it
 * commits, none when it is aborted or the store fails, and the store is
 * usable again either way. */
static void
test_batch_all_or_none (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) first = NULL;
  g_autoptr(JsonArray) second = NULL;
  g_autoptr(JsonArray) dropped = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonArray) failed = NULL;
  g_autofree char *taken = put (f, "{\"_id\": \"taken\"}");
  g_autofree char *after = NULL;
  YunDocStoreBatch *batch;
  gint64 before_seq = -1;
  gint64 after_seq = -1;

  g_assert_true (is_rev (taken, 1));

  /* Aborted: nothing stays. */
  batch = yun_doc_store_batch_begin (f->store, "notes", &before_seq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (before_seq, ==, 1);
  dropped = batch_write (batch, "{\"docs\": [{\"_id\": \"gone\"}, {\"v\": 1}]}");
  g_assert_cmpuint (json_array_get_length (dropped), ==, 2);
  yun_doc_store_batch_abort (batch);
  g_assert_cmpint (update_seq (f), ==, 1);
  assert_counts (f, 1, 0);

  /* Committed: two writes, a refused document among them. */
  batch = yun_doc_store_batch_begin (f->store, "notes", &before_seq, &error);
  g_assert_no_error (error);
  first = batch_write (batch, "{\"docs\": [{\"_id\": \"a\"}, {\"_id\": \"taken\"}]}");
  second = batch_write (batch, "{\"docs\": [{\"v\": 2}, {\"_id\": \"b\"}]}");
  g_assert_cmpstr (row_string (first, 1, "error"), ==, "conflict");
  g_assert_true (yun_doc_store_batch_commit (batch, &after_seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (before_seq, ==, 1);
  g_assert_cmpint (after_seq, ==, 4);
  g_assert_cmpint (update_seq (f), ==, 4);
  assert_counts (f, 4, 0);
  g_clear_pointer (&request, json_object_unref);
  request = get (f, row_string (second, 0, "id"), NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpint (json_object_get_int_member (request, "v"), ==, 2);

  /* The store fails in the second write: the first goes too, later
   * writes and the commit are refused. */
  run_sql (f, "CREATE TRIGGER fail_d BEFORE INSERT ON docs WHEN NEW.doc_id = 'd' "
              "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  batch = yun_doc_store_batch_begin (f->store, "notes", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&first, json_array_unref);
  first = batch_write (batch, "{\"docs\": [{\"_id\": \"c\"}]}");
  g_clear_pointer (&request, json_object_unref);
  request = parse ("{\"docs\": [{\"_id\": \"d\"}]}");
  failed = yun_doc_store_batch_write (batch, json_object_get_array_member (request, "docs"), TRUE,
                                      &error);
  g_assert_null (failed);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_null (yun_doc_store_batch_write (batch, json_object_get_array_member (request, "docs"),
                                            TRUE, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (yun_doc_store_batch_commit (batch, NULL, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO);
  g_clear_error (&error);
  run_sql (f, "DROP TRIGGER fail_d");
  g_assert_cmpint (update_seq (f), ==, 4);
  assert_counts (f, 4, 0);

  /* A database that is not there: no batch, and the store is not left
   * locked. */
  g_assert_null (yun_doc_store_batch_begin (f->store, "nothing-here", NULL, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = put (f, "{\"_id\": \"after\"}");
  g_assert_true (is_rev (after, 1));
  g_assert_true (yun_doc_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

static void
test_reopen_keeps_everything (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) local = parse ("{\"_id\": \"_local/cp\", \"seq\": 7}");
  g_autoptr(JsonObject) changes_before = NULL;
  g_autoptr(JsonObject) changes_after = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) contents = g_bytes_new_static ("data", 4);
  g_auto(GStrv) dbs = NULL;
  g_autofree char *rev = put (f, "{\"_id\": \"n\", \"text\": \"persist\"}");
  g_autofree char *with_att = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  with_att = yun_doc_store_put_attachment (f->store, "notes", "n", rev, "f", "text/plain",
                                           contents, &error);
  g_assert_no_error (error);
  replicate_path (f, "tree", 2, "ba", FALSE);
  replicate_path (f, "tree", 2, "ca", FALSE);
  g_free (yun_doc_store_put_local (f->store, "notes", local, &error));
  g_assert_no_error (error);
  yun_doc_store_create_db (f->store, "contacts", &error);
  g_assert_no_error (error);
  changes_before = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_ALL_DOCS);

  reopen (f);

  changes_after = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_ALL_DOCS);
  before = to_json (changes_before);
  after = to_json (changes_after);
  g_assert_cmpstr (before, ==, after);

  doc = get (f, "n", NULL, YUN_DOC_STORE_GET_NONE);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, with_att);
  g_assert_cmpstr (json_object_get_string_member (doc, "text"), ==, "persist");
  read = yun_doc_store_get_attachment (f->store, "notes", "n", NULL, "f", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (read), ==, 4);
  g_clear_pointer (&doc, json_object_unref);
  doc = yun_doc_store_get_local (f->store, "notes", "_local/cp", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (doc, "seq"), ==, 7);

  dbs = yun_doc_store_list_dbs (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (dbs), ==, 2);
  g_assert_cmpstr (dbs[0], ==, "contacts");
  g_assert_true (yun_doc_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

static void
assert_refused (Fixture    *f,
                const char *json,
                int         code,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = parse (json);
  gint64 before = update_seq (f);
  char *rev = yun_doc_store_put (f->store, "notes", doc, NULL, &error);

  g_assert_null (rev);
  g_assert_error (error, YUN_DOC_STORE_ERROR, code);
  if (strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", error->message, needle);
  g_assert_cmpint (update_seq (f), ==, before);
}

static void
test_bad_ids (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autofree char *long_id = g_strnfill (YUN_DOC_STORE_MAX_ID + 1, 'x');
  g_autofree char *text = NULL;
  g_autofree char *ok_id = g_strnfill (YUN_DOC_STORE_MAX_ID, 'x');
  char *rev;

  assert_refused (f, "{\"_id\": \"\"}", YUN_DOC_STORE_ERROR_BAD_REQUEST, "_id");
  assert_refused (f, "{\"_id\": \"_users\"}", YUN_DOC_STORE_ERROR_BAD_REQUEST, "starts with \"_\"");
  assert_refused (f, "{\"_id\": \"_design/\"}", YUN_DOC_STORE_ERROR_BAD_REQUEST, "_id");
  assert_refused (f, "{\"_id\": 7}", YUN_DOC_STORE_ERROR_BAD_REQUEST, "_id: expected a string");
  text = g_strdup_printf ("{\"_id\": \"%s\"}", long_id);
  assert_refused (f, text, YUN_DOC_STORE_ERROR_BAD_REQUEST, "at most 512 bytes");

  /* Invalid UTF-8 can only come from C. */
  json_object_set_string_member (doc, "_id", "bad\xff");
  rev = yun_doc_store_put (f->store, "notes", doc, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_null (rev);
  g_clear_error (&error);

  g_assert_null (yun_doc_store_get (f->store, "notes", "_x", NULL, 0, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* The longest allowed id is fine. */
  g_free (text);
  text = g_strdup_printf ("{\"_id\": \"%s\"}", ok_id);
  g_free (put (f, text));
}

static void
test_bad_documents (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) nan_doc = json_object_new ();
  g_autoptr(JsonObject) deep = NULL;
  g_autoptr(GString) nested = g_string_new ("{\"a\": ");
  char *rev;

  assert_refused (f, "{\"_id\": \"a\", \"_rev\": 3}", YUN_DOC_STORE_ERROR_BAD_REQUEST,
                  "_rev: expected a string, got number");
  assert_refused (f, "{\"_id\": \"a\", \"_rev\": \"abc\"}", YUN_DOC_STORE_ERROR_BAD_REQUEST,
                  "_rev: \"abc\" is not a revision id");
  assert_refused (f, "{\"_id\": \"a\", \"_deleted\": \"yes\"}", YUN_DOC_STORE_ERROR_BAD_REQUEST,
                  "_deleted: expected a boolean");
  assert_refused (f, "{\"_id\": \"a\", \"_secret\": 1}", YUN_DOC_STORE_ERROR_BAD_REQUEST,
                  "_secret: bad special document member");
  assert_refused (f, "{\"_id\": \"a\", \"_attachments\": []}", YUN_DOC_STORE_ERROR_BAD_REQUEST,
                  "_attachments: expected an object, got array");
  assert_refused (f, "{\"_id\": \"a\", \"_attachments\": {\"x\": {\"data\": \"not base64!\"}}}",
                  YUN_DOC_STORE_ERROR_BAD_REQUEST, "_attachments.x.data: not valid base64");
  assert_refused (f, "{\"_id\": \"a\", \"_attachments\": {\"x\": {}}}",
                  YUN_DOC_STORE_ERROR_BAD_REQUEST, "_attachments.x: needs either");
  assert_refused (f, "{\"_id\": \"a\", \"_attachments\": {\"_x\": {\"data\": \"\"}}}",
                  YUN_DOC_STORE_ERROR_BAD_REQUEST, "attachment name \"_x\"");

  json_object_set_double_member (nan_doc, "x", NAN);
  rev = yun_doc_store_put (f->store, "notes", nan_doc, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_null (rev);
  g_clear_error (&error);

  /* Nesting too deep for the store, built in C past the text parser. */
  deep = json_object_new ();
  {
    JsonObject *level = deep;

    for (int i = 0; i < YUN_DOC_STORE_MAX_DEPTH; i++) {
      JsonObject *inner = json_object_new ();

      json_object_set_object_member (level, "a", inner);
      level = inner;
    }
  }
  rev = yun_doc_store_put (f->store, "notes", deep, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "deeper"));
  g_assert_null (rev);
  g_clear_error (&error);

  /* And as text, refused by the bounded parser. */
  for (int i = 0; i < 200; i++)
    g_string_append (nested, "[");
  g_assert_null (yun_doc_store_parse_doc (nested->str, nested->len, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_null (yun_doc_store_parse_doc ("[1]", 3, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "not array"));
  g_clear_error (&error);
  g_assert_null (yun_doc_store_parse_doc ("{\"a\": ", 6, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);

  g_assert_cmpint (update_seq (f), ==, 0);
}

static void
test_oversize_body (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autofree char *big = g_strnfill (YUN_DOC_STORE_MAX_BODY, 'x');
  g_autoptr(JsonObject) all = NULL;
  char *rev;

  json_object_set_string_member (doc, "_id", "big");
  json_object_set_string_member (doc, "text", big);
  rev = yun_doc_store_put (f->store, "notes", doc, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "over the limit of 8388608"));
  g_assert_null (rev);
  g_clear_error (&error);

  all = yun_doc_store_all_docs (f->store, "notes", NULL, NULL, 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (all, "total_rows"), ==, 0);
  g_assert_cmpint (update_seq (f), ==, 0);
}

static void
test_databases (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = parse ("{\"_id\": \"x\"}");
  g_autoptr(JsonObject) info = NULL;
  g_auto(GStrv) names = NULL;
  const char *bad_names[] = { "", "Notes", "1db", "_users", "a b", "a.b", "é", NULL };
  char *rev;

  /* Each database has its own documents and sequence. */
  g_assert_true (yun_doc_store_create_db (f->store, "contacts", &error));
  g_assert_true (yun_doc_store_create_db (f->store, "a0_$()+-/x", &error));
  g_assert_no_error (error);
  g_assert_false (yun_doc_store_create_db (f->store, "notes", &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_free (yun_doc_store_put (f->store, "contacts", doc, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (update_seq (f), ==, 0);
  info = yun_doc_store_get_db_info (f->store, "contacts", &error);
  g_assert_cmpint (json_object_get_int_member (info, "doc_count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (info, "revs_limit"), ==, 1000);

  for (guint i = 0; bad_names[i] != NULL; i++) {
    g_assert_false (yun_doc_store_create_db (f->store, bad_names[i], &error));
    g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST);
    g_clear_error (&error);
  }

  rev = yun_doc_store_put (f->store, "calls", doc, NULL, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_assert_null (rev);
  g_clear_error (&error);

  g_assert_true (yun_doc_store_delete_db (f->store, "contacts", &error));
  g_assert_false (yun_doc_store_delete_db (f->store, "contacts", &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  names = yun_doc_store_list_dbs (f->store, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
}

static void
test_revs_limit_stems_tree (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autofree char *first = put (f, "{\"_id\": \"n\"}");
  g_autofree char *rev = g_strdup (first);
  g_autofree char *text = NULL;
  JsonArray *ids;

  g_assert_true (yun_doc_store_set_revs_limit (f->store, "notes", 5, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 9; i++) {
    char *next = put_with_rev (f, "n", rev, "i", "x");

    g_free (rev);
    rev = next;
  }
  g_assert_true (is_rev (rev, 10));

  /* Only the newest five generations are remembered. */
  doc = get (f, "n", NULL, YUN_DOC_STORE_GET_REVISIONS);
  ids = json_object_get_array_member (json_object_get_object_member (doc, "_revisions"), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (doc, "_revisions"),
                                               "start"), ==, 10);

  text = g_strdup_printf ("{\"n\": [\"%s\", \"%s\"]}", first, rev);
  request = parse (text);
  diff = yun_doc_store_revs_diff (f->store, "notes", request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_object_get_object_member (diff, "n"), "missing"), 0), ==, first);

  /* A replicated path longer than the limit is stemmed too. */
  replicate_path (f, "long", 8, "hgfedcba", FALSE);
  g_clear_pointer (&doc, json_object_unref);
  doc = get (f, "long", NULL, YUN_DOC_STORE_GET_REVISIONS);
  ids = json_object_get_array_member (json_object_get_object_member (doc, "_revisions"), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 5);
  g_assert_true (yun_doc_store_check_integrity (f->store, &error));
}

static void
test_replicated_tree_merges_stemmed_branches (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *d4 = rev_of (4, 'd');
  JsonArray *ids;

  /* 3-c arrives alone first (a stemmed root), then with its ancestry:
   * the tree grows back together instead of keeping two roots. */
  replicate_path (f, "doc", 3, "c", FALSE);
  replicate_path (f, "doc", 4, "dcba", FALSE);

  doc = get (f, "doc", NULL, YUN_DOC_STORE_GET_REVISIONS | YUN_DOC_STORE_GET_CONFLICTS);
  g_assert_cmpstr (json_object_get_string_member (doc, "_rev"), ==, d4);
  g_assert_false (json_object_has_member (doc, "_conflicts"));
  ids = json_object_get_array_member (json_object_get_object_member (doc, "_revisions"), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 4);
}

static void
test_schema_version (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *junk = g_build_filename (f->dir, "junk.db", NULL);
  g_autoptr(YunDocStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_finalize_object (g_steal_pointer (&f->store));

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL);
  sqlite3_close (db);
  store = yun_doc_store_open (f->path, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "schema version 99"));
  g_assert_null (store);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (junk, "this is not a database, just some text that is "
                                      "long enough to have a header", -1, NULL));
  store = yun_doc_store_open (junk, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT);
  g_assert_null (store);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a1 = put (f, "{\"_id\": \"a\"}");
  g_autofree char *b1 = put (f, "{\"_id\": \"b\"}");
  g_autofree char *a2 = NULL;
  g_autofree char *b2 = NULL;
  g_autofree char *b3 = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonObject) failing = parse ("{\"_id\": \"f\"}");
  sqlite3 *db = NULL;

  assert_counts (f, 2, 0);

  a2 = put_with_rev (f, "a", a1, "v", "2");
  assert_counts (f, 2, 0);

  b2 = yun_doc_store_delete (f->store, "notes", "b", b1, &error);
  g_assert_no_error (error);
  assert_counts (f, 1, 1);

  /* Deleting a deleted document again is refused and counts nothing. */
  gone = yun_doc_store_delete (f->store, "notes", "b", b1, &error);
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT);
  g_assert_null (gone);
  g_clear_error (&error);
  assert_counts (f, 1, 1);

  /* A document created again over its tombstone lives. */
  b3 = put (f, "{\"_id\": \"b\", \"again\": true}");
  assert_counts (f, 2, 0);

  /* new_edits=false: a conflicting branch is still one document; a
   * deleted-only document counts as deleted until a living branch comes. */
  replicate_path (f, "a", 3, "xy", FALSE);
  assert_counts (f, 2, 0);
  replicate_path (f, "c", 2, "dc", TRUE);
  assert_counts (f, 2, 1);
  replicate_path (f, "c", 1, "e", FALSE);
  assert_counts (f, 3, 0);
  replicate_path (f, "c", 1, "e", FALSE);
  assert_counts (f, 3, 0);

  /* Deleting one branch of a conflict leaves the other the living winner. */
  g_free (yun_doc_store_delete (f->store, "notes", "a", "3-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                &error));
  g_assert_no_error (error);
  assert_counts (f, 3, 0);

  /* A batch counts what it writes, not what it refuses. */
  refused = g_strdup_printf ("{\"docs\": [{\"_id\": \"d\"}, {\"_id\": \"a\", \"_rev\": \"%s\"}, "
                             "{\"_id\": \"e\", \"_deleted\": true}, {\"new\": 1}, "
                             "{\"_deleted\": true}]}", a1);
  request = parse (refused);
  rows = yun_doc_store_bulk_docs (f->store, "notes", json_object_get_array_member (request, "docs"),
                                  TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_array_get_object_element (rows, 1), "error"));
  assert_counts (f, 5, 2);

  /* A failed write counts nothing. */
  inject_failure (f, TRUE);
  g_assert_null (yun_doc_store_put (f->store, "notes", failing, NULL, &error));
  g_assert_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO);
  g_clear_error (&error);
  inject_failure (f, FALSE);
  assert_counts (f, 5, 2);

  reopen (f);
  assert_counts (f, 5, 2);

  /* A store of schema version 1 had no counts; opening it counts once. */
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE dbs DROP COLUMN doc_count;"
                                     "ALTER TABLE dbs DROP COLUMN doc_del_count;"
                                     "PRAGMA user_version = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  f->store = yun_doc_store_open (f->path, &error);
  g_assert_no_error (error);
  assert_counts (f, 5, 2);
}

typedef struct {
  YunDocStore *store;
  int thread;
} Writer;

static gpointer
write_many (gpointer data)
{
  Writer *writer = data;

  for (int i = 0; i < 25; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) doc = json_object_new ();
    g_autofree char *id = g_strdup_printf ("t%d-%d", writer->thread, i);
    g_autofree char *rev = NULL;

    json_object_set_string_member (doc, "_id", id);
    rev = yun_doc_store_put (writer->store, "notes", doc, NULL, &error);
    g_assert_no_error (error);
  }
  return NULL;
}

static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  Writer writers[4];
  GThread *threads[4];

  for (int i = 0; i < 4; i++) {
    writers[i] = (Writer) { f->store, i };
    threads[i] = g_thread_new ("writer", write_many, &writers[i]);
  }
  for (int i = 0; i < 4; i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (update_seq (f), ==, 100);
}

/* Not a test: how long replicating 10,000 notes in batches of 500 takes
 * (DESIGN.md wants an initial sync of 10,000 notes under 3 s, network
 * included).  Run with -m perf. */
static void
test_perf_replicate_10k (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  gint64 start;
  double seconds;

  if (!g_test_perf ()) {
    g_test_skip ("a measurement; run with -m perf");
    return;
  }

  start = g_get_monotonic_time ();
  for (int batch = 0; batch < 20; batch++) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;

    for (int i = 0; i < 500; i++) {
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(JsonObject) revisions = json_object_new ();
      g_autoptr(JsonArray) ids = json_array_new ();
      g_autofree char *id = g_strdup_printf ("note-%05d", batch * 500 + i);
      g_autofree char *hash = g_strdup_printf ("%032x", batch * 500 + i);
      g_autofree char *parent = g_strdup_printf ("%031x1", batch * 500 + i);
      g_autofree char *rev = g_strdup_printf ("2-%s", hash);
      g_autofree char *text = g_strdup_printf ("Note number %d, with a few words of text "
                                               "to make it look like one.", batch * 500 + i);

      json_array_add_string_element (ids, hash);
      json_array_add_string_element (ids, parent);
      json_object_set_int_member (revisions, "start", 2);
      json_object_set_array_member (revisions, "ids", g_steal_pointer (&ids));
      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "_rev", rev);
      json_object_set_object_member (doc, "_revisions", g_steal_pointer (&revisions));
      json_object_set_string_member (doc, "title", id);
      json_object_set_string_member (doc, "text", text);
      json_object_set_int_member (doc, "modified", 1700000000 + i);
      json_array_add_object_element (docs, g_steal_pointer (&doc));
    }
    rows = yun_doc_store_bulk_docs (f->store, "notes", docs, FALSE, &error);
    g_assert_no_error (error);
  }
  seconds = (g_get_monotonic_time () - start) / 1e6;

  changes = changes_of (f, 0, 0, YUN_DOC_STORE_CHANGES_MAIN_ONLY);
  g_assert_cmpuint (n_results (changes), ==,
                    10000);
  g_test_minimized_result (seconds, "replicated 10,000 notes in 20 _bulk_docs of 500 in %.3f s",
                           seconds);
}

/* Durability: a child writes and reports each acknowledged revision on a
 * pipe until it is killed at a random moment; whatever was acknowledged
 * must be there after reopening. */

#define COUNTER_ID "counter"

static void G_GNUC_NORETURN
durability_child (const char *path,
                  int         iteration,
                  int         fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = yun_doc_store_open (path, &error);
  g_autofree char *counter_rev = NULL;

  if (store == NULL)
    _exit (2);
  if (!yun_doc_store_create_db (store, "notes", &error) &&
      !g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS))
    _exit (3);
  g_clear_error (&error);

  {
    g_autoptr(JsonObject) current = yun_doc_store_get (store, "notes", COUNTER_ID, NULL, 0, NULL);

    if (current != NULL)
      counter_rev = g_strdup (json_object_get_string_member (current, "_rev"));
  }

  for (int i = 0; i < 100000; i++) {
    g_autoptr(JsonObject) doc = json_object_new ();
    g_autofree char *id = NULL;
    g_autofree char *rev = NULL;
    g_autofree char *line = NULL;
    gboolean with_att = i % 4 == 3;

    /* Alternate between new documents, attachments and a document that is
     * edited over and over. */
    if (i % 2 == 0) {
      id = g_strdup (COUNTER_ID);
      json_object_set_string_member (doc, "_id", id);
      if (counter_rev != NULL)
        json_object_set_string_member (doc, "_rev", counter_rev);
      json_object_set_int_member (doc, "n", i);
      rev = yun_doc_store_put (store, "notes", doc, NULL, &error);
      if (rev != NULL) {
        g_free (counter_rev);
        counter_rev = g_strdup (rev);
      }
    } else if (with_att) {
      g_autofree char *contents = g_strdup_printf ("attachment %d of run %d", i, iteration);

      gsize length = strlen (contents);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

      id = g_strdup_printf ("a%d-%d", iteration, i);
      rev = yun_doc_store_put_attachment (store, "notes", id, NULL, "f", "text/plain", bytes,
                                          &error);
    } else {
      id = g_strdup_printf ("d%d-%d", iteration, i);
      json_object_set_string_member (doc, "_id", id);
      json_object_set_int_member (doc, "i", i);
      rev = yun_doc_store_put (store, "notes", doc, NULL, &error);
    }
    if (rev == NULL)
      _exit (4);

    line = g_strdup_printf ("%s %s\n", id, rev);
    if (write (fd, line, strlen (line)) != (ssize_t) strlen (line))
      _exit (5);
  }
  _exit (0);
}

static void
check_acknowledged (YunDocStore *store,
                    GPtrArray   *acked)
{
  for (guint i = 0; i < acked->len; i++) {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (acked, i), " ", 2);

    if (strcmp (fields[0], COUNTER_ID) == 0) {
      /* The counter moves on; its acknowledged revision stays in the
       * tree, with the winner at least as new. */
      g_autoptr(JsonObject) current = yun_doc_store_get (store, "notes", COUNTER_ID, NULL,
                                                         YUN_DOC_STORE_GET_REVISIONS, &error);
      JsonObject *revisions;
      JsonArray *ids;
      guint pos = (guint) g_ascii_strtoull (fields[1], NULL, 10);
      guint start;

      g_assert_no_error (error);
      revisions = json_object_get_object_member (current, "_revisions");
      ids = json_object_get_array_member (revisions, "ids");
      start = (guint) json_object_get_int_member (revisions, "start");
      g_assert_cmpuint (start, >=, pos);
      /* Generations beyond revs_limit are stemmed, as they should be. */
      if (start - pos < json_array_get_length (ids))
        g_assert_cmpstr (json_array_get_string_element (ids, start - pos), ==,
                         strchr (fields[1], '-') + 1);
      else
        g_assert_cmpuint (json_array_get_length (ids), ==, YUN_DOC_STORE_DEFAULT_REVS_LIMIT);
      continue;
    }

    {
      g_autoptr(JsonObject) doc = yun_doc_store_get (store, "notes", fields[0], fields[1], 0, &error);

      g_assert_no_error (error);
      g_assert_nonnull (doc);
    }
    if (fields[0][0] == 'a') {
      g_autoptr(GBytes) data = yun_doc_store_get_attachment (store, "notes", fields[0], fields[1],
                                                             "f", NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (data);
    }
  }
}

static void
test_durability (Fixture       *f,
                 gconstpointer  data)
{
  const char *env = g_getenv ("YUN_DURABILITY_LOOPS");
  int loops = env != NULL ? atoi (env) : 20;
  g_autoptr(GPtrArray) all_acked = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_build_filename (f->dir, "durable.db", NULL);
  gint64 started = g_get_monotonic_time ();
  guint killed_mid_run = 0;

  for (int iteration = 0; iteration < loops; iteration++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GString) received = g_string_new (NULL);
    g_autoptr(YunDocStore) store = NULL;
    g_auto(GStrv) lines = NULL;
    int fds[2];
    int status;
    pid_t pid;
    char buffer[4096];
    ssize_t n;

    g_assert_cmpint (pipe (fds), ==, 0);
    pid = fork ();
    g_assert_cmpint (pid, >=, 0);
    if (pid == 0) {
      close (fds[0]);
      durability_child (path, iteration, fds[1]);
    }
    close (fds[1]);

    g_usleep (g_test_rand_int_range (0, 60000));
    g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    if (WIFSIGNALED (status))
      killed_mid_run++;
    else
      g_error ("the writer exited with status %d before it was killed", WEXITSTATUS (status));

    while ((n = read (fds[0], buffer, sizeof buffer)) > 0)
      g_string_append_len (received, buffer, n);
    close (fds[0]);

    /* Each line was one write() under PIPE_BUF, so it arrived whole. */
    lines = g_strsplit (received->str, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
      if (lines[i][0] != '\0')
        g_ptr_array_add (acked, g_strdup (lines[i]));
    }

    store = yun_doc_store_open (path, &error);
    g_assert_no_error (error);
    g_assert_true (yun_doc_store_check_integrity (store, &error));
    g_assert_no_error (error);
    if (acked->len > 0)
      check_acknowledged (store, acked);
    g_assert_finalize_object (g_steal_pointer (&store));

    for (guint i = 0; i < acked->len; i++)
      g_ptr_array_add (all_acked, g_strdup (g_ptr_array_index (acked, i)));
  }

  /* And everything from every run, once more at the end. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunDocStore) store = yun_doc_store_open (path, &error);

    g_assert_no_error (error);
    check_acknowledged (store, all_acked);
    g_assert_finalize_object (g_steal_pointer (&store));
  }

  g_test_message ("durability: %d kills, %u acknowledged writes checked, %.1f s",
                  loops, all_acked->len, (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpuint (killed_mid_run, ==, (guint) loops);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/yun/services/doc-store/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("create-update-conflict", test_create_update_conflict);
  ADD ("put-generates-id", test_put_generates_id);
  ADD ("rev-is-deterministic", test_rev_is_deterministic);
  ADD ("winner-longest-path", test_winner_longest_path);
  ADD ("winner-tie-highest-rev", test_winner_tie_highest_rev);
  ADD ("winner-not-deleted-beats-deleted", test_winner_not_deleted_beats_deleted);
  ADD ("winner-all-deleted", test_winner_all_deleted);
  ADD ("tombstones", test_tombstones);
  ADD ("changes-order-since-limit", test_changes_order_since_limit);
  ADD ("changes-all-docs-style", test_changes_all_docs_style);
  ADD ("all-docs", test_all_docs);
  ADD ("revs-diff", test_revs_diff);
  ADD ("revs-diff-bad-request", test_revs_diff_bad_request);
  ADD ("local-docs", test_local_docs);
  ADD ("attachments-round-trip", test_attachments_round_trip);
  ADD ("attachments-inline-and-stubs", test_attachments_inline_and_stubs);
  ADD ("attachments-from-stream-and-gc", test_attachments_from_stream_and_gc);
  ADD ("replication-is-idempotent", test_replication_is_idempotent);
  ADD ("replicated-stub-uses-known-attachment", test_replicated_stub_uses_known_attachment);
  ADD ("replicated-tree-merges-stemmed-branches", test_replicated_tree_merges_stemmed_branches);
  ADD ("open-revs", test_open_revs);
  ADD ("bulk-docs", test_bulk_docs);
  ADD ("failed-transaction-leaves-no-trace", test_failed_transaction_leaves_no_trace);
  ADD ("batch-all-or-none", test_batch_all_or_none);
  ADD ("reopen-keeps-everything", test_reopen_keeps_everything);
  ADD ("bad-ids", test_bad_ids);
  ADD ("bad-documents", test_bad_documents);
  ADD ("oversize-body", test_oversize_body);
  ADD ("databases", test_databases);
  ADD ("revs-limit-stems-tree", test_revs_limit_stems_tree);
  ADD ("schema-version", test_schema_version);
  ADD ("counts", test_counts);
  ADD ("threads", test_threads);
  ADD ("durability", test_durability);
  ADD ("perf-replicate-10k", test_perf_replicate_10k);

#undef ADD

  return g_test_run ();
}
