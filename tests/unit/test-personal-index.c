/* test-personal-index.c: indexes derived from the personal store's changes.
 *
 * Documents here are written straight into the store, as a replication or
 * another program would, never through the services: whatever enters the
 * store must be found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

#include "yun-test-personal.h"

typedef struct {
  YunTestPersonal personal;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const dbs[] = { "contacts", "notes", "messages", "calls", "photos" };

  yun_test_personal_set_up (&f->personal);
  for (guint i = 0; i < G_N_ELEMENTS (dbs); i++)
    g_assert_true (yun_doc_store_create_db (f->personal.store, dbs[i], NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  yun_test_personal_tear_down (&f->personal);
}

static char *
put (Fixture    *f,
     const char *db,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = yun_test_json_object (json);
  char *rev = yun_doc_store_put (f->personal.store, db, doc, NULL, &error);

  g_assert_no_error (error);
  return rev;
}

static void
put_replicated (Fixture    *f,
                const char *db,
                const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = yun_test_json_object (json);
  g_autofree char *rev = yun_doc_store_put_replicated (f->personal.store, db, doc, &error);

  g_assert_nonnull (rev);
  g_assert_no_error (error);
}

/* The ids found, joined by commas. */
static char *
join_ids (GPtrArray *ids)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  g_assert_nonnull (ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "," : "", (char *) g_ptr_array_index (ids, i));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static char *
find (Fixture                *f,
      const char             *query,
      YunPersonalIndexOrder   order)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = yun_personal_index_find_contacts (f->personal.index, query, order, 50,
                                                               &error);

  g_assert_no_error (error);
  return join_ids (ids);
}

static char *
list (Fixture    *f,
      const char *db,
      const char *thread,
      gint64      before)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = yun_personal_index_list (f->personal.index, db, thread, before, 50,
                                                      &error);

  g_assert_no_error (error);
  return join_ids (ids);
}

