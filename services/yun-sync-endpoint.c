/* yun-sync-endpoint.c: one side of a replication; the local side is here,
 * the remote one in yun-sync-endpoint-http.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-sync-endpoint.h"
#include "yun-sync-endpoint-private.h"
#include "yun-replicator.h"
#include "yun-revision.h"

#include <string.h>

/* The local document holding a database's own unique id, so that a
 * database deleted and created again under the same name replicates from
 * the start instead of trusting checkpoints that described another one. */
#define UUID_DOC_ID "_local/yun-db-uuid"

struct _YunSyncEndpoint {
  GObject parent_instance;

  /* Local. */
  YunDocStore *store;
  char *db;

  /* Remote. */
  YunSyncHttp *http;
  char *description;
};

G_DEFINE_FINAL_TYPE (YunSyncEndpoint, yun_sync_endpoint, G_TYPE_OBJECT)

static void
yun_sync_endpoint_finalize (GObject *object)
{
  YunSyncEndpoint *self = YUN_SYNC_ENDPOINT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->db, g_free);
  g_clear_pointer (&self->http, yun_sync_http_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (yun_sync_endpoint_parent_class)->finalize (object);
}

static void
yun_sync_endpoint_class_init (YunSyncEndpointClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_sync_endpoint_finalize;
}

static void
yun_sync_endpoint_init (YunSyncEndpoint *self)
{
}

/**
 * yun_sync_endpoint_new_local:
 * @store: the local document store
 * @db: a database name in @store
 *
 * Returns: (transfer full): an endpoint for the database @db of @store
 */
YunSyncEndpoint *
yun_sync_endpoint_new_local (YunDocStore *store,
                             const char  *db)
{
  YunSyncEndpoint *self;

  g_return_val_if_fail (YUN_IS_DOC_STORE (store), NULL);
  g_return_val_if_fail (db != NULL, NULL);

  self = g_object_new (YUN_TYPE_SYNC_ENDPOINT, NULL);
  self->store = g_object_ref (store);
  self->db = g_strdup (db);
  self->description = g_strdup_printf ("local database \"%s\"", db);
  return self;
}

/**
 * yun_sync_endpoint_new_remote:
 * @url: the database's URL, `http://host:port/path/db`; user and password
 *   in the URL become HTTP Basic credentials
 * @error: return location for a %YUN_REPLICATOR_ERROR_INVALID error
 *
 * Returns: (transfer full): an endpoint for the remote database, or %NULL
 *   with @error set when @url is not an http or https URL
 */
YunSyncEndpoint *
yun_sync_endpoint_new_remote (const char  *url,
                              GError     **error)
{
  g_autoptr(YunSyncEndpoint) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL) {
    g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID,
                 "\"%s\" is not a URL: %s", url, local_error->message);
    return NULL;
  }

  self = g_object_new (YUN_TYPE_SYNC_ENDPOINT, NULL);
  self->http = yun_sync_http_new (uri, error);
  if (self->http == NULL)
    return NULL;
  self->description = g_strdup (yun_sync_http_get_url (self->http));
  return g_steal_pointer (&self);
}

/**
 * yun_sync_endpoint_set_basic_auth:
 * @self: a remote #YunSyncEndpoint
 * @user: the user name
 * @password: the password
 *
 * Sends HTTP Basic credentials with every request.
 */
void
yun_sync_endpoint_set_basic_auth (YunSyncEndpoint *self,
                                  const char      *user,
                                  const char      *password)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *value = NULL;

  g_return_if_fail (YUN_IS_SYNC_ENDPOINT (self));
  g_return_if_fail (self->http != NULL);
  g_return_if_fail (user != NULL && password != NULL);

  pair = g_strconcat (user, ":", password, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  value = g_strconcat ("Basic ", encoded, NULL);
  yun_sync_http_set_authorization (self->http, value);
}

/**
 * yun_sync_endpoint_set_bearer_token:
 * @self: a remote #YunSyncEndpoint
 * @token: the token
 *
 * Sends `Authorization: Bearer @token` with every request.
 */
void
yun_sync_endpoint_set_bearer_token (YunSyncEndpoint *self,
                                    const char      *token)
{
  g_autofree char *value = NULL;

  g_return_if_fail (YUN_IS_SYNC_ENDPOINT (self));
  g_return_if_fail (self->http != NULL);
  g_return_if_fail (token != NULL);

  value = g_strconcat ("Bearer ", token, NULL);
  yun_sync_http_set_authorization (self->http, value);
}

/**
 * yun_sync_endpoint_set_timeout:
 * @self: a remote #YunSyncEndpoint
 * @seconds: how long to wait on a silent server; 0 for ever
 *
 * Sets the timeout of each read and write on the connection.
 */
