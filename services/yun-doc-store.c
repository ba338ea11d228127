/* yun-doc-store.c: the local JSON document store, CouchDB-compatible.
 *
 * One SQLite file holds several named databases.  Each document has a
 * tree of revisions (every revision row points at its parent), a winning
 * revision chosen by CouchDB's rule, and a place in its database's changes
 * feed; together they are what the CouchDB replication protocol needs.
 *
 * Bodies are kept for leaf revisions only: when a revision gets a child its
 * body and attachment rows are dropped at once (CouchDB keeps them until
 * compaction; we have no compaction to wait for), while its place in the
 * tree stays so that `_revs_diff` and `_revisions` keep working.  The tree
 * itself is stemmed to the database's revs_limit generations per branch.
 *
 * Attachment contents live beside the database in `<path>.attachments/`,
 * one file per distinct content, named by its SHA-256.  A file is written
 * under a temporary name, synced and renamed before the transaction that
 * references it commits, so a crash leaves at worst an unreferenced file,
 * which yun_doc_store_collect_garbage() removes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-doc-store.h"

#include "yun-json.h"
#include "yun-revision.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#define SCHEMA_VERSION 2
#define MAX_DB_NAME 238
#define MAX_ATTACHMENT_NAME 1024
#define MAX_CONTENT_TYPE 255
/* A temporary attachment file this old belongs to no write in progress. */
#define STALE_TEMP_SECONDS (60 * 60)
#define TEMP_PREFIX ".tmp-"

struct _YunDocStore
{
  GObject parent_instance;

  /* Guards everything below: SQLite connections are not shared across
   * threads here, and one writer at a time is what SQLite allows anyway. */
  GMutex mutex;
  sqlite3 *db;
  char *path;
  char *attachments_dir;
  /* Prepared statements by their SQL text, a static string. */
  GHashTable *statements;
};

G_DEFINE_FINAL_TYPE (YunDocStore, yun_doc_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-doc-store-error-quark, yun_doc_store_error)

/* Cached statements are reset, not freed, when a scope ends. */
typedef sqlite3_stmt Statement;

static void
release_statement (Statement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, release_statement)

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* An attachment of a revision being written, or of one read back. */
typedef struct {
  char *name;
  char *content_type;
  char *sha256;
  char *md5;        /* "md5-<base64>", what CouchDB reports as digest */
  gint64 length;
  guint revpos;     /* 0 until the new revision's generation is known */
  gboolean stub;    /* input only: refers to an attachment already stored */
  GBytes *data;     /* contents still to be written to disk */
  char *tmp_path;   /* contents already on disk under a temporary name */
} Attachment;

static void
attachment_free (Attachment *att)
{
  /* Arrays keep a NULL where an attachment was stolen from them. */
  if (att == NULL)
    return;
  if (att->tmp_path != NULL)
    g_unlink (att->tmp_path);
  g_free (att->name);
  g_free (att->content_type);
  g_free (att->sha256);
  g_free (att->md5);
  g_clear_pointer (&att->data, g_bytes_unref);
  g_free (att->tmp_path);
  g_free (att);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attachment, attachment_free)

/* A document to write, taken apart. */
typedef struct {
  char *id;
  /* The id was made here, so no document has it yet. */
  gboolean fresh_id;
  char *rev;            /* _rev as given, or NULL */
  gboolean deleted;
  char *body;           /* compact JSON of the members without "_" */
  gsize body_length;
  GPtrArray *atts;      /* of Attachment; NULL when the doc has none */
  /* new_edits=false: the revision's ancestry, newest first. */
  guint start;
  GStrv path;
  /* The write must find the document (a deletion). */
  gboolean must_exist;
  /* put_attachment: keep the parent's body and other attachments. */
  gboolean inherit;
} DocInput;

static void
doc_input_clear (DocInput *input)
{
  g_clear_pointer (&input->id, g_free);
  g_clear_pointer (&input->rev, g_free);
  g_clear_pointer (&input->body, g_free);
  g_clear_pointer (&input->atts, g_ptr_array_unref);
  g_clear_pointer (&input->path, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocInput, doc_input_clear)

/* A leaf of a revision tree. */
typedef struct {
  gint64 row;
  guint pos;
  char *hash;
  gboolean deleted;
} Leaf;

static void
leaf_clear (Leaf *leaf)
{
  g_free (leaf->hash);
}

static int
compare_leaves (gconstpointer a,
                gconstpointer b)
{
  const Leaf *la = a;
  const Leaf *lb = b;
  YunRevision ra = { la->pos, la->hash, la->deleted };
  YunRevision rb = { lb->pos, lb->hash, lb->deleted };

  return yun_revision_compare (&ra, &rb);
}

/* JSON setters that take ownership of a string they are handed. */

static void
take_string_member (JsonObject *object,
                    const char *member,
                    char       *value)
{
  json_object_set_string_member (object, member, value);
  g_free (value);
}

static void
take_string_element (JsonArray *array,
                     char      *value)
{
  json_array_add_string_element (array, value);
  g_free (value);
}

/* Errors. */

static gboolean
set_sqlite_error (YunDocStore  *self,
                  GError      **error,
                  const char   *what)
{
  int code = sqlite3_errcode (self->db) & 0xff;
  int kind = (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
             ? YUN_DOC_STORE_ERROR_CORRUPT : YUN_DOC_STORE_ERROR_IO;

  g_set_error (error, YUN_DOC_STORE_ERROR, kind, "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO,
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static const char *
error_name (const GError *error)
{
  if (error->domain != YUN_DOC_STORE_ERROR)
    return "unknown_error";

  switch ((YunDocStoreError) error->code) {
  case YUN_DOC_STORE_ERROR_NOT_FOUND:
    return "not_found";
  case YUN_DOC_STORE_ERROR_CONFLICT:
    return "conflict";
  case YUN_DOC_STORE_ERROR_BAD_REQUEST:
    return "bad_request";
  case YUN_DOC_STORE_ERROR_TOO_LARGE:
    return "document_too_large";
  case YUN_DOC_STORE_ERROR_EXISTS:
    return "file_exists";
  case YUN_DOC_STORE_ERROR_IO:
  case YUN_DOC_STORE_ERROR_CORRUPT:
  default:
    return "internal_error";
  }
}

/* An error that concerns one document of a batch, not the whole store. */
static gboolean
error_is_per_document (const GError *error)
{
  return error->domain == YUN_DOC_STORE_ERROR &&
         (error->code == YUN_DOC_STORE_ERROR_NOT_FOUND ||
          error->code == YUN_DOC_STORE_ERROR_CONFLICT ||
          error->code == YUN_DOC_STORE_ERROR_BAD_REQUEST ||
          error->code == YUN_DOC_STORE_ERROR_TOO_LARGE);
}

/* SQLite plumbing. */

static Statement *
statement (YunDocStore  *self,
           const char   *sql,
           GError      **error)
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

/* Returns SQLITE_ROW, SQLITE_DONE, or -1 with @error set. */
static int
step (YunDocStore  *self,
      Statement    *stmt,
      GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  set_sqlite_error (self, error, "writing or reading the store");
  return -1;
}

static gboolean
step_done (YunDocStore  *self,
           Statement    *stmt,
           GError      **error)
{
  return step (self, stmt, error) == SQLITE_DONE;
}

static gboolean
exec (YunDocStore  *self,
      const char   *sql,
      GError      **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, error, "running the store's SQL");
  return TRUE;
}

/* For statements run once per document of a batch (its savepoint): parsed
 * once, not each time. */
static gboolean
exec_prepared (YunDocStore  *self,
               const char   *sql,
               GError      **error)
{
  g_autoptr(Statement) stmt = statement (self, sql, error);

  return stmt != NULL && step_done (self, stmt, error);
}

static char *
column_strdup (Statement *stmt,
               int        column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
begin (YunDocStore  *self,
       GError      **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static void
rollback (YunDocStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
commit (YunDocStore  *self,
        GError      **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  rollback (self);
  return FALSE;
}

/* Validation of names and documents. */

static gboolean
validate_db_name (const char  *name,
                  GError     **error)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_DB_NAME || name[0] < 'a' || name[0] > 'z')
    goto bad;

  for (gsize i = 1; i < length; i++) {
    char c = name[i];

    if (!(c >= 'a' && c <= 'z') && !g_ascii_isdigit (c) && strchr ("_$()+/-", c) == NULL)
      goto bad;
  }
  return TRUE;

bad:
  g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
               "database name \"%s\" is not valid: it must start with a lowercase letter, "
               "be followed by lowercase letters, digits or _$()+/-, and be at most %d bytes",
               g_utf8_validate (name, -1, NULL) ? name : "(not UTF-8)", MAX_DB_NAME);
  return FALSE;
}

static gboolean
validate_doc_id (const char  *id,
                 GError     **error)
{
  gsize length = strlen (id);

  if (length == 0) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                         "_id: a document id must not be empty");
    return FALSE;
  }
  if (length > YUN_DOC_STORE_MAX_ID) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_id: a document id is at most %d bytes, this one has %" G_GSIZE_FORMAT,
                 YUN_DOC_STORE_MAX_ID, length);
    return FALSE;
  }
  if (!g_utf8_validate (id, length, NULL)) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                         "_id: a document id must be valid UTF-8");
    return FALSE;
  }
  if (id[0] == '_' &&
      !(g_str_has_prefix (id, "_design/") && length > strlen ("_design/")) &&
      !(g_str_has_prefix (id, "_local/") && length > strlen ("_local/"))) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_id: \"%s\" starts with \"_\"; only _design/ and _local/ ids may", id);
    return FALSE;
  }
  return TRUE;
}

static gboolean
is_local_id (const char *id)
{
  return g_str_has_prefix (id, "_local/");
}

/* Walks a JSON value the caller built or parsed: it must fit the depth
 * limit, hold only valid UTF-8 and only finite numbers, so that what is
 * stored always parses back. */
static gboolean
check_json (JsonNode  *node,
            guint      depth,
            GError   **error)
{
  if (depth > YUN_DOC_STORE_MAX_DEPTH) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "the document nests objects and arrays deeper than %d levels",
                 YUN_DOC_STORE_MAX_DEPTH);
    return FALSE;
  }

  switch (JSON_NODE_TYPE (node)) {
  case JSON_NODE_OBJECT: {
    JsonObjectIter iter;
    const char *name;
    JsonNode *child;

    json_object_iter_init (&iter, json_node_get_object (node));
    while (json_object_iter_next (&iter, &name, &child)) {
      if (!g_utf8_validate (name, -1, NULL)) {
        g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                             "the document has a member name that is not UTF-8");
        return FALSE;
      }
      if (!check_json (child, depth + 1, error))
        return FALSE;
    }
    return TRUE;
  }
  case JSON_NODE_ARRAY: {
    JsonArray *array = json_node_get_array (node);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      if (!check_json (json_array_get_element (array, i), depth + 1, error))
        return FALSE;
    }
    return TRUE;
  }
  case JSON_NODE_VALUE:
    if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
        !isfinite (json_node_get_double (node))) {
      g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                           "the document holds a number that is not finite");
      return FALSE;
    }
    if (json_node_get_value_type (node) == G_TYPE_STRING &&
        !g_utf8_validate (json_node_get_string (node), -1, NULL)) {
      g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                           "the document holds a string that is not UTF-8");
      return FALSE;
    }
    return TRUE;
  case JSON_NODE_NULL:
  default:
    return TRUE;
  }
}

static gboolean
get_string_member (JsonObject  *object,
                   const char  *member,
                   const char  *where,
                   const char **out,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL) {
    *out = NULL;
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "%s%s: expected a string, got %s", where, member, yun_json_type_name (node));
    return FALSE;
  }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_boolean_member (JsonObject  *object,
                    const char  *member,
                    const char  *where,
                    gboolean    *out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL) {
    *out = FALSE;
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "%s%s: expected a boolean, got %s", where, member, yun_json_type_name (node));
    return FALSE;
  }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static char *
md5_digest (const guint8 raw[16])
{
  g_autofree char *base64 = g_base64_encode (raw, 16);

  return g_strconcat ("md5-", base64, NULL);
}

static void
digest_bytes (GBytes  *bytes,
              char   **sha256,
              char   **md5)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) md = g_checksum_new (G_CHECKSUM_MD5);
  guint8 raw[16];
  gsize raw_length = sizeof raw;
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  g_checksum_update (sha, data, size);
  g_checksum_update (md, data, size);
  g_checksum_get_digest (md, raw, &raw_length);
  *sha256 = g_strdup (g_checksum_get_string (sha));
  *md5 = md5_digest (raw);
}

/* g_base64_decode() skips what it does not understand; untrusted data
 * must be strict base64 instead. */
static GBytes *
decode_base64 (const char  *text,
               const char  *name,
               GError     **error)
{
  gsize length = strlen (text);
  gsize padding = 0;
  guchar *data;
  gsize size;

  if (length % 4 != 0)
    goto bad;
  for (gsize i = 0; i < length; i++) {
    char c = text[i];

    if (c == '=') {
      if (i < length - 2 || (i == length - 2 && text[length - 1] != '='))
        goto bad;
      padding++;
    } else if (!g_ascii_isalnum (c) && c != '+' && c != '/') {
      goto bad;
    }
  }
  if (padding > 2)
    goto bad;

  if (length == 0)
    return g_bytes_new (NULL, 0);
  data = g_base64_decode (text, &size);
  return g_bytes_new_take (data, size);

bad:
  g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
               "_attachments.%s.data: not valid base64", name);
  return NULL;
}

static gboolean
validate_attachment_name (const char  *name,
                          GError     **error)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_ATTACHMENT_NAME || name[0] == '_' ||
      !g_utf8_validate (name, length, NULL))
    goto bad;
  for (gsize i = 0; i < length; i++) {
    if ((guchar) name[i] < 0x20 || name[i] == 0x7f)
      goto bad;
  }
  return TRUE;

bad:
  g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
               "attachment name \"%s\" is not valid: it must be 1 to %d bytes of UTF-8 "
               "without control characters, not starting with \"_\"",
               g_utf8_validate (name, -1, NULL) ? name : "(not UTF-8)", MAX_ATTACHMENT_NAME);
  return FALSE;
}

static gboolean
validate_content_type (const char  *content_type,
                       GError     **error)
{
  gsize length = strlen (content_type);

  for (gsize i = 0; i < length; i++) {
    if (content_type[i] < 0x20 || content_type[i] > 0x7e)
      length = 0;
  }
  if (length == 0 || length > MAX_CONTENT_TYPE) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "content type is not valid: it must be 1 to %d printable ASCII characters",
                 MAX_CONTENT_TYPE);
    return FALSE;
  }
  return TRUE;
}

