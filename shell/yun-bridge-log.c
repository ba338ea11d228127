/* yun-bridge-log.c: the developer session's live log of bridge calls.
 *
 * Listens to the bridge's "call-finished" signal and keeps one entry per
 * answered call: the app, api.method, the arguments, the result or the
 * error, and how long the answer took.  Save writes the entries as JSON
 * Lines (one object a line); Replay reads such a file and sends each call
 * of the current app through the bridge again, in order, one at a time,
 * comparing each answer with the recorded one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bridge-log.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Oldest entries go first beyond this, so a chatty page cannot grow the
 * shell without bound. */
#define MAX_ENTRIES 5000
/* A replay file bigger than this is refused. */
#define MAX_REPLAY_BYTES (16 * 1024 * 1024)

struct _YunBridgeLog
{
  GtkWidget parent_instance;

  YunBridge *bridge;
  /* JsonObject, oldest first */
  GPtrArray *entries;
  GtkWidget *list;
  GtkWidget *status;
  YunBridgeLogCallerFunc caller_func;
  gpointer caller_data;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (YunBridgeLog, yun_bridge_log, GTK_TYPE_WIDGET)

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

static GtkWidget *
build_row (JsonObject *entry)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *title = NULL;
  g_autofree char *args = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *detail = NULL;
  GtkWidget *label;

  title = g_strdup_printf ("%s.%s — %.2f ms",
                           json_object_get_string_member_with_default (entry, "api", "?"),
                           json_object_get_string_member_with_default (entry, "method", "?"),
                           json_object_get_int_member_with_default (entry, "duration_us", 0) / 1000.0);
  args = node_to_text (json_object_get_member (entry, "args"));
  if (json_object_has_member (entry, "error")) {
    JsonObject *error = json_object_get_object_member (entry, "error");

    outcome = g_strdup_printf ("✗ %s: %s",
                               json_object_get_string_member_with_default (error, "name", "?"),
                               json_object_get_string_member_with_default (error, "message", ""));
  } else {
    g_autofree char *result = node_to_text (json_object_get_member (entry, "result"));

    outcome = g_strdup_printf ("→ %s", result);
  }
  detail = g_strdup_printf ("%s  args %s\n%s",
                            json_object_get_string_member_with_default (entry, "app_id", "?"),
                            args, outcome);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  label = gtk_label_new (detail);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

/* The entry for one answered call; %NULL for a request that never
 * decoded, since there is nothing to replay in it. */
static JsonObject *
make_entry (const char *app_id,
            const char *request,
            const char *reply,
            gint64      duration_us)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) entry = json_object_new ();
  JsonObject *object;

  if (!json_parser_load_from_data (parser, request, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "api") || !json_object_has_member (object, "method"))
    return NULL;

  json_object_set_string_member (entry, "app_id", app_id);
  json_object_set_string_member (entry, "api",
                                 json_object_get_string_member_with_default (object, "api", ""));
  json_object_set_string_member (entry, "method",
                                 json_object_get_string_member_with_default (object, "method", ""));
  if (json_object_has_member (object, "args"))
    json_object_set_member (entry, "args", json_node_copy (json_object_get_member (object, "args")));
  else
    json_object_set_null_member (entry, "args");

  if (reply == NULL) {
    json_object_set_null_member (entry, "result");
    json_object_set_boolean_member (entry, "cancelled", TRUE);
  } else {
    g_autoptr(JsonParser) replies = json_parser_new ();
    JsonObject *answer;

    if (!json_parser_load_from_data (replies, reply, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (replies)))
      return NULL;
    answer = json_node_get_object (json_parser_get_root (replies));
    if (json_object_has_member (answer, "error"))
      json_object_set_member (entry, "error",
                              json_node_copy (json_object_get_member (answer, "error")));
    else if (json_object_has_member (answer, "result"))
      json_object_set_member (entry, "result",
                              json_node_copy (json_object_get_member (answer, "result")));
    else
      json_object_set_null_member (entry, "result");
  }
  json_object_set_int_member (entry, "duration_us", duration_us);
  return g_steal_pointer (&entry);
}

