/* yun-personal-index.c: secondary indexes over the personal document store.
 *
 * The index is derived data in a SQLite file of its own.  For each
 * database of the store it remembers the last sequence of the changes feed
 * it has read; a catch-up reads the feed from there, fetches each changed
 * document's winning revision and re-indexes it, or drops it when the
 * winner is a tombstone.  An entry remembers the revision it was made
 * from, so a change the index already reflects costs one lookup.
 *
 * One table of entries serves every database: contacts use their folded
 * display name as sort key and their updated time; notes, messages, calls
 * and photos use their time (messages also their thread and whether they
 * are unread).  Contacts have prefix terms in a table of their own, since
 * as-you-type search wants prefix ranges ordered by name or recency, which
 * a B-tree gives directly and bm25 over everything does not:
 *
 *   "w:<word>"     each word of the name, case and accents folded
 *   "w:<address>"  each e-mail address, folded
 *   "t:<digits>"   each number's digits, reversed, so that a suffix of the
 *                  number is a prefix of the term
 *
 * Each entry also keeps its terms in one column, " term term ...", so
 * that the other words of a query are checked on the row at hand.
 *
 * A prefix that many contacts match ("j", "james") is answered from
 * lists ranked already: each term's first one to PREFIX_CHARS characters
 * ("w:j", "w:ja", "w:jam"; a number's first YUN_PERSONAL_INDEX_MIN_DIGITS
 * digits) list the contacts that have it in name order (by_name) and in
 * time order (by_time).  A query walks the shortest such list of its words
 * in the order asked for and checks the rest on each entry, so it reads at
 * most one list: a page when the words are common, the list when they are
 * rare together.  Walking all contacts instead would read nearly all of
 * them for a word whose contacts sort last by name.
 *
 * Building from nothing (a new or rebuilt index) writes the entries first
 * and then all their terms, sorted, in the same transaction: B-trees
 * filled in key order instead of at random.  A batch (an import, written
 * through a store batch a chunk at a time) indexes its documents as they
 * are written and, the same way, writes the terms of the entries it made
 * in key order as it commits.
 *
 * Notes' words go to an FTS5 table, searched by word prefix and ranked by
 * recency.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-personal-index.h"

#include "yun-personal-data.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

#define SCHEMA_VERSION 5
/* Changes read from the feed at a time; a catch-up is one transaction. */
#define BATCH 500
/* Terms kept per contact, and the longest term, in bytes. */
#define MAX_TERMS 200
#define MAX_TERM 96
/* The words of a query that count. */
#define MAX_QUERY_WORDS 8
/* Up to this many contacts matching a query's rarest word are read and
 * sorted; past it, a ranked list of a word's prefix is walked in result
 * order and each entry tested. */
#define SORT_MAX 2000
/* The longest prefix, in characters, that has a ranked list. */
#define PREFIX_CHARS 3
/* Rows written by one INSERT when terms are written in key order. */
#define ROWS_PER_INSERT 50
/* Ranked lists are counted up to this many entries to pick the shortest. */
#define LIST_COUNT_MAX 20000

static const char * const indexed_dbs[] = {
  YUN_PERSONAL_DB_CONTACTS, YUN_PERSONAL_DB_NOTES, YUN_PERSONAL_DB_MESSAGES,
  YUN_PERSONAL_DB_CALLS, YUN_PERSONAL_DB_PHOTOS,
};

struct _YunPersonalIndex
{
  GObject parent_instance;

  /* Guards the connection.  Taken before the store's own lock, never
   * after it. */
  GMutex mutex;
  YunDocStore *store;
  sqlite3 *db;
  char *path;
  GHashTable *statements;
};

G_DEFINE_FINAL_TYPE (YunPersonalIndex, yun_personal_index, G_TYPE_OBJECT)

typedef sqlite3_stmt Statement;

static void
release_statement (Statement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, release_statement)

/* A statement prepared for one query only. */
typedef sqlite3_stmt OwnedStatement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwnedStatement, sqlite3_finalize)

/* What one document contributes to the index. */
typedef struct {
  gint64 time;
  char *sort_key;
  char *thread;
  gboolean unread;
  GPtrArray *terms;
  char *title;
  char *body;
  char *tags;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->sort_key);
  g_free (entry->thread);
  g_clear_pointer (&entry->terms, g_ptr_array_unref);
  g_free (entry->title);
  g_free (entry->body);
  g_free (entry->tags);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Entry, entry_clear)

static gboolean is_indexed_db (const char *db);

/* SQLite plumbing. */

static gboolean
set_sqlite_error (YunPersonalIndex  *self,
                  GError           **error,
                  const char        *what)
{
  g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_IO, "index %s: %s", what,
               sqlite3_errmsg (self->db));
  return FALSE;
}

static Statement *
statement (YunPersonalIndex  *self,
           const char        *sql,
           GError           **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
    set_sqlite_error (self, error, "preparing a query");
    return NULL;
  }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static int
step (YunPersonalIndex  *self,
      sqlite3_stmt      *stmt,
      GError           **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  set_sqlite_error (self, error, "reading or writing");
  return -1;
}

static gboolean
exec (YunPersonalIndex  *self,
      const char        *sql,
      GError           **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, "running its SQL");
  return TRUE;
}

static void
rollback (YunPersonalIndex *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

/* Text folding and terms. */

/* Case and accents folded: "Zoë" and "ZOE" both become "zoe". */
static char *
fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;
  const char *end;

  /* ASCII has no marks to drop, and folds by lowering its case. */
  for (end = text; *end != '\0' && (guchar) *end < 0x80; end++)
    ;
  if (*end == '\0')
    return g_ascii_strdown (text, -1);

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_strdup ("");
  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (!g_unichar_ismark (c))
      g_string_append_unichar (bare, c);
  }
  return g_utf8_casefold (bare->str, bare->len);
}