void
yun_sync_endpoint_set_timeout (YunSyncEndpoint *self,
                               guint            seconds)
{
  g_return_if_fail (YUN_IS_SYNC_ENDPOINT (self));
  g_return_if_fail (self->http != NULL);

  yun_sync_http_set_timeout (self->http, seconds);
}

/**
 * yun_sync_endpoint_is_remote:
 * @self: a #YunSyncEndpoint
 *
 * Returns: whether @self is a database on a server
 */
gboolean
yun_sync_endpoint_is_remote (YunSyncEndpoint *self)
{
  g_return_val_if_fail (YUN_IS_SYNC_ENDPOINT (self), FALSE);

  return self->http != NULL;
}

/**
 * yun_sync_endpoint_get_description:
 * @self: a #YunSyncEndpoint
 *
 * Returns: (transfer none): the URL without credentials, or the local
 *   database's name, for messages
 */
const char *
yun_sync_endpoint_get_description (YunSyncEndpoint *self)
{
  g_return_val_if_fail (YUN_IS_SYNC_ENDPOINT (self), NULL);

  return self->description;
}

YunSyncHttp *
yun_sync_endpoint_get_http (YunSyncEndpoint *self)
{
  return self->http;
}

YunDocStore *
yun_sync_endpoint_get_store (YunSyncEndpoint *self)
{
  return self->store;
}

const char *
yun_sync_endpoint_get_db (YunSyncEndpoint *self)
{
  return self->db;
}

/* The local side. */

static gboolean
is_not_found (const GError *error)
{
  return g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND);
}

gboolean
yun_sync_endpoint_open_db (YunSyncEndpoint  *self,
                           gboolean          create,
                           YunSyncCall      *call,
                           GError          **error)
{
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->http != NULL)
    return yun_sync_http_open_db (self->http, create, call, error);

  info = yun_doc_store_get_db_info (self->store, self->db, &local_error);
  if (info != NULL)
    return TRUE;
  if (!create || !is_not_found (local_error)) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  g_clear_error (&local_error);
  /* Another thread may have created it meanwhile. */
  if (!yun_doc_store_create_db (self->store, self->db, &local_error) &&
      !g_error_matches (local_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS)) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  return TRUE;
}

char *
yun_sync_endpoint_dup_identity (YunSyncEndpoint  *self,
                                YunSyncCall      *call,
                                GError          **error)
{
  if (self->http != NULL)
    return g_strdup (yun_sync_http_get_url (self->http));

  /* Two tries: a concurrent first replication may write the id first. */
  for (int attempt = 0; attempt < 2; attempt++) {
    g_autoptr(JsonObject) doc = NULL;
    g_autoptr(GError) local_error = NULL;
    g_autofree char *rev = NULL;
    g_autofree char *uuid = NULL;

    doc = yun_doc_store_get_local (self->store, self->db, UUID_DOC_ID, &local_error);
    if (doc != NULL && json_object_get_string_member_with_default (doc, "uuid", NULL) != NULL)
      return g_strdup_printf ("yun-local:%s:%s", self->db,
                              json_object_get_string_member (doc, "uuid"));
    if (doc == NULL && !is_not_found (local_error)) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
    g_clear_error (&local_error);

    uuid = g_uuid_string_random ();
    if (doc == NULL)
      doc = json_object_new ();
    json_object_set_string_member (doc, "_id", UUID_DOC_ID);
    json_object_set_string_member (doc, "uuid", uuid);
    rev = yun_doc_store_put_local (self->store, self->db, doc, &local_error);
    if (rev != NULL)
      return g_strdup_printf ("yun-local:%s:%s", self->db, uuid);
    if (!g_error_matches (local_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_CONFLICT) ||
        attempt > 0) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  }
  g_assert_not_reached ();
}

JsonObject *
yun_sync_endpoint_get_local (YunSyncEndpoint  *self,
                             const char       *id,
                             YunSyncCall      *call,
                             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *doc;

  if (self->http != NULL)
    return yun_sync_http_get_local (self->http, id, call, error);

  doc = yun_doc_store_get_local (self->store, self->db, id, &local_error);
  if (doc == NULL && !is_not_found (local_error))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return doc;
}

char *
yun_sync_endpoint_put_local (YunSyncEndpoint  *self,
                             JsonObject       *doc,
                             YunSyncCall      *call,
                             GError          **error)
{
  if (self->http != NULL)
    return yun_sync_http_put_local (self->http, doc, call, error);

  return yun_doc_store_put_local (self->store, self->db, doc, error);
}

