/* yun-personal-data.c: validation and record plumbing shared by the
 * personal-data services.
 *
 * Every service reads what a page sent with the same few readers, so the
 * messages look alike ("message.to[2]: expected a string, got number") and
 * the limits are checked the same way; and every service keeps its records
 * as documents of its own database in the personal store, returned to the
 * page without the store's underscore members, with "id" and "rev".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-personal-data-private.h"

#include "yun-json.h"

#include <math.h>  /* isfinite() is a macro */
#include <string.h>

G_DEFINE_QUARK (yun-personal-data-error-quark, yun_personal_data_error)

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const char  *path,
         const char  *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID, "%s: %s", path,
               what);
  return FALSE;
}

static gboolean
expected (GError     **error,
          const char  *path,
          const char  *what,
          JsonNode    *node)
{
  return invalid (error, path, "expected %s, got %s", what, yun_json_type_name (node));
}

/**
 * yun_pd_member:
 * @object: an object
 * @member: a member name
 *
 * Returns: (transfer none) (nullable): the member, or %NULL when it is
 *   missing or null
 */
JsonNode *
yun_pd_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
yun_pd_read_string (JsonNode     *node,
                    const char   *path,
                    gsize         max_bytes,
                    const char  **out,
                    GError      **error)
{
  const char *value;
  gsize length;

  if (node == NULL || !holds (node, G_TYPE_STRING))
    return expected (error, path, "a string", node);
  value = json_node_get_string (node);
  length = strlen (value);
  if (length > max_bytes)
    return invalid (error, path, "at most %" G_GSIZE_FORMAT " bytes, got %" G_GSIZE_FORMAT,
                    max_bytes, length);
  if (!g_utf8_validate (value, length, NULL))
    return invalid (error, path, "not valid UTF-8");
  *out = value;
  return TRUE;
}

/* JSON numbers arrive as integers or doubles, depending on how they were
 * written; both are fine when the value is whole. */
static gboolean
read_number (JsonNode *node,
             double   *out)
{
  if (node == NULL)
    return FALSE;
  if (holds (node, G_TYPE_INT64)) {
    *out = (double) json_node_get_int (node);
    return TRUE;
  }
  if (holds (node, G_TYPE_DOUBLE)) {
    *out = json_node_get_double (node);
    return isfinite (*out);
  }
  return FALSE;
}

/* Without floor(), so that the services need no libm. */
static gboolean
is_whole (double value)
{
  return value > -9e18 && value < 9e18 && value == (double) (gint64) value;
}

gboolean
yun_pd_read_integer (JsonNode     *node,
                     const char   *path,
                     gint64        min,
                     gint64        max,
                     gint64       *out,
                     GError      **error)
{
  double value;

  if (!read_number (node, &value) || !is_whole (value))
    return expected (error, path, "a whole number", node);
  if (value < (double) min || value > (double) max)
    return invalid (error, path, "must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, min,
                    max);
  *out = (gint64) value;
  return TRUE;
}

gboolean
yun_pd_read_time (JsonNode     *node,
                  const char   *path,
                  gint64       *out,
                  GError      **error)
{
  double value;

  if (!read_number (node, &value) || !is_whole (value))
    return expected (error, path, "a time in whole milliseconds since 1970", node);
  if (value < 0 || value > (double) YUN_PERSONAL_DATA_MAX_TIME)
    return invalid (error, path, "a time must be between 1970 and the end of 9999");
  *out = (gint64) value;
  return TRUE;
}

gboolean
yun_pd_read_double (JsonNode     *node,
                    const char   *path,
                    double        min,
                    double        max,
                    double       *out,
                    GError      **error)
{
  double value;

  if (!read_number (node, &value))
    return expected (error, path, "a number", node);
  if (value < min || value > max)
    return invalid (error, path, "must be from %g to %g", min, max);
  *out = value;
  return TRUE;
}

