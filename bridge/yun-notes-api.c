/* yun-notes-api.c: navigator.yun.notes.
 *
 * Notes are documents of the "notes" database of the personal document
 * store: {title, body, tags, updated}.  The store's calls wait on the disk,
 * so each runs in a worker thread and the answer comes back on the main
 * thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-notes-api.h"

#include "yun-bridge.h"
#include "yun-doc-store.h"

#define NOTES_DB "notes"
#define DEFAULT_LIMIT 100

typedef enum {
  NOTES_LIST,
  NOTES_GET,
  NOTES_SAVE,
  NOTES_REMOVE,
} NotesOp;

typedef struct {
  NotesOp op;
  YunDocStore *store;
  JsonObject *args;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->store);
  json_object_unref (job->args);
  g_free (job);
}

/* A stored document as the page sees a note, with @conflicts (the other
 * versions sync kept, as notes) when not %NULL. */
static JsonNode *
note_from_doc (JsonObject *doc,
               JsonArray  *conflicts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  JsonArray *tags = json_object_has_member (doc, "tags") ? json_object_get_array_member (doc, "tags")
                                                         : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, json_object_get_string_member (doc, "_id"));
  json_builder_set_member_name (builder, "rev");
  json_builder_add_string_value (builder, json_object_get_string_member (doc, "_rev"));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, json_object_get_string_member_with_default (doc, "title", ""));
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, json_object_get_string_member_with_default (doc, "body", ""));
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    json_builder_add_string_value (builder, json_array_get_string_element (tags, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_double_value (builder, json_object_get_double_member_with_default (doc, "updated", 0));
  if (conflicts != NULL) {
    json_builder_set_member_name (builder, "conflicts");
    json_builder_add_value (builder, json_node_init_array (json_node_alloc (), conflicts));
  }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
compare_updated (gconstpointer a,
                 gconstpointer b)
{
  JsonObject *x = json_node_get_object (*(JsonNode * const *) a);
  JsonObject *y = json_node_get_object (*(JsonNode * const *) b);
  double ux = json_object_get_double_member (x, "updated");
  double uy = json_object_get_double_member (y, "updated");

  return (ux < uy) - (ux > uy);
}

static JsonNode *
run_list (Job     *job,
          GError **error)
{
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonArray) result = json_array_new ();
  gint64 limit = json_object_get_int_member_with_default (job->args, "limit", DEFAULT_LIMIT);
  JsonArray *rows;

  all = yun_doc_store_all_docs (job->store, NOTES_DB, NULL, NULL, 0, TRUE, error);
  if (all == NULL)
    return NULL;

  rows = json_object_get_array_member (all, "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *row = json_array_get_object_element (rows, i);

    if (json_object_has_member (row, "doc") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (row, "doc")))
      g_ptr_array_add (notes, note_from_doc (json_object_get_object_member (row, "doc"), NULL));
  }

  g_ptr_array_sort (notes, compare_updated);
  for (guint i = 0; i < notes->len && i < (guint) limit; i++)
    json_array_add_element (result, json_node_ref (g_ptr_array_index (notes, i)));

  return json_node_init_array (json_node_alloc (), result);
}

/* The note with the versions of it that sync kept beside the winner (it
 * was changed on two phones before either saw the other's change), each
 * as a note of its own with its rev: the app shows them, saves the text it
 * wants on the winner's rev and removes the others by theirs. */
static JsonNode *
run_get (Job     *job,
         GError **error)
{
  const char *id = json_object_get_string_member (job->args, "id");
  g_autoptr(JsonObject) doc = yun_doc_store_get (job->store, NOTES_DB, id, NULL,
                                                 YUN_DOC_STORE_GET_CONFLICTS, error);
  g_autoptr(JsonArray) conflicts = json_array_new ();
  JsonArray *revs;

  if (doc == NULL)
    return NULL;
  revs = json_object_has_member (doc, "_conflicts") ? json_object_get_array_member (doc, "_conflicts")
                                                    : NULL;
  for (guint i = 0; revs != NULL && i < json_array_get_length (revs); i++) {
    g_autoptr(JsonObject) other = yun_doc_store_get (job->store, NOTES_DB, id,
                                                     json_array_get_string_element (revs, i),
                                                     YUN_DOC_STORE_GET_NONE, error);

    if (other == NULL)
      return NULL;
    json_array_add_element (conflicts, note_from_doc (other, NULL));
  }
  return note_from_doc (doc, conflicts);
}