static Attachment *
parse_attachment (const char  *name,
                  JsonNode    *node,
                  gboolean     new_edits,
                  GError     **error)
{
  g_autoptr(Attachment) att = g_new0 (Attachment, 1);
  g_autofree char *where = NULL;
  JsonObject *object;
  const char *content_type = NULL;
  const char *digest = NULL;
  const char *data = NULL;
  gboolean stub = FALSE;
  JsonNode *revpos;

  if (!validate_attachment_name (name, error))
    return NULL;
  where = g_strdup_printf ("_attachments.%s.", name);

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_attachments.%s: expected an object, got %s", name, yun_json_type_name (node));
    return NULL;
  }
  object = json_node_get_object (node);

  if (!get_string_member (object, "content_type", where, &content_type, error) ||
      !get_string_member (object, "digest", where, &digest, error) ||
      !get_string_member (object, "data", where, &data, error) ||
      !get_boolean_member (object, "stub", where, &stub, error))
    return NULL;
  if (content_type != NULL && !validate_content_type (content_type, error))
    return NULL;

  att->name = g_strdup (name);
  att->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");

  /* A replicated revision keeps the generation its attachment came with. */
  revpos = json_object_get_member (object, "revpos");
  if (!new_edits && node_is_int (revpos) && json_node_get_int (revpos) > 0 &&
      json_node_get_int (revpos) <= G_MAXINT)
    att->revpos = (guint) json_node_get_int (revpos);

  if (stub) {
    att->stub = TRUE;
    att->md5 = g_strdup (digest);
    return g_steal_pointer (&att);
  }

  if (json_object_has_member (object, "follows")) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_attachments.%s: attachments that follow in a multipart body are not "
                 "supported; give base64 data", name);
    return NULL;
  }
  if (data == NULL) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_attachments.%s: needs either base64 data or stub: true", name);
    return NULL;
  }

  att->data = decode_base64 (data, name, error);
  if (att->data == NULL)
    return NULL;
  att->length = g_bytes_get_size (att->data);
  digest_bytes (att->data, &att->sha256, &att->md5);

  return g_steal_pointer (&att);
}

static gboolean
parse_revisions (JsonNode   *node,
                 DocInput   *input,
                 GError    **error)
{
  guint pos;
  const char *hash;
  JsonObject *object;
  JsonNode *start;
  JsonNode *ids_node;
  JsonArray *ids;
  guint n;
  g_autoptr(GStrvBuilder) path = g_strv_builder_new ();

  g_assert (input->rev != NULL);
  yun_revision_parse (input->rev, &pos, &hash);

  if (node == NULL) {
    input->start = pos;
    g_strv_builder_add (path, hash);
    input->path = g_strv_builder_end (path);
    return TRUE;
  }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  start = json_object_get_member (object, "start");
  ids_node = json_object_get_member (object, "ids");
  if (!node_is_int (start) || ids_node == NULL || !JSON_NODE_HOLDS_ARRAY (ids_node))
    goto bad;
  ids = json_node_get_array (ids_node);
  n = json_array_get_length (ids);

  if (json_node_get_int (start) != pos || n == 0 || n > pos) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_revisions: start and ids do not describe _rev %s", input->rev);
    return FALSE;
  }

  for (guint i = 0; i < n; i++) {
    JsonNode *id = json_array_get_element (ids, i);

    if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
        !yun_revision_hash_is_valid (json_node_get_string (id)))
      goto bad;
    if (i == 0 && strcmp (json_node_get_string (id), hash) != 0) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                   "_revisions: ids[0] is not the hash of _rev %s", input->rev);
      return FALSE;
    }
    g_strv_builder_add (path, json_node_get_string (id));
  }

  input->start = pos;
  input->path = g_strv_builder_end (path);
  return TRUE;

bad:
  g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                       "_revisions: expected {\"start\": N, \"ids\": [revision hashes]}");
  return FALSE;
}

static char *
serialize_body (JsonObject  *body,
                gsize       *length,
                GError     **error)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), body);
  char *text;

  if (!check_json (root, 1, error))
    return NULL;

  text = json_to_string (root, FALSE);
  *length = strlen (text);
  if (*length > YUN_DOC_STORE_MAX_BODY) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_TOO_LARGE,
                 "the document body is %" G_GSIZE_FORMAT " bytes of JSON, over the limit of %d",
                 *length, YUN_DOC_STORE_MAX_BODY);
    g_free (text);
    return NULL;
  }
  return text;
}

/* 128 random bits in hex, like CouchDB's ids. */
static char *
new_doc_id (void)
{
  static const char hex[] = "0123456789abcdef";
  char *id = g_malloc (33);

  for (guint i = 0; i < 4; i++) {
    guint32 bits = g_random_int ();

    for (guint j = 0; j < 8; j++, bits >>= 4)
      id[8 * i + j] = hex[bits & 0xf];
  }
  id[32] = '\0';
  return id;
}

/* Takes a document apart into what the store keeps: its id and revision,
 * its special members, and the body without them. */
static gboolean
parse_doc_input (JsonObject  *doc,
                 gboolean     new_edits,
                 DocInput    *input,
                 GError     **error)
{
  g_autoptr(JsonObject) body = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gboolean special = FALSE;
  const char *id = NULL;
  const char *rev = NULL;
  JsonNode *attachments = NULL;
  JsonNode *revisions = NULL;

  if (!get_string_member (doc, "_id", "", &id, error) ||
      !get_string_member (doc, "_rev", "", &rev, error) ||
      !get_boolean_member (doc, "_deleted", "", &input->deleted, error))
    return FALSE;

  /* The body is the document without its special members; one that has
   * none is its own body. */
  json_object_iter_init (&iter, doc);
  while (!special && json_object_iter_next (&iter, &name, NULL))
    special = name[0] == '_';
  body = special ? json_object_new () : json_object_ref (doc);

  json_object_iter_init_ordered (&iter, doc);
  while (special && json_object_iter_next_ordered (&iter, &name, &node)) {
    if (name[0] != '_') {
      json_object_set_member (body, name, json_node_ref (node));
    } else if (strcmp (name, "_attachments") == 0) {
      attachments = node;
    } else if (strcmp (name, "_revisions") == 0) {
      revisions = node;
    } else if (strcmp (name, "_id") != 0 && strcmp (name, "_rev") != 0 &&
               strcmp (name, "_deleted") != 0 && strcmp (name, "_conflicts") != 0 &&
               strcmp (name, "_deleted_conflicts") != 0 && strcmp (name, "_revs_info") != 0 &&
               strcmp (name, "_local_seq") != 0) {
      /* Members that only reads produce are ignored, like CouchDB does. */
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                   "%s: bad special document member; names starting with \"_\" are reserved",
                   g_utf8_validate (name, -1, NULL) ? name : "(not UTF-8)");
      return FALSE;
    }
  }

  if (id == NULL) {
    if (!new_edits) {
      g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                           "_id: a replicated document needs an id");
      return FALSE;
    }
    input->id = new_doc_id ();
    input->fresh_id = TRUE;
  } else {
    if (!validate_doc_id (id, error))
      return FALSE;
    input->id = g_strdup (id);
  }

  if (rev != NULL && !is_local_id (input->id) && !yun_revision_parse (rev, NULL, NULL)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_rev: \"%s\" is not a revision id like 1-abc", rev);
    return FALSE;
  }
  input->rev = g_strdup (rev);

  if (!new_edits && !is_local_id (input->id)) {
    if (rev == NULL) {
      g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                           "_rev: a replicated document needs a revision");
      return FALSE;
    }
    if (!parse_revisions (revisions, input, error))
      return FALSE;
  }

  input->body = serialize_body (body, &input->body_length, error);
  if (input->body == NULL)
    return FALSE;

  if (attachments != NULL && !JSON_NODE_HOLDS_NULL (attachments)) {
    if (!JSON_NODE_HOLDS_OBJECT (attachments)) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                   "_attachments: expected an object, got %s", yun_json_type_name (attachments));
      return FALSE;
    }
    input->atts = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
    json_object_iter_init_ordered (&iter, json_node_get_object (attachments));
    while (json_object_iter_next_ordered (&iter, &name, &node)) {
      Attachment *att = parse_attachment (name, node, new_edits, error);

      if (att == NULL)
        return FALSE;
      g_ptr_array_add (input->atts, att);
    }
  }

  return TRUE;
}

/* Attachment files. */

static char *
blob_path (YunDocStore *self,
           const char  *sha256)
{
  return g_build_filename (self->attachments_dir, sha256, NULL);
}

static gboolean
sync_dir (YunDocStore  *self,
          GError      **error)
{
  int fd = open (self->attachments_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0) {
    int saved_errno = errno;

    if (fd >= 0)
      close (fd);
    return set_errno_error (error, saved_errno, "syncing", self->attachments_dir);
  }
  close (fd);
  return TRUE;
}

static int
open_temp (YunDocStore  *self,
           char        **tmp_path,
           GError      **error)
{
  g_autofree char *path = g_build_filename (self->attachments_dir, TEMP_PREFIX "XXXXXX", NULL);
  int fd = g_mkstemp_full (path, O_WRONLY | O_CLOEXEC, 0600);

  if (fd < 0) {
    set_errno_error (error, errno, "creating a file in", self->attachments_dir);
    return -1;
  }
  *tmp_path = g_steal_pointer (&path);
  return fd;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         size)
{
  while (size > 0) {
    ssize_t n = write (fd, data, size);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    size -= (gsize) n;
  }
  return TRUE;
}

/* Gives a temporary file its content-addressed name.  Syncs the folder, so
 * the name survives a crash as surely as the row that will point at it. */
static gboolean
install_temp (YunDocStore  *self,
              char        **tmp_path,
              const char   *sha256,
              GError      **error)
{
  g_autofree char *final = blob_path (self, sha256);

  if (g_file_test (final, G_FILE_TEST_EXISTS)) {
    g_unlink (*tmp_path);
  } else if (g_rename (*tmp_path, final) != 0) {
    return set_errno_error (error, errno, "renaming", *tmp_path);
  }
  g_clear_pointer (tmp_path, g_free);
  return sync_dir (self, error);
}

static gboolean
write_blob (YunDocStore  *self,
            Attachment   *att,
            GError      **error)
{
  g_autofree char *final = blob_path (self, att->sha256);
  gsize size;
  const guint8 *data = g_bytes_get_data (att->data, &size);
  int fd;

  /* Same name, same contents: it is already there and synced. */
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    return TRUE;

  fd = open_temp (self, &att->tmp_path, error);
  if (fd < 0)
    return FALSE;
  if (!write_all (fd, data, size) || fsync (fd) != 0) {
    int saved_errno = errno;

    close (fd);
    return set_errno_error (error, saved_errno, "writing", att->tmp_path);
  }
  if (close (fd) != 0)
    return set_errno_error (error, errno, "writing", att->tmp_path);

  return install_temp (self, &att->tmp_path, att->sha256, error);
}

static gboolean
install_attachment_files (YunDocStore  *self,
                          GPtrArray    *atts,
                          GError      **error)
{
  for (guint i = 0; atts != NULL && i < atts->len; i++) {
    Attachment *att = g_ptr_array_index (atts, i);

    if (att->data != NULL && !write_blob (self, att, error))
      return FALSE;
    if (att->tmp_path != NULL && !install_temp (self, &att->tmp_path, att->sha256, error))
      return FALSE;
  }
  return TRUE;
}

static GBytes *
read_blob (YunDocStore  *self,
           const char   *sha256,
           GError      **error)
{
  g_autofree char *path = blob_path (self, sha256);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *contents;
  gsize size;

  if (!g_file_get_contents (path, &contents, &size, &local_error)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                 "attachment file is missing: %s", local_error->message);
    return NULL;
  }
  g_checksum_update (checksum, (const guchar *) contents, size);
  if (strcmp (g_checksum_get_string (checksum), sha256) != 0) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                 "attachment file %s does not hold what it should", path);
    g_free (contents);
    return NULL;
  }
  return g_bytes_new_take (contents, size);
}

/* Rows. */

static gboolean
lookup_db (YunDocStore  *self,
           const char   *name,
           gint64       *db_row,
           guint        *revs_limit,
           GError      **error)
{
  g_autoptr(Statement) stmt = NULL;
  int rc;

  if (!validate_db_name (name, error))
    return FALSE;

  stmt = statement (self, "SELECT id, revs_limit FROM dbs WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);

  rc = step (self, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "there is no database named \"%s\"", name);
    return FALSE;
  }
  *db_row = sqlite3_column_int64 (stmt, 0);
  if (revs_limit != NULL)
    *revs_limit = (guint) sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* Returns 1 when found, 0 when not, -1 with @error set. */
static int
lookup_doc (YunDocStore  *self,
            gint64        db_row,
            const char   *id,
            gint64       *doc_row,
            GError      **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT id FROM docs WHERE db = ? AND doc_id = ?",
                                         error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, db_row);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);

  rc = step (self, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_DONE)
    return 0;
  *doc_row = sqlite3_column_int64 (stmt, 0);
  return 1;
}

/* The leaves of a document's tree, the winner first. */
static GArray *
load_leaves (YunDocStore  *self,
             gint64        doc_row,
             GError      **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT id, pos, hash, deleted FROM revs "
                                         "WHERE doc = ? AND leaf = 1",
                                         error);
  g_autoptr(GArray) leaves = g_array_new (FALSE, FALSE, sizeof (Leaf));
  int rc;

  g_array_set_clear_func (leaves, (GDestroyNotify) leaf_clear);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, doc_row);

  while ((rc = step (self, stmt, error)) == SQLITE_ROW) {
    Leaf leaf = {
      sqlite3_column_int64 (stmt, 0),
      (guint) sqlite3_column_int64 (stmt, 1),
      column_strdup (stmt, 2),
      sqlite3_column_int (stmt, 3) != 0,
    };

    g_array_append_val (leaves, leaf);
  }
  if (rc < 0)
    return NULL;

  if (leaves->len == 0) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                 "document row %" G_GINT64_FORMAT " has no leaf revision", doc_row);
    return NULL;
  }

  g_array_sort (leaves, compare_leaves);
  return g_steal_pointer (&leaves);
}

static Leaf *
find_leaf (GArray     *leaves,
           const char *rev)
{
  guint pos;
  const char *hash;

  if (!yun_revision_parse (rev, &pos, &hash))
    return NULL;

  for (guint i = 0; i < leaves->len; i++) {
    Leaf *leaf = &g_array_index (leaves, Leaf, i);

    if (leaf->pos == pos && strcmp (leaf->hash, hash) == 0)
      return leaf;
  }
  return NULL;
}