static gboolean
has_term (GPtrArray  *terms,
          const char *term)
{
  for (guint i = 0; i < terms->len; i++) {
    if (strcmp (g_ptr_array_index (terms, i), term) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Cuts a term to MAX_TERM bytes without splitting a character, and drops
 * its spaces: an entry's terms column is its terms joined by spaces. */
static void
add_term (GPtrArray  *terms,
          const char *prefix,
          const char *text,
          gsize       length)
{
  GString *term;

  if (terms->len >= MAX_TERMS)
    return;
  term = g_string_new (prefix);
  for (gsize i = 0; i < length && term->len < MAX_TERM; i++) {
    if (text[i] != ' ')
      g_string_append_c (term, text[i]);
  }
  /* A character cut in the middle goes whole. */
  while (term->len > strlen (prefix) && !g_utf8_validate (term->str, term->len, NULL))
    g_string_truncate (term, term->len - 1);
  /* A name's words come from its formatted form and from its parts. */
  if (term->len > strlen (prefix) && !has_term (terms, term->str))
    g_ptr_array_add (terms, g_string_free (term, FALSE));
  else
    g_string_free (term, TRUE);
}

/* Calls @func on each run of letters and digits of folded text. */
static void
split_words (const char *folded,
             void      (*func) (const char *word, gsize length, gpointer data),
             gpointer    data)
{
  const char *start = NULL;

  for (const char *p = folded;; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    gboolean in_word = c != 0 && g_unichar_isalnum (c);

    if (in_word && start == NULL)
      start = p;
    if (!in_word && start != NULL) {
      func (start, p - start, data);
      start = NULL;
    }
    if (c == 0)
      break;
  }
}

static void
add_word_term (const char *word,
               gsize       length,
               gpointer    data)
{
  add_term (data, "w:", word, length);
}

static char *
reversed_digits (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  }
  g_strreverse (digits->str);
  return g_string_free (digits, FALSE);
}

/* Reading stored documents, which may have come from a replication peer
 * and be of any shape. */

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
time_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE) {
    double value = json_node_get_double (node);

    return value >= 0 && value <= (double) YUN_PERSONAL_DATA_MAX_TIME ? (gint64) value : 0;
  }
  return 0;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* An entry of tel or email: {"value": ...} or a bare string. */
static const char *
list_value (JsonArray *list,
            guint      index)
{
  JsonNode *node = json_array_get_element (list, index);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return string_member (json_node_get_object (node), "value");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static char *
display_name (JsonObject *doc)
{
  static const char * const parts[] = { "prefix", "given", "additional", "family", "suffix" };
  JsonObject *name = object_member (doc, "name");
  g_autoptr(GString) joined = NULL;
  const char *text;

  if ((text = string_member (doc, "name")) != NULL)
    return g_strdup (text);
  if (name == NULL)
    return g_strdup ("");
  if ((text = string_member (name, "formatted")) != NULL && *text != '\0')
    return g_strdup (text);
  joined = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if ((text = string_member (name, parts[i])) != NULL && *text != '\0')
      g_string_append_printf (joined, "%s%s", joined->len > 0 ? " " : "", text);
  }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
extract_contact (JsonObject *doc,
                 Entry      *entry)
{
  static const char * const parts[] = { "given", "family", "additional", "prefix", "suffix" };
  g_autofree char *name = display_name (doc);
  g_autofree char *folded = fold (name);
  JsonObject *name_object = object_member (doc, "name");
  JsonArray *tel = array_member (doc, "tel");
  JsonArray *email = array_member (doc, "email");

  entry->terms = g_ptr_array_new_with_free_func (g_free);
  entry->time = time_member (doc, "updated");
  split_words (folded, add_word_term, entry->terms);
  for (guint i = 0; name_object != NULL && i < G_N_ELEMENTS (parts); i++) {
    const char *part = string_member (name_object, parts[i]);
    g_autofree char *folded_part = part != NULL ? fold (part) : NULL;

    if (folded_part != NULL)
      split_words (folded_part, add_word_term, entry->terms);
  }

  for (guint i = 0; email != NULL && i < json_array_get_length (email); i++) {
    const char *address = list_value (email, i);
    g_autofree char *folded_address = address != NULL ? fold (address) : NULL;

    if (folded_address != NULL) {
      add_term (entry->terms, "w:", folded_address, strlen (folded_address));
      if (*folded == '\0' && entry->sort_key == NULL)
        entry->sort_key = g_strdup (folded_address);
    }
  }
  for (guint i = 0; tel != NULL && i < json_array_get_length (tel); i++) {
    const char *number = list_value (tel, i);
    g_autofree char *digits = number != NULL ? reversed_digits (number) : NULL;

    if (digits != NULL) {
      add_term (entry->terms, "t:", digits, strlen (digits));
      if (*folded == '\0' && entry->sort_key == NULL)
        entry->sort_key = g_strdup (number);
    }
  }

  /* Nameless contacts sort by their address or number, after the named. */
  if (*folded != '\0')
    entry->sort_key = g_steal_pointer (&folded);
  else
    entry->sort_key = g_strconcat ("\xf4\x8f\xbf\xbf", entry->sort_key, NULL);
}

static char *
joined_strings (JsonArray *list)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
    const char *item = list_value (list, i);

    if (item != NULL)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", item);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
extract (const char *db,
         JsonObject *doc,
         Entry      *entry)
{
  if (strcmp (db, YUN_PERSONAL_DB_CONTACTS) == 0) {
    extract_contact (doc, entry);
  } else if (strcmp (db, YUN_PERSONAL_DB_NOTES) == 0) {
    entry->time = time_member (doc, "updated");
    entry->title = g_strdup (string_member (doc, "title"));
    entry->body = g_strdup (string_member (doc, "body"));
    entry->tags = joined_strings (array_member (doc, "tags"));
  } else if (strcmp (db, YUN_PERSONAL_DB_MESSAGES) == 0) {
    JsonNode *read = json_object_get_member (doc, "read");

    entry->time = time_member (doc, "time");
    entry->thread = g_strdup (string_member (doc, "thread"));
    entry->unread = !(read != NULL && JSON_NODE_HOLDS_VALUE (read) &&
                      json_node_get_value_type (read) == G_TYPE_BOOLEAN &&
                      json_node_get_boolean (read));
  } else if (strcmp (db, YUN_PERSONAL_DB_CALLS) == 0) {
    entry->time = time_member (doc, "time");
  } else {
    entry->time = time_member (doc, "taken");
  }
}

/* Writing entries. */

/* What the index holds of a document: its row, the revision it was made
 * from, its terms, " t1 t2 ..." (empty for all but contacts), and what it
 * is ranked by. */
typedef struct {
  gint64 row;
  char *rev;
  char *terms;
  char *sort_key;
  gint64 time;
} Indexed;

static void
indexed_clear (Indexed *indexed)
{
  g_free (indexed->rev);
  g_free (indexed->terms);
  g_free (indexed->sort_key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Indexed, indexed_clear)

static int
lookup_entry (YunPersonalIndex  *self,
              const char        *db,
              const char        *doc_id,
              Indexed           *indexed,
              GError           **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT id, rev, terms, sort_key, time FROM entries "
                                         "WHERE db = ? AND doc_id = ?",
                                         error);
  int rc;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, db);
  bind_text (stmt, 2, doc_id);
  rc = step (self, stmt, error);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? 0 : -1;
  indexed->row = sqlite3_column_int64 (stmt, 0);
  indexed->rev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  indexed->terms = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  indexed->sort_key = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  indexed->time = sqlite3_column_int64 (stmt, 4);
  return 1;
}

/* The ranked lists @term is in, added to @prefixes. */
static void
add_prefixes (GHashTable *prefixes,
              const char *term)
{
  const char *p = term + 2;

  if (g_str_has_prefix (term, "t:")) {
    if (strlen (p) >= YUN_PERSONAL_INDEX_MIN_DIGITS)
      g_hash_table_add (prefixes, g_strndup (term, 2 + YUN_PERSONAL_INDEX_MIN_DIGITS));
    return;
  }
  for (guint n = 0; *p != '\0' && n < PREFIX_CHARS; n++) {
    p = g_utf8_next_char (p);
    g_hash_table_add (prefixes, g_strndup (term, p - term));
  }
}

typedef enum {
  ROWS_INSERT,
  ROWS_DELETE,
} RowsOp;

/* A row of the terms table or of the ranked lists, gathered for a build
 * from nothing; the strings are the chunk's. */
typedef struct {
  const char *key;
  const char *sort_key;
  gint64 entry;
  gint64 time;
} BulkRow;

typedef struct {
  GStringChunk *strings;
  GArray *terms;
  GArray *prefixes;
} Bulk;

static void
bulk_init (Bulk *bulk)
{
  bulk->strings = g_string_chunk_new (4096);
  bulk->terms = g_array_new (FALSE, FALSE, sizeof (BulkRow));
  bulk->prefixes = g_array_new (FALSE, FALSE, sizeof (BulkRow));
}

static void
bulk_clear (Bulk *bulk)
{
  g_clear_pointer (&bulk->strings, g_string_chunk_free);
  g_clear_pointer (&bulk->terms, g_array_unref);
  g_clear_pointer (&bulk->prefixes, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Bulk, bulk_clear)

/* Each statement binds ?1 the term or prefix, ?2 the entry, ?3 its sort
 * key and ?4 its time, whichever it uses. */
static const char * const term_sql[] = {
  [ROWS_INSERT] = "INSERT OR IGNORE INTO terms (term, entry, sort_key, time) "
                  "VALUES (?1, ?2, ?3, ?4)",
  [ROWS_DELETE] = "DELETE FROM terms WHERE term = ?1 AND entry = ?2",
};
static const char * const by_name_sql[] = {
  [ROWS_INSERT] = "INSERT OR IGNORE INTO by_name (prefix, entry, sort_key) VALUES (?1, ?2, ?3)",
  [ROWS_DELETE] = "DELETE FROM by_name WHERE prefix = ?1 AND sort_key = ?3 AND entry = ?2",
};
static const char * const by_time_sql[] = {
  [ROWS_INSERT] = "INSERT OR IGNORE INTO by_time (prefix, entry, time) VALUES (?1, ?2, ?4)",
  [ROWS_DELETE] = "DELETE FROM by_time WHERE prefix = ?1 AND time = ?4 AND entry = ?2",
};

static gboolean
run_row (YunPersonalIndex  *self,
         const char        *sql,
         const char        *key,
         gint64             row,
         const char        *sort_key,
         gint64             time,
         GError           **error)
{
  g_autoptr(Statement) stmt = statement (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, row);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    bind_text (stmt, 3, sort_key);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_int64 (stmt, 4, time);
  return step (self, stmt, error) == SQLITE_DONE;
}

static void
bulk_add (Bulk       *bulk,
          GArray     *rows,
          const char *key,
          const char *sort_key,
          gint64      entry,
          gint64      time)
{
  BulkRow row = {
    g_string_chunk_insert_const (bulk->strings, key),
    sort_key,
    entry,
    time,
  };

  g_array_append_val (rows, row);
}

/* Writes (or deletes) the rows of the terms table and of the ranked lists
 * for the entry @row whose terms column is @terms; with @bulk, gathers
 * the rows to write instead. */
static gboolean
write_term_rows (YunPersonalIndex  *self,
                 RowsOp             op,
                 Bulk              *bulk,
                 gint64             row,
                 const char        *terms,
                 const char        *sort_key,
                 gint64             time,
                 GError           **error)
{
  g_auto(GStrv) split = g_strsplit (terms, " ", -1);
  g_autoptr(GHashTable) prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  const char *prefix;

  if (bulk != NULL)
    sort_key = g_string_chunk_insert_const (bulk->strings, sort_key);
  for (guint i = 0; split[i] != NULL; i++) {
    if (*split[i] == '\0')
      continue;
    if (bulk != NULL)
      bulk_add (bulk, bulk->terms, split[i], sort_key, row, time);
    else if (!run_row (self, term_sql[op], split[i], row, sort_key, time, error))
      return FALSE;
    add_prefixes (prefixes, split[i]);
  }
  g_hash_table_iter_init (&iter, prefixes);
  while (g_hash_table_iter_next (&iter, (gpointer *) &prefix, NULL)) {
    if (bulk != NULL)
      bulk_add (bulk, bulk->prefixes, prefix, sort_key, row, time);
    else if (!run_row (self, by_name_sql[op], prefix, row, sort_key, time, error) ||
             !run_row (self, by_time_sql[op], prefix, row, sort_key, time, error))
      return FALSE;
  }
  return TRUE;
}

/* In @bulk, the entry's terms are not written yet: they are written at the
 * end of the catch-up, from the entries then. */
static gboolean
delete_entry (YunPersonalIndex  *self,
              const Indexed     *indexed,
              gboolean           bulk,
              GError           **error)
{
  g_autoptr(Statement) text = NULL;
  g_autoptr(Statement) entry = NULL;

  if (!bulk && !write_term_rows (self, ROWS_DELETE, NULL, indexed->row, indexed->terms,
                                 indexed->sort_key, indexed->time, error))
    return FALSE;
  text = statement (self, "DELETE FROM note_text WHERE rowid = ?", error);
  entry = statement (self, "DELETE FROM entries WHERE id = ?", error);
  if (text == NULL || entry == NULL)
    return FALSE;
  sqlite3_bind_int64 (text, 1, indexed->row);
  sqlite3_bind_int64 (entry, 1, indexed->row);
  return step (self, text, error) == SQLITE_DONE && step (self, entry, error) == SQLITE_DONE;
}

static char *
joined_terms (GPtrArray *terms)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; terms != NULL && i < terms->len; i++) {
    g_string_append_c (joined, ' ');
    g_string_append (joined, g_ptr_array_index (terms, i));
  }
  return g_string_free (joined, FALSE);
}