static void
on_call_finished (YunBridge    *bridge,
                  const char   *app_id,
                  const char   *request,
                  const char   *reply,
                  gint64        duration_us,
                  YunBridgeLog *self)
{
  JsonObject *entry = make_entry (app_id, request, reply, duration_us);

  if (entry == NULL)
    return;
  if (self->entries->len >= MAX_ENTRIES) {
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), 0);

    g_ptr_array_remove_index (self->entries, 0);
    if (first != NULL)
      gtk_list_box_remove (GTK_LIST_BOX (self->list), GTK_WIDGET (first));
  }
  g_ptr_array_add (self->entries, entry);
  gtk_list_box_append (GTK_LIST_BOX (self->list), build_row (entry));
}

static void
show_status (YunBridgeLog *self,
             const char   *text)
{
  gtk_label_set_text (GTK_LABEL (self->status), text);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  YunBridgeLog *self = YUN_BRIDGE_LOG (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!yun_bridge_log_save_finish (self, result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    text = g_strdup_printf ("Not saved: %s", error->message);
  } else {
    text = g_strdup ("Saved.");
  }
  show_status (self, text);
}

typedef void (*FileChosenFunc) (YunBridgeLog *self,
                                const char   *path);

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     YunBridgeLog    *self)
{
  FileChosenFunc func = g_object_get_data (G_OBJECT (chooser), "func");

  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
    g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

    if (path != NULL)
      func (self, path);
  }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* GTK 4.8 has no GtkFileDialog yet. */
static void
choose_file (YunBridgeLog         *self,
             GtkFileChooserAction  action,
             const char           *initial_name,
             FileChosenFunc        func)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_SAVE
                                           ? "Save the bridge calls" : "Replay bridge calls",
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         action, NULL, NULL);
  if (initial_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), initial_name);
  g_object_set_data (G_OBJECT (chooser), "func", func);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_chosen (YunBridgeLog *self,
             const char   *path)
{
  yun_bridge_log_save_async (self, path, self->cancellable, on_saved, NULL);
}

static void
on_save_clicked (GtkButton    *button,
                 YunBridgeLog *self)
{
  choose_file (self, GTK_FILE_CHOOSER_ACTION_SAVE, "bridge-calls.jsonl", save_chosen);
}

static void
on_replayed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  YunBridgeLog *self = YUN_BRIDGE_LOG (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *report = yun_bridge_log_replay_finish (self, result, &error);
  g_autofree char *text = NULL;

  if (report == NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    text = g_strdup_printf ("Replay failed: %s", error->message);
  } else if (json_parser_load_from_data (parser, report, -1, NULL)) {
    JsonObject *object = json_node_get_object (json_parser_get_root (parser));
    JsonArray *calls = json_object_get_array_member (object, "calls");
    GString *lines = g_string_new (NULL);

    g_string_append_printf (lines, "Replayed %" G_GINT64_FORMAT " calls: %" G_GINT64_FORMAT
                            " matched.",
                            json_object_get_int_member (object, "total"),
                            json_object_get_int_member (object, "matched"));
    for (guint i = 0; i < json_array_get_length (calls); i++) {
      JsonObject *call = json_array_get_object_element (calls, i);

      g_string_append_printf (lines, "\n%s %s.%s",
                              json_object_get_boolean_member (call, "matched") ? "✓" : "✗",
                              json_object_get_string_member (call, "api"),
                              json_object_get_string_member (call, "method"));
    }
    text = g_string_free (lines, FALSE);
  }
  show_status (self, text);
}