typedef struct {
  gint64 row;
  gint64 parent;     /* 0 for a root */
  gboolean deleted;
  gboolean has_body;
} RevRow;

/* Returns 1 when found, 0 when not, -1 with @error set. */
static int
lookup_rev (YunDocStore  *self,
            gint64        doc_row,
            guint         pos,
            const char   *hash,
            RevRow       *out,
            GError      **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT id, parent, deleted, body IS NOT NULL FROM revs "
                                         "WHERE doc = ? AND pos = ? AND hash = ?",
                                         error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, doc_row);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);

  rc = step (self, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_DONE)
    return 0;
  out->row = sqlite3_column_int64 (stmt, 0);
  out->parent = sqlite3_column_int64 (stmt, 1);
  out->deleted = sqlite3_column_int (stmt, 2) != 0;
  out->has_body = sqlite3_column_int (stmt, 3) != 0;
  return 1;
}

static GPtrArray *
load_attachments (YunDocStore  *self,
                  gint64        rev_row,
                  GError      **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT name, content_type, sha256, md5, length, revpos "
                                         "FROM attachments WHERE rev = ? ORDER BY name",
                                         error);
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rev_row);

  while ((rc = step (self, stmt, error)) == SQLITE_ROW) {
    Attachment *att = g_new0 (Attachment, 1);

    att->name = column_strdup (stmt, 0);
    att->content_type = column_strdup (stmt, 1);
    att->sha256 = column_strdup (stmt, 2);
    att->md5 = column_strdup (stmt, 3);
    att->length = sqlite3_column_int64 (stmt, 4);
    att->revpos = (guint) sqlite3_column_int64 (stmt, 5);
    g_ptr_array_add (atts, att);
  }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&atts);
}

static char *
load_body (YunDocStore  *self,
           gint64        rev_row,
           GError      **error)
{
  g_autoptr(Statement) stmt = statement (self, "SELECT body FROM revs WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rev_row);
  rc = step (self, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE || sqlite3_column_type (stmt, 0) == SQLITE_NULL) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                         "missing: the revision's body is not kept");
    return NULL;
  }
  return column_strdup (stmt, 0);
}

/* Bodies were checked on the way in, so they are read with a plain parser
 * that gives the caller mutable nodes; anything that does not parse means
 * the file was damaged. */
static JsonObject *
parse_stored_body (const char  *body,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, body, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                         "a stored document body is not a JSON object");
    return NULL;
  }
  return json_object_ref (json_node_get_object (root));
}

/* Marks @parent as having a child: it is no longer a leaf, so its body and
 * attachments are dropped. */
static gboolean
demote_parent (YunDocStore  *self,
               gint64        parent,
               GError      **error)
{
  g_autoptr(Statement) update = NULL;
  g_autoptr(Statement) drop = NULL;

  update = statement (self, "UPDATE revs SET leaf = 0, body = NULL WHERE id = ? AND leaf = 1",
                      error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, parent);
  if (!step_done (self, update, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return TRUE;

  drop = statement (self, "DELETE FROM attachments WHERE rev = ?", error);
  if (drop == NULL)
    return FALSE;
  sqlite3_bind_int64 (drop, 1, parent);
  return step_done (self, drop, error);
}

static gboolean
insert_rev (YunDocStore  *self,
            gint64        doc_row,
            guint         pos,
            const char   *hash,
            gint64        parent,
            gboolean      deleted,
            gboolean      leaf,
            const char   *body,
            gsize         body_length,
            gint64       *row,
            GError      **error)
{
  g_autoptr(Statement) stmt = NULL;

  if (parent != 0 && !demote_parent (self, parent, error))
    return FALSE;

  stmt = statement (self,
                    "INSERT INTO revs (doc, pos, hash, parent, deleted, leaf, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_row);
  sqlite3_bind_int64 (stmt, 2, pos);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  if (parent != 0)
    sqlite3_bind_int64 (stmt, 4, parent);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int (stmt, 5, deleted);
  sqlite3_bind_int (stmt, 6, leaf);
  if (body != NULL)
    sqlite3_bind_text (stmt, 7, body, (int) body_length, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 7);

  if (!step_done (self, stmt, error))
    return FALSE;
  *row = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
insert_attachments (YunDocStore  *self,
                    gint64        rev_row,
                    guint         pos,
                    GPtrArray    *atts,
                    GError      **error)
{
  for (guint i = 0; atts != NULL && i < atts->len; i++) {
    Attachment *att = g_ptr_array_index (atts, i);
    g_autoptr(Statement) stmt = statement (self,
                                           "INSERT INTO attachments (rev, name, content_type, "
                                           "sha256, md5, length, revpos) "
                                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                           error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rev_row);
    sqlite3_bind_text (stmt, 2, att->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, att->content_type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, att->sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, att->md5, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 6, att->length);
    sqlite3_bind_int64 (stmt, 7, att->revpos != 0 ? att->revpos : pos);
    if (!step_done (self, stmt, error))
      return FALSE;
  }
  return TRUE;
}

/* A document row whose winner finish_doc() sets. */
static gboolean
insert_doc (YunDocStore  *self,
            gint64        db_row,
            const char   *id,
            gint64       *doc_row,
            GError      **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "INSERT INTO docs (db, doc_id) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, db_row);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;
  *doc_row = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* A document the database has never held, inserted in its final state:
 * its first revision, @pos-@hash, is its winner and at the end of the
 * changes feed.  Nothing is there to stem or to choose between. */
static gboolean
create_doc (YunDocStore  *self,
            gint64        db_row,
            const char   *id,
            guint         pos,
            const char   *hash,
            gboolean      deleted,
            gint64       *doc_row,
            GError      **error)
{
  g_autoptr(Statement) insert = NULL;
  g_autoptr(Statement) count = NULL;
  g_autofree char *winner = yun_revision_format (pos, hash);

  /* Two plain statements: cheaper than finish_doc()'s RETURNING, in an
   * import of thousands. */
  insert = statement (self,
                      "INSERT INTO docs (db, doc_id, seq, winner, deleted) "
                      "VALUES (?1, ?2, (SELECT update_seq + 1 FROM dbs WHERE id = ?1), ?3, ?4)",
                      error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, db_row);
  sqlite3_bind_text (insert, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, winner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (insert, 4, deleted);
  if (!step_done (self, insert, error))
    return FALSE;
  *doc_row = sqlite3_last_insert_rowid (self->db);

  count = statement (self,
                     "UPDATE dbs SET update_seq = update_seq + 1,"
                     " doc_count = doc_count + (?2 = 0), doc_del_count = doc_del_count + (?2 = 1)"
                     " WHERE id = ?1",
                     error);
  if (count == NULL)
    return FALSE;
  sqlite3_bind_int64 (count, 1, db_row);
  sqlite3_bind_int (count, 2, deleted);
  return step_done (self, count, error);
}

/* Forgets the oldest generations of each branch beyond @revs_limit, like
 * CouchDB's stemming: what is kept is every revision within @revs_limit
 * generations of some leaf; revisions whose parent goes become roots
 * (the foreign key sets their parent to NULL). */
static gboolean
stem (YunDocStore  *self,
      gint64        doc_row,
      guint         revs_limit,
      GError      **error)
{
  g_autoptr(Statement) span = NULL;
  g_autoptr(Statement) prune = NULL;
  int rc;

  span = statement (self,
                    "SELECT (SELECT max(pos) FROM revs WHERE doc = ?1) - "
                    "(SELECT min(pos) FROM revs WHERE doc = ?1)",
                    error);
  if (span == NULL)
    return FALSE;
  sqlite3_bind_int64 (span, 1, doc_row);
  rc = step (self, span, error);
  if (rc < 0)
    return FALSE;
  /* A branch longer than the limit spans at least that many generations. */
  if (rc != SQLITE_ROW || sqlite3_column_int64 (span, 0) < revs_limit)
    return TRUE;

  prune = statement (self,
                     "WITH RECURSIVE keep (id, parent, depth) AS ("
                     "  SELECT id, parent, 1 FROM revs WHERE doc = ?1 AND leaf = 1"
                     "  UNION"
                     "  SELECT r.id, r.parent, k.depth + 1"
                     "  FROM revs r JOIN keep k ON r.id = k.parent WHERE k.depth < ?2"
                     ") DELETE FROM revs WHERE doc = ?1 AND id NOT IN (SELECT id FROM keep)",
                     error);
  if (prune == NULL)
    return FALSE;
  sqlite3_bind_int64 (prune, 1, doc_row);
  sqlite3_bind_int64 (prune, 2, revs_limit);
  return step_done (self, prune, error);
}

/* After a document's tree changed: stems it, picks its winner and moves it
 * to the end of its database's changes feed. */
static gboolean
finish_doc (YunDocStore  *self,
            gint64        db_row,
            gint64        doc_row,
            guint         revs_limit,
            GError      **error)
{
  g_autoptr(GArray) leaves = NULL;
  g_autoptr(Statement) bump = NULL;
  g_autoptr(Statement) update = NULL;
  g_autofree char *winner = NULL;
  Leaf *best;
  gint64 seq;

  if (!stem (self, doc_row, revs_limit, error))
    return FALSE;

  leaves = load_leaves (self, doc_row, error);
  if (leaves == NULL)
    return FALSE;
  best = &g_array_index (leaves, Leaf, 0);
  winner = yun_revision_format (best->pos, best->hash);

  /* The database's counts follow the document from its old state (none
   * while its seq is still NULL: a row inserted by this write) to its new
   * winner's, in the same transaction, so that reading them is O(1). */
  bump = statement (self,
                    "UPDATE dbs SET update_seq = update_seq + 1,"
                    " doc_count = doc_count + (?2 = 0)"
                    "  - (SELECT seq IS NOT NULL AND deleted = 0 FROM docs WHERE id = ?3),"
                    " doc_del_count = doc_del_count + (?2 = 1)"
                    "  - (SELECT seq IS NOT NULL AND deleted = 1 FROM docs WHERE id = ?3)"
                    " WHERE id = ?1 RETURNING update_seq",
                    error);
  if (bump == NULL)
    return FALSE;
  sqlite3_bind_int64 (bump, 1, db_row);
  sqlite3_bind_int (bump, 2, best->deleted);
  sqlite3_bind_int64 (bump, 3, doc_row);
  if (step (self, bump, error) != SQLITE_ROW) {
    if (error != NULL && *error == NULL)
      g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                           "the database row vanished");
    return FALSE;
  }
  seq = sqlite3_column_int64 (bump, 0);
  /* RETURNING finishes its work when stepped to the end. */
  if (!step_done (self, bump, error))
    return FALSE;

  update = statement (self, "UPDATE docs SET seq = ?, winner = ?, deleted = ? WHERE id = ?",
                      error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, seq);
  sqlite3_bind_text (update, 2, winner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (update, 3, best->deleted);
  sqlite3_bind_int64 (update, 4, doc_row);
  return step_done (self, update, error);
}

static Attachment *
copy_attachment (const Attachment *from)
{
  Attachment *att = g_new0 (Attachment, 1);

  att->name = g_strdup (from->name);
  att->content_type = g_strdup (from->content_type);
  att->sha256 = g_strdup (from->sha256);
  att->md5 = g_strdup (from->md5);
  att->length = from->length;
  att->revpos = from->revpos;
  return att;
}

static Attachment *
find_attachment (GPtrArray  *atts,
                 const char *name)
{
  for (guint i = 0; atts != NULL && i < atts->len; i++) {
    Attachment *att = g_ptr_array_index (atts, i);

    if (strcmp (att->name, name) == 0)
      return att;
  }
  return NULL;
}

static int
compare_attachment_names (gconstpointer a,
                          gconstpointer b)
{
  const Attachment *aa = *(const Attachment * const *) a;
  const Attachment *ab = *(const Attachment * const *) b;

  return strcmp (aa->name, ab->name);
}

/* What of the attachments goes into the revision hash. */
static char *
describe_attachments (GPtrArray *atts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; atts != NULL && i < atts->len; i++) {
    Attachment *att = g_ptr_array_index (atts, i);

    g_string_append_printf (text, "\n%s\t%s\t%s", att->name, att->content_type, att->md5);
  }
  return g_string_free (text, FALSE);
}

/* Resolves the stubs of a new edit against its parent's attachments. */
static GPtrArray *
resolve_edit_attachments (YunDocStore  *self,
                          DocInput     *input,
                          gint64        parent_row,
                          GError      **error)
{
  g_autoptr(GPtrArray) parent_atts = NULL;
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);

  if (parent_row != 0) {
    parent_atts = load_attachments (self, parent_row, error);
    if (parent_atts == NULL)
      return NULL;
  }

  if (input->inherit) {
    for (guint i = 0; parent_atts != NULL && i < parent_atts->len; i++) {
      Attachment *att = g_ptr_array_index (parent_atts, i);

      if (find_attachment (input->atts, att->name) == NULL)
        g_ptr_array_add (atts, copy_attachment (att));
    }
  }

  for (guint i = 0; input->atts != NULL && i < input->atts->len; i++) {
    Attachment *att = g_ptr_array_index (input->atts, i);

    if (att->stub) {
      Attachment *known = find_attachment (parent_atts, att->name);

      if (known == NULL || (att->md5 != NULL && strcmp (att->md5, known->md5) != 0)) {
        g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                     "_attachments.%s: a stub for an attachment the revision being edited "
                     "does not have", att->name);
        return NULL;
      }
      g_ptr_array_add (atts, copy_attachment (known));
    } else {
      /* The new revision takes over the contents, and with them the duty
       * to write them to disk. */
      g_ptr_array_add (atts, g_steal_pointer (&input->atts->pdata[i]));
    }
  }

  g_ptr_array_sort (atts, compare_attachment_names);
  return g_steal_pointer (&atts);
}

/* Resolves the stubs of a replicated revision against every attachment the
 * document has: the source sends stubs for what it believes we hold. */
static GPtrArray *
resolve_replicated_attachments (YunDocStore  *self,
                                DocInput     *input,
                                gint64        doc_row,
                                GError      **error)
{
  g_autoptr(GPtrArray) atts = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);

  for (guint i = 0; input->atts != NULL && i < input->atts->len; i++) {
    Attachment *att = g_ptr_array_index (input->atts, i);
    g_autoptr(Statement) stmt = NULL;
    int rc;

    if (!att->stub) {
      if (att->revpos == 0)
        att->revpos = input->start;
      g_ptr_array_add (atts, g_steal_pointer (&input->atts->pdata[i]));
      continue;
    }

    stmt = statement (self,
                      "SELECT a.content_type, a.sha256, a.md5, a.length, a.revpos "
                      "FROM attachments a JOIN revs r ON r.id = a.rev "
                      "WHERE r.doc = ?1 AND a.name = ?2 AND (?3 IS NULL OR a.md5 = ?3) LIMIT 1",
                      error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, doc_row);
    sqlite3_bind_text (stmt, 2, att->name, -1, SQLITE_TRANSIENT);
    if (att->md5 != NULL)
      sqlite3_bind_text (stmt, 3, att->md5, -1, SQLITE_TRANSIENT);
    rc = doc_row != 0 ? step (self, stmt, error) : SQLITE_DONE;
    if (rc < 0)
      return NULL;
    if (rc == SQLITE_DONE) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                   "_attachments.%s: a stub for an attachment this store does not have",
                   att->name);
      return NULL;
    }
    g_clear_pointer (&att->content_type, g_free);
    g_clear_pointer (&att->md5, g_free);
    att->content_type = column_strdup (stmt, 0);
    att->sha256 = column_strdup (stmt, 1);
    att->md5 = column_strdup (stmt, 2);
    att->length = sqlite3_column_int64 (stmt, 3);
    if (att->revpos == 0)
      att->revpos = (guint) sqlite3_column_int64 (stmt, 4);
    att->stub = FALSE;
    g_ptr_array_add (atts, g_steal_pointer (&input->atts->pdata[i]));
  }

  g_ptr_array_sort (atts, compare_attachment_names);
  return g_steal_pointer (&atts);
}