/* Indexes the winning revision @doc, in place of what @indexed (when not
 * NULL) was made from.  With @bulk, its terms are left for later; with
 * @gather too, they are gathered there. */
static gboolean
insert_entry (YunPersonalIndex  *self,
              const char        *db,
              JsonObject        *doc,
              const Indexed     *indexed,
              gboolean           bulk,
              Bulk              *gather,
              GError           **error)
{
  g_auto(Entry) entry = { 0 };
  g_autoptr(Statement) insert = NULL;
  g_autofree char *terms = NULL;
  gint64 row;

  extract (db, doc, &entry);
  terms = joined_terms (entry.terms);
  if (indexed != NULL && !delete_entry (self, indexed, bulk, error))
    return FALSE;

  insert = statement (self,
                      "INSERT INTO entries (db, doc_id, rev, time, sort_key, thread, unread, terms) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      error);
  if (insert == NULL)
    return FALSE;
  bind_text (insert, 1, db);
  bind_text (insert, 2, json_object_get_string_member (doc, "_id"));
  bind_text (insert, 3, json_object_get_string_member (doc, "_rev"));
  sqlite3_bind_int64 (insert, 4, entry.time);
  bind_text (insert, 5, entry.sort_key != NULL ? entry.sort_key : "");
  bind_text (insert, 6, entry.thread);
  sqlite3_bind_int (insert, 7, entry.unread);
  bind_text (insert, 8, terms);
  if (step (self, insert, error) != SQLITE_DONE)
    return FALSE;
  row = sqlite3_last_insert_rowid (self->db);

  if ((!bulk || gather != NULL) &&
      !write_term_rows (self, ROWS_INSERT, gather, row, terms,
                        entry.sort_key != NULL ? entry.sort_key : "", entry.time, error))
    return FALSE;

  if (strcmp (db, YUN_PERSONAL_DB_NOTES) == 0) {
    g_autoptr(Statement) text = statement (self,
                                           "INSERT INTO note_text (rowid, title, body, tags) "
                                           "VALUES (?, ?, ?, ?)",
                                           error);

    if (text == NULL)
      return FALSE;
    sqlite3_bind_int64 (text, 1, row);
    bind_text (text, 2, entry.title);
    bind_text (text, 3, entry.body);
    bind_text (text, 4, entry.tags);
    if (step (self, text, error) != SQLITE_DONE)
      return FALSE;
  }
  return TRUE;
}

/* With @bulk, nothing of @db was indexed before this catch-up began, when
 * its last sequence was @fresh_up_to. */
static gboolean
index_change (YunPersonalIndex  *self,
              const char        *db,
              JsonObject        *row,
              GHashTable        *written,
              gboolean           bulk,
              gint64             fresh_up_to,
              GError           **error)
{
  const char *doc_id = string_member (row, "id");
  JsonArray *changes = array_member (row, "changes");
  JsonNode *deleted = json_object_get_member (row, "deleted");
  const char *rev = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Indexed) indexed = { 0 };
  JsonObject *hint;
  int found;

  if (doc_id == NULL || doc_id[0] == '_')
    return TRUE;
  /* Building from nothing, a document is met once unless it changed
   * since the building began. */
  found = bulk && json_object_get_int_member_with_default (row, "seq", G_MAXINT64) <= fresh_up_to
          ? 0 : lookup_entry (self, db, doc_id, &indexed, error);
  if (found < 0)
    return FALSE;
  if (deleted != NULL && json_node_get_boolean (deleted))
    return !found || delete_entry (self, &indexed, bulk, error);

  if (changes != NULL && json_array_get_length (changes) > 0)
    rev = string_member (json_array_get_object_element (changes, 0), "rev");
  if (found && rev != NULL && g_strcmp0 (indexed.rev, rev) == 0)
    return TRUE;

  /* A document the caller has just written, at the winning revision. */
  hint = written != NULL ? g_hash_table_lookup (written, doc_id) : NULL;
  if (hint != NULL && rev != NULL && g_strcmp0 (string_member (hint, "_rev"), rev) == 0)
    return insert_entry (self, db, hint, found ? &indexed : NULL, bulk, NULL, error);

  /* The winner now: it may be newer than the feed's row, which is fine;
   * the next catch-up meets it again and finds it current. */
  doc = yun_doc_store_get (self->store, db, doc_id, NULL, YUN_DOC_STORE_GET_NONE, &local_error);
  if (doc == NULL) {
    if (g_error_matches (local_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND))
      return !found || delete_entry (self, &indexed, bulk, error);
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_IO,
                 "indexing %s/%s: %s", db, doc_id, local_error->message);
    return FALSE;
  }
  return insert_entry (self, db, doc, found ? &indexed : NULL, bulk, NULL, error);
}