static void
replay_chosen (YunBridgeLog *self,
               const char   *path)
{
  YunBridgeCaller caller = { NULL, NULL, NULL };

  if (self->caller_func == NULL || !self->caller_func (&caller, self->caller_data))
    show_status (self, "Open an app to replay its calls.");
  else
    yun_bridge_log_replay_async (self, path, &caller, self->cancellable, on_replayed, NULL);
}

static void
on_replay_clicked (GtkButton    *button,
                   YunBridgeLog *self)
{
  choose_file (self, GTK_FILE_CHOOSER_ACTION_OPEN, NULL, replay_chosen);
}

static void
on_clear_clicked (GtkButton    *button,
                  YunBridgeLog *self)
{
  yun_bridge_log_clear (self);
}

static void
yun_bridge_log_dispose (GObject *object)
{
  YunBridgeLog *self = YUN_BRIDGE_LOG (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->bridge != NULL)
    g_signal_handlers_disconnect_by_data (self->bridge, self);
  g_clear_object (&self->bridge);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (yun_bridge_log_parent_class)->dispose (object);
}

static void
yun_bridge_log_finalize (GObject *object)
{
  YunBridgeLog *self = YUN_BRIDGE_LOG (object);

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (yun_bridge_log_parent_class)->finalize (object);
}

static void
yun_bridge_log_class_init (YunBridgeLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_bridge_log_dispose;
  object_class->finalize = yun_bridge_log_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "yun-bridge-log");
}

static void
yun_bridge_log_init (YunBridgeLog *self)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new ("Bridge calls");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *button;

  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-4");
  gtk_widget_set_parent (title, GTK_WIDGET (self));

  button = gtk_button_new_with_label ("Save…");
  g_signal_connect (button, "clicked", G_CALLBACK (on_save_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_label ("Replay…");
  g_signal_connect (button, "clicked", G_CALLBACK (on_replay_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_label ("Clear");
  g_signal_connect (button, "clicked", G_CALLBACK (on_clear_clicked), self);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_widget_set_parent (buttons, GTK_WIDGET (self));

  self->status = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_widget_set_parent (self->status, GTK_WIDGET (self));

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_size_request (scrolled, 320, -1);
  gtk_widget_set_parent (scrolled, GTK_WIDGET (self));
}

/**
 * yun_bridge_log_new:
 *
 * Returns: (transfer floating): an empty log; it records once it has a
 *   bridge
 */
YunBridgeLog *
yun_bridge_log_new (void)
{
  return g_object_new (YUN_TYPE_BRIDGE_LOG, NULL);
}

/**
 * yun_bridge_log_set_bridge:
 * @self: the log
 * @bridge: (nullable): the bridge whose calls to record
 */
void
yun_bridge_log_set_bridge (YunBridgeLog *self,
                           YunBridge    *bridge)
{
  g_return_if_fail (YUN_IS_BRIDGE_LOG (self));
  g_return_if_fail (bridge == NULL || YUN_IS_BRIDGE (bridge));

  if (self->bridge == bridge)
    return;
  if (self->bridge != NULL)
    g_signal_handlers_disconnect_by_data (self->bridge, self);
  g_set_object (&self->bridge, bridge);
  if (bridge != NULL)
    g_signal_connect (bridge, "call-finished", G_CALLBACK (on_call_finished), self);
}

/**
 * yun_bridge_log_set_caller_func:
 * @self: the log
 * @func: (nullable): says who the current app is, for the Replay button
 * @user_data: data for @func
 */
void
yun_bridge_log_set_caller_func (YunBridgeLog           *self,
                                YunBridgeLogCallerFunc  func,
                                gpointer                user_data)
{
  g_return_if_fail (YUN_IS_BRIDGE_LOG (self));

  self->caller_func = func;
  self->caller_data = user_data;
}

/**
 * yun_bridge_log_get_length:
 * @self: the log
 *
 * Returns: how many calls the log holds
 */
guint
yun_bridge_log_get_length (YunBridgeLog *self)
{
  g_return_val_if_fail (YUN_IS_BRIDGE_LOG (self), 0);
  return self->entries->len;
}

/**
 * yun_bridge_log_to_json:
 * @self: the log
 *
 * Returns: (transfer full): the calls as a JSON array of objects, oldest
 *   first: app_id, api, method, args, result or error {name, message},
 *   duration_us
 */
char *
yun_bridge_log_to_json (YunBridgeLog *self)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (YUN_IS_BRIDGE_LOG (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (self->entries, i)));
  root = json_node_init_array (json_node_alloc (), array);
  return json_to_string (root, FALSE);
}

/**
 * yun_bridge_log_to_json_lines:
 * @self: the log
 *
 * Returns: (transfer full): the calls as JSON Lines, one object a line
 */
char *
yun_bridge_log_to_json_lines (YunBridgeLog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (YUN_IS_BRIDGE_LOG (self), NULL);

  for (guint i = 0; i < self->entries->len; i++) {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                      g_ptr_array_index (self->entries, i));
    g_autofree char *line = json_to_string (node, FALSE);

    g_string_append (text, line);
    g_string_append_c (text, '\n');
  }
  return g_string_free (text, FALSE);
}

/**
 * yun_bridge_log_clear:
 * @self: the log
 *
 * Forgets every call.
 */
void
yun_bridge_log_clear (YunBridgeLog *self)
{
  g_return_if_fail (YUN_IS_BRIDGE_LOG (self));

  g_ptr_array_set_size (self->entries, 0);
  for (GtkWidget *row = gtk_widget_get_first_child (self->list); row != NULL;
       row = gtk_widget_get_first_child (self->list))
    gtk_list_box_remove (GTK_LIST_BOX (self->list), row);
  show_status (self, "");
}

static void
on_contents_replaced (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * yun_bridge_log_save_async:
 * @self: the log
 * @path: the file to write, replaced if it exists
 * @cancellable: (nullable): stops the write
 * @callback: called once written
 * @user_data: data for @callback
 *
 * Writes the calls recorded so far as JSON Lines.
 */
void
yun_bridge_log_save_async (YunBridgeLog        *self,
                           const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (YUN_IS_BRIDGE_LOG (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_bridge_log_save_async);
  if (!g_path_is_absolute (path)) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "“%s” is not an absolute path", path);
    return;
  }
  text = yun_bridge_log_to_json_lines (self);
  bytes = g_bytes_new_take (text, strlen (text));
  file = g_file_new_for_path (path);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, cancellable,
                                       on_contents_replaced, g_steal_pointer (&task));
}