static void
test_follows_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *rev = put (f, "contacts", "{\"_id\": \"a\", \"name\": {\"formatted\": \"Ann Lee\"}}");
  g_autofree char *before = find (f, "ann", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_autofree char *after_edit = NULL;
  g_autofree char *old_name = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *tombstone = NULL;
  g_autofree char *after_delete = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (before, ==, "a");

  edit = yun_test_json_object ("{\"_id\": \"a\", \"name\": {\"formatted\": \"Bea Lee\"}}");
  json_object_set_string_member (edit, "_rev", rev);
  rev2 = yun_doc_store_put (f->personal.store, "contacts", edit, NULL, &error);
  g_assert_no_error (error);
  after_edit = find (f, "bea", YUN_PERSONAL_INDEX_ORDER_NAME);
  old_name = find (f, "ann", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (after_edit, ==, "a");
  g_assert_cmpstr (old_name, ==, "");

  tombstone = yun_doc_store_delete (f->personal.store, "contacts", "a", rev2, &error);
  g_assert_no_error (error);
  after_delete = find (f, "lee", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (after_delete, ==, "");
}

static void
test_conflict_winner_only (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *found = NULL;
  g_autofree char *loser = NULL;
  g_autofree char *tombstone = NULL;
  g_autoptr(GError) error = NULL;

  /* Two branches of generation 1; CouchDB's winner is the higher hash. */
  put_replicated (f, "contacts", "{\"_id\": \"c\", \"_rev\": \"1-aaaa\","
                                 " \"name\": {\"formatted\": \"Loser Branch\"}}");
  put_replicated (f, "contacts", "{\"_id\": \"c\", \"_rev\": \"1-ffff\","
                                 " \"name\": {\"formatted\": \"Winner Branch\"}}");
  found = find (f, "winner", YUN_PERSONAL_INDEX_ORDER_NAME);
  loser = find (f, "loser", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "c");
  g_assert_cmpstr (loser, ==, "");

  /* Deleting the winner leaves the other branch winning. */
  tombstone = yun_doc_store_delete (f->personal.store, "contacts", "c", "1-ffff", &error);
  g_assert_no_error (error);
  g_free (found);
  g_free (loser);
  found = find (f, "winner", YUN_PERSONAL_INDEX_ORDER_NAME);
  loser = find (f, "loser", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "");
  g_assert_cmpstr (loser, ==, "c");
}

static void
test_rebuild_from_scratch (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *r1 = put (f, "contacts", "{\"_id\": \"a\", \"name\": \"Ann\"}");
  g_autofree char *r2 = put (f, "calls", "{\"_id\": \"k\", \"number\": \"1\", \"time\": 5}");
  g_autofree char *first = find (f, "ann", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_autofree char *again = NULL;
  g_autofree char *calls = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (r1);
  g_assert_nonnull (r2);

  g_assert_cmpstr (first, ==, "a");

  /* The index file is thrown away. */
  g_assert_finalize_object (f->personal.index);
  f->personal.index = NULL;
  g_assert_cmpint (g_unlink (f->personal.index_path), ==, 0);
  f->personal.index = yun_personal_index_open (f->personal.store, f->personal.index_path, &error);
  g_assert_no_error (error);
  again = find (f, "ann", YUN_PERSONAL_INDEX_ORDER_NAME);
  calls = list (f, "calls", NULL, 0);
  g_assert_cmpstr (again, ==, "a");
  g_assert_cmpstr (calls, ==, "k");

  g_assert_true (yun_personal_index_rebuild (f->personal.index, &error));
  g_assert_no_error (error);
  g_free (again);
  again = find (f, "ann", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (again, ==, "a");
}

static void
test_damaged_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *rev = put (f, "contacts", "{\"_id\": \"a\", \"name\": \"Ann\"}");
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (rev);

  g_assert_finalize_object (f->personal.index);
  g_assert_true (g_file_set_contents (f->personal.index_path,
                                      "this is not a SQLite database, not even close......", -1,
                                      NULL));
  f->personal.index = yun_personal_index_open (f->personal.store, f->personal.index_path, &error);
  g_assert_no_error (error);
  found = find (f, "ann", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "a");
}

static void
test_malformed_docs (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const docs[] = {
    "{\"_id\": \"m1\", \"name\": 5, \"tel\": \"x\", \"email\": {}, \"updated\": \"yesterday\"}",
    "{\"_id\": \"m2\", \"name\": {\"formatted\": [1]}, \"tel\": [null, 3, {\"value\": 4}]}",
    "{\"_id\": \"m3\", \"updated\": -1e300, \"name\": \"\\u0301\\u0301\"}",
    "{\"_id\": \"m4\", \"name\": {\"given\": \"Ok\"}, \"email\": [\"OK@EXAMPLE.ORG\"]}",
  };
  g_autofree char *found = NULL;
  g_autofree char *by_email = NULL;
  g_autofree char *all = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    g_free (put (f, "contacts", docs[i]));
  g_free (put (f, "messages", "{\"_id\": \"x\", \"thread\": 7, \"time\": {}, \"read\": \"no\"}"));
  found = find (f, "ok", YUN_PERSONAL_INDEX_ORDER_NAME);
  by_email = find (f, "ok@ex", YUN_PERSONAL_INDEX_ORDER_RECENT);
  all = find (f, "", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "m4");
  g_assert_cmpstr (by_email, ==, "m4");
  /* Every contact is listed, the nameless after the named. */
  g_assert_true (g_str_has_prefix (all, "m4,"));
  g_assert_cmpuint (strlen (all), ==, strlen ("m4,m1,m2,m3"));
  g_free (all);
  all = list (f, "messages", NULL, 0);
  g_assert_cmpstr (all, ==, "x");
}

/* Many matches and few: both ways of answering give the same order. */
static void
test_common_and_rare_words (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) common = NULL;
  g_autoptr(GPtrArray) rare = NULL;
  g_autoptr(GPtrArray) recent = NULL;

  for (guint i = 0; i < 3000; i++) {
    g_autofree char *json = g_strdup_printf ("{\"_id\": \"p%04u\", \"name\": {\"formatted\":"
                                             " \"%s %04u Smith\"}, \"updated\": %u}",
                                             i, i % 100 == 0 ? "Rare" : "Common", 2999 - i, i);

    json_array_add_object_element (docs, yun_test_json_object (json));
  }
  rows = yun_doc_store_bulk_docs (f->personal.store, "contacts", docs, TRUE, &error);
  g_assert_no_error (error);

  /* "smith" matches all 3000: contacts are walked in name order. */
  common = yun_personal_index_find_contacts (f->personal.index, "smith", YUN_PERSONAL_INDEX_ORDER_NAME,
                                             5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (common->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (common, 0), ==, "p2999");
  g_assert_cmpstr (g_ptr_array_index (common, 4), ==, "p2995");

  /* "rare smith": 30 match "rare", read and sorted. */
  rare = yun_personal_index_find_contacts (f->personal.index, "smith rare",
                                           YUN_PERSONAL_INDEX_ORDER_NAME, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rare->len, ==, 30);
  g_assert_cmpstr (g_ptr_array_index (rare, 0), ==, "p2900");
  for (guint i = 1; i < rare->len; i++)
    g_assert_cmpstr (g_ptr_array_index (rare, i - 1), >, g_ptr_array_index (rare, i));

  recent = yun_personal_index_find_contacts (f->personal.index, "smi", YUN_PERSONAL_INDEX_ORDER_RECENT,
                                             3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (recent, 0), ==, "p2999");
  g_assert_cmpstr (g_ptr_array_index (recent, 2), ==, "p2997");
}

/* Three given names and four family names that share prefixes, so that
 * some words match more contacts than are read and sorted (the ranked
 * lists are walked) and some pairs match few (the rare word's contacts
 * are sorted). */
static const char * const two_word_given[] = { "James", "Jamal", "Dave" };
static const char * const two_word_family[] = { "Davis", "Jameson", "Smith", "Dawson" };

static char *
two_word_name (guint i)
{
  return g_strdup_printf ("%s %s %04u", two_word_given[i % G_N_ELEMENTS (two_word_given)],
                          two_word_family[(i / 3) % G_N_ELEMENTS (two_word_family)], i);
}

/* Distinct times in an order unrelated to the names'. */
static gint64
two_word_time (guint i)
{
  return 1000 + (i * 7919) % 3001;
}

static gboolean
words_match (const char *name,
             const char *query)
{
  g_autofree char *lower_name = g_ascii_strdown (name, -1);
  g_autofree char *lower_query = g_ascii_strdown (query, -1);
  g_auto(GStrv) words = g_strsplit (lower_name, " ", -1);
  g_auto(GStrv) wanted = g_strsplit (lower_query, " ", -1);

  for (guint i = 0; wanted[i] != NULL; i++) {
    gboolean found = FALSE;

    for (guint j = 0; words[j] != NULL && !found; j++)
      found = *wanted[i] != '\0' && g_str_has_prefix (words[j], wanted[i]);
    if (*wanted[i] != '\0' && !found)
      return FALSE;
  }
  return TRUE;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  g_autofree char *x = two_word_name (*(const guint *) a);
  g_autofree char *y = two_word_name (*(const guint *) b);

  return g_ascii_strcasecmp (x, y);
}

static int
compare_by_recency (gconstpointer a,
                    gconstpointer b)
{
  gint64 x = two_word_time (*(const guint *) a);
  gint64 y = two_word_time (*(const guint *) b);

  return (y > x) - (y < x);
}

/* The first 50 contacts of @n that match @query, as the index should rank
 * them, worked out the slow way. */
static char *
expected_ids (guint                  n,
              const char            *query,
              YunPersonalIndexOrder  order)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < n; i++) {
    g_autofree char *name = two_word_name (i);

    if (words_match (name, query))
      g_array_append_val (matches, i);
  }
  g_array_sort (matches, order == YUN_PERSONAL_INDEX_ORDER_NAME ? compare_by_name
                                                                : compare_by_recency);
  for (guint i = 0; i < MIN (matches->len, 50); i++)
    g_string_append_printf (joined, "%sc%04u", i > 0 ? "," : "", g_array_index (matches, guint, i));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static JsonObject *
two_word_contact (guint i)
{
  g_autofree char *name = two_word_name (i);
  g_autofree char *json = g_strdup_printf ("{\"_id\": \"c%04u\", \"name\": "
                                           "{\"formatted\": \"%s\"}, "
                                           "\"updated\": %" G_GINT64_FORMAT "}",
                                           i, name, two_word_time (i));

  return yun_test_json_object (json);
}

static void
put_two_word_contacts (Fixture *f,
                       guint    from,
                       guint    to)
{
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = from; i < to; i++)
    json_array_add_object_element (docs, two_word_contact (i));
  rows = yun_doc_store_bulk_docs (f->personal.store, "contacts", docs, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, to - from);
}

static const char * const two_word_queries[] = {
  "j", "ja", "jam", "james", "james d", "james da", "James Davis", "james davis 00",
  "da ja", "jameson james", "dave daw", "d d", "smith jam", "jam smith", "jamal jameson 12",
  "dav", "dave", "davis", "s", "zz", "james zz",
};

static void
assert_two_word_queries (Fixture *f,
                         guint    n)
{
  for (guint i = 0; i < G_N_ELEMENTS (two_word_queries); i++) {
    for (int order = YUN_PERSONAL_INDEX_ORDER_NAME; order <= YUN_PERSONAL_INDEX_ORDER_RECENT;
         order++) {
      g_autofree char *found = find (f, two_word_queries[i], order);
      g_autofree char *expected = expected_ids (n, two_word_queries[i], order);

      g_test_message ("%s, %s", two_word_queries[i], order == 0 ? "by name" : "by recency");
      g_assert_cmpstr (found, ==, expected);
    }
  }
}

static void
test_two_words_ranked (Fixture       *f,
                       gconstpointer  data)
{
  /* Built from nothing in bulk, then followed change by change. */
  put_two_word_contacts (f, 0, 2400);
  assert_two_word_queries (f, 2400);
  put_two_word_contacts (f, 2400, 3000);
  assert_two_word_queries (f, 3000);
}

/* Everything the index holds of contacts, by document id rather than by
 * its own row numbers, which differ from one build to the next. */
static char *
dump_contacts_index (Fixture *f)
{
  static const char * const queries[] = {
    "SELECT e.doc_id, e.rev, e.time, e.sort_key, e.terms FROM entries e "
    "WHERE e.db = 'contacts' ORDER BY 1",
    "SELECT e.doc_id, t.term, t.sort_key, t.time FROM terms t JOIN entries e ON e.id = t.entry "
    "ORDER BY 1, 2",
    "SELECT e.doc_id, p.prefix, p.sort_key FROM by_name p JOIN entries e ON e.id = p.entry "
    "ORDER BY 1, 2",
    "SELECT e.doc_id, p.prefix, p.time FROM by_time p JOIN entries e ON e.id = p.entry "
    "ORDER BY 1, 2",
  };
  g_autoptr(GString) dump = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->personal.index_path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (dump, "%s|", (const char *) sqlite3_column_text (stmt, c));
      g_string_append_c (dump, '\n');
    }
    g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
    g_string_append (dump, "--\n");
  }
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&dump), FALSE);
}