/* A new edit (new_edits=true) of @input->id, based on @input->rev. */
static char *
write_edit (YunDocStore  *self,
            gint64        db_row,
            guint         revs_limit,
            DocInput     *input,
            GError      **error)
{
  g_autoptr(GArray) leaves = NULL;
  g_autoptr(GPtrArray) atts = NULL;
  g_autofree char *parent_rev = NULL;
  g_autofree char *described = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *inherited_body = NULL;
  const char *body = input->body;
  gsize body_length = input->body_length;
  gint64 doc_row = 0;
  gint64 rev_row;
  Leaf *parent = NULL;
  guint pos;
  RevRow existing;
  int found;

  found = input->fresh_id ? 0 : lookup_doc (self, db_row, input->id, &doc_row, error);
  if (found < 0)
    return NULL;
  if (found) {
    leaves = load_leaves (self, doc_row, error);
    if (leaves == NULL)
      return NULL;
  } else if (input->must_exist) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "there is no document \"%s\"", input->id);
    return NULL;
  }

  if (input->rev == NULL) {
    /* Without a revision the edit creates the document, or recreates it
     * on top of its winning tombstone. */
    if (found && !g_array_index (leaves, Leaf, 0).deleted) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT,
                   "document update conflict: \"%s\" exists; give its current _rev", input->id);
      return NULL;
    }
    if (found)
      parent = &g_array_index (leaves, Leaf, 0);
  } else {
    if (found)
      parent = find_leaf (leaves, input->rev);
    /* A tombstone is only a base for new edits when the whole document is
     * deleted; otherwise the edit belongs on a living branch. */
    if (parent == NULL || (parent->deleted && !g_array_index (leaves, Leaf, 0).deleted)) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT,
                   "document update conflict: _rev %s is not a current revision of \"%s\"",
                   input->rev, input->id);
      return NULL;
    }
  }

  if (input->inherit && parent != NULL && !parent->deleted) {
    inherited_body = load_body (self, parent->row, error);
    if (inherited_body == NULL)
      return NULL;
    body = inherited_body;
    body_length = strlen (inherited_body);
  }

  /* A tombstone carries no attachments. */
  if (!input->deleted) {
    atts = resolve_edit_attachments (self, input, parent != NULL ? parent->row : 0, error);
    if (atts == NULL)
      return NULL;
  }

  pos = parent != NULL ? parent->pos + 1 : 1;
  if (pos > G_MAXINT) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                         "the document has too many revisions");
    return NULL;
  }
  if (parent != NULL)
    parent_rev = yun_revision_format (parent->pos, parent->hash);
  described = describe_attachments (atts);
  hash = yun_revision_compute_hash (parent_rev, input->deleted, body, body_length, described);

  if (found) {
    int known = lookup_rev (self, doc_row, pos, hash, &existing, error);

    if (known < 0)
      return NULL;
    if (known) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT,
                   "document update conflict: revision %u-%s of \"%s\" exists already",
                   pos, hash, input->id);
      return NULL;
    }
  } else if (!create_doc (self, db_row, input->id, pos, hash, input->deleted, &doc_row, error)) {
    return NULL;
  }

  if (!insert_rev (self, doc_row, pos, hash, parent != NULL ? parent->row : 0, input->deleted,
                   TRUE, body, body_length, &rev_row, error) ||
      !insert_attachments (self, rev_row, pos, atts, error) ||
      (found && !finish_doc (self, db_row, doc_row, revs_limit, error)) ||
      !install_attachment_files (self, atts, error))
    return NULL;

  return yun_revision_format (pos, hash);
}

/* A replicated revision (new_edits=false): merged into the tree with its
 * ancestry, never a conflict, and a no-op when already known. */
static char *
write_replicated (YunDocStore  *self,
                  gint64        db_row,
                  guint         revs_limit,
                  DocInput     *input,
                  GError      **error)
{
  g_autoptr(GPtrArray) atts = NULL;
  guint n = g_strv_length (input->path);
  gint64 doc_row = 0;
  gint64 prev = 0;
  RevRow existing;
  gboolean created;
  int found;

  found = lookup_doc (self, db_row, input->id, &doc_row, error);
  if (found < 0)
    return NULL;
  if (found) {
    found = lookup_rev (self, doc_row, input->start, input->path[0], &existing, error);
    if (found < 0)
      return NULL;
    if (found)
      return g_strdup (input->rev);
  }

  atts = resolve_replicated_attachments (self, input, doc_row, error);
  if (atts == NULL)
    return NULL;

  /* A new document whose whole history is kept needs no stemming, and
   * its newest revision is its only leaf. */
  created = doc_row == 0 && n <= revs_limit;
  if (created && !create_doc (self, db_row, input->id, input->start, input->path[0],
                              input->deleted, &doc_row, error))
    return NULL;
  if (doc_row == 0 && !insert_doc (self, db_row, input->id, &doc_row, error))
    return NULL;

  /* Oldest ancestor first, so each revision finds its parent in place. */
  for (guint i = n; i-- > 0;) {
    guint pos = input->start - i;
    gboolean newest = i == 0;

    found = lookup_rev (self, doc_row, pos, input->path[i], &existing, error);
    if (found < 0)
      return NULL;

    if (found) {
      /* A stemmed root learns its parent again. */
      if (existing.parent == 0 && prev != 0) {
        g_autoptr(Statement) graft = statement (self, "UPDATE revs SET parent = ? WHERE id = ?",
                                                error);

        if (graft == NULL || !demote_parent (self, prev, error))
          return NULL;
        sqlite3_bind_int64 (graft, 1, prev);
        sqlite3_bind_int64 (graft, 2, existing.row);
        if (!step_done (self, graft, error))
          return NULL;
      }
      prev = existing.row;
    } else if (!insert_rev (self, doc_row, pos, input->path[i], prev,
                            newest && input->deleted, newest,
                            newest ? input->body : NULL, input->body_length, &prev, error)) {
      return NULL;
    }
  }

  if (!insert_attachments (self, prev, input->start, input->deleted ? NULL : atts, error) ||
      (!created && !finish_doc (self, db_row, doc_row, revs_limit, error)) ||
      !install_attachment_files (self, input->deleted ? NULL : atts, error))
    return NULL;

  return g_strdup (input->rev);
}

/* Local documents: no tree, no changes feed, revisions "0-N". */

static gboolean
parse_local_rev (const char *rev,
                 gint64     *n)
{
  char *end = NULL;
  guint64 value;

  if (rev == NULL || !g_str_has_prefix (rev, "0-") || !g_ascii_isdigit (rev[2]))
    return FALSE;
  value = g_ascii_strtoull (rev + 2, &end, 10);
  if (*end != '\0' || value == 0 || value > G_MAXINT64)
    return FALSE;
  *n = (gint64) value;
  return TRUE;
}

/* Returns 1 when found, 0 when not, -1 with @error set. */
static int
lookup_local (YunDocStore  *self,
              gint64        db_row,
              const char   *id,
              gint64       *rev,
              char        **body,
              GError      **error)
{
  g_autoptr(Statement) stmt = statement (self,
                                         "SELECT rev, body FROM local_docs "
                                         "WHERE db = ? AND doc_id = ?",
                                         error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, db_row);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  rc = step (self, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == SQLITE_DONE)
    return 0;
  *rev = sqlite3_column_int64 (stmt, 0);
  if (body != NULL)
    *body = column_strdup (stmt, 1);
  return 1;
}

static gboolean
check_local_rev (const char  *id,
                 const char  *given,
                 gboolean     found,
                 gint64       current,
                 GError     **error)
{
  gint64 n;

  if (!found && given == NULL)
    return TRUE;
  if (found && given != NULL && parse_local_rev (given, &n) && n == current)
    return TRUE;

  g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT,
               "document update conflict: %s is not the current revision of \"%s\"",
               given != NULL ? given : "no _rev", id);
  return FALSE;
}

static char *
write_local (YunDocStore  *self,
             gint64        db_row,
             DocInput     *input,
             GError      **error)
{
  g_autoptr(Statement) stmt = NULL;
  gint64 current = 0;
  int found;

  if (!is_local_id (input->id)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_id: \"%s\" is not a local document id (\"_local/...\")", input->id);
    return NULL;
  }
  if (input->atts != NULL) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                         "_attachments: local documents have no attachments");
    return NULL;
  }

  found = lookup_local (self, db_row, input->id, &current, NULL, error);
  if (found < 0)
    return NULL;
  if (input->deleted && !found) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "there is no local document \"%s\"", input->id);
    return NULL;
  }
  if (!check_local_rev (input->id, input->rev, found, current, error))
    return NULL;

  if (input->deleted) {
    stmt = statement (self, "DELETE FROM local_docs WHERE db = ? AND doc_id = ?", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, db_row);
    sqlite3_bind_text (stmt, 2, input->id, -1, SQLITE_TRANSIENT);
    if (!step_done (self, stmt, error))
      return NULL;
    return g_strdup ("0-0");
  }

  stmt = statement (self,
                    "INSERT OR REPLACE INTO local_docs (db, doc_id, rev, body) VALUES (?, ?, ?, ?)",
                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, db_row);
  sqlite3_bind_text (stmt, 2, input->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, current + 1);
  sqlite3_bind_text (stmt, 4, input->body, (int) input->body_length, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return NULL;

  return g_strdup_printf ("0-%" G_GINT64_FORMAT, current + 1);
}

static char *
write_doc (YunDocStore  *self,
           gint64        db_row,
           guint         revs_limit,
           DocInput     *input,
           gboolean      new_edits,
           GError      **error)
{
  if (is_local_id (input->id))
    return write_local (self, db_row, input, error);
  if (new_edits)
    return write_edit (self, db_row, revs_limit, input, error);
  return write_replicated (self, db_row, revs_limit, input, error);
}

/* One write in one transaction: all of it or nothing. */
static char *
write_one (YunDocStore  *self,
           const char   *db,
           DocInput     *input,
           gboolean      new_edits,
           GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *rev = NULL;
  gint64 db_row;
  guint revs_limit;

  locker = g_mutex_locker_new (&self->mutex);
  /* A local document is a replication checkpoint: losing its last write
   * to a power cut only makes the next replication compare a little more
   * (replicated writes are idempotent), so it is not worth waiting for the
   * disk, twice per replication.  In WAL mode, NORMAL still keeps it
   * across a crash of the program and keeps the database consistent. */
  if (is_local_id (input->id) && !exec (self, "PRAGMA synchronous = NORMAL", error))
    return NULL;
  if (begin (self, error)) {
    if (!lookup_db (self, db, &db_row, &revs_limit, error) ||
        (rev = write_doc (self, db_row, revs_limit, input, new_edits, error)) == NULL ||
        !commit (self, error)) {
      g_clear_pointer (&rev, g_free);
      rollback (self);
    }
  }
  if (is_local_id (input->id) &&
      !exec (self, "PRAGMA synchronous = FULL", rev != NULL ? error : NULL))
    g_clear_pointer (&rev, g_free);

  return g_steal_pointer (&rev);
}

/* Reading documents back. */

static void
add_rev_list (JsonObject *doc,
              const char *member,
              GArray     *leaves,
              gint64      skip_row,
              gboolean    deleted)
{
  g_autoptr(JsonArray) revs = json_array_new ();

  for (guint i = 0; i < leaves->len; i++) {
    Leaf *leaf = &g_array_index (leaves, Leaf, i);

    if (leaf->row != skip_row && leaf->deleted == deleted)
      take_string_element (revs, yun_revision_format (leaf->pos, leaf->hash));
  }
  if (json_array_get_length (revs) > 0)
    json_object_set_array_member (doc, member, g_steal_pointer (&revs));
}

static gboolean
add_revisions (YunDocStore  *self,
               JsonObject   *doc,
               gint64        rev_row,
               guint         pos,
               GError      **error)
{
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonObject) revisions = json_object_new ();
  gint64 row = rev_row;

  while (row != 0) {
    g_autoptr(Statement) stmt = statement (self, "SELECT hash, parent FROM revs WHERE id = ?",
                                           error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, row);
    if (step (self, stmt, error) != SQLITE_ROW) {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                             "a revision's parent is missing");
      return FALSE;
    }
    json_array_add_string_element (ids, (const char *) sqlite3_column_text (stmt, 0));
    row = sqlite3_column_int64 (stmt, 1);
  }

  json_object_set_int_member (revisions, "start", pos);
  json_object_set_array_member (revisions, "ids", g_steal_pointer (&ids));
  json_object_set_object_member (doc, "_revisions", g_steal_pointer (&revisions));
  return TRUE;
}

static gboolean
add_attachments (YunDocStore          *self,
                 JsonObject           *doc,
                 gint64                rev_row,
                 YunDocStoreGetFlags   flags,
                 GError              **error)
{
  g_autoptr(GPtrArray) atts = load_attachments (self, rev_row, error);
  g_autoptr(JsonObject) object = json_object_new ();

  if (atts == NULL)
    return FALSE;
  if (atts->len == 0)
    return TRUE;

  for (guint i = 0; i < atts->len; i++) {
    Attachment *att = g_ptr_array_index (atts, i);
    g_autoptr(JsonObject) entry = json_object_new ();

    json_object_set_string_member (entry, "content_type", att->content_type);
    json_object_set_string_member (entry, "digest", att->md5);
    json_object_set_int_member (entry, "length", att->length);
    json_object_set_int_member (entry, "revpos", att->revpos);
    if (flags & YUN_DOC_STORE_GET_ATTACHMENTS) {
      g_autoptr(GBytes) data = read_blob (self, att->sha256, error);
      gsize size;
      const guchar *bytes;

      if (data == NULL)
        return FALSE;
      bytes = g_bytes_get_data (data, &size);
      take_string_member (entry, "data", g_base64_encode (bytes, size));
    } else {
      json_object_set_boolean_member (entry, "stub", TRUE);
    }
    json_object_set_object_member (object, att->name, g_steal_pointer (&entry));
  }

  json_object_set_object_member (doc, "_attachments", g_steal_pointer (&object));
  return TRUE;
}