gboolean
yun_pd_read_boolean (JsonNode     *node,
                     const char   *path,
                     gboolean     *out,
                     GError      **error)
{
  if (node == NULL || !holds (node, G_TYPE_BOOLEAN))
    return expected (error, path, "true or false", node);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
yun_pd_read_object (JsonNode     *node,
                    const char   *path,
                    JsonObject  **out,
                    GError      **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return expected (error, path, "an object", node);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
yun_pd_read_array (JsonNode     *node,
                   const char   *path,
                   guint         max_items,
                   JsonArray   **out,
                   GError      **error)
{
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return expected (error, path, "an array", node);
  length = json_array_get_length (json_node_get_array (node));
  if (length > max_items)
    return invalid (error, path, "at most %u entries, got %u", max_items, length);
  *out = json_node_get_array (node);
  return TRUE;
}

/* Members outside the shape are refused rather than dropped, so that an
 * app learns at once that what it meant to keep would not be kept. */
gboolean
yun_pd_check_members (JsonObject         *object,
                      const char         *path,
                      const char * const *allowed,
                      GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node)) {
    if (!g_strv_contains (allowed, name))
      return invalid (error, path, "\"%s\" is not a member of %s",
                      g_utf8_validate (name, -1, NULL) ? name : "?", path);
  }
  return TRUE;
}

/**
 * yun_pd_read_id_rev:
 * @input: what the page sent to save
 * @noun: the record's name in messages, such as "contact"
 * @id: (out): the record's id, or %NULL for a new record
 * @rev: (out): the revision being edited, or %NULL
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: whether "id" and "rev" are absent or strings of a sane size
 */
gboolean
yun_pd_read_id_rev (JsonObject   *input,
                    const char   *noun,
                    const char  **id,
                    const char  **rev,
                    GError      **error)
{
  g_autofree char *id_path = g_strconcat (noun, ".id", NULL);
  g_autofree char *rev_path = g_strconcat (noun, ".rev", NULL);
  JsonNode *id_node = yun_pd_member (input, "id");
  JsonNode *rev_node = yun_pd_member (input, "rev");

  *id = NULL;
  *rev = NULL;
  if (id_node != NULL) {
    if (!yun_pd_read_string (id_node, id_path, YUN_DOC_STORE_MAX_ID, id, error))
      return FALSE;
    if (**id == '\0' || **id == '_')
      return invalid (error, id_path, "an id must not be empty or start with \"_\"");
  }
  if (rev_node != NULL && !yun_pd_read_string (rev_node, rev_path, 128, rev, error))
    return FALSE;
  if (*rev != NULL && *id == NULL)
    return invalid (error, rev_path, "a revision needs the record's id");
  return TRUE;
}

/* Image headers: what the bytes are, whatever the caller says, and how
 * big the picture is when the format tells it early on. */

static guint
be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

static guint
be32 (const guint8 *p)
{
  return (guint) p[0] << 24 | (guint) p[1] << 16 | (guint) p[2] << 8 | p[3];
}

static gboolean
png_size (const guint8 *data,
          gsize         size,
          guint        *width,
          guint        *height)
{
  if (size < 24 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  *width = be32 (data + 16);
  *height = be32 (data + 20);
  return TRUE;
}

/* Walks a JPEG's markers to its frame header (SOFn), which holds the size. */
static gboolean
jpeg_size (const guint8 *data,
           gsize         size,
           guint        *width,
           guint        *height)
{
  gsize i = 2;

  while (i + 4 <= size) {
    guint8 marker;
    guint length;

    if (data[i] != 0xff)
      return FALSE;
    marker = data[i + 1];
    if (marker == 0xff) {
      i++;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker == 0xd9 || marker == 0xda)
      return FALSE;
    length = be16 (data + i + 2);
    if (length < 2)
      return FALSE;
    if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
      if (i + 9 > size || length < 7)
        return FALSE;
      *height = be16 (data + i + 5);
      *width = be16 (data + i + 7);
      return TRUE;
    }
    i += 2 + length;
  }
  return FALSE;
}

static const char *
sniff_image (const guint8 *data,
             gsize         size)
{
  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  return NULL;
}

/**
 * yun_pd_read_image:
 * @image: the bytes
 * @path: the field, for messages
 * @max_bytes: the biggest image accepted
 * @allowed_types: (array zero-terminated=1): the media types accepted
 * @content_type: (out): the media type the bytes are, a static string
 * @width: (out) (optional): the width in pixels; when wanted, an image
 *   whose size cannot be read is refused
 * @height: (out) (optional): the height in pixels
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: whether @image is one of the allowed kinds of image
 */