JsonObject *
yun_sync_endpoint_changes (YunSyncEndpoint  *self,
                           JsonNode         *since,
                           guint             limit,
                           YunSyncCall      *call,
                           GError          **error)
{
  gint64 since_seq = 0;

  if (self->http != NULL)
    return yun_sync_http_changes (self->http, since, limit, call, error);

  /* Our own checkpoints hold integers; anything else starts over. */
  if (since != NULL && JSON_NODE_HOLDS_VALUE (since) &&
      json_node_get_value_type (since) == G_TYPE_INT64)
    since_seq = MAX (0, json_node_get_int (since));
  return yun_doc_store_changes (self->store, self->db, since_seq, limit,
                                YUN_DOC_STORE_CHANGES_ALL_DOCS, error);
}

JsonObject *
yun_sync_endpoint_revs_diff (YunSyncEndpoint  *self,
                             JsonObject       *revs,
                             YunSyncCall      *call,
                             GError          **error)
{
  if (self->http != NULL)
    return yun_sync_http_revs_diff (self->http, revs, call, error);

  return yun_doc_store_revs_diff (self->store, self->db, revs, error);
}

gboolean
yun_sync_endpoint_inline_attachments (YunSyncEndpoint  *self,
                                      JsonObject       *doc,
                                      guint             ancestor_pos,
                                      GError          **error)
{
  JsonObject *atts = yun_sync_object_member (doc, "_attachments");
  const char *id = json_object_get_string_member (doc, "_id");
  const char *rev = json_object_get_string_member (doc, "_rev");
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (atts == NULL || self->http != NULL)
    return TRUE;

  json_object_iter_init (&iter, atts);
  while (json_object_iter_next (&iter, &name, &node)) {
    JsonObject *att = json_node_get_object (node);
    gint64 revpos = json_object_get_int_member_with_default (att, "revpos", 0);
    g_autoptr(GBytes) data = NULL;
    g_autofree char *base64 = NULL;
    const guchar *raw;
    gsize length;

    if (revpos > 0 && revpos <= ancestor_pos)
      continue;

    data = yun_doc_store_get_attachment (self->store, self->db, id, rev, name, NULL, error);
    if (data == NULL)
      return FALSE;
    json_object_remove_member (att, "stub");
    json_object_remove_member (att, "length");
    raw = g_bytes_get_data (data, &length);
    base64 = g_base64_encode (raw, length);
    json_object_set_string_member (att, "data", base64);
  }
  return TRUE;
}

JsonArray *
yun_sync_endpoint_fetch (YunSyncEndpoint  *self,
                         JsonObject       *diff,
                         YunSyncCall      *call,
                         GError          **error)
{
  g_autoptr(JsonArray) docs = json_array_new ();
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (self->http != NULL)
    return yun_sync_http_fetch (self->http, diff, call, error);

  json_object_iter_init_ordered (&iter, diff);
  while (json_object_iter_next_ordered (&iter, &id, &node)) {
    JsonObject *entry = json_node_get_object (node);
    JsonArray *missing = json_object_get_array_member (entry, "missing");
    g_autoptr(GPtrArray) revs = g_ptr_array_new ();
    g_autoptr(JsonArray) rows = NULL;

    for (guint i = 0; i < json_array_get_length (missing); i++)
      g_ptr_array_add (revs, (gpointer) json_array_get_string_element (missing, i));
    g_ptr_array_add (revs, NULL);

    rows = yun_doc_store_get_open_revs (self->store, self->db, id,
                                        (const char * const *) revs->pdata,
                                        YUN_DOC_STORE_GET_REVISIONS, error);
    if (rows == NULL)
      return NULL;

    for (guint i = 0; i < json_array_get_length (rows); i++) {
      JsonObject *doc = yun_sync_object_member (json_array_get_object_element (rows, i), "ok");

      /* A revision compacted away since the changes feed listed it is
       * replaced by a newer one that the next batch carries. */
      if (doc == NULL)
        continue;
      json_array_add_object_element (docs, json_object_ref (doc));
    }
  }
  return g_steal_pointer (&docs);
}

gboolean
yun_sync_endpoint_write (YunSyncEndpoint  *self,
                         JsonArray        *docs,
                         guint            *n_failed,
                         YunSyncCall      *call,
                         GError          **error)
{
  g_autoptr(JsonArray) rows = NULL;

  *n_failed = 0;
  if (self->http != NULL)
    return yun_sync_http_write (self->http, docs, n_failed, call, error);

  rows = yun_doc_store_bulk_docs (self->store, self->db, docs, FALSE, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *row = json_array_get_object_element (rows, i);

    if (json_object_has_member (row, "error")) {
      g_debug ("%s: refused %s: %s", self->description,
               json_object_get_string_member_with_default (row, "id", "a document"),
               json_object_get_string_member_with_default (row, "reason", ""));
      (*n_failed)++;
    }
  }
  return TRUE;
}