/**
 * yun_bridge_log_save_finish:
 * @self: the log
 * @result: the result given to the callback
 * @error: where a failure to write goes
 *
 * Returns: %TRUE once the file is written
 */
gboolean
yun_bridge_log_save_finish (YunBridgeLog  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* One replay in progress: the recorded calls and what came back. */
typedef struct {
  YunBridge *bridge;
  char *app_id;
  YunManifest *manifest;
  char *document_uri;
  GPtrArray *recorded;
  guint next;
  JsonArray *report;
  guint matched;
  guint skipped;
} Replay;

static void
replay_free (Replay *replay)
{
  g_clear_object (&replay->bridge);
  g_free (replay->app_id);
  g_clear_object (&replay->manifest);
  g_free (replay->document_uri);
  g_clear_pointer (&replay->recorded, g_ptr_array_unref);
  g_clear_pointer (&replay->report, json_array_unref);
  g_free (replay);
}

/* Whether a reply says the same as the recorded entry: an equal result,
 * or an error of the same name. */
static gboolean
answer_matches (JsonObject *recorded,
                JsonObject *answer)
{
  if (json_object_has_member (recorded, "error")) {
    JsonObject *expected = json_object_get_object_member (recorded, "error");
    JsonObject *got;

    if (!json_object_has_member (answer, "error"))
      return FALSE;
    got = json_object_get_object_member (answer, "error");
    return expected != NULL && got != NULL &&
           g_strcmp0 (json_object_get_string_member_with_default (expected, "name", ""),
                      json_object_get_string_member_with_default (got, "name", "")) == 0;
  }
  if (!json_object_has_member (answer, "result"))
    return FALSE;
  if (!json_object_has_member (recorded, "result"))
    return FALSE;
  return json_node_equal (json_object_get_member (recorded, "result"),
                          json_object_get_member (answer, "result"));
}

static void replay_next (GTask *task);

static void
on_replay_reply (char     *reply,
                 gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *owned = reply;
  Replay *replay = g_task_get_task_data (task);
  JsonObject *recorded = g_ptr_array_index (replay->recorded, replay->next);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *item = json_object_new ();
  gboolean matched = FALSE;

  json_object_set_string_member (item, "api", json_object_get_string_member (recorded, "api"));
  json_object_set_string_member (item, "method", json_object_get_string_member (recorded, "method"));
  if (json_object_has_member (recorded, "error"))
    json_object_set_member (item, "expected",
                            json_node_copy (json_object_get_member (recorded, "error")));
  else
    json_object_set_member (item, "expected",
                            json_node_copy (json_object_get_member (recorded, "result")));

  if (owned != NULL && json_parser_load_from_data (parser, owned, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    JsonObject *answer = json_node_get_object (json_parser_get_root (parser));

    matched = answer_matches (recorded, answer);
    if (json_object_has_member (answer, "error"))
      json_object_set_member (item, "got", json_node_copy (json_object_get_member (answer, "error")));
    else if (json_object_has_member (answer, "result"))
      json_object_set_member (item, "got",
                              json_node_copy (json_object_get_member (answer, "result")));
    else
      json_object_set_null_member (item, "got");
  } else {
    json_object_set_null_member (item, "got");
  }
  json_object_set_boolean_member (item, "matched", matched);
  json_array_add_object_element (replay->report, item);
  if (matched)
    replay->matched++;
  replay->next++;
  replay_next (g_steal_pointer (&task));
}

static void
replay_next (GTask *task)
{
  Replay *replay = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *recorded;
  YunBridgeCaller caller;
  g_autofree char *request = NULL;

  if (g_task_return_error_if_cancelled (task)) {
    g_object_unref (task);
    return;
  }

  if (replay->next >= replay->recorded->len) {
    object = json_object_new ();
    json_object_set_string_member (object, "app_id", replay->app_id);
    json_object_set_int_member (object, "total", json_array_get_length (replay->report));
    json_object_set_int_member (object, "matched", replay->matched);
    json_object_set_int_member (object, "skipped", replay->skipped);
    json_object_set_array_member (object, "calls", json_array_ref (replay->report));
    report = json_node_init_object (json_node_alloc (), object);
    g_task_return_pointer (task, json_to_string (report, FALSE), g_free);
    g_object_unref (task);
    return;
  }

  recorded = g_ptr_array_index (replay->recorded, replay->next);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, replay->next + 1);
  json_builder_set_member_name (builder, "api");
  json_builder_add_string_value (builder, json_object_get_string_member (recorded, "api"));
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, json_object_get_string_member (recorded, "method"));
  json_builder_set_member_name (builder, "args");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (recorded, "args")));
  json_builder_end_object (builder);
  report = json_builder_get_root (builder);
  request = json_to_string (report, FALSE);

  caller.app_id = replay->app_id;
  caller.manifest = replay->manifest;
  caller.document_uri = replay->document_uri;
  yun_bridge_handle (replay->bridge, &caller, request, strlen (request),
                     g_task_get_cancellable (task), on_replay_reply, task);
}