static gboolean
read_progress (YunPersonalIndex  *self,
               const char        *db,
               gint64            *seq,
               GError           **error)
{
  g_autoptr(Statement) stmt = statement (self, "SELECT seq FROM progress WHERE db = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, db);
  rc = step (self, stmt, error);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return rc >= 0;
}

static gboolean
write_progress (YunPersonalIndex  *self,
                const char        *db,
                gint64             seq,
                GError           **error)
{
  g_autoptr(Statement) stmt = statement (self, "INSERT OR REPLACE INTO progress (db, seq) VALUES (?, ?)",
                                         error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, db);
  sqlite3_bind_int64 (stmt, 2, seq);
  return step (self, stmt, error) == SQLITE_DONE;
}

static gboolean
forget_db (YunPersonalIndex  *self,
           const char        *db,
           GError           **error)
{
  static const char * const lists[] = {
    "DELETE FROM terms WHERE entry IN (SELECT id FROM entries WHERE db = ?)",
    "DELETE FROM by_name WHERE entry IN (SELECT id FROM entries WHERE db = ?)",
    "DELETE FROM by_time WHERE entry IN (SELECT id FROM entries WHERE db = ?)",
  };
  g_autoptr(Statement) text = NULL;
  g_autoptr(Statement) entries = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++) {
    g_autoptr(Statement) list = statement (self, lists[i], error);

    if (list == NULL)
      return FALSE;
    bind_text (list, 1, db);
    if (step (self, list, error) != SQLITE_DONE)
      return FALSE;
  }
  if (strcmp (db, YUN_PERSONAL_DB_NOTES) == 0) {
    text = statement (self, "DELETE FROM note_text", error);
    if (text == NULL || step (self, text, error) != SQLITE_DONE)
      return FALSE;
  }
  entries = statement (self, "DELETE FROM entries WHERE db = ?", error);
  if (entries == NULL)
    return FALSE;
  bind_text (entries, 1, db);
  return step (self, entries, error) == SQLITE_DONE && write_progress (self, db, 0, error);
}

typedef enum {
  BY_TERM,
  BY_NAME,
  BY_TIME,
} BulkOrder;

/* Rows in the order of a table's key: the term or prefix, then the sort
 * key or time for the ranked lists, then the entry. */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const BulkRow *x = a;
  const BulkRow *y = b;
  BulkOrder order = GPOINTER_TO_INT (data);
  int c = strcmp (x->key, y->key);

  if (c == 0 && order == BY_NAME)
    c = strcmp (x->sort_key, y->sort_key);
  if (c == 0 && order == BY_TIME)
    c = (x->time > y->time) - (x->time < y->time);
  return c != 0 ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* The columns of each table's rows, as the numbers run_row() binds them
 * to: 1 the term or prefix, 2 the entry, 3 its sort key, 4 its time. */
static const struct {
  const char *insert;
  guint columns[4];
  guint n_columns;
} bulk_tables[] = {
  [BY_TERM] = { "INSERT OR IGNORE INTO terms (term, entry, sort_key, time) VALUES ",
                { 1, 2, 3, 4 }, 4 },
  [BY_NAME] = { "INSERT OR IGNORE INTO by_name (prefix, entry, sort_key) VALUES ",
                { 1, 2, 3 }, 3 },
  [BY_TIME] = { "INSERT OR IGNORE INTO by_time (prefix, entry, time) VALUES ",
                { 1, 2, 4 }, 3 },
};

/* An INSERT of @n rows into the table of @order; row i binds ?4i+1 to
 * ?4i+4. */
static OwnedStatement *
prepare_rows (YunPersonalIndex  *self,
              BulkOrder          order,
              guint              n,
              GError           **error)
{
  g_autoptr(GString) sql = g_string_new (bulk_tables[order].insert);
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; i < n; i++) {
    g_string_append (sql, i > 0 ? ", (" : "(");
    for (guint c = 0; c < bulk_tables[order].n_columns; c++)
      g_string_append_printf (sql, "%s?%u", c > 0 ? ", " : "", 4 * i + bulk_tables[order].columns[c]);
    g_string_append_c (sql, ')');
  }
  if (sqlite3_prepare_v2 (self->db, sql->str, (int) sql->len, &stmt, NULL) != SQLITE_OK) {
    set_sqlite_error (self, error, "preparing a query");
    return NULL;
  }
  return stmt;
}

/* Binds @rows to @stmt, whose strings outlive its next step. */
static void
bind_rows (sqlite3_stmt  *stmt,
           const BulkRow *rows,
           guint          n)
{
  for (guint i = 0; i < n; i++) {
    sqlite3_bind_text (stmt, 4 * i + 1, rows[i].key, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4 * i + 2, rows[i].entry);
    sqlite3_bind_text (stmt, 4 * i + 3, rows[i].sort_key, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4 * i + 4, rows[i].time);
  }
}

/* Writes @rows in the table's key order, ROWS_PER_INSERT to a statement:
 * stepping one statement per row would cost more than the B-tree. */
static gboolean
insert_sorted (YunPersonalIndex  *self,
               GArray            *rows,
               BulkOrder          order,
               GError           **error)
{
  const BulkRow *row = (const BulkRow *) rows->data;
  g_autoptr(OwnedStatement) full = NULL;
  g_autoptr(OwnedStatement) rest = NULL;
  guint n = rows->len;

  g_array_sort_with_data (rows, compare_rows, GINT_TO_POINTER (order));
  if (n >= ROWS_PER_INSERT && (full = prepare_rows (self, order, ROWS_PER_INSERT, error)) == NULL)
    return FALSE;
  for (; n >= ROWS_PER_INSERT; n -= ROWS_PER_INSERT, row += ROWS_PER_INSERT) {
    bind_rows (full, row, ROWS_PER_INSERT);
    if (step (self, full, error) != SQLITE_DONE)
      return FALSE;
    sqlite3_reset (full);
  }
  if (n == 0)
    return TRUE;
  rest = prepare_rows (self, order, n, error);
  if (rest == NULL)
    return FALSE;
  bind_rows (rest, row, n);
  return step (self, rest, error) == SQLITE_DONE;
}

/* Writes the rows gathered in @bulk, each table in its key order. */
static gboolean
insert_gathered (YunPersonalIndex  *self,
                 Bulk              *bulk,
                 GError           **error)
{
  return insert_sorted (self, bulk->terms, BY_TERM, error) &&
         insert_sorted (self, bulk->prefixes, BY_NAME, error) &&
         insert_sorted (self, bulk->prefixes, BY_TIME, error);
}

/* Writes the terms of every entry of @db, which have none yet, each table
 * in its key order: a B-tree filled in order is written once, page by
 * page, where one filled at random is read and written all over. */
static gboolean
write_terms_in_bulk (YunPersonalIndex  *self,
                     const char        *db,
                     GError           **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT id, terms, sort_key, time FROM entries "
                                         "WHERE db = ? AND terms != ''",
                                         error);
  g_auto(Bulk) bulk = { 0 };
  int rc;

  if (stmt == NULL)
    return FALSE;
  bulk_init (&bulk);
  bind_text (stmt, 1, db);
  while ((rc = step (self, stmt, error)) == SQLITE_ROW) {
    write_term_rows (self, ROWS_INSERT, &bulk, sqlite3_column_int64 (stmt, 0),
                     (const char *) sqlite3_column_text (stmt, 1),
                     (const char *) sqlite3_column_text (stmt, 2),
                     sqlite3_column_int64 (stmt, 3), error);
  }
  return rc == SQLITE_DONE && insert_gathered (self, &bulk, error);
}

