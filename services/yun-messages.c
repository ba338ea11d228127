/* yun-messages.c: text messages, on the personal document store.
 *
 * Threads are not documents of their own: a thread is the messages that
 * share a "thread" value, and the index keeps, per thread, the newest
 * message and the count of unread ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-messages.h"

#include "yun-personal-data-private.h"

#define DB YUN_PERSONAL_DB_MESSAGES
/* An edit that meets a concurrent one is tried again this many times. */
#define RETRIES 3

struct _YunMessages
{
  GObject parent_instance;

  YunPersonalIndex *index;
  YunDocStore *store;
};

G_DEFINE_FINAL_TYPE (YunMessages, yun_messages, G_TYPE_OBJECT)

static const YunPdField fields[] = {
  { "thread", YUN_PD_STRING, TRUE, YUN_MESSAGES_MAX_ADDRESS, 0, NULL },
  { "from", YUN_PD_STRING, TRUE, YUN_MESSAGES_MAX_ADDRESS, 0, NULL },
  { "to", YUN_PD_STRING_LIST, FALSE, YUN_MESSAGES_MAX_ADDRESS, YUN_MESSAGES_MAX_RECIPIENTS, NULL },
  { "body", YUN_PD_STRING, FALSE, YUN_MESSAGES_MAX_BODY, 0, NULL },
  { "time", YUN_PD_TIME, FALSE, 0, 0, NULL },
  { "read", YUN_PD_BOOLEAN, FALSE, 0, 0, NULL },
};

static void
yun_messages_finalize (GObject *object)
{
  YunMessages *self = YUN_MESSAGES (object);

  g_clear_object (&self->index);

  G_OBJECT_CLASS (yun_messages_parent_class)->finalize (object);
}

static void
yun_messages_class_init (YunMessagesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_messages_finalize;
}

static void
yun_messages_init (YunMessages *self)
{
}

/**
 * yun_messages_new:
 * @index: the personal index, and through it the personal store
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the messages, their database made when
 *   missing, or %NULL with @error set
 */
YunMessages *
yun_messages_new (YunPersonalIndex  *index,
                  GError           **error)
{
  g_autoptr(YunMessages) self = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (index), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!yun_pd_ensure_db (yun_personal_index_get_store (index), DB, error))
    return NULL;
  self = g_object_new (YUN_TYPE_MESSAGES, NULL);
  self->index = g_object_ref (index);
  self->store = yun_personal_index_get_store (index);
  return g_steal_pointer (&self);
}

/**
 * yun_messages_save:
 * @self: a #YunMessages
 * @message: the message, in the shape of #YunMessages; with "id" and
 *   "rev" it replaces that revision
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the message as stored, or %NULL with @error
 *   set
 */