gboolean
yun_pd_read_image (GBytes             *image,
                   const char         *path,
                   gsize               max_bytes,
                   const char * const *allowed_types,
                   const char        **content_type,
                   guint              *width,
                   guint              *height,
                   GError            **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  const char *type = sniff_image (data, size);
  guint w = 0;
  guint h = 0;

  if (size > max_bytes)
    return invalid (error, path, "at most %" G_GSIZE_FORMAT " bytes, got %" G_GSIZE_FORMAT,
                    max_bytes, size);
  if (type == NULL || !g_strv_contains (allowed_types, type)) {
    g_autofree char *allowed = g_strjoinv (", ", (char **) allowed_types);

    return invalid (error, path, "expected an image of type %s", allowed);
  }
  if (width != NULL || height != NULL) {
    gboolean known = strcmp (type, "image/png") == 0 ? png_size (data, size, &w, &h)
                   : strcmp (type, "image/jpeg") == 0 ? jpeg_size (data, size, &w, &h)
                   : FALSE;

    if (!known || w == 0 || h == 0)
      return invalid (error, path, "the %s image's size cannot be read", type);
    if (width != NULL)
      *width = w;
    if (height != NULL)
      *height = h;
  }
  *content_type = type;
  return TRUE;
}

/**
 * yun_pd_inline_attachment:
 * @data: the attachment's bytes
 * @content_type: its media type
 *
 * Returns: (transfer full): an `_attachments` entry with the bytes inline,
 *   so that a record and its picture are written in one transaction
 */
JsonObject *
yun_pd_inline_attachment (GBytes     *data,
                          const char *content_type)
{
  JsonObject *attachment = json_object_new ();
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);
  g_autofree char *base64 = g_base64_encode (bytes, size);

  json_object_set_string_member (attachment, "content_type", content_type);
  json_object_set_string_member (attachment, "data", base64);
  return attachment;
}

static const char * const kind_names[] = {
  [YUN_PD_STRING] = "a string",
  [YUN_PD_STRING_LIST] = "a list of strings",
  [YUN_PD_TIME] = "a time",
  [YUN_PD_INTEGER] = "a whole number",
  [YUN_PD_BOOLEAN] = "true or false",
  [YUN_PD_CHOICE] = "one of its choices",
};

static gboolean
validate_field (JsonObject        *body,
                JsonNode          *node,
                const char        *path,
                const YunPdField  *field,
                GError           **error)
{
  const char *text;
  gint64 number;
  gboolean flag;
  JsonArray *list;

  switch (field->kind) {
  case YUN_PD_STRING:
    if (!yun_pd_read_string (node, path, field->max, &text, error))
      return FALSE;
    json_object_set_string_member (body, field->name, text);
    return TRUE;
  case YUN_PD_CHOICE:
    if (!yun_pd_read_string (node, path, 64, &text, error))
      return FALSE;
    if (!g_strv_contains (field->choices, text)) {
      g_autofree char *choices = g_strjoinv (", ", (char **) field->choices);

      return invalid (error, path, "expected one of %s", choices);
    }
    json_object_set_string_member (body, field->name, text);
    return TRUE;
  case YUN_PD_TIME:
    if (!yun_pd_read_time (node, path, &number, error))
      return FALSE;
    json_object_set_int_member (body, field->name, number);
    return TRUE;
  case YUN_PD_INTEGER:
    if (!yun_pd_read_integer (node, path, 0, field->max, &number, error))
      return FALSE;
    json_object_set_int_member (body, field->name, number);
    return TRUE;
  case YUN_PD_BOOLEAN:
    if (!yun_pd_read_boolean (node, path, &flag, error))
      return FALSE;
    json_object_set_boolean_member (body, field->name, flag);
    return TRUE;
  case YUN_PD_STRING_LIST: {
    g_autoptr(JsonArray) copy = json_array_new ();

    if (!yun_pd_read_array (node, path, field->max_items, &list, error))
      return FALSE;
    for (guint i = 0; i < json_array_get_length (list); i++) {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

      if (!yun_pd_read_string (json_array_get_element (list, i), item_path, field->max, &text,
                               error))
        return FALSE;
      json_array_add_string_element (copy, text);
    }
    json_object_set_array_member (body, field->name, g_steal_pointer (&copy));
    return TRUE;
  }
  default:
    g_assert_not_reached ();
  }
}