/* Reads the changes feed of @db from where the index left it, all in one
 * transaction of the index.  From nothing, the entries are written first
 * and their terms last, in bulk. */
static gboolean
catch_up_locked (YunPersonalIndex  *self,
                 const char        *db,
                 GHashTable        *written,
                 GError           **error)
{
  gboolean began = FALSE;
  gboolean bulk;
  gint64 fresh_up_to = 0;
  gint64 seq;

  if (!read_progress (self, db, &seq, error))
    return FALSE;
  bulk = seq == 0;
  if (bulk) {
    g_autoptr(JsonObject) info = yun_doc_store_get_db_info (self->store, db, NULL);

    /* A database that is not there is met below. */
    fresh_up_to = info != NULL ? json_object_get_int_member (info, "update_seq") : 0;
  }

  for (;;) {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(JsonObject) feed = yun_doc_store_changes (self->store, db, seq, BATCH,
                                                        YUN_DOC_STORE_CHANGES_MAIN_ONLY,
                                                        &local_error);
    JsonArray *results;
    guint n;

    if (feed == NULL) {
      /* A database that is not there has nothing to index. */
      if (g_error_matches (local_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND)) {
        if (seq == 0 && !began)
          return TRUE;
        if ((!began && !exec (self, "BEGIN IMMEDIATE", error)) ||
            !forget_db (self, db, error) || !exec (self, "COMMIT", error)) {
          rollback (self);
          return FALSE;
        }
        return TRUE;
      }
      g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_IO,
                   "reading the changes of %s: %s", db, local_error->message);
      rollback (self);
      return FALSE;
    }

    results = json_object_get_array_member (feed, "results");
    n = json_array_get_length (results);
    if (n == 0)
      break;

    if (!began && !exec (self, "BEGIN IMMEDIATE", error))
      return FALSE;
    began = TRUE;
    for (guint i = 0; i < n; i++) {
      if (!index_change (self, db, json_array_get_object_element (results, i), written, bulk,
                         fresh_up_to, error)) {
        rollback (self);
        return FALSE;
      }
    }
    seq = json_object_get_int_member (feed, "last_seq");
    if (n < BATCH)
      break;
  }
  if (!began)
    return TRUE;
  /* Only contacts have terms. */
  if ((bulk && strcmp (db, YUN_PERSONAL_DB_CONTACTS) == 0 &&
       !write_terms_in_bulk (self, db, error)) ||
      !write_progress (self, db, seq, error) || !exec (self, "COMMIT", error)) {
    rollback (self);
    return FALSE;
  }
  return TRUE;
}

/* GObject. */

static void
yun_personal_index_finalize (GObject *object)
{
  YunPersonalIndex *self = YUN_PERSONAL_INDEX (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_object (&self->store);
  g_free (self->path);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (yun_personal_index_parent_class)->finalize (object);
}

static void
yun_personal_index_class_init (YunPersonalIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_personal_index_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
yun_personal_index_init (YunPersonalIndex *self)
{
  g_mutex_init (&self->mutex);
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            finalize_statement);
}

static const char schema[] =
  "DROP TABLE IF EXISTS progress;"
  "DROP TABLE IF EXISTS entries;"
  "DROP TABLE IF EXISTS terms;"
  "DROP TABLE IF EXISTS note_text;"
  "DROP TABLE IF EXISTS by_name;"
  "DROP TABLE IF EXISTS by_time;"
  "CREATE TABLE progress (db TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE entries ("
  "  id INTEGER PRIMARY KEY,"
  "  db TEXT NOT NULL,"
  "  doc_id TEXT NOT NULL,"
  "  rev TEXT NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  sort_key TEXT NOT NULL,"
  "  thread TEXT,"
  "  unread INTEGER NOT NULL,"
  "  terms TEXT NOT NULL,"
  "  UNIQUE (db, doc_id)"
  ");"
  "CREATE INDEX entries_by_time ON entries (db, time, id);"
  "CREATE INDEX entries_by_key ON entries (db, sort_key, id);"
  "CREATE INDEX entries_by_thread ON entries (db, thread, time, id) WHERE thread IS NOT NULL;"
  /* A term's matches carry what they are ranked by, so that reading and
   * sorting them needs no table rows either. */
  "CREATE TABLE terms ("
  "  term TEXT NOT NULL,"
  "  entry INTEGER NOT NULL,"
  "  sort_key TEXT NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  PRIMARY KEY (term, entry)"
  ") WITHOUT ROWID;"
  /* The ranked lists of short prefixes, in the orders a query asks for. */
  "CREATE TABLE by_name ("
  "  prefix TEXT NOT NULL,"
  "  sort_key TEXT NOT NULL,"
  "  entry INTEGER NOT NULL,"
  "  PRIMARY KEY (prefix, sort_key, entry)"
  ") WITHOUT ROWID;"
  "CREATE TABLE by_time ("
  "  prefix TEXT NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  entry INTEGER NOT NULL,"
  "  PRIMARY KEY (prefix, time, entry)"
  ") WITHOUT ROWID;"
  "CREATE VIRTUAL TABLE note_text USING fts5 (title, body, tags,"
  "  tokenize = 'unicode61 remove_diacritics 2');";

static gboolean
open_file (YunPersonalIndex  *self,
           GError           **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", SCHEMA_VERSION);
  sqlite3_stmt *version = NULL;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_IO, "opening %s: %s",
                 self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
    return FALSE;
  }
  sqlite3_busy_timeout (self->db, 5000);

  /* The index can always be made again, so a crash may cost its last
   * transactions (NORMAL), never its consistency (WAL). */
  /* Searching reads the index all over: mapped into memory, that costs no
   * system call per page, which on a phone is most of a query's time. */
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !exec (self, "PRAGMA mmap_size = 268435456", error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &version, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, "reading its version");
  rc = sqlite3_step (version);
  rc = rc == SQLITE_ROW ? sqlite3_column_int (version, 0) : -1;
  sqlite3_finalize (version);
  if (rc < 0)
    return set_sqlite_error (self, error, "reading its version");
  if (rc == SCHEMA_VERSION)
    return TRUE;

  /* Another version's index, or none: start afresh. */
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!exec (self, schema, error) || !exec (self, set_version, error) ||
      !exec (self, "COMMIT", error)) {
    rollback (self);
    return FALSE;
  }
  return TRUE;
}

static void
remove_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

    g_unlink (file);
  }
}

/**
 * yun_personal_index_open:
 * @store: the personal document store
 * @path: the index's SQLite file; created when missing
 * @error: return location for a #YunPersonalDataError
 *
 * Opens the index of @store.  A file that is damaged, or of another
 * version of the index, is started afresh: everything in it can be made
 * again from the store, which the first query of each database does.
 *
 * Returns: (transfer full): the index, or %NULL with
 *   %YUN_PERSONAL_DATA_ERROR_IO
 */