/* Two-word contacts from..to, and renames of every third one of
 * renamed_from..from, written through a store batch in chunks of 100
 * (the renames with the first) and indexed through an index batch as
 * they are written. */
static void
write_in_batches (Fixture *f,
                  guint    from,
                  guint    to,
                  guint    renamed_from,
                  gboolean write_between)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) renamed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  YunPersonalIndexBatch *index_batch;
  YunDocStoreBatch *store_batch;
  gint64 before = 0;
  gint64 after = 0;

  /* Read before the batch: the store is the batch's until it ends. */
  for (guint i = renamed_from; i < from; i += 3) {
    g_autofree char *id = g_strdup_printf ("c%04u", i);
    JsonObject *doc = yun_doc_store_get (f->personal.store, "contacts", id, NULL,
                                         YUN_DOC_STORE_GET_NONE, &error);

    g_assert_no_error (error);
    json_object_set_string_member (json_object_get_object_member (doc, "name"), "formatted",
                                   "Zoë Quincy-Batched");
    g_ptr_array_add (renamed, doc);
  }

  index_batch = yun_personal_index_batch_begin (f->personal.index, "contacts", &error);
  g_assert_no_error (error);
  /* Another writer gets in between the index's catch-up and the store's
   * batch. */
  if (write_between)
    g_free (put (f, "contacts", "{\"_id\": \"between\", \"name\": \"Zed Between\"}"));
  store_batch = yun_doc_store_batch_begin (f->personal.store, "contacts", &before, &error);
  g_assert_no_error (error);

  for (guint chunk = from; chunk < to; chunk += 100) {
    g_autoptr(JsonArray) docs = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;

    for (guint i = chunk; i < MIN (to, chunk + 100); i++)
      json_array_add_object_element (docs, two_word_contact (i));
    /* The renames go with the first chunk. */
    for (guint i = 0; chunk == from && i < renamed->len; i++)
      json_array_add_object_element (docs, json_object_ref (g_ptr_array_index (renamed, i)));
    rows = yun_doc_store_batch_write (store_batch, docs, TRUE, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (rows); i++) {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *doc = json_array_get_object_element (docs, i);

      g_assert_false (json_object_has_member (row, "error"));
      json_object_set_string_member (doc, "_rev", json_object_get_string_member (row, "rev"));
    }
    g_assert_true (yun_personal_index_batch_add (index_batch, docs, &error));
    g_assert_no_error (error);
  }
  g_assert_true (yun_doc_store_batch_commit (store_batch, &after, &error));
  g_assert_no_error (error);
  g_assert_true (yun_personal_index_batch_commit (index_batch, before, after, &error));
  g_assert_no_error (error);
}