static JsonObject *
build_doc (YunDocStore          *self,
           const char           *id,
           gint64                rev_row,
           guint                 pos,
           const char           *hash,
           gboolean              deleted,
           GArray               *leaves,
           YunDocStoreGetFlags   flags,
           GError              **error)
{
  g_autofree char *text = load_body (self, rev_row, error);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (text == NULL)
    return NULL;
  body = parse_stored_body (text, error);
  if (body == NULL)
    return NULL;

  json_object_set_string_member (doc, "_id", id);
  take_string_member (doc, "_rev", yun_revision_format (pos, hash));
  json_object_iter_init_ordered (&iter, body);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (doc, name, json_node_ref (node));
  if (deleted)
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  if (!add_attachments (self, doc, rev_row, flags, error))
    return NULL;
  if (flags & YUN_DOC_STORE_GET_CONFLICTS)
    add_rev_list (doc, "_conflicts", leaves, rev_row, FALSE);
  if (flags & YUN_DOC_STORE_GET_DELETED_CONFLICTS)
    add_rev_list (doc, "_deleted_conflicts", leaves, rev_row, TRUE);
  if ((flags & YUN_DOC_STORE_GET_REVISIONS) && !add_revisions (self, doc, rev_row, pos, error))
    return NULL;

  return g_steal_pointer (&doc);
}

static JsonObject *
get_local_locked (YunDocStore  *self,
                  gint64        db_row,
                  const char   *id,
                  GError      **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) doc = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gint64 rev;
  int found;

  found = lookup_local (self, db_row, id, &rev, &text, error);
  if (found < 0)
    return NULL;
  if (!found) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "missing: there is no local document \"%s\"", id);
    return NULL;
  }
  body = parse_stored_body (text, error);
  if (body == NULL)
    return NULL;

  json_object_set_string_member (doc, "_id", id);
  take_string_member (doc, "_rev", g_strdup_printf ("0-%" G_GINT64_FORMAT, rev));
  json_object_iter_init_ordered (&iter, body);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (doc, name, json_node_ref (node));
  return g_steal_pointer (&doc);
}

/* Finds the revision a read asks for: the winner when @rev is NULL. */
static gboolean
resolve_rev (YunDocStore  *self,
             gint64        db_row,
             const char   *id,
             const char   *rev,
             gint64       *doc_row,
             GArray      **leaves,
             RevRow       *row,
             guint        *pos,
             const char  **hash,
             GError      **error)
{
  int found = lookup_doc (self, db_row, id, doc_row, error);

  if (found < 0)
    return FALSE;
  if (!found) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "missing: there is no document \"%s\"", id);
    return FALSE;
  }
  *leaves = load_leaves (self, *doc_row, error);
  if (*leaves == NULL)
    return FALSE;

  if (rev == NULL) {
    Leaf *winner = &g_array_index (*leaves, Leaf, 0);

    if (winner->deleted) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                   "deleted: document \"%s\" is deleted", id);
      return FALSE;
    }
    row->row = winner->row;
    row->deleted = FALSE;
    *pos = winner->pos;
    *hash = winner->hash;
    return TRUE;
  }

  if (!yun_revision_parse (rev, pos, hash)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "rev: \"%s\" is not a revision id like 1-abc", rev);
    return FALSE;
  }
  found = lookup_rev (self, *doc_row, *pos, *hash, row, error);
  if (found < 0)
    return FALSE;
  if (!found || !row->has_body) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "missing: document \"%s\" has no revision %s that is kept", id, rev);
    return FALSE;
  }
  return TRUE;
}

/* GObject. */

static void
yun_doc_store_finalize (GObject *object)
{
  YunDocStore *self = YUN_DOC_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->attachments_dir);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (yun_doc_store_parent_class)->finalize (object);
}

static void
yun_doc_store_class_init (YunDocStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_doc_store_finalize;
}

static void
yun_doc_store_init (YunDocStore *self)
{
  g_mutex_init (&self->mutex);
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            finalize_statement);
}

static const char schema[] =
  "CREATE TABLE dbs ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  update_seq INTEGER NOT NULL DEFAULT 0,"
  "  revs_limit INTEGER NOT NULL DEFAULT 1000,"
  /* Documents whose winner lives, and whose winner is deleted; kept by
   * finish_doc() so that GET /db does not count the whole database. */
  "  doc_count INTEGER NOT NULL DEFAULT 0,"
  "  doc_del_count INTEGER NOT NULL DEFAULT 0"
  ");"
  /* seq and winner are set in the transaction that inserts the row. */
  "CREATE TABLE docs ("
  "  id INTEGER PRIMARY KEY,"
  "  db INTEGER NOT NULL REFERENCES dbs (id) ON DELETE CASCADE,"
  "  doc_id TEXT NOT NULL,"
  "  seq INTEGER,"
  "  winner TEXT,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (db, doc_id)"
  ");"
  "CREATE UNIQUE INDEX docs_by_seq ON docs (db, seq);"
  "CREATE TABLE revs ("
  "  id INTEGER PRIMARY KEY,"
  "  doc INTEGER NOT NULL REFERENCES docs (id) ON DELETE CASCADE,"
  "  pos INTEGER NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  parent INTEGER REFERENCES revs (id) ON DELETE SET NULL,"
  "  deleted INTEGER NOT NULL,"
  "  leaf INTEGER NOT NULL,"
  "  body TEXT,"
  "  UNIQUE (doc, pos, hash)"
  ");"
  "CREATE INDEX revs_leaves ON revs (doc) WHERE leaf = 1;"
  "CREATE INDEX revs_by_parent ON revs (parent);"
  "CREATE TABLE attachments ("
  "  rev INTEGER NOT NULL REFERENCES revs (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  content_type TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  md5 TEXT NOT NULL,"
  "  length INTEGER NOT NULL,"
  "  revpos INTEGER NOT NULL,"
  "  PRIMARY KEY (rev, name)"
  ") WITHOUT ROWID;"
  "CREATE INDEX attachments_by_sha256 ON attachments (sha256);"
  "CREATE TABLE local_docs ("
  "  db INTEGER NOT NULL REFERENCES dbs (id) ON DELETE CASCADE,"
  "  doc_id TEXT NOT NULL,"
  "  rev INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  PRIMARY KEY (db, doc_id)"
  ") WITHOUT ROWID;";

/* Version 1 counted documents at each GET /db. */
static const char upgrade_from_1[] =
  "ALTER TABLE dbs ADD COLUMN doc_count INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE dbs ADD COLUMN doc_del_count INTEGER NOT NULL DEFAULT 0;"
  "UPDATE dbs SET"
  " doc_count = (SELECT count(*) FROM docs WHERE db = dbs.id AND deleted = 0),"
  " doc_del_count = (SELECT count(*) FROM docs WHERE db = dbs.id AND deleted = 1);";

static gboolean
ensure_schema (YunDocStore  *self,
               GError      **error)
{
  g_autoptr(Statement) stmt = NULL;
  int version;

  if (!begin (self, error))
    return FALSE;

  stmt = statement (self, "PRAGMA user_version", error);
  if (stmt == NULL || step (self, stmt, error) != SQLITE_ROW) {
    if (error != NULL && *error == NULL)
      set_sqlite_error (self, error, "reading the schema version");
    rollback (self);
    return FALSE;
  }
  version = sqlite3_column_int (stmt, 0);
  release_statement (g_steal_pointer (&stmt));

  if (version > SCHEMA_VERSION) {
    rollback (self);
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                 "%s has schema version %d; this Yun knows up to %d", self->path, version,
                 SCHEMA_VERSION);
    return FALSE;
  }

  if (version < SCHEMA_VERSION) {
    g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", SCHEMA_VERSION);

    if (!exec (self, version == 0 ? schema : upgrade_from_1, error) ||
        !exec (self, set_version, error)) {
      rollback (self);
      return FALSE;
    }
  }

  return commit (self, error);
}

static gboolean
open_database (YunDocStore  *self,
               GError      **error)
{
  g_autoptr(Statement) mode = NULL;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO, "opening %s: %s",
                 self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
    return FALSE;
  }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL lets readers in other connections go on during a write; FULL
   * syncs the log at every commit, so what was acknowledged survives a
   * power cut, not only a crash. */
  mode = statement (self, "PRAGMA journal_mode = WAL", error);
  if (mode == NULL)
    return FALSE;
  if (step (self, mode, error) != SQLITE_ROW) {
    if (error != NULL && *error == NULL)
      set_sqlite_error (self, error, "switching to WAL");
    return FALSE;
  }
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (mode, 0), "wal") != 0) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO,
                 "%s cannot use write-ahead logging", self->path);
    return FALSE;
  }
  /* A statement still running would keep the schema's transaction open. */
  release_statement (g_steal_pointer (&mode));

  /* A bulk write (an import, a replication batch) puts each document in a
   * savepoint; with temporary files on disk the savepoints' journal spills
   * to a file once past 64 KB and then costs a write() per page per
   * document.  In memory it is dropped as each savepoint is released. */
  return exec (self, "PRAGMA synchronous = FULL", error) &&
         exec (self, "PRAGMA temp_store = MEMORY", error) &&
         exec (self, "PRAGMA foreign_keys = ON", error) &&
         ensure_schema (self, error);
}

/**
 * yun_doc_store_open:
 * @path: the store's SQLite file; created when missing
 * @error: return location for a #YunDocStoreError
 *
 * Opens a document store, creating its file and its attachment folder
 * (`@path.attachments/`) when they do not exist.
 *
 * A store is safe to use from several threads.  Every call blocks on disk,
 * and every write waits for its data to be synced, so call it from a
 * worker thread (a #GTask), never from the GTK main thread.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
YunDocStore *
yun_doc_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(YunDocStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_DOC_STORE, NULL);
  self->path = g_strdup (path);
  self->attachments_dir = g_strconcat (path, ".attachments", NULL);

  if (!open_database (self, error))
    return NULL;

  if (g_mkdir_with_parents (self->attachments_dir, 0700) != 0) {
    set_errno_error (error, errno, "creating", self->attachments_dir);
    return NULL;
  }

  return g_steal_pointer (&self);
}

/**
 * yun_doc_store_get_path:
 * @self: a #YunDocStore
 *
 * Returns: (transfer none): the path of the store's SQLite file
 */
const char *
yun_doc_store_get_path (YunDocStore *self)
{
  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);

  return self->path;
}

/**
 * yun_doc_store_check_integrity:
 * @self: a #YunDocStore
 * @error: return location for a #YunDocStoreError
 *
 * Runs SQLite's `PRAGMA integrity_check` and `PRAGMA foreign_key_check` over
 * the whole file.  Slow on a big store.
 *
 * Returns: %TRUE when the file is sound, %FALSE with
 *   %YUN_DOC_STORE_ERROR_CORRUPT naming the first problem otherwise
 */
gboolean
yun_doc_store_check_integrity (YunDocStore  *self,
                               GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) integrity = NULL;
  g_autoptr(Statement) keys = NULL;
  int rc;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);

  integrity = statement (self, "PRAGMA integrity_check", error);
  if (integrity == NULL || step (self, integrity, error) != SQLITE_ROW) {
    if (error != NULL && *error == NULL)
      set_sqlite_error (self, error, "checking integrity");
    return FALSE;
  }
  if (strcmp ((const char *) sqlite3_column_text (integrity, 0), "ok") != 0) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT, "%s: %s", self->path,
                 sqlite3_column_text (integrity, 0));
    return FALSE;
  }

  keys = statement (self, "PRAGMA foreign_key_check", error);
  if (keys == NULL)
    return FALSE;
  rc = step (self, keys, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                 "%s: table %s has a row whose reference is broken", self->path,
                 sqlite3_column_text (keys, 0));
    return FALSE;
  }
  return TRUE;
}

static gboolean
is_blob_name (const char *name)
{
  gsize i;

  for (i = 0; name[i] != '\0'; i++) {
    if (!g_ascii_isxdigit (name[i]) || g_ascii_isupper (name[i]))
      return FALSE;
  }
  return i == 64;
}

/**
 * yun_doc_store_collect_garbage:
 * @self: a #YunDocStore
 * @n_removed: (out) (optional): how many files were removed
 * @error: return location for a #YunDocStoreError
 *
 * Removes the attachment files that no kept revision refers to any more,
 * and temporary files left by writes that crashed.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_doc_store_collect_garbage (YunDocStore  *self,
                               guint        *n_removed,
                               GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(GHashTable) referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;
  guint removed = 0;
  int rc;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);

  stmt = statement (self, "SELECT DISTINCT sha256 FROM attachments", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = step (self, stmt, error)) == SQLITE_ROW)
    g_hash_table_add (referenced, column_strdup (stmt, 0));
  if (rc < 0)
    return FALSE;

  dir = g_dir_open (self->attachments_dir, 0, &local_error);
  if (dir == NULL) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO, "%s", local_error->message);
    return FALSE;
  }

  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (self->attachments_dir, name, NULL);
    gboolean unreferenced = FALSE;

    if (is_blob_name (name)) {
      unreferenced = !g_hash_table_contains (referenced, name);
    } else if (g_str_has_prefix (name, TEMP_PREFIX)) {
      GStatBuf info;

      unreferenced = g_stat (path, &info) == 0 && now - info.st_mtime > STALE_TEMP_SECONDS;
    }

    if (unreferenced) {
      if (g_unlink (path) != 0)
        return set_errno_error (error, errno, "removing", path);
      removed++;
    }
  }

  if (n_removed != NULL)
    *n_removed = removed;
  return TRUE;
}

/**
 * yun_doc_store_create_db:
 * @self: a #YunDocStore
 * @db: the new database's name, matching `[a-z][a-z0-9_$()+/-]*`
 * @error: return location for a #YunDocStoreError
 *
 * Creates an empty database in the store.
 *
 * Returns: %TRUE on success; %YUN_DOC_STORE_ERROR_EXISTS when it exists
 */