YunPersonalIndex *
yun_personal_index_open (YunDocStore  *store,
                         const char   *path,
                         GError      **error)
{
  g_autoptr(YunPersonalIndex) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (YUN_IS_DOC_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_PERSONAL_INDEX, NULL);
  self->store = g_object_ref (store);
  self->path = g_strdup (path);
  if (open_file (self, &local_error))
    return g_steal_pointer (&self);

  g_debug ("starting the index %s afresh: %s", path, local_error->message);
  g_hash_table_remove_all (self->statements);
  sqlite3_close (self->db);
  self->db = NULL;
  remove_files (path);
  if (!open_file (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * yun_personal_index_get_store:
 * @self: a #YunPersonalIndex
 *
 * Returns: (transfer none): the store the index is made from
 */
YunDocStore *
yun_personal_index_get_store (YunPersonalIndex *self)
{
  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);

  return self->store;
}

/**
 * yun_personal_index_catch_up:
 * @self: a #YunPersonalIndex
 * @db: (nullable): one of the indexed databases, or %NULL for all
 * @error: return location for a #YunPersonalDataError
 *
 * Indexes what changed in the store since the last catch-up.  Queries do
 * this themselves; writers call it after writing so that the cost falls on
 * them.
 *
 * Returns: %TRUE when the index is up to date
 */
gboolean
yun_personal_index_catch_up (YunPersonalIndex  *self,
                             const char        *db,
                             GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  for (guint i = 0; i < G_N_ELEMENTS (indexed_dbs); i++) {
    if ((db == NULL || strcmp (db, indexed_dbs[i]) == 0) &&
        !catch_up_locked (self, indexed_dbs[i], NULL, error))
      return FALSE;
  }
  return TRUE;
}

/**
 * yun_personal_index_catch_up_with_docs:
 * @self: a #YunPersonalIndex
 * @db: one of the indexed databases
 * @written: documents the caller has just written, each with `_id` and
 *   `_rev` as written
 * @error: return location for a #YunPersonalDataError
 *
 * Like yun_personal_index_catch_up() for one database, but where the
 * changes feed names a revision that is in @written, that document is
 * indexed as given instead of being read back from the store: an import
 * of thousands need not read them all again.  A revision id names its
 * content, so this indexes exactly what reading would.
 *
 * Returns: %TRUE when the index is up to date
 */
gboolean
yun_personal_index_catch_up_with_docs (YunPersonalIndex  *self,
                                       const char        *db,
                                       JsonArray         *written,
                                       GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) docs = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), FALSE);
  g_return_val_if_fail (is_indexed_db (db), FALSE);
  g_return_val_if_fail (written != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < json_array_get_length (written); i++) {
    JsonObject *doc = json_array_get_object_element (written, i);
    const char *id = doc != NULL ? string_member (doc, "_id") : NULL;

    if (id != NULL && string_member (doc, "_rev") != NULL)
      g_hash_table_insert (docs, (gpointer) id, doc);
  }
  locker = g_mutex_locker_new (&self->mutex);
  return catch_up_locked (self, db, docs, error);
}

/* Batches: the documents of a store batch, indexed as they are written. */

struct _YunPersonalIndexBatch
{
  YunPersonalIndex *index;
  char *db;
  /* Where the changes feed of db was read to as the batch began. */
  gint64 progress;
  /* Nothing of db was indexed before: no lookups. */
  gboolean empty;
  /* Entries from this row on were made by the batch. */
  gint64 first_row;
  /* The terms of the entries made by the batch, written in key order as
   * it commits rather than one entry at a time at random places. */
  Bulk terms;
};

static void
batch_free (YunPersonalIndexBatch *batch)
{
  g_mutex_unlock (&batch->index->mutex);
  g_object_unref (batch->index);
  g_free (batch->db);
  bulk_clear (&batch->terms);
  g_free (batch);
}

/**
 * yun_personal_index_batch_begin:
 * @self: a #YunPersonalIndex
 * @db: one of the indexed databases
 * @error: return location for a #YunPersonalDataError
 *
 * Catches @db up, then begins indexing the documents of a
 * #YunDocStoreBatch as the caller writes them, so that an import need not
 * keep them all until the store commits.  Begin this before the store's
 * batch (the index is always locked before the store), give the batch
 * the documents with yun_personal_index_batch_add(), and end it with
 * yun_personal_index_batch_commit() once the store's batch is committed,
 * or yun_personal_index_batch_abort().  The index is locked meanwhile.
 *
 * Returns: (transfer full): the batch, or %NULL with @error set
 */
YunPersonalIndexBatch *
yun_personal_index_batch_begin (YunPersonalIndex  *self,
                                const char        *db,
                                GError           **error)
{
  g_autofree YunPersonalIndexBatch *batch = g_new0 (YunPersonalIndexBatch, 1);

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);
  g_return_val_if_fail (is_indexed_db (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->mutex);
  if (!catch_up_locked (self, db, NULL, error) ||
      !read_progress (self, db, &batch->progress, error) ||
      !exec (self, "BEGIN IMMEDIATE", error)) {
    g_mutex_unlock (&self->mutex);
    return NULL;
  }
  batch->empty = batch->progress == 0;
  batch->first_row = G_MAXINT64;
  batch->index = g_object_ref (self);
  batch->db = g_strdup (db);
  bulk_init (&batch->terms);
  return g_steal_pointer (&batch);
}

/**
 * yun_personal_index_batch_add:
 * @batch: a #YunPersonalIndexBatch
 * @docs: documents the store's batch has just written, each once, with
 *   `_id` and `_rev` as written
 * @error: return location for a #YunPersonalDataError
 *
 * Indexes @docs as given.  On failure the batch is rolled back; all that
 * is left to do with it is yun_personal_index_batch_abort(), and the
 * index catches up from the changes feed later.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_personal_index_batch_add (YunPersonalIndexBatch  *batch,
                              JsonArray              *docs,
                              GError                **error)
{
  YunPersonalIndex *self;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (docs != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = batch->index;
  for (guint i = 0; i < json_array_get_length (docs); i++) {
    JsonObject *doc = json_array_get_object_element (docs, i);
    const char *id = doc != NULL ? string_member (doc, "_id") : NULL;
    g_auto(Indexed) indexed = { 0 };
    int found = 0;

    if (id == NULL || string_member (doc, "_rev") == NULL) {
      g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                   "docs[%u]: a written document has _id and _rev", i);
      rollback (self);
      return FALSE;
    }
    if (!batch->empty)
      found = lookup_entry (self, batch->db, id, &indexed, error);
    /* The terms of an entry the batch made are not written yet. */
    if (found > 0 && indexed.row >= batch->first_row) {
      g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                   "docs[%u]: \"%s\" was in this batch already", i, id);
      found = -1;
    }
    if (found < 0 ||
        !insert_entry (self, batch->db, doc, found ? &indexed : NULL, !found,
                       found ? NULL : &batch->terms, error)) {
      rollback (self);
      return FALSE;
    }
    if (!found)
      batch->first_row = MIN (batch->first_row, sqlite3_last_insert_rowid (self->db));
  }
  return TRUE;
}

/**
 * yun_personal_index_batch_commit:
 * @batch: (transfer full): a #YunPersonalIndexBatch
 * @seq_before: the update sequence of the database as the store's batch
 *   began
 * @seq_after: its update sequence once the store's batch committed
 * @error: return location for a #YunPersonalDataError
 *
 * Writes what the batch indexed and unlocks the index.  When something
 * else wrote to the database between the catch-up and the store's batch,
 * the batch is dropped instead, and the changes feed brings the index up
 * to date at the next catch-up.
 *
 * Returns: %TRUE when the index is up to date or will catch up; %FALSE
 *   with @error set when writing it failed (it catches up later too)
 */
gboolean
yun_personal_index_batch_commit (YunPersonalIndexBatch  *batch,
                                 gint64                  seq_before,
                                 gint64                  seq_after,
                                 GError                **error)
{
  YunPersonalIndex *self;
  gboolean ok = TRUE;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = batch->index;
  if (seq_before != batch->progress) {
    rollback (self);
  } else if (!insert_gathered (self, &batch->terms, error) ||
             !write_progress (self, batch->db, seq_after, error) ||
             !exec (self, "COMMIT", error)) {
    rollback (self);
    ok = FALSE;
  }
  batch_free (batch);
  return ok;
}

/**
 * yun_personal_index_batch_abort:
 * @batch: (transfer full): a #YunPersonalIndexBatch
 *
 * Drops what the batch indexed and unlocks the index, for when the
 * store's batch failed.
 */
void
yun_personal_index_batch_abort (YunPersonalIndexBatch *batch)
{
  g_return_if_fail (batch != NULL);

  rollback (batch->index);
  batch_free (batch);
}

/**
 * yun_personal_index_rebuild:
 * @self: a #YunPersonalIndex
 * @error: return location for a #YunPersonalDataError
 *
 * Drops everything indexed and indexes the whole store again: for when
 * a database was deleted and made again, which the changes feed alone
 * cannot tell.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_personal_index_rebuild (YunPersonalIndex  *self,
                            GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (indexed_dbs); i++) {
    if (!forget_db (self, indexed_dbs[i], error)) {
      rollback (self);
      return FALSE;
    }
  }
  if (!exec (self, "COMMIT", error)) {
    rollback (self);
    return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (indexed_dbs); i++) {
    if (!catch_up_locked (self, indexed_dbs[i], NULL, error))
      return FALSE;
  }
  return TRUE;
}

/* Queries. */