/* What a batch indexes as it is written is what reading the changes
 * feed would have indexed: from nothing (terms in bulk), on top of an
 * index (renames replace terms), and when another write got in between,
 * which drops the batch and leaves the rest to the feed. */
static void
test_batch_equals_rebuild (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *batched = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *found = NULL;

  write_in_batches (f, 0, 450, 0, FALSE);
  write_in_batches (f, 450, 700, 100, FALSE);
  batched = dump_contacts_index (f);
  g_assert_nonnull (strstr (batched, "c0100|"));
  g_assert_nonnull (strstr (batched, "|w:quincy|"));
  g_assert_true (yun_personal_index_rebuild (f->personal.index, &error));
  g_assert_no_error (error);
  rebuilt = dump_contacts_index (f);
  g_assert_cmpstr (rebuilt, ==, batched);

  write_in_batches (f, 700, 800, 700, TRUE);
  found = find (f, "zed between", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "between");
  g_clear_pointer (&batched, g_free);
  g_clear_pointer (&rebuilt, g_free);
  batched = dump_contacts_index (f);
  g_assert_nonnull (strstr (batched, "c0799|"));
  g_assert_true (yun_personal_index_rebuild (f->personal.index, &error));
  g_assert_no_error (error);
  rebuilt = dump_contacts_index (f);
  g_assert_cmpstr (rebuilt, ==, batched);
}