gboolean
yun_doc_store_create_db (YunDocStore  *self,
                         const char   *db,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_db_name (db, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  stmt = statement (self, "INSERT INTO dbs (name) VALUES (?) ON CONFLICT (name) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, db, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS,
                 "database \"%s\" exists already", db);
    return FALSE;
  }
  return TRUE;
}

/**
 * yun_doc_store_delete_db:
 * @self: a #YunDocStore
 * @db: a database name
 * @error: return location for a #YunDocStoreError
 *
 * Deletes a database with all its documents.  Their attachment files go at
 * the next yun_doc_store_collect_garbage().
 *
 * Returns: %TRUE on success
 */
gboolean
yun_doc_store_delete_db (YunDocStore  *self,
                         const char   *db,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_db_name (db, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  stmt = statement (self, "DELETE FROM dbs WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, db, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "there is no database named \"%s\"", db);
    return FALSE;
  }
  return TRUE;
}

/**
 * yun_doc_store_list_dbs:
 * @self: a #YunDocStore
 * @error: return location for a #YunDocStoreError
 *
 * Returns: (transfer full): the names of the store's databases, sorted
 */
char **
yun_doc_store_list_dbs (YunDocStore  *self,
                        GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = statement (self, "SELECT name FROM dbs ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = step (self, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc < 0)
    return NULL;
  return g_strv_builder_end (names);
}

/**
 * yun_doc_store_get_db_info:
 * @self: a #YunDocStore
 * @db: a database name
 * @error: return location for a #YunDocStoreError
 *
 * Describes a database like CouchDB's `GET /db`: `db_name`, `doc_count`,
 * `doc_del_count`, `update_seq` and `revs_limit`.
 *
 * Returns: (transfer full): the description, or %NULL with @error set
 */
JsonObject *
yun_doc_store_get_db_info (YunDocStore  *self,
                           const char   *db,
                           GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(JsonObject) info = json_object_new ();
  gint64 db_row;
  guint revs_limit;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!lookup_db (self, db, &db_row, &revs_limit, error))
    return NULL;

  stmt = statement (self, "SELECT update_seq, doc_count, doc_del_count FROM dbs WHERE id = ?",
                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, db_row);
  if (step (self, stmt, error) != SQLITE_ROW) {
    if (error != NULL && *error == NULL)
      set_sqlite_error (self, error, "reading a database's counts");
    return NULL;
  }

  json_object_set_string_member (info, "db_name", db);
  json_object_set_int_member (info, "doc_count", sqlite3_column_int64 (stmt, 1));
  json_object_set_int_member (info, "doc_del_count", sqlite3_column_int64 (stmt, 2));
  json_object_set_int_member (info, "update_seq", sqlite3_column_int64 (stmt, 0));
  json_object_set_int_member (info, "revs_limit", revs_limit);
  return g_steal_pointer (&info);
}

/**
 * yun_doc_store_set_revs_limit:
 * @self: a #YunDocStore
 * @db: a database name
 * @revs_limit: how many generations of each branch to remember, at least 1
 * @error: return location for a #YunDocStoreError
 *
 * Sets a database's `_revs_limit`; trees are stemmed to it as documents
 * are next written.  The default is %YUN_DOC_STORE_DEFAULT_REVS_LIMIT.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_doc_store_set_revs_limit (YunDocStore  *self,
                              const char   *db,
                              guint         revs_limit,
                              GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  gint64 db_row;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (revs_limit == 0 || revs_limit > G_MAXINT) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "revs_limit: %u is not a positive integer", revs_limit);
    return FALSE;
  }

  locker = g_mutex_locker_new (&self->mutex);
  if (!lookup_db (self, db, &db_row, NULL, error))
    return FALSE;
  stmt = statement (self, "UPDATE dbs SET revs_limit = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revs_limit);
  sqlite3_bind_int64 (stmt, 2, db_row);
  return step_done (self, stmt, error);
}

/**
 * yun_doc_store_parse_doc:
 * @data: (array length=length): JSON text from outside
 * @length: the length of @data in bytes
 * @error: return location for a #YunDocStoreError
 *
 * Parses a document that came from outside (an HTTP body, a web app) with
 * the store's limits on size and depth.
 *
 * Returns: (transfer full): the document, or %NULL with
 *   %YUN_DOC_STORE_ERROR_BAD_REQUEST or %YUN_DOC_STORE_ERROR_TOO_LARGE
 */
JsonObject *
yun_doc_store_parse_doc (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Inline attachments make a document's text longer than its body; the
   * body's own limit is checked when it is written. */
  root = yun_json_parse_bounded (data, length, 2 * YUN_DOC_STORE_MAX_BODY,
                                 YUN_DOC_STORE_MAX_DEPTH, &local_error);
  if (root == NULL) {
    g_set_error (error, YUN_DOC_STORE_ERROR,
                 g_error_matches (local_error, YUN_JSON_ERROR, YUN_JSON_ERROR_TOO_LARGE)
                 ? YUN_DOC_STORE_ERROR_TOO_LARGE : YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "%s", local_error->message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "a document must be a JSON object, not %s", yun_json_type_name (root));
    return NULL;
  }
  return json_object_ref (json_node_get_object (root));
}

/**
 * yun_doc_store_put:
 * @self: a #YunDocStore
 * @db: a database name
 * @doc: the document: its members, with optional `_id` (one is generated
 *   when missing), `_rev` (needed to update an existing document),
 *   `_deleted` and `_attachments` (inline base64 `data` or stubs)
 * @id: (out) (optional) (transfer full): the document's id, which is
 *   new when @doc has none
 * @error: return location for a #YunDocStoreError
 *
 * Writes a new revision of a document (CouchDB's `new_edits=true`).
 * Documents whose id starts with `_local/` go to yun_doc_store_put_local().
 *
 * Returns: (transfer full): the new revision id, or %NULL with @error set;
 *   %YUN_DOC_STORE_ERROR_CONFLICT when `_rev` is missing or not current
 */
char *
yun_doc_store_put (YunDocStore  *self,
                   const char   *db,
                   JsonObject   *doc,
                   char        **id,
                   GError      **error)
{
  g_auto(DocInput) input = { 0 };
  char *rev;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parse_doc_input (doc, TRUE, &input, error))
    return NULL;
  rev = write_one (self, db, &input, TRUE, error);
  if (rev != NULL && id != NULL)
    *id = g_steal_pointer (&input.id);
  return rev;
}

/**
 * yun_doc_store_put_replicated:
 * @self: a #YunDocStore
 * @db: a database name
 * @doc: a revision from a replication peer: `_id`, `_rev`, optional
 *   `_revisions` {start, ids} with its ancestry, `_deleted`, `_attachments`
 * @error: return location for a #YunDocStoreError
 *
 * Merges a revision into the document's tree as it is (CouchDB's
 * `new_edits=false`): it may add a conflicting branch, never a conflict
 * error, and writing a revision the store has is a no-op.
 *
 * Returns: (transfer full): the revision id, or %NULL with @error set
 */
char *
yun_doc_store_put_replicated (YunDocStore  *self,
                              const char   *db,
                              JsonObject   *doc,
                              GError      **error)
{
  g_auto(DocInput) input = { 0 };

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parse_doc_input (doc, FALSE, &input, error))
    return NULL;
  return write_one (self, db, &input, FALSE, error);
}

/**
 * yun_doc_store_delete:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @rev: the current revision being deleted
 * @error: return location for a #YunDocStoreError
 *
 * Deletes a document by writing a tombstone revision on top of @rev.
 *
 * Returns: (transfer full): the tombstone's revision id, or %NULL with
 *   @error set
 */
char *
yun_doc_store_delete (YunDocStore  *self,
                      const char   *db,
                      const char   *id,
                      const char   *rev,
                      GError      **error)
{
  g_auto(DocInput) input = { 0 };

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_doc_id (id, error))
    return NULL;
  if (is_local_id (id)) {
    if (!yun_doc_store_delete_local (self, db, id, rev, error))
      return NULL;
    return g_strdup ("0-0");
  }
  if (rev == NULL) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT,
                 "document update conflict: deleting \"%s\" needs its current revision", id);
    return NULL;
  }
  if (!yun_revision_parse (rev, NULL, NULL)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "rev: \"%s\" is not a revision id like 1-abc", rev);
    return NULL;
  }

  input.id = g_strdup (id);
  input.rev = g_strdup (rev);
  input.deleted = TRUE;
  input.must_exist = TRUE;
  input.body = g_strdup ("{}");
  input.body_length = 2;
  return write_one (self, db, &input, TRUE, error);
}

static JsonObject *
get_locked (YunDocStore          *self,
            const char           *db,
            const char           *id,
            const char           *rev,
            YunDocStoreGetFlags   flags,
            GError              **error)
{
  g_autoptr(GArray) leaves = NULL;
  gint64 db_row;
  gint64 doc_row;
  RevRow row;
  guint pos;
  const char *hash;

  if (!lookup_db (self, db, &db_row, NULL, error))
    return NULL;
  if (is_local_id (id))
    return get_local_locked (self, db_row, id, error);

  if (!resolve_rev (self, db_row, id, rev, &doc_row, &leaves, &row, &pos, &hash, error))
    return NULL;
  return build_doc (self, id, row.row, pos, hash, row.deleted, leaves, flags, error);
}

/**
 * yun_doc_store_get:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @rev: (nullable): a revision; %NULL for the winning one
 * @flags: what to add to the document
 * @error: return location for a #YunDocStoreError
 *
 * Reads a document.  Without @rev a deleted document is
 * %YUN_DOC_STORE_ERROR_NOT_FOUND; with @rev its tombstone can be read.
 * Only leaf revisions keep their bodies.
 *
 * Returns: (transfer full): the document with `_id` and `_rev`, or %NULL
 *   with @error set
 */
JsonObject *
yun_doc_store_get (YunDocStore          *self,
                   const char           *db,
                   const char           *id,
                   const char           *rev,
                   YunDocStoreGetFlags   flags,
                   GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  JsonObject *doc;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_doc_id (id, error))
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  /* One read transaction for the handful of queries a read makes: on
   * their own, each would take and drop SQLite's file locks, a system
   * call apiece, which is most of what reading one document costs. */
  if (!exec (self, "BEGIN", error))
    return NULL;
  doc = get_locked (self, db, id, rev, flags, error);
  rollback (self);
  return doc;
}

/**
 * yun_doc_store_get_open_revs:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @revs: (nullable) (array zero-terminated=1): the revisions wanted; %NULL
 *   for every leaf
 * @flags: what to add to each document
 * @error: return location for a #YunDocStoreError
 *
 * CouchDB's `open_revs`: one row per revision, `{"ok": doc}` for those the
 * store keeps, tombstones included, and `{"missing": rev}` for the others.
 *
 * Returns: (transfer full): the rows, or %NULL with @error set
 */
JsonArray *
yun_doc_store_get_open_revs (YunDocStore          *self,
                             const char           *db,
                             const char           *id,
                             const char * const   *revs,
                             YunDocStoreGetFlags   flags,
                             GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GArray) leaves = NULL;
  g_autoptr(JsonArray) rows = json_array_new ();
  gint64 db_row;
  gint64 doc_row = 0;
  int found;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_doc_id (id, error))
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  if (!lookup_db (self, db, &db_row, NULL, error))
    return NULL;
  found = lookup_doc (self, db_row, id, &doc_row, error);
  if (found < 0)
    return NULL;
  if (found) {
    leaves = load_leaves (self, doc_row, error);
    if (leaves == NULL)
      return NULL;
  }

  if (revs == NULL) {
    for (guint i = 0; found && i < leaves->len; i++) {
      Leaf *leaf = &g_array_index (leaves, Leaf, i);
      g_autoptr(JsonObject) row = json_object_new ();
      JsonObject *doc = build_doc (self, id, leaf->row, leaf->pos, leaf->hash, leaf->deleted,
                                   leaves, flags, error);

      if (doc == NULL)
        return NULL;
      json_object_set_object_member (row, "ok", doc);
      json_array_add_object_element (rows, g_steal_pointer (&row));
    }
    return g_steal_pointer (&rows);
  }

  for (guint i = 0; revs[i] != NULL; i++) {
    g_autoptr(JsonObject) row = json_object_new ();
    RevRow rev_row;
    guint pos;
    const char *hash;
    int known = 0;

    if (found && yun_revision_parse (revs[i], &pos, &hash)) {
      known = lookup_rev (self, doc_row, pos, hash, &rev_row, error);
      if (known < 0)
        return NULL;
    }

    if (known && rev_row.has_body) {
      JsonObject *doc = build_doc (self, id, rev_row.row, pos, hash, rev_row.deleted, leaves,
                                   flags, error);

      if (doc == NULL)
        return NULL;
      json_object_set_object_member (row, "ok", doc);
    } else {
      json_object_set_string_member (row, "missing", revs[i]);
    }
    json_array_add_object_element (rows, g_steal_pointer (&row));
  }

  return g_steal_pointer (&rows);
}

static JsonObject *
error_row (const char   *id,
           const GError *error)
{
  JsonObject *row = json_object_new ();

  if (id != NULL)
    json_object_set_string_member (row, "id", id);
  json_object_set_string_member (row, "error", error_name (error));
  json_object_set_string_member (row, "reason", error->message);
  return row;
}

/* Writes @docs in the transaction already begun, each in a savepoint of
 * its own when it may be refused alone.  A failure of the store rolls the
 * whole transaction back. */