/**
 * yun_pd_validate_fields:
 * @input: what the page sent
 * @noun: the record's name in messages
 * @fields: (array length=n_fields): the record's members
 * @n_fields: how many
 * @also_allowed: (nullable): other members the caller reads itself, such
 *   as "id" and "rev"
 * @error: return location for a #YunPersonalDataError
 *
 * Checks a flat record against its fields and copies it, with defaults.
 *
 * Returns: (transfer full): the record's body to store, or %NULL with
 *   %YUN_PERSONAL_DATA_ERROR_INVALID naming the field
 */
JsonObject *
yun_pd_validate_fields (JsonObject         *input,
                        const char         *noun,
                        const YunPdField   *fields,
                        guint               n_fields,
                        const char * const *also_allowed,
                        GError            **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GPtrArray) allowed = g_ptr_array_new ();
  JsonNode *node;

  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (allowed, (gpointer) fields[i].name);
  for (guint i = 0; also_allowed != NULL && also_allowed[i] != NULL; i++)
    g_ptr_array_add (allowed, (gpointer) also_allowed[i]);
  g_ptr_array_add (allowed, NULL);
  if (!yun_pd_check_members (input, noun, (const char * const *) allowed->pdata, error))
    return NULL;

  for (guint i = 0; i < n_fields; i++) {
    const YunPdField *field = &fields[i];
    g_autofree char *path = g_strconcat (noun, ".", field->name, NULL);

    node = yun_pd_member (input, field->name);
    if (node != NULL) {
      if (!validate_field (body, node, path, field, error))
        return NULL;
      continue;
    }
    if (field->required) {
      invalid (error, path, "missing; expected %s", kind_names[field->kind]);
      return NULL;
    }
    if (field->kind == YUN_PD_TIME)
      json_object_set_int_member (body, field->name, g_get_real_time () / 1000);
    else if (field->kind == YUN_PD_BOOLEAN)
      json_object_set_boolean_member (body, field->name, FALSE);
    else if (field->kind == YUN_PD_STRING_LIST)
      json_object_set_array_member (body, field->name, json_array_new ());
  }

  return g_steal_pointer (&body);
}

/**
 * yun_pd_store_error:
 * @error: return location for a #YunPersonalDataError
 * @store_error: (transfer full): an error of the store
 *
 * Passes a store's error on in the personal-data domain.
 *
 * Returns: %FALSE
 */
gboolean
yun_pd_store_error (GError **error,
                    GError  *store_error)
{
  int code = YUN_PERSONAL_DATA_ERROR_IO;

  if (store_error->domain == YUN_DOC_STORE_ERROR) {
    switch ((YunDocStoreError) store_error->code) {
    case YUN_DOC_STORE_ERROR_NOT_FOUND:
      code = YUN_PERSONAL_DATA_ERROR_NOT_FOUND;
      break;
    case YUN_DOC_STORE_ERROR_CONFLICT:
      code = YUN_PERSONAL_DATA_ERROR_CONFLICT;
      break;
    case YUN_DOC_STORE_ERROR_BAD_REQUEST:
    case YUN_DOC_STORE_ERROR_TOO_LARGE:
      code = YUN_PERSONAL_DATA_ERROR_INVALID;
      break;
    case YUN_DOC_STORE_ERROR_EXISTS:
    case YUN_DOC_STORE_ERROR_IO:
    case YUN_DOC_STORE_ERROR_CORRUPT:
    default:
      break;
    }
  } else if (store_error->domain == YUN_PERSONAL_DATA_ERROR) {
    code = store_error->code;
  }
  g_set_error_literal (error, YUN_PERSONAL_DATA_ERROR, code, store_error->message);
  g_error_free (store_error);
  return FALSE;
}

/**
 * yun_pd_ensure_db:
 * @store: the personal store
 * @db: a database name
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: whether @db exists, now if not before
 */
gboolean
yun_pd_ensure_db (YunDocStore  *store,
                  const char   *db,
                  GError      **error)
{
  GError *local_error = NULL;

  if (yun_doc_store_create_db (store, db, &local_error) ||
      g_error_matches (local_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS)) {
    g_clear_error (&local_error);
    return TRUE;
  }
  return yun_pd_store_error (error, local_error);
}

/**
 * yun_pd_from_doc:
 * @doc: a stored document
 *
 * Returns: (transfer full): the record as a page sees it: "id", "rev",
 *   then the document's members except the store's underscore ones
 */