/* A document twice in one batch is refused: the terms of the first are
 * not written yet.  The index then catches up from the changes feed. */
static void
test_batch_same_doc_twice (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) again = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonArray) rows_again = NULL;
  g_autofree char *found = NULL;
  YunPersonalIndexBatch *index_batch;
  YunDocStoreBatch *store_batch;

  put_two_word_contacts (f, 0, 10);
  index_batch = yun_personal_index_batch_begin (f->personal.index, "contacts", &error);
  g_assert_no_error (error);
  store_batch = yun_doc_store_batch_begin (f->personal.store, "contacts", NULL, &error);
  g_assert_no_error (error);
  json_array_add_object_element (docs, yun_test_json_object ("{\"_id\": \"twice\", "
                                                             "\"name\": \"Tess Twice\"}"));
  rows = yun_doc_store_batch_write (store_batch, docs, TRUE, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_array_get_object_element (docs, 0), "_rev",
                                 json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                                "rev"));
  g_assert_true (yun_personal_index_batch_add (index_batch, docs, &error));
  g_assert_no_error (error);

  json_array_add_object_element (again, yun_test_json_object ("{\"_id\": \"twice\", "
                                                              "\"name\": \"Tom Twice\"}"));
  json_object_set_string_member (json_array_get_object_element (again, 0), "_rev",
                                 json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                                "rev"));
  rows_again = yun_doc_store_batch_write (store_batch, again, TRUE, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_array_get_object_element (again, 0), "_rev",
                                 json_object_get_string_member (json_array_get_object_element (rows_again, 0),
                                                                "rev"));
  g_assert_false (yun_personal_index_batch_add (index_batch, again, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID);
  g_clear_error (&error);
  yun_personal_index_batch_abort (index_batch);
  g_assert_true (yun_doc_store_batch_commit (store_batch, NULL, &error));
  g_assert_no_error (error);

  found = find (f, "twice", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "twice");
  g_clear_pointer (&found, g_free);
  found = find (f, "tess", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, "");
}