static JsonArray *
write_docs_locked (YunDocStore  *self,
                   gint64        db_row,
                   guint         revs_limit,
                   JsonArray    *docs,
                   gboolean      new_edits,
                   GError      **error)
{
  g_autoptr(JsonArray) rows = json_array_new ();

  for (guint i = 0; i < json_array_get_length (docs); i++) {
    JsonNode *node = json_array_get_element (docs, i);
    g_auto(DocInput) input = { 0 };
    g_autoptr(GError) doc_error = NULL;
    g_autofree char *rev = NULL;
    g_autoptr(JsonObject) row = NULL;
    const char *given_id = NULL;
    gboolean own_savepoint;

    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      g_set_error (&doc_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                   "docs[%u]: expected an object, got %s", i, yun_json_type_name (node));
      json_array_add_object_element (rows, error_row (NULL, doc_error));
      continue;
    }
    if (!parse_doc_input (json_node_get_object (node), new_edits, &input, &doc_error)) {
      JsonNode *id = json_object_get_member (json_node_get_object (node), "_id");

      if (id != NULL && JSON_NODE_HOLDS_VALUE (id) &&
          json_node_get_value_type (id) == G_TYPE_STRING &&
          g_utf8_validate (json_node_get_string (id), -1, NULL))
        given_id = json_node_get_string (id);
      json_array_add_object_element (rows, error_row (given_id, doc_error));
      continue;
    }

    /* A new document under an id made here, with no _rev to be in
     * conflict with and no attachment to refuse, needs no savepoint of its
     * own: in an import of thousands, that is two statements in six.
     * Should it fail all the same, the whole bulk fails. */
    own_savepoint = !input.fresh_id || input.rev != NULL || input.atts != NULL;
    if (own_savepoint && !exec_prepared (self, "SAVEPOINT doc", error)) {
      rollback (self);
      return NULL;
    }
    rev = write_doc (self, db_row, revs_limit, &input, new_edits, &doc_error);
    if (rev == NULL) {
      if (!own_savepoint || !error_is_per_document (doc_error)) {
        g_propagate_error (error, g_steal_pointer (&doc_error));
        rollback (self);
        return NULL;
      }
      if (!exec_prepared (self, "ROLLBACK TO doc", error) ||
          !exec_prepared (self, "RELEASE doc", error)) {
        rollback (self);
        return NULL;
      }
      json_array_add_object_element (rows, error_row (input.id, doc_error));
      continue;
    }
    if (own_savepoint && !exec_prepared (self, "RELEASE doc", error)) {
      rollback (self);
      return NULL;
    }

    row = json_object_new ();
    json_object_set_string_member (row, "id", input.id);
    json_object_set_string_member (row, "rev", rev);
    json_array_add_object_element (rows, g_steal_pointer (&row));
  }

  return g_steal_pointer (&rows);
}

/**
 * yun_doc_store_bulk_docs:
 * @self: a #YunDocStore
 * @db: a database name
 * @docs: the documents, as for yun_doc_store_put() or, when @new_edits is
 *   %FALSE, yun_doc_store_put_replicated()
 * @new_edits: %TRUE for new edits, %FALSE for replicated revisions
 * @error: return location for a #YunDocStoreError
 *
 * CouchDB's `_bulk_docs`: writes many documents in one transaction, each
 * one on its own terms.  A document that is refused (a conflict, a bad
 * document) gets an error row, `{"id", "error", "reason"}`, and the others
 * are written; the written ones get `{"id", "rev"}`.  A failure of the
 * store itself writes none and sets @error.
 *
 * Returns: (transfer full): one row per document in order, or %NULL with
 *   @error set
 */
JsonArray *
yun_doc_store_bulk_docs (YunDocStore  *self,
                         const char   *db,
                         JsonArray    *docs,
                         gboolean      new_edits,
                         GError      **error)
{
  YunDocStoreBatch *batch;
  g_autoptr(JsonArray) rows = NULL;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (docs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  batch = yun_doc_store_batch_begin (self, db, NULL, error);
  if (batch == NULL)
    return NULL;
  rows = yun_doc_store_batch_write (batch, docs, new_edits, error);
  if (rows == NULL) {
    yun_doc_store_batch_abort (batch);
    return NULL;
  }
  if (!yun_doc_store_batch_commit (batch, NULL, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* Batches: one transaction over several calls. */

struct _YunDocStoreBatch
{
  YunDocStore *store;
  gint64 db_row;
  guint revs_limit;
  /* Set once the store failed: the transaction is rolled back. */
  gboolean failed;
};

static gboolean
read_update_seq (YunDocStore  *self,
                 gint64        db_row,
                 gint64       *seq,
                 GError      **error)
{
  g_autoptr(Statement) stmt = statement (self, "SELECT update_seq FROM dbs WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, db_row);
  if (step (self, stmt, error) != SQLITE_ROW) {
    if (error != NULL && *error == NULL)
      g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                           "the database row vanished");
    return FALSE;
  }
  *seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * yun_doc_store_batch_begin:
 * @self: a #YunDocStore
 * @db: a database name
 * @update_seq: (out) (optional): return location for the database's
 *   update sequence as the batch begins
 * @error: return location for a #YunDocStoreError
 *
 * Begins a transaction on @db that yun_doc_store_batch_write() adds to a
 * piece at a time, so that a caller making thousands of documents (an
 * import) writes them all or none without holding them all in memory.
 * The store is locked until yun_doc_store_batch_commit() or
 * yun_doc_store_batch_abort(): the calling thread must not use it
 * otherwise in between, and other threads wait.
 *
 * Returns: (transfer full): the batch, or %NULL with @error set
 */
YunDocStoreBatch *
yun_doc_store_batch_begin (YunDocStore  *self,
                           const char   *db,
                           gint64       *update_seq,
                           GError      **error)
{
  g_autofree YunDocStoreBatch *batch = g_new0 (YunDocStoreBatch, 1);

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->mutex);
  if (!begin (self, error)) {
    g_mutex_unlock (&self->mutex);
    return NULL;
  }
  if (!lookup_db (self, db, &batch->db_row, &batch->revs_limit, error) ||
      (update_seq != NULL && !read_update_seq (self, batch->db_row, update_seq, error))) {
    rollback (self);
    g_mutex_unlock (&self->mutex);
    return NULL;
  }
  batch->store = g_object_ref (self);
  return g_steal_pointer (&batch);
}

/**
 * yun_doc_store_batch_write:
 * @batch: a #YunDocStoreBatch
 * @docs: the documents, as for yun_doc_store_bulk_docs()
 * @new_edits: %TRUE for new edits, %FALSE for replicated revisions
 * @error: return location for a #YunDocStoreError
 *
 * yun_doc_store_bulk_docs() inside the batch: refused documents get
 * error rows, the others are written when the batch commits.  A failure
 * of the store rolls the whole batch back; all that is left to do with
 * it then is yun_doc_store_batch_abort().
 *
 * Returns: (transfer full): one row per document in order, or %NULL with
 *   @error set
 */
JsonArray *
yun_doc_store_batch_write (YunDocStoreBatch  *batch,
                           JsonArray         *docs,
                           gboolean           new_edits,
                           GError           **error)
{
  JsonArray *rows;

  g_return_val_if_fail (batch != NULL, NULL);
  g_return_val_if_fail (docs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (batch->failed) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO,
                         "the batch failed already and was rolled back");
    return NULL;
  }
  rows = write_docs_locked (batch->store, batch->db_row, batch->revs_limit, docs, new_edits,
                            error);
  batch->failed = rows == NULL;
  return rows;
}

static void
batch_free (YunDocStoreBatch *batch)
{
  g_mutex_unlock (&batch->store->mutex);
  g_object_unref (batch->store);
  g_free (batch);
}

/**
 * yun_doc_store_batch_commit:
 * @batch: (transfer full): a #YunDocStoreBatch
 * @update_seq: (out) (optional): return location for the database's
 *   update sequence once the batch is written
 * @error: return location for a #YunDocStoreError
 *
 * Makes what the batch wrote durable, and unlocks the store.
 *
 * Returns: %TRUE when it is, %FALSE with @error set and nothing written
 */
gboolean
yun_doc_store_batch_commit (YunDocStoreBatch  *batch,
                            gint64            *update_seq,
                            GError           **error)
{
  YunDocStore *self;
  gint64 seq = 0;
  gboolean ok;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = batch->store;
  if (batch->failed) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_IO,
                         "the batch failed already and was rolled back");
    ok = FALSE;
  } else {
    ok = update_seq == NULL || read_update_seq (self, batch->db_row, &seq, error);
    if (!ok)
      rollback (self);
    ok = ok && commit (self, error);
  }
  if (ok && update_seq != NULL)
    *update_seq = seq;
  batch_free (batch);
  return ok;
}

/**
 * yun_doc_store_batch_abort:
 * @batch: (transfer full): a #YunDocStoreBatch
 *
 * Drops everything the batch wrote, and unlocks the store.
 */
void
yun_doc_store_batch_abort (YunDocStoreBatch *batch)
{
  g_return_if_fail (batch != NULL);

  rollback (batch->store);
  batch_free (batch);
}

/**
 * yun_doc_store_all_docs:
 * @self: a #YunDocStore
 * @db: a database name
 * @start_key: (nullable): the first id to list
 * @end_key: (nullable): the last id to list, inclusive
 * @limit: the most rows to return; 0 for no limit
 * @include_docs: whether each row carries its document
 * @error: return location for a #YunDocStoreError
 *
 * CouchDB's `_all_docs`: the documents that are not deleted, in id order
 * (byte order of their UTF-8), as `{"total_rows", "offset", "rows": [{"id",
 * "key", "value": {"rev"}, "doc"?}]}`.
 *
 * Returns: (transfer full): the listing, or %NULL with @error set
 */
JsonObject *
yun_doc_store_all_docs (YunDocStore  *self,
                        const char   *db,
                        const char   *start_key,
                        const char   *end_key,
                        guint         limit,
                        gboolean      include_docs,
                        GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(Statement) count = NULL;
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  gint64 db_row;
  int rc;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!lookup_db (self, db, &db_row, NULL, error))
    return NULL;

  count = statement (self, "SELECT doc_count FROM dbs WHERE id = ?", error);
  if (count == NULL)
    return NULL;
  sqlite3_bind_int64 (count, 1, db_row);
  if (step (self, count, error) != SQLITE_ROW)
    return NULL;

  if (end_key != NULL)
    stmt = statement (self,
                      "SELECT doc_id, winner, id FROM docs WHERE db = ?1 AND deleted = 0 "
                      "AND doc_id >= ?2 AND doc_id <= ?3 ORDER BY doc_id LIMIT ?4",
                      error);
  else
    stmt = statement (self,
                      "SELECT doc_id, winner, id FROM docs WHERE db = ?1 AND deleted = 0 "
                      "AND doc_id >= ?2 ORDER BY doc_id LIMIT ?4",
                      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, db_row);
  sqlite3_bind_text (stmt, 2, start_key != NULL ? start_key : "", -1, SQLITE_TRANSIENT);
  if (end_key != NULL)
    sqlite3_bind_text (stmt, 3, end_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);

  while ((rc = step (self, stmt, error)) == SQLITE_ROW) {
    g_autoptr(JsonObject) row = json_object_new ();
    g_autoptr(JsonObject) value = json_object_new ();
    const char *id = (const char *) sqlite3_column_text (stmt, 0);
    const char *winner = (const char *) sqlite3_column_text (stmt, 1);

    json_object_set_string_member (row, "id", id);
    json_object_set_string_member (row, "key", id);
    json_object_set_string_member (value, "rev", winner);
    json_object_set_object_member (row, "value", g_steal_pointer (&value));

    if (include_docs) {
      g_autoptr(GArray) leaves = load_leaves (self, sqlite3_column_int64 (stmt, 2), error);
      Leaf *best;
      JsonObject *doc;

      if (leaves == NULL)
        return NULL;
      best = &g_array_index (leaves, Leaf, 0);
      doc = build_doc (self, id, best->row, best->pos, best->hash, FALSE, leaves,
                       YUN_DOC_STORE_GET_NONE, error);
      if (doc == NULL)
        return NULL;
      json_object_set_object_member (row, "doc", doc);
    }
    json_array_add_object_element (rows, g_steal_pointer (&row));
  }
  if (rc < 0)
    return NULL;

  json_object_set_int_member (result, "total_rows", sqlite3_column_int64 (count, 0));
  json_object_set_int_member (result, "offset", 0);
  json_object_set_array_member (result, "rows", g_steal_pointer (&rows));
  return g_steal_pointer (&result);
}

/**
 * yun_doc_store_changes:
 * @self: a #YunDocStore
 * @db: a database name
 * @since: list the changes after this sequence number; 0 for all
 * @limit: the most rows to return; 0 for no limit
 * @style: which revisions each row lists
 * @error: return location for a #YunDocStoreError
 *
 * CouchDB's `_changes` (normal feed): every document changed after @since,
 * once, at the sequence number of its latest change, as `{"results":
 * [{"seq", "id", "changes": [{"rev"}], "deleted"?}], "last_seq"}`.  Local
 * documents are not listed.  `last_seq` is where the next call should
 * start.
 *
 * Returns: (transfer full): the feed, or %NULL with @error set
 */
JsonObject *
yun_doc_store_changes (YunDocStore              *self,
                       const char               *db,
                       gint64                    since,
                       guint                     limit,
                       YunDocStoreChangesStyle   style,
                       GError                  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(JsonObject) feed = json_object_new ();
  gint64 db_row;
  gint64 last_seq;
  guint n = 0;
  int rc;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!lookup_db (self, db, &db_row, NULL, error))
    return NULL;

  if (!read_update_seq (self, db_row, &last_seq, error))
    return NULL;
  last_seq = MAX (since, last_seq);

  stmt = statement (self,
                    "SELECT seq, doc_id, winner, deleted, id FROM docs "
                    "WHERE db = ? AND seq > ? ORDER BY seq LIMIT ?",
                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, db_row);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : -1);

  while ((rc = step (self, stmt, error)) == SQLITE_ROW) {
    g_autoptr(JsonObject) row = json_object_new ();
    g_autoptr(JsonArray) changes = json_array_new ();
    gint64 seq = sqlite3_column_int64 (stmt, 0);

    if (style == YUN_DOC_STORE_CHANGES_ALL_DOCS) {
      g_autoptr(GArray) leaves = load_leaves (self, sqlite3_column_int64 (stmt, 4), error);

      if (leaves == NULL)
        return NULL;
      for (guint i = 0; i < leaves->len; i++) {
        Leaf *leaf = &g_array_index (leaves, Leaf, i);
        g_autoptr(JsonObject) change = json_object_new ();

        take_string_member (change, "rev", yun_revision_format (leaf->pos, leaf->hash));
        json_array_add_object_element (changes, g_steal_pointer (&change));
      }
    } else {
      g_autoptr(JsonObject) change = json_object_new ();

      json_object_set_string_member (change, "rev", (const char *) sqlite3_column_text (stmt, 2));
      json_array_add_object_element (changes, g_steal_pointer (&change));
    }

    json_object_set_int_member (row, "seq", seq);
    json_object_set_string_member (row, "id", (const char *) sqlite3_column_text (stmt, 1));
    json_object_set_array_member (row, "changes", g_steal_pointer (&changes));
    if (sqlite3_column_int (stmt, 3))
      json_object_set_boolean_member (row, "deleted", TRUE);
    json_array_add_object_element (results, g_steal_pointer (&row));

    n++;
    /* A feed cut short by the limit resumes after its last row. */
    if (limit > 0 && n == limit)
      last_seq = seq;
  }
  if (rc < 0)
    return NULL;

  json_object_set_array_member (feed, "results", g_steal_pointer (&results));
  json_object_set_int_member (feed, "last_seq", last_seq);
  return g_steal_pointer (&feed);
}