JsonObject *
yun_pd_from_doc (JsonObject *doc)
{
  JsonObject *record = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_set_string_member (record, "id", json_object_get_string_member (doc, "_id"));
  json_object_set_string_member (record, "rev", json_object_get_string_member (doc, "_rev"));
  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &node)) {
    if (name[0] != '_' && strcmp (name, "id") != 0 && strcmp (name, "rev") != 0)
      json_object_set_member (record, name, json_node_copy (node));
  }
  return record;
}

/**
 * yun_pd_refresh_index:
 * @index: the index
 * @db: the database just written
 *
 * Brings the index up to date after a write.  A failure here does not fail
 * the write, which is already durable: the next query catches up again.
 */
void
yun_pd_refresh_index (YunPersonalIndex *index,
                      const char       *db)
{
  g_autoptr(GError) error = NULL;

  if (!yun_personal_index_catch_up (index, db, &error))
    g_debug ("the %s index will catch up later: %s", db, error->message);
}

/**
 * yun_pd_put:
 * @index: the index, whose store is written
 * @db: the database
 * @body: the validated record; `_attachments` stubs may be among it
 * @id: (nullable): the record's id; %NULL for a new one
 * @rev: (nullable): the revision being edited
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the record as written, with its id and new
 *   revision, or %NULL with @error set
 */
JsonObject *
yun_pd_put (YunPersonalIndex  *index,
            const char        *db,
            JsonObject        *body,
            const char        *id,
            const char        *rev,
            GError           **error)
{
  YunDocStore *store = yun_personal_index_get_store (index);
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autofree char *new_id = NULL;
  g_autofree char *new_rev = NULL;
  g_autoptr(JsonArray) written = NULL;
  GError *local_error = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (id != NULL)
    json_object_set_string_member (doc, "_id", id);
  if (rev != NULL)
    json_object_set_string_member (doc, "_rev", rev);
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (doc, name, json_node_copy (node));

  new_rev = yun_doc_store_put (store, db, doc, &new_id, &local_error);
  if (new_rev == NULL)
    return yun_pd_store_error (error, local_error), NULL;

  json_object_set_string_member (doc, "_id", new_id);
  json_object_set_string_member (doc, "_rev", new_rev);
  written = json_array_new ();
  json_array_add_object_element (written, json_object_ref (doc));
  /* The write is durable: an index that fails now catches up later. */
  if (!yun_personal_index_catch_up_with_docs (index, db, written, &local_error)) {
    g_debug ("the %s index will catch up later: %s", db, local_error->message);
    g_clear_error (&local_error);
  }
  return yun_pd_from_doc (doc);
}

/**
 * yun_pd_get_doc:
 * @store: the personal store
 * @db: the database
 * @id: a record's id
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the stored document, winning revision, with
 *   attachment stubs, or %NULL with @error set
 */
JsonObject *
yun_pd_get_doc (YunDocStore  *store,
                const char   *db,
                const char   *id,
                GError      **error)
{
  GError *local_error = NULL;
  JsonObject *doc;

  if (*id == '\0' || *id == '_') {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND,
                 "no record with id \"%s\"", g_utf8_validate (id, -1, NULL) ? id : "?");
    return NULL;
  }
  doc = yun_doc_store_get (store, db, id, NULL, YUN_DOC_STORE_GET_NONE, &local_error);
  if (doc == NULL)
    yun_pd_store_error (error, local_error);
  return doc;
}

/**
 * yun_pd_remove:
 * @index: the index, whose store is written
 * @db: the database
 * @id: a record's id
 * @rev: (nullable): the revision being removed; %NULL for whatever is
 *   current
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: whether the record was removed
 */
gboolean
yun_pd_remove (YunPersonalIndex  *index,
               const char        *db,
               const char        *id,
               const char        *rev,
               GError           **error)
{
  YunDocStore *store = yun_personal_index_get_store (index);
  g_autoptr(JsonObject) current = NULL;
  g_autofree char *tombstone = NULL;
  GError *local_error = NULL;

  /* Without a revision, or with an id no record can have (_local/...),
   * reading first gives the right answer: NotFound, or what to delete. */
  if (rev == NULL || *id == '\0' || *id == '_') {
    current = yun_pd_get_doc (store, db, id, error);
    if (current == NULL)
      return FALSE;
    rev = json_object_get_string_member (current, "_rev");
  }

  tombstone = yun_doc_store_delete (store, db, id, rev, &local_error);
  if (tombstone == NULL)
    return yun_pd_store_error (error, local_error);
  yun_pd_refresh_index (index, db);
  return TRUE;
}