static JsonNode *
run_save (Job     *job,
          GError **error)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;
  JsonArray *tags;

  if (json_object_has_member (job->args, "id"))
    json_object_set_string_member (doc, "_id", json_object_get_string_member (job->args, "id"));
  if (json_object_has_member (job->args, "rev"))
    json_object_set_string_member (doc, "_rev", json_object_get_string_member (job->args, "rev"));
  json_object_set_string_member (doc, "type", "note");
  json_object_set_string_member (doc, "title", json_object_get_string_member (job->args, "title"));
  json_object_set_string_member (doc, "body", json_object_get_string_member (job->args, "body"));
  tags = json_object_has_member (job->args, "tags") ? json_object_get_array_member (job->args, "tags")
                                                    : NULL;
  json_object_set_array_member (doc, "tags", tags != NULL ? json_array_ref (tags) : json_array_new ());
  json_object_set_double_member (doc, "updated", (double) (g_get_real_time () / 1000));

  rev = yun_doc_store_put (job->store, NOTES_DB, doc, &id, error);
  if (rev == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "rev");
  json_builder_add_string_value (builder, rev);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
run_remove (Job     *job,
            GError **error)
{
  g_autofree char *rev = yun_doc_store_delete (job->store, NOTES_DB,
                                               json_object_get_string_member (job->args, "id"),
                                               json_object_get_string_member (job->args, "rev"),
                                               error);

  return rev != NULL ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
}

static void
notes_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  JsonNode *result = NULL;

  switch (job->op) {
  case NOTES_LIST:
    result = run_list (job, &error);
    break;
  case NOTES_GET:
    result = run_get (job, &error);
    break;
  case NOTES_SAVE:
    result = run_save (job, &error);
    break;
  case NOTES_REMOVE:
    result = run_remove (job, &error);
    break;
  default:
    g_assert_not_reached ();
  }

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

/* The store's errors as the DOMException a page can act on. */
static GError *
page_error (const GError *error)
{
  int code = YUN_BRIDGE_ERROR_INVALID_STATE;

  if (g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND))
    code = YUN_BRIDGE_ERROR_NOT_FOUND;
  else if (g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST))
    code = YUN_BRIDGE_ERROR_DATA;
  else if (g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_TOO_LARGE))
    code = YUN_BRIDGE_ERROR_QUOTA_EXCEEDED;

  return g_error_new (YUN_BRIDGE_ERROR, code, "notes: %s", error->message);
}

static void
on_notes_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  YunBridgeCall *call = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value != NULL)
    yun_bridge_call_return_value (call, value);
  else
    yun_bridge_call_return_error (call, page_error (error));
}

static void
run (YunBridge        *bridge,
     YunBridgeRequest *request,
     YunBridgeCall    *call,
     NotesOp           op)
{
  YunDocStore *store = yun_bridge_get_personal_store (bridge);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (store == NULL) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_INVALID_STATE,
                                                             "notes: personal data is not open"));
    return;
  }

  job = g_new0 (Job, 1);
  job->op = op;
  job->store = g_object_ref (store);
  job->args = json_object_ref (request->args);
  /* No source object: the call, not the bridge, waits for the answer. */
  task = g_task_new (NULL, NULL, on_notes_done, call);
  g_task_set_source_tag (task, run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, notes_thread);
}

static void
notes_list (YunBridge             *bridge,
            const YunBridgeCaller *caller,
            YunBridgeRequest      *request,
            YunBridgeCall         *call)
{
  run (bridge, request, call, NOTES_LIST);
}

static void
notes_get (YunBridge             *bridge,
           const YunBridgeCaller *caller,
           YunBridgeRequest      *request,
           YunBridgeCall         *call)
{
  run (bridge, request, call, NOTES_GET);
}

/* save ({id, rev, title, body, tags}): a new note without id; a change of
 * one with id and its current rev. */
static void
notes_save (YunBridge             *bridge,
            const YunBridgeCaller *caller,
            YunBridgeRequest      *request,
            YunBridgeCall         *call)
{
  if (json_object_has_member (request->args, "id") != json_object_has_member (request->args, "rev")) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                                                             "notes.save: args: id and rev go together"));
    return;
  }
  run (bridge, request, call, NOTES_SAVE);
}

static void
notes_remove (YunBridge             *bridge,
              const YunBridgeCaller *caller,
              YunBridgeRequest      *request,
              YunBridgeCall         *call)
{
  run (bridge, request, call, NOTES_REMOVE);
}

const YunBridgeMethod yun_notes_api[] = {
  { "notes", "list", notes_list },
  { "notes", "get", notes_get },
  { "notes", "save", notes_save },
  { "notes", "remove", notes_remove },
  { NULL, NULL, NULL },
};