JsonObject *
yun_messages_save (YunMessages  *self,
                   JsonObject   *message,
                   GError      **error)
{
  g_return_val_if_fail (YUN_IS_MESSAGES (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_save_fields (self->index, DB, "message", message, fields, G_N_ELEMENTS (fields),
                             error);
}

/**
 * yun_messages_get:
 * @self: a #YunMessages
 * @id: a message's id
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
JsonObject *
yun_messages_get (YunMessages  *self,
                  const char   *id,
                  GError      **error)
{
  g_return_val_if_fail (YUN_IS_MESSAGES (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_get (self->store, DB, id, yun_pd_from_doc, error);
}

/**
 * yun_messages_remove:
 * @self: a #YunMessages
 * @id: a message's id
 * @rev: (nullable): the revision the caller read; %NULL for the current
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: %TRUE when the message was removed
 */
gboolean
yun_messages_remove (YunMessages  *self,
                     const char   *id,
                     const char   *rev,
                     GError      **error)
{
  g_return_val_if_fail (YUN_IS_MESSAGES (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return yun_pd_remove (self->index, DB, id, rev, error);
}

/**
 * yun_messages_list:
 * @self: a #YunMessages
 * @thread: (nullable): a thread; %NULL for the messages of all threads
 * @before: only messages older than this time; 0 for no bound
 * @limit: the most messages; 0 for the default
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the messages, newest first, or %NULL with
 *   @error set
 */
JsonArray *
yun_messages_list (YunMessages  *self,
                   const char   *thread,
                   gint64        before,
                   guint         limit,
                   GError      **error)
{
  g_return_val_if_fail (YUN_IS_MESSAGES (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_list (self->index, DB, thread, before, limit, yun_pd_from_doc, error);
}

/**
 * yun_messages_list_threads:
 * @self: a #YunMessages
 * @limit: the most threads; 0 for the default
 * @error: return location for a #YunPersonalDataError
 *
 * The conversations, the one with the newest message first, as
 * `[{"thread", "time", "count", "unread", "last": message}]`.
 *
 * Returns: (transfer full): the threads, or %NULL with @error set
 */
JsonArray *
yun_messages_list_threads (YunMessages  *self,
                           guint         limit,
                           GError      **error)
{
  g_autoptr(JsonArray) threads = NULL;
  g_autoptr(JsonArray) result = json_array_new ();

  g_return_val_if_fail (YUN_IS_MESSAGES (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  threads = yun_personal_index_list_threads (self->index, yun_pd_clamp_limit (limit), error);
  if (threads == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (threads); i++) {
    JsonObject *thread = json_array_get_object_element (threads, i);
    g_autoptr(GPtrArray) ids = g_ptr_array_new ();
    g_autoptr(JsonArray) last = NULL;

    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (thread, "last_id"));
    last = yun_pd_get_many (self->store, DB, ids, yun_pd_from_doc, error);
    if (last == NULL)
      return NULL;
    if (json_array_get_length (last) == 0)
      continue;
    json_object_remove_member (thread, "last_id");
    json_object_set_member (thread, "last", json_array_dup_element (last, 0));
    json_array_add_element (result, json_array_dup_element (threads, i));
  }
  return g_steal_pointer (&result);
}

/* The message's body as it is, read; or NULL when it already was. */
static JsonObject *
read_body (JsonObject *doc)
{
  g_autoptr(JsonObject) body = yun_pd_from_doc (doc);

  if (json_object_get_boolean_member_with_default (body, "read", FALSE))
    return NULL;
  json_object_remove_member (body, "id");
  json_object_remove_member (body, "rev");
  json_object_set_boolean_member (body, "read", TRUE);
  return g_steal_pointer (&body);
}

/**
 * yun_messages_mark_read:
 * @self: a #YunMessages
 * @id: a message's id
 * @error: return location for a #YunPersonalDataError
 *
 * Marks one message read, whatever revision it is at.
 *
 * Returns: (transfer full): the message as stored, or %NULL with @error
 *   set
 */
JsonObject *
yun_messages_mark_read (YunMessages  *self,
                        const char   *id,
                        GError      **error)
{
  g_return_val_if_fail (YUN_IS_MESSAGES (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint attempt = 1;; attempt++) {
    g_autoptr(JsonObject) doc = yun_pd_get_doc (self->store, DB, id, error);
    g_autoptr(JsonObject) body = NULL;
    GError *local_error = NULL;
    JsonObject *saved;

    if (doc == NULL)
      return NULL;
    body = read_body (doc);
    if (body == NULL)
      return yun_pd_from_doc (doc);
    saved = yun_pd_put (self->index, DB, body, id, json_object_get_string_member (doc, "_rev"),
                        &local_error);
    if (saved != NULL || attempt == RETRIES ||
        !g_error_matches (local_error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_CONFLICT)) {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return saved;
    }
    g_clear_error (&local_error);
  }
}

/**
 * yun_messages_mark_thread_read:
 * @self: a #YunMessages
 * @thread: a thread
 * @error: return location for a #YunPersonalDataError
 *
 * Marks every unread message of a thread read, in one transaction.  A
 * message changed meanwhile by someone else stays as they left it.
 *
 * Returns: how many messages were marked, or 0 with @error set
 */
guint
yun_messages_mark_thread_read (YunMessages  *self,
                               const char   *thread,
                               GError      **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  GError *local_error = NULL;
  guint marked = 0;

  g_return_val_if_fail (YUN_IS_MESSAGES (self), 0);
  g_return_val_if_fail (thread != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  ids = yun_personal_index_list_unread (self->index, thread, error);
  if (ids == NULL)
    return 0;
  for (guint i = 0; i < ids->len; i++) {
    g_autoptr(JsonObject) doc = yun_doc_store_get (self->store, DB, g_ptr_array_index (ids, i),
                                                   NULL, YUN_DOC_STORE_GET_NONE, NULL);
    JsonObject *body = doc != NULL ? read_body (doc) : NULL;

    if (body == NULL)
      continue;
    json_object_set_string_member (body, "_id", json_object_get_string_member (doc, "_id"));
    json_object_set_string_member (body, "_rev", json_object_get_string_member (doc, "_rev"));
    json_array_add_object_element (docs, body);
  }
  if (json_array_get_length (docs) == 0)
    return 0;

  rows = yun_doc_store_bulk_docs (self->store, DB, docs, TRUE, &local_error);
  if (rows == NULL)
    return yun_pd_store_error (error, local_error), 0;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    marked += !json_object_has_member (json_array_get_object_element (rows, i), "error");
  yun_pd_refresh_index (self->index, DB);
  return marked;
}