static void
test_rebuild_equals_incremental (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *incremental = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *reopened = NULL;

  /* The first catch-up builds from nothing; the others follow changes:
   * new contacts, renamed ones (their old terms leave), deleted ones. */
  for (guint from = 0; from < 1000; from += 250) {
    put_two_word_contacts (f, from, from + 250);
    g_assert_true (yun_personal_index_catch_up (f->personal.index, NULL, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 1000; i += 7) {
    g_autofree char *id = g_strdup_printf ("c%04u", i);
    g_autoptr(JsonObject) doc = yun_doc_store_get (f->personal.store, "contacts", id, NULL,
                                                   YUN_DOC_STORE_GET_NONE, &error);
    g_autofree char *rev = NULL;

    g_assert_no_error (error);
    if (i % 2 == 0) {
      json_object_set_string_member (json_object_get_object_member (doc, "name"), "formatted",
                                     "Zoë Quincy-Renamed");
      json_object_set_int_member (doc, "updated", 99999 + i);
      rev = yun_doc_store_put (f->personal.store, "contacts", doc, NULL, &error);
    } else {
      rev = yun_doc_store_delete (f->personal.store, "contacts", id,
                                  json_object_get_string_member (doc, "_rev"), &error);
    }
    g_assert_no_error (error);
    g_assert_nonnull (rev);
  }
  g_assert_true (yun_personal_index_catch_up (f->personal.index, NULL, &error));
  g_assert_no_error (error);
  incremental = dump_contacts_index (f);
  g_assert_nonnull (strstr (incremental, "|w:quincy|"));
  g_assert_nonnull (strstr (incremental, "|w:zoe|"));
  g_assert_null (strstr (incremental, "c0007|"));

  g_assert_true (yun_personal_index_rebuild (f->personal.index, &error));
  g_assert_no_error (error);
  rebuilt = dump_contacts_index (f);
  g_assert_cmpstr (rebuilt, ==, incremental);

  /* From a new file, as after an upgrade. */
  g_assert_finalize_object (f->personal.index);
  f->personal.index = NULL;
  g_assert_cmpint (g_unlink (f->personal.index_path), ==, 0);
  f->personal.index = yun_personal_index_open (f->personal.store, f->personal.index_path, &error);
  g_assert_no_error (error);
  g_assert_true (yun_personal_index_catch_up (f->personal.index, NULL, &error));
  g_assert_no_error (error);
  reopened = dump_contacts_index (f);
  g_assert_cmpstr (reopened, ==, incremental);
}

static void
test_notes_search (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const queries[] = {
    "\"", "*", "NEAR(a b)", "title:x", "-", "AND OR NOT", "\xff", "^", "{}", "a\"b",
  };
  g_autofree char *milk = NULL;
  g_autofree char *tagged = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_free (put (f, "notes", "{\"_id\": \"n1\", \"title\": \"Shopping\", \"body\": \"Milk, eggs\","
                           " \"tags\": [\"home\"], \"updated\": 100}"));
  g_free (put (f, "notes", "{\"_id\": \"n2\", \"title\": \"Café\", \"body\": \"Oat milk latte\","
                           " \"tags\": [\"work\"], \"updated\": 200}"));
  milk = join_ids (yun_personal_index_search_notes (f->personal.index, "MIL", 10, &error));
  tagged = join_ids (yun_personal_index_search_notes (f->personal.index, "hom", 10, &error));
  both = join_ids (yun_personal_index_search_notes (f->personal.index, "cafe lat", 10, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (milk, ==, "n2,n1");
  g_assert_cmpstr (tagged, ==, "n1");
  g_assert_cmpstr (both, ==, "n2");

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
    found = yun_personal_index_search_notes (f->personal.index, queries[i], 10, &error);
    g_assert_no_error (error);
    g_assert_nonnull (found);
    g_clear_pointer (&found, g_ptr_array_unref);
  }
}

static void
test_list_by_time (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *all = NULL;
  g_autofree char *older = NULL;
  g_autofree char *photos = NULL;

  g_free (put (f, "calls", "{\"_id\": \"c1\", \"time\": 100}"));
  g_free (put (f, "calls", "{\"_id\": \"c2\", \"time\": 300}"));
  g_free (put (f, "calls", "{\"_id\": \"c3\", \"time\": 200}"));
  g_free (put (f, "photos", "{\"_id\": \"p1\", \"taken\": 5}"));
  g_free (put (f, "photos", "{\"_id\": \"p2\", \"taken\": 9}"));
  all = list (f, "calls", NULL, 0);
  older = list (f, "calls", NULL, 300);
  photos = list (f, "photos", NULL, 0);
  g_assert_cmpstr (all, ==, "c2,c3,c1");
  g_assert_cmpstr (older, ==, "c3,c1");
  g_assert_cmpstr (photos, ==, "p2,p1");
}

static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) threads = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *unread = NULL;
  JsonObject *first;

  g_free (put (f, "messages", "{\"_id\": \"m1\", \"thread\": \"bob\", \"time\": 1, \"read\": true}"));
  g_free (put (f, "messages", "{\"_id\": \"m2\", \"thread\": \"ann\", \"time\": 2, \"read\": false}"));
  g_free (put (f, "messages", "{\"_id\": \"m3\", \"thread\": \"bob\", \"time\": 3}"));
  threads = yun_personal_index_list_threads (f->personal.index, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (threads), ==, 2);
  first = json_array_get_object_element (threads, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "thread"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (first, "last_id"), ==, "m3");
  g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (first, "unread"), ==, 1);

  bob = list (f, "messages", "bob", 0);
  unread = join_ids (yun_personal_index_list_unread (f->personal.index, NULL, &error));
  g_assert_cmpstr (bob, ==, "m3,m1");
  g_assert_cmpstr (unread, ==, "m3,m2");
}