static gboolean
is_indexed_db (const char *db)
{
  for (guint i = 0; db != NULL && i < G_N_ELEMENTS (indexed_dbs); i++) {
    if (strcmp (db, indexed_dbs[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

static GPtrArray *
collect_ids (YunPersonalIndex  *self,
             sqlite3_stmt      *stmt,
             GError           **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

static gboolean
is_number_query (const char *query)
{
  gboolean digit = FALSE;

  for (const char *p = query; *p != '\0'; p++) {
    if (g_ascii_isdigit (*p))
      digit = TRUE;
    else if (strchr (" +-().#*/", *p) == NULL)
      return FALSE;
  }
  return digit;
}

static void
add_query_word (const char *word,
                gsize       length,
                gpointer    data)
{
  GPtrArray *terms = data;

  if (terms->len < MAX_QUERY_WORDS)
    add_term (terms, "w:", word, length);
}

/* The terms a contact must have a prefix of, one per word; none when the
 * query can match nothing, NULL when it matches everything. */
static GPtrArray *
query_terms (const char *query)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;
  const char *end;

  /* Only so much is read, cut where a character starts. */
  g_utf8_validate (query, -1, &end);
  end = MIN (end, query + YUN_PERSONAL_INDEX_MAX_QUERY);
  if (end < query + strlen (query) && end > query)
    end = g_utf8_find_prev_char (query, end + 1);
  text = g_strstrip (g_strndup (query, end - query));
  if (*text == '\0')
    return NULL;

  if (is_number_query (text)) {
    g_autofree char *digits = reversed_digits (text);

    if (strlen (digits) >= YUN_PERSONAL_INDEX_MIN_DIGITS)
      add_term (terms, "t:", digits, strlen (digits));
    return g_steal_pointer (&terms);
  }

  folded = fold (text);
  if (strchr (folded, '@') != NULL)
    add_term (terms, "w:", folded, strlen (folded));
  else
    split_words (folded, add_query_word, terms);
  return g_steal_pointer (&terms);
}

/* Binds a prefix as a range: every string that starts with it sorts from
 * it to it followed by 0xFF, a byte UTF-8 never uses. */
static void
bind_prefix (sqlite3_stmt *stmt,
             int           column,
             const char   *prefix)
{
  g_autofree char *upper = g_strconcat (prefix, "\xff", NULL);

  bind_text (stmt, column, prefix);
  bind_text (stmt, column + 1, upper);
}

static gint64
count_prefix (YunPersonalIndex  *self,
              const char        *prefix,
              GError           **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT count(*) FROM (SELECT 1 FROM terms "
                                         "WHERE term >= ? AND term < ? LIMIT ?)",
                                         error);

  if (stmt == NULL)
    return -1;
  bind_prefix (stmt, 1, prefix);
  sqlite3_bind_int (stmt, 3, SORT_MAX + 1);
  if (step (self, stmt, error) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

/* The ranked list a query term walks: its first PREFIX_CHARS characters,
 * or the fewest digits of a number. */
static char *
list_prefix (const char *term)
{
  const char *p = term + 2;

  if (g_str_has_prefix (term, "t:"))
    return g_strndup (term, 2 + YUN_PERSONAL_INDEX_MIN_DIGITS);
  for (guint n = 0; *p != '\0' && n < PREFIX_CHARS; n++)
    p = g_utf8_next_char (p);
  return g_strndup (term, p - term);
}

/* How many entries the ranked list of @prefix has, counted up to @most. */
static gint64
count_list (YunPersonalIndex  *self,
            const char        *prefix,
            gint64             most,
            GError           **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT count(*) FROM (SELECT 1 FROM by_time "
                                         "WHERE prefix = ? LIMIT ?)",
                                         error);

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, prefix);
  sqlite3_bind_int64 (stmt, 2, most);
  if (step (self, stmt, error) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

static void
append_order (GString                *sql,
              YunPersonalIndexOrder   order,
              const char             *table)
{
  if (order == YUN_PERSONAL_INDEX_ORDER_RECENT)
    g_string_append_printf (sql, " ORDER BY %stime DESC, %sid DESC", table, table);
  else
    g_string_append_printf (sql, " ORDER BY %ssort_key, %sid", table, table);
}

static GPtrArray *
find_contacts_locked (YunPersonalIndex       *self,
                      const char             *query,
                      YunPersonalIndexOrder   order,
                      guint                   limit,
                      GError                **error)
{
  g_autoptr(GPtrArray) terms = query_terms (query);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(OwnedStatement) stmt = NULL;
  g_autofree char *list = NULL;
  guint driver = 0;
  gint64 fewest = G_MAXINT64;

  if (terms != NULL && terms->len == 0)
    return g_ptr_array_new_with_free_func (g_free);

  /* The rarest term decides the plan. */
  for (guint i = 0; terms != NULL && i < terms->len; i++) {
    gint64 count = count_prefix (self, g_ptr_array_index (terms, i), error);

    if (count < 0)
      return NULL;
    if (count < fewest) {
      fewest = count;
      driver = i;
    }
  }
  if (fewest == 0)
    return g_ptr_array_new_with_free_func (g_free);

  /* The other words are checked on the entry: its terms column holds
   * " term term ...", so " prefix" occurs in it when a term starts so. */
  if (terms != NULL && fewest <= SORT_MAX) {
    /* Few matches: read them from the terms B-tree, rank them, and only
     * then look the best up. */
    g_string_append (sql,
                     "SELECT e.doc_id FROM (SELECT entry AS id, sort_key, time FROM terms AS t"
                     " WHERE term >= ?1 AND term < ?2");
    for (guint i = 0; i < terms->len; i++) {
      if (i != driver)
        g_string_append_printf (sql, " AND instr((SELECT terms FROM entries WHERE id = t.entry),"
                                     " ?%u) > 0", i + 3);
    }
    g_string_append (sql, " GROUP BY entry");
    append_order (sql, order, "");
    g_string_append (sql, " LIMIT ?99) AS m CROSS JOIN entries e ON e.id = m.id");
    append_order (sql, order, "m.");
  } else if (terms == NULL) {
    /* Every contact, in order. */
    g_string_append (sql, "SELECT doc_id FROM entries WHERE db = 'contacts'");
    append_order (sql, order, "");
    g_string_append (sql, " LIMIT ?99");
  } else {
    /* Many: walk the shortest ranked list of a word's prefix in the order
     * asked for, until enough entries have every word. */
    gint64 shortest = LIST_COUNT_MAX + 1;

    /* A list is counted only as far as the shortest one yet. */
    for (guint i = 0; i < terms->len; i++) {
      g_autofree char *prefix = list_prefix (g_ptr_array_index (terms, i));
      gint64 count = terms->len > 1 ? count_list (self, prefix, shortest, error) : 0;

      if (count < 0)
        return NULL;
      if (count < shortest || list == NULL) {
        shortest = count;
        driver = i;
        g_free (list);
        list = g_steal_pointer (&prefix);
      }
    }
    g_string_append_printf (sql, "SELECT e.doc_id FROM %s AS p CROSS JOIN entries AS e"
                                 " ON e.id = p.entry WHERE p.prefix = ?1",
                            order == YUN_PERSONAL_INDEX_ORDER_RECENT ? "by_time" : "by_name");
    for (guint i = 0; i < terms->len; i++) {
      if (i != driver || strcmp (list, g_ptr_array_index (terms, i)) != 0)
        g_string_append_printf (sql, " AND instr(e.terms, ?%u) > 0", i + 3);
    }
    g_string_append (sql, order == YUN_PERSONAL_INDEX_ORDER_RECENT
                            ? " ORDER BY p.time DESC, p.entry DESC"
                            : " ORDER BY p.sort_key, p.entry");
    g_string_append (sql, " LIMIT ?99");
  }

  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK) {
    set_sqlite_error (self, error, "preparing a search");
    return NULL;
  }
  for (guint i = 0; terms != NULL && i < terms->len; i++) {
    g_autofree char *spaced = g_strconcat (" ", (const char *) g_ptr_array_index (terms, i), NULL);

    if (i == driver && fewest <= SORT_MAX)
      bind_prefix (stmt, 1, g_ptr_array_index (terms, i));
    else
      bind_text (stmt, i + 3, spaced);
  }
  if (list != NULL)
    bind_text (stmt, 1, list);
  sqlite3_bind_int (stmt, 99, limit);
  return collect_ids (self, stmt, error);
}

/**
 * yun_personal_index_find_contacts:
 * @self: a #YunPersonalIndex
 * @query: what was typed: words (each must start a word of the name or an
 *   e-mail address), an e-mail address or its start (with "@"), or a
 *   number or its end (only digits, spaces and `+-().#*\/`, at least
 *   %YUN_PERSONAL_INDEX_MIN_DIGITS digits); empty for every contact
 * @order: how to rank what matches
 * @limit: the most ids to return, at least 1
 * @error: return location for a #YunPersonalDataError
 *
 * Finds contacts as a person types.  Case and accents do not matter;
 * punctuation in numbers does not either.  A number query with fewer
 * digits than needed matches nothing.
 *
 * Returns: (transfer full) (element-type utf8): the ids of the contacts
 *   found, best first, or %NULL with @error set
 */
GPtrArray *
yun_personal_index_find_contacts (YunPersonalIndex       *self,
                                  const char             *query,
                                  YunPersonalIndexOrder   order,
                                  guint                   limit,
                                  GError                **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!catch_up_locked (self, YUN_PERSONAL_DB_CONTACTS, NULL, error))
    return NULL;
  return find_contacts_locked (self, query, order, limit, error);
}

static void
add_fts_word (const char *word,
              gsize       length,
              gpointer    data)
{
  GString *match = data;

  /* Each word is quoted, so FTS5's own syntax (AND, NEAR, column
   * filters) cannot be spoken from a query; letters and digits never
   * hold a quote. */
  g_string_append_printf (match, "%s\"%.*s\"*", match->len > 0 ? " " : "", (int) length, word);
}

/**
 * yun_personal_index_search_notes:
 * @self: a #YunPersonalIndex
 * @query: words; a note matches when each one starts a word of its title,
 *   body or tags
 * @limit: the most ids to return, at least 1
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full) (element-type utf8): the ids of the notes
 *   found, most recently updated first, or %NULL with @error set
 */
GPtrArray *
yun_personal_index_search_notes (YunPersonalIndex  *self,
                                 const char        *query,
                                 guint              limit,
                                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(Statement) stmt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_utf8_make_valid (query, MIN (strlen (query), YUN_PERSONAL_INDEX_MAX_QUERY));
  folded = fold (text);
  split_words (folded, add_fts_word, match);

  locker = g_mutex_locker_new (&self->mutex);
  if (!catch_up_locked (self, YUN_PERSONAL_DB_NOTES, NULL, error))
    return NULL;
  if (match->len == 0)
    return g_ptr_array_new_with_free_func (g_free);

  stmt = statement (self,
                    "SELECT e.doc_id FROM note_text CROSS JOIN entries e ON e.id = note_text.rowid "
                    "WHERE note_text MATCH ? ORDER BY e.time DESC, e.id DESC LIMIT ?",
                    error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, match->str);
  sqlite3_bind_int (stmt, 2, limit);
  return collect_ids (self, stmt, error);
}

/**
 * yun_personal_index_list:
 * @self: a #YunPersonalIndex
 * @db: one of the indexed databases
 * @thread: (nullable): for "messages", only this thread's
 * @before: only what is older than this time; 0 for no bound
 * @limit: the most ids to return, at least 1
 * @error: return location for a #YunPersonalDataError
 *
 * Lists records newest first: notes by update, messages and calls by time,
 * photos by time taken, contacts by update.  To page, pass the time of the
 * last record of a page as @before for the next (records of the very same
 * millisecond as that one are then skipped).
 *
 * Returns: (transfer full) (element-type utf8): ids, or %NULL with @error
 *   set
 */
GPtrArray *
yun_personal_index_list (YunPersonalIndex  *self,
                         const char        *db,
                         const char        *thread,
                         gint64             before,
                         guint              limit,
                         GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);
  g_return_val_if_fail (is_indexed_db (db), NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!catch_up_locked (self, db, NULL, error))
    return NULL;

  if (thread != NULL)
    stmt = statement (self,
                      "SELECT e.doc_id FROM entries e WHERE e.db = ?1 AND e.thread = ?2 "
                      "AND e.time < ?3 ORDER BY e.time DESC, e.id DESC LIMIT ?4",
                      error);
  else
    stmt = statement (self,
                      "SELECT e.doc_id FROM entries e WHERE e.db = ?1 "
                      "AND e.time < ?3 ORDER BY e.time DESC, e.id DESC LIMIT ?4",
                      error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, db);
  if (thread != NULL)
    bind_text (stmt, 2, thread);
  sqlite3_bind_int64 (stmt, 3, before > 0 ? before : G_MAXINT64);
  sqlite3_bind_int (stmt, 4, limit);
  return collect_ids (self, stmt, error);
}

/**
 * yun_personal_index_list_threads:
 * @self: a #YunPersonalIndex
 * @limit: the most threads to return, at least 1
 * @error: return location for a #YunPersonalDataError
 *
 * The message threads, the one with the newest message first, as
 * `[{"thread", "last_id", "time", "count", "unread"}]`: the thread's name,
 * its newest message's id and time, how many messages it has and how many
 * of them are unread.
 *
 * Returns: (transfer full): the threads, or %NULL with @error set
 */
JsonArray *
yun_personal_index_list_threads (YunPersonalIndex  *self,
                                 guint              limit,
                                 GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(JsonArray) threads = json_array_new ();
  int rc;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!catch_up_locked (self, YUN_PERSONAL_DB_MESSAGES, NULL, error))
    return NULL;

  /* SQLite gives a bare column the values of the row max() picked. */
  stmt = statement (self,
                    "SELECT thread, doc_id, max(time), count(*), sum(unread) FROM entries "
                    "WHERE db = 'messages' AND thread IS NOT NULL "
                    "GROUP BY thread ORDER BY 3 DESC, thread LIMIT ?",
                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, limit);
  while ((rc = step (self, stmt, error)) == SQLITE_ROW) {
    JsonObject *thread = json_object_new ();

    json_object_set_string_member (thread, "thread", (const char *) sqlite3_column_text (stmt, 0));
    json_object_set_string_member (thread, "last_id", (const char *) sqlite3_column_text (stmt, 1));
    json_object_set_int_member (thread, "time", sqlite3_column_int64 (stmt, 2));
    json_object_set_int_member (thread, "count", sqlite3_column_int64 (stmt, 3));
    json_object_set_int_member (thread, "unread", sqlite3_column_int64 (stmt, 4));
    json_array_add_object_element (threads, thread);
  }
  return rc == SQLITE_DONE ? g_steal_pointer (&threads) : NULL;
}

/**
 * yun_personal_index_list_unread:
 * @self: a #YunPersonalIndex
 * @thread: (nullable): a thread, or %NULL for every thread
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full) (element-type utf8): the ids of the unread
 *   messages, newest first, or %NULL with @error set
 */
GPtrArray *
yun_personal_index_list_unread (YunPersonalIndex  *self,
                                const char        *thread,
                                GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!catch_up_locked (self, YUN_PERSONAL_DB_MESSAGES, NULL, error))
    return NULL;

  stmt = statement (self,
                    "SELECT doc_id FROM entries WHERE db = 'messages' AND unread = 1 "
                    "AND (?1 IS NULL OR thread = ?1) ORDER BY time DESC, id DESC",
                    error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, thread);
  return collect_ids (self, stmt, error);
}