/* Reads the recorded calls of @app_id from JSON Lines; lines of other
 * apps are counted in @skipped. */
static GPtrArray *
parse_recording (const char  *text,
                 gsize        length,
                 const char  *app_id,
                 guint       *skipped,
                 GError     **error)
{
  g_autoptr(GPtrArray) recorded = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = NULL;

  if (!g_utf8_validate_len (text, length, NULL)) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "the recording is not UTF-8 text");
    return NULL;
  }
  copy = g_strndup (text, length);
  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) line_error = NULL;
    JsonObject *object;
    JsonNode *args;

    if (*g_strstrip (lines[i]) == '\0')
      continue;
    if (!json_parser_load_from_data (parser, lines[i], -1, &line_error)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "line %u is not JSON: %s", i + 1, line_error->message);
      return NULL;
    }
    object = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
               ? json_node_get_object (json_parser_get_root (parser)) : NULL;
    args = object != NULL ? json_object_get_member (object, "args") : NULL;
    if (object == NULL ||
        json_object_get_string_member_with_default (object, "api", NULL) == NULL ||
        json_object_get_string_member_with_default (object, "method", NULL) == NULL ||
        args == NULL ||
        (!json_object_has_member (object, "result") && !json_object_has_member (object, "error"))) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "line %u is not a recorded call (api, method, args and result or error)",
                   i + 1);
      return NULL;
    }
    if (g_strcmp0 (json_object_get_string_member_with_default (object, "app_id", app_id),
                   app_id) != 0) {
      (*skipped)++;
      continue;
    }
    g_ptr_array_add (recorded, json_object_ref (object));
  }
  return g_steal_pointer (&recorded);
}