static void
test_missing_databases (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *rev = put (f, "calls", "{\"_id\": \"c1\", \"time\": 1}");
  g_autofree char *before = list (f, "calls", NULL, 0);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (rev);

  g_assert_cmpstr (before, ==, "c1");
  /* A database that goes away takes its entries with it. */
  g_assert_true (yun_doc_store_delete_db (f->personal.store, "calls", &error));
  after = list (f, "calls", NULL, 0);
  g_assert_cmpstr (after, ==, "");
}

static void
test_catch_up_with_docs (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) doc = yun_test_json_object ("{\"name\": \"Fresh Import\"}");
  g_autoptr(JsonObject) claim = NULL;
  g_autoptr(JsonArray) written = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *rev = yun_doc_store_put (f->personal.store, "contacts", doc, &id, &error);
  g_autofree char *found = NULL;
  g_autofree char *stale = NULL;

  g_assert_nonnull (rev);

  g_assert_no_error (error);
  /* A document handed over with a revision that is not the winner's is
   * not believed: the store is read instead. */
  claim = yun_test_json_object ("{\"name\": \"Stale Claim\"}");
  json_object_set_string_member (claim, "_id", id);
  json_object_set_string_member (claim, "_rev", "1-00000000000000000000000000000000");
  json_array_add_object_element (written, g_steal_pointer (&claim));
  g_assert_true (yun_personal_index_catch_up_with_docs (f->personal.index, "contacts", written,
                                                        &error));
  g_assert_no_error (error);
  found = find (f, "fresh", YUN_PERSONAL_INDEX_ORDER_NAME);
  stale = find (f, "stale", YUN_PERSONAL_INDEX_ORDER_NAME);
  g_assert_cmpstr (found, ==, id);
  g_assert_cmpstr (stale, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/personal-index/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("catch-up/follows-changes", test_follows_changes);
  ADD ("catch-up/conflict-winner-only", test_conflict_winner_only);
  ADD ("catch-up/missing-databases", test_missing_databases);
  ADD ("catch-up/with-docs-checks-revisions", test_catch_up_with_docs);
  ADD ("file/rebuild-from-scratch", test_rebuild_from_scratch);
  ADD ("file/damaged", test_damaged_file);
  ADD ("contacts/malformed-docs", test_malformed_docs);
  ADD ("contacts/common-and-rare-words", test_common_and_rare_words);
  ADD ("contacts/two-words-ranked", test_two_words_ranked);
  ADD ("file/rebuild-equals-incremental", test_rebuild_equals_incremental);
  ADD ("batch/equals-rebuild", test_batch_equals_rebuild);
  ADD ("batch/same-doc-twice", test_batch_same_doc_twice);
  ADD ("notes/search", test_notes_search);
  ADD ("list/by-time", test_list_by_time);
  ADD ("list/threads", test_threads);
#undef ADD

  return g_test_run ();
}