/**
 * yun_doc_store_revs_diff:
 * @self: a #YunDocStore
 * @db: a database name
 * @revs: `{id: [rev, ...], ...}`, what a replication source has
 * @error: return location for a #YunDocStoreError
 *
 * CouchDB's `_revs_diff`: which of the given revisions this store lacks,
 * as `{id: {"missing": [rev...], "possible_ancestors": [rev...]}}` for each
 * id that lacks some.  The possible ancestors are the document's leaves of
 * a lower generation than a missing revision, which a source can use to
 * send only newer attachments.
 *
 * Returns: (transfer full): the difference, or %NULL with @error set
 */
JsonObject *
yun_doc_store_revs_diff (YunDocStore  *self,
                         const char   *db,
                         JsonObject   *revs,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;
  gint64 db_row;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (revs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Check the whole request before reading anything. */
  json_object_iter_init_ordered (&iter, revs);
  while (json_object_iter_next_ordered (&iter, &id, &node)) {
    JsonArray *list;

    if (!validate_doc_id (id, error))
      return NULL;
    if (!JSON_NODE_HOLDS_ARRAY (node)) {
      g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                   "%s: expected an array of revisions, got %s", id, yun_json_type_name (node));
      return NULL;
    }
    list = json_node_get_array (node);
    for (guint i = 0; i < json_array_get_length (list); i++) {
      JsonNode *rev = json_array_get_element (list, i);

      if (!JSON_NODE_HOLDS_VALUE (rev) || json_node_get_value_type (rev) != G_TYPE_STRING ||
          !yun_revision_parse (json_node_get_string (rev), NULL, NULL)) {
        g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                     "%s[%u]: expected a revision id like 1-abc", id, i);
        return NULL;
      }
    }
  }

  locker = g_mutex_locker_new (&self->mutex);
  if (!lookup_db (self, db, &db_row, NULL, error))
    return NULL;

  json_object_iter_init_ordered (&iter, revs);
  while (json_object_iter_next_ordered (&iter, &id, &node)) {
    JsonArray *list = json_node_get_array (node);
    g_autoptr(JsonArray) missing = json_array_new ();
    g_autoptr(GArray) leaves = NULL;
    g_autoptr(JsonObject) entry = NULL;
    gint64 doc_row = 0;
    guint max_missing = 0;
    int found;

    found = lookup_doc (self, db_row, id, &doc_row, error);
    if (found < 0)
      return NULL;

    for (guint i = 0; i < json_array_get_length (list); i++) {
      const char *rev = json_array_get_string_element (list, i);
      RevRow row;
      guint pos;
      const char *hash;
      int known = 0;

      yun_revision_parse (rev, &pos, &hash);
      if (found) {
        known = lookup_rev (self, doc_row, pos, hash, &row, error);
        if (known < 0)
          return NULL;
      }
      if (!known) {
        json_array_add_string_element (missing, rev);
        max_missing = MAX (max_missing, pos);
      }
    }

    if (json_array_get_length (missing) == 0)
      continue;

    entry = json_object_new ();
    json_object_set_array_member (entry, "missing", g_steal_pointer (&missing));
    if (found) {
      g_autoptr(JsonArray) ancestors = json_array_new ();

      leaves = load_leaves (self, doc_row, error);
      if (leaves == NULL)
        return NULL;
      for (guint i = 0; i < leaves->len; i++) {
        Leaf *leaf = &g_array_index (leaves, Leaf, i);

        if (leaf->pos < max_missing)
          take_string_element (ancestors, yun_revision_format (leaf->pos, leaf->hash));
      }
      if (json_array_get_length (ancestors) > 0)
        json_object_set_array_member (entry, "possible_ancestors", g_steal_pointer (&ancestors));
    }
    json_object_set_object_member (result, id, g_steal_pointer (&entry));
  }

  return g_steal_pointer (&result);
}

/**
 * yun_doc_store_get_local:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the local document's id, starting with `_local/`
 * @error: return location for a #YunDocStoreError
 *
 * Reads a local document: one that is never replicated and has no
 * revision tree, such as a replication checkpoint.
 *
 * Returns: (transfer full): the document with `_id` and `_rev` ("0-N"), or
 *   %NULL with @error set
 */
JsonObject *
yun_doc_store_get_local (YunDocStore  *self,
                         const char   *db,
                         const char   *id,
                         GError      **error)
{
  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!is_local_id (id)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "_id: \"%s\" is not a local document id (\"_local/...\")", id);
    return NULL;
  }
  return yun_doc_store_get (self, db, id, NULL, YUN_DOC_STORE_GET_NONE, error);
}

/**
 * yun_doc_store_put_local:
 * @self: a #YunDocStore
 * @db: a database name
 * @doc: the document, with `_id` starting with `_local/` and, to replace
 *   an existing one, its current `_rev`
 * @error: return location for a #YunDocStoreError
 *
 * Writes a local document.  It does not appear in the changes feed.  It
 * is a replication checkpoint, so unlike other writes it does not wait for
 * the disk: it survives the program's crash, and a power cut may take back
 * the last one (the next replication then starts from the one before).
 *
 * Returns: (transfer full): the new revision, "0-N", or %NULL with @error set
 */
char *
yun_doc_store_put_local (YunDocStore  *self,
                         const char   *db,
                         JsonObject   *doc,
                         GError      **error)
{
  g_auto(DocInput) input = { 0 };
  const char *id = NULL;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!get_string_member (doc, "_id", "", &id, error))
    return NULL;
  if (id == NULL || !is_local_id (id)) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                         "_id: a local document needs an id starting with \"_local/\"");
    return NULL;
  }
  if (!parse_doc_input (doc, TRUE, &input, error))
    return NULL;
  return write_one (self, db, &input, TRUE, error);
}

/**
 * yun_doc_store_delete_local:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the local document's id, starting with `_local/`
 * @rev: its current revision, "0-N"
 * @error: return location for a #YunDocStoreError
 *
 * Deletes a local document; nothing of it remains.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_doc_store_delete_local (YunDocStore  *self,
                            const char   *db,
                            const char   *id,
                            const char   *rev,
                            GError      **error)
{
  g_auto(DocInput) input = { 0 };
  g_autofree char *result = NULL;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), FALSE);
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!validate_doc_id (id, error))
    return FALSE;

  input.id = g_strdup (id);
  input.rev = g_strdup (rev);
  input.deleted = TRUE;
  input.body = g_strdup ("{}");
  input.body_length = 2;
  result = write_one (self, db, &input, TRUE, error);
  return result != NULL;
}

static gboolean
check_attachment_args (const char  *id,
                       const char  *rev,
                       const char  *name,
                       const char  *content_type,
                       GError     **error)
{
  if (!validate_doc_id (id, error) || !validate_attachment_name (name, error) ||
      !validate_content_type (content_type, error))
    return FALSE;
  if (is_local_id (id)) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                         "local documents have no attachments");
    return FALSE;
  }
  if (rev != NULL && !yun_revision_parse (rev, NULL, NULL)) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST,
                 "rev: \"%s\" is not a revision id like 1-abc", rev);
    return FALSE;
  }
  return TRUE;
}

static char *
put_attachment (YunDocStore  *self,
                const char   *db,
                const char   *id,
                const char   *rev,
                Attachment   *att,
                GError      **error)
{
  g_auto(DocInput) input = { 0 };

  input.id = g_strdup (id);
  input.rev = g_strdup (rev);
  input.inherit = TRUE;
  input.body = g_strdup ("{}");
  input.body_length = 2;
  input.atts = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  g_ptr_array_add (input.atts, att);
  return write_one (self, db, &input, TRUE, error);
}

/**
 * yun_doc_store_put_attachment:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @rev: (nullable): the document's current revision; %NULL to create a
 *   new document that only holds the attachment
 * @name: the attachment's name
 * @content_type: its MIME type
 * @data: its contents
 * @error: return location for a #YunDocStoreError
 *
 * Adds or replaces one attachment of a document, making a new revision
 * that keeps the body and the other attachments.
 *
 * Returns: (transfer full): the new revision id, or %NULL with @error set
 */
char *
yun_doc_store_put_attachment (YunDocStore  *self,
                              const char   *db,
                              const char   *id,
                              const char   *rev,
                              const char   *name,
                              const char   *content_type,
                              GBytes       *data,
                              GError      **error)
{
  Attachment *att;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && id != NULL && name != NULL, NULL);
  g_return_val_if_fail (content_type != NULL && data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_attachment_args (id, rev, name, content_type, error))
    return NULL;

  att = g_new0 (Attachment, 1);
  att->name = g_strdup (name);
  att->content_type = g_strdup (content_type);
  att->data = g_bytes_ref (data);
  att->length = g_bytes_get_size (data);
  digest_bytes (data, &att->sha256, &att->md5);
  return put_attachment (self, db, id, rev, att, error);
}

/**
 * yun_doc_store_put_attachment_from_stream:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @rev: (nullable): the document's current revision; %NULL to create a
 *   new document
 * @name: the attachment's name
 * @content_type: its MIME type
 * @stream: its contents, read to the end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #YunDocStoreError or #GIOError
 *
 * Like yun_doc_store_put_attachment(), for contents too big to hold in
 * memory: they are copied to disk first, without holding up other calls.
 *
 * Returns: (transfer full): the new revision id, or %NULL with @error set
 */
char *
yun_doc_store_put_attachment_from_stream (YunDocStore   *self,
                                          const char    *db,
                                          const char    *id,
                                          const char    *rev,
                                          const char    *name,
                                          const char    *content_type,
                                          GInputStream  *stream,
                                          GCancellable  *cancellable,
                                          GError       **error)
{
  g_autoptr(Attachment) att = NULL;
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) md = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree guint8 *buffer = NULL;
  guint8 raw[16];
  gsize raw_length = sizeof raw;
  int fd;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && id != NULL && name != NULL, NULL);
  g_return_val_if_fail (content_type != NULL && G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_attachment_args (id, rev, name, content_type, error))
    return NULL;

  att = g_new0 (Attachment, 1);
  att->name = g_strdup (name);
  att->content_type = g_strdup (content_type);

  /* The copy needs no lock: nobody else knows the temporary name, and
   * garbage collection leaves young temporary files alone. */
  fd = open_temp (self, &att->tmp_path, error);
  if (fd < 0)
    return NULL;
  buffer = g_malloc (64 * 1024);
  for (;;) {
    gssize n = g_input_stream_read (stream, buffer, 64 * 1024, cancellable, error);

    if (n < 0) {
      close (fd);
      return NULL;
    }
    if (n == 0)
      break;
    g_checksum_update (sha, buffer, n);
    g_checksum_update (md, buffer, n);
    att->length += n;
    if (!write_all (fd, buffer, (gsize) n)) {
      int saved_errno = errno;

      close (fd);
      set_errno_error (error, saved_errno, "writing", att->tmp_path);
      return NULL;
    }
  }
  if (fsync (fd) != 0) {
    int saved_errno = errno;

    close (fd);
    set_errno_error (error, saved_errno, "writing", att->tmp_path);
    return NULL;
  }
  if (close (fd) != 0) {
    set_errno_error (error, errno, "writing", att->tmp_path);
    return NULL;
  }

  g_checksum_get_digest (md, raw, &raw_length);
  att->md5 = md5_digest (raw);
  att->sha256 = g_strdup (g_checksum_get_string (sha));
  return put_attachment (self, db, id, rev, g_steal_pointer (&att), error);
}

static Attachment *
lookup_attachment (YunDocStore  *self,
                   const char   *db,
                   const char   *id,
                   const char   *rev,
                   const char   *name,
                   GError      **error)
{
  g_autoptr(GArray) leaves = NULL;
  g_autoptr(GPtrArray) atts = NULL;
  gint64 db_row;
  gint64 doc_row;
  RevRow row;
  guint pos;
  const char *hash;
  Attachment *att;

  if (!validate_doc_id (id, error) || !lookup_db (self, db, &db_row, NULL, error) ||
      !resolve_rev (self, db_row, id, rev, &doc_row, &leaves, &row, &pos, &hash, error))
    return NULL;

  atts = load_attachments (self, row.row, error);
  if (atts == NULL)
    return NULL;
  att = find_attachment (atts, name);
  if (att == NULL) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                 "missing: document \"%s\" has no attachment \"%s\"", id, name);
    return NULL;
  }
  return copy_attachment (att);
}

/**
 * yun_doc_store_get_attachment:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @rev: (nullable): a revision; %NULL for the winning one
 * @name: the attachment's name
 * @content_type: (out) (optional) (transfer full): its MIME type
 * @error: return location for a #YunDocStoreError
 *
 * Reads an attachment into memory, checking its contents against the
 * digest it was stored under.
 *
 * Returns: (transfer full): the contents, or %NULL with @error set
 */
GBytes *
yun_doc_store_get_attachment (YunDocStore  *self,
                              const char   *db,
                              const char   *id,
                              const char   *rev,
                              const char   *name,
                              char        **content_type,
                              GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Attachment) att = NULL;
  GBytes *data;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && id != NULL && name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  att = lookup_attachment (self, db, id, rev, name, error);
  if (att == NULL)
    return NULL;
  data = read_blob (self, att->sha256, error);
  if (data != NULL && content_type != NULL)
    *content_type = g_steal_pointer (&att->content_type);
  return data;
}

/**
 * yun_doc_store_open_attachment:
 * @self: a #YunDocStore
 * @db: a database name
 * @id: the document's id
 * @rev: (nullable): a revision; %NULL for the winning one
 * @name: the attachment's name
 * @content_type: (out) (optional) (transfer full): its MIME type
 * @length: (out) (optional): its length in bytes
 * @error: return location for a #YunDocStoreError
 *
 * Opens an attachment for streaming.  The stream stays readable even if
 * the revision is replaced meanwhile.  Unlike
 * yun_doc_store_get_attachment() it does not check the digest.
 *
 * Returns: (transfer full): a stream of the contents, or %NULL with
 *   @error set
 */
GInputStream *
yun_doc_store_open_attachment (YunDocStore  *self,
                               const char   *db,
                               const char   *id,
                               const char   *rev,
                               const char   *name,
                               char        **content_type,
                               gint64       *length,
                               GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(Attachment) att = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  GFileInputStream *stream;

  g_return_val_if_fail (YUN_IS_DOC_STORE (self), NULL);
  g_return_val_if_fail (db != NULL && id != NULL && name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  att = lookup_attachment (self, db, id, rev, name, error);
  if (att == NULL)
    return NULL;

  path = blob_path (self, att->sha256);
  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL) {
    g_set_error (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CORRUPT,
                 "attachment file is missing: %s", local_error->message);
    return NULL;
  }
  if (content_type != NULL)
    *content_type = g_steal_pointer (&att->content_type);
  if (length != NULL)
    *length = att->length;
  return G_INPUT_STREAM (stream);
}