static void
on_recording_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Replay *replay = g_task_get_task_data (task);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GError *error = NULL;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error)) {
    g_task_return_error (task, error);
    return;
  }
  if (length > MAX_REPLAY_BYTES) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "the recording is bigger than %d bytes", MAX_REPLAY_BYTES);
    return;
  }
  replay->recorded = parse_recording (contents, length, replay->app_id, &replay->skipped, &error);
  if (replay->recorded == NULL) {
    g_task_return_error (task, error);
    return;
  }
  replay_next (g_steal_pointer (&task));
}

/**
 * yun_bridge_log_replay_async:
 * @self: the log, with a bridge
 * @path: a file written by yun_bridge_log_save_async()
 * @caller: the app to replay as, usually the current one; copied
 * @cancellable: (nullable): stops the replay
 * @callback: called once every call is answered
 * @user_data: data for @callback
 *
 * Sends each of the recorded calls of @caller's app through the bridge
 * again, in order, each once the one before is answered.
 */
void
yun_bridge_log_replay_async (YunBridgeLog          *self,
                             const char            *path,
                             const YunBridgeCaller *caller,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  Replay *replay;

  g_return_if_fail (YUN_IS_BRIDGE_LOG (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (caller != NULL && caller->app_id != NULL && YUN_IS_MANIFEST (caller->manifest));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_bridge_log_replay_async);
  if (self->bridge == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "the bridge is not ready yet");
    return;
  }
  if (!g_path_is_absolute (path)) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "“%s” is not an absolute path", path);
    return;
  }

  replay = g_new0 (Replay, 1);
  replay->bridge = g_object_ref (self->bridge);
  replay->app_id = g_strdup (caller->app_id);
  replay->manifest = g_object_ref (caller->manifest);
  replay->document_uri = g_strdup (caller->document_uri);
  replay->report = json_array_new ();
  g_task_set_task_data (task, replay, (GDestroyNotify) replay_free);

  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, cancellable, on_recording_loaded, g_steal_pointer (&task));
}

/**
 * yun_bridge_log_replay_finish:
 * @self: the log
 * @result: the result given to the callback
 * @error: where an unreadable or malformed recording is reported
 *
 * Returns: (transfer full) (nullable): the report as JSON: app_id, total,
 *   matched, skipped (calls of other apps) and calls, each with api,
 *   method, expected, got and matched
 */
char *
yun_bridge_log_replay_finish (YunBridgeLog  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