/**
 * yun_pd_get_many:
 * @store: the personal store
 * @db: the database
 * @ids: (element-type utf8): ids the index gave
 * @convert: turns a stored document into a record
 * @error: return location for a #YunPersonalDataError
 *
 * Reads the records the index listed, in its order.  A record removed
 * since the index was read is left out.
 *
 * Returns: (transfer full): the records, or %NULL with @error set
 */
JsonArray *
yun_pd_get_many (YunDocStore  *store,
                 const char   *db,
                 GPtrArray    *ids,
                 JsonObject *(*convert) (JsonObject *doc),
                 GError      **error)
{
  g_autoptr(JsonArray) records = json_array_new ();

  for (guint i = 0; i < ids->len; i++) {
    GError *local_error = NULL;
    g_autoptr(JsonObject) doc = yun_doc_store_get (store, db, g_ptr_array_index (ids, i), NULL,
                                                   YUN_DOC_STORE_GET_NONE, &local_error);

    if (doc == NULL) {
      if (g_error_matches (local_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND)) {
        g_error_free (local_error);
        continue;
      }
      yun_pd_store_error (error, local_error);
      return NULL;
    }
    json_array_add_object_element (records, convert (doc));
  }
  return g_steal_pointer (&records);
}

/**
 * yun_pd_clamp_limit:
 * @limit: what the caller asked for; 0 for the default
 *
 * Returns: the number of results to give
 */
guint
yun_pd_clamp_limit (guint limit)
{
  if (limit == 0)
    return YUN_PERSONAL_DATA_DEFAULT_LIMIT;
  return MIN (limit, YUN_PERSONAL_DATA_MAX_LIMIT);
}

/**
 * yun_pd_save_fields:
 * @index: the index, whose store is written
 * @db: the database
 * @noun: the record's name in messages
 * @input: the record a page sent: its fields, and "id" and "rev" to
 *   change one that exists
 * @fields: (array length=n_fields): the record's members
 * @n_fields: how many
 * @error: return location for a #YunPersonalDataError
 *
 * Checks and writes a flat record.
 *
 * Returns: (transfer full): the record as written, or %NULL with @error
 *   set
 */
JsonObject *
yun_pd_save_fields (YunPersonalIndex  *index,
                    const char        *db,
                    const char        *noun,
                    JsonObject        *input,
                    const YunPdField  *fields,
                    guint              n_fields,
                    GError           **error)
{
  static const char * const id_rev[] = { "id", "rev", NULL };
  g_autoptr(JsonObject) body = NULL;
  const char *id;
  const char *rev;

  if (!yun_pd_read_id_rev (input, noun, &id, &rev, error))
    return NULL;
  body = yun_pd_validate_fields (input, noun, fields, n_fields, id_rev, error);
  if (body == NULL)
    return NULL;
  return yun_pd_put (index, db, body, id, rev, error);
}

/**
 * yun_pd_get:
 * @store: the personal store
 * @db: the database
 * @id: a record's id
 * @convert: turns the stored document into a record
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the record, or %NULL with @error set
 */
JsonObject *
yun_pd_get (YunDocStore  *store,
            const char   *db,
            const char   *id,
            JsonObject *(*convert) (JsonObject *doc),
            GError      **error)
{
  g_autoptr(JsonObject) doc = yun_pd_get_doc (store, db, id, error);

  return doc != NULL ? convert (doc) : NULL;
}

/**
 * yun_pd_list:
 * @index: the index
 * @db: the database
 * @thread: (nullable): see yun_personal_index_list()
 * @before: see yun_personal_index_list()
 * @limit: the most records; 0 for the default
 * @convert: turns a stored document into a record
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the records, newest first, or %NULL with
 *   @error set
 */
JsonArray *
yun_pd_list (YunPersonalIndex  *index,
             const char        *db,
             const char        *thread,
             gint64             before,
             guint              limit,
             JsonObject *(*convert) (JsonObject *doc),
             GError           **error)
{
  g_autoptr(GPtrArray) ids = yun_personal_index_list (index, db, thread, before,
                                                      yun_pd_clamp_limit (limit), error);

  if (ids == NULL)
    return NULL;
  return yun_pd_get_many (yun_personal_index_get_store (index), db, ids, convert, error);
}
