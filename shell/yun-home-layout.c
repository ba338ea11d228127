/* yun-home-layout.c: where each installed app sits on the home screen.
 *
 * The home screen shows the installed apps in the user's order, some of
 * them in the dock.  The layout is that order and that dock, nothing
 * about widgets, so it is tested headless.  It is kept in the profile as
 * a small JSON file:
 *
 *   { "version": 1, "grid": ["notes", "maps"], "dock": ["hello"] }
 *
 * "dock" is only there once the user has chosen what the dock holds; until
 * then it holds the first apps installed.  Apps installed later go at the
 * end of the grid; apps no longer installed are dropped.  Writes go
 * through GIO's async file replacement, so the main thread never waits for
 * the disk, and one write at a time: a change made while a write runs is
 * written after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-home-layout.h"

#include "yun-app-id.h"
#include "yun-json.h"

#define LAYOUT_VERSION 1

struct _YunHomeLayout
{
  GObject parent_instance;

  char *path;
  /* Ids of the apps on the pages, in order, and in the dock. */
  GPtrArray *grid;
  GPtrArray *dock;
  /* Whether the user has chosen the dock, or it is the default one. */
  gboolean dock_chosen;
  gboolean saving;
  gboolean save_again;
};

G_DEFINE_FINAL_TYPE (YunHomeLayout, yun_home_layout, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-home-layout-error-quark, yun_home_layout_error)

static void
yun_home_layout_finalize (GObject *object)
{
  YunHomeLayout *self = YUN_HOME_LAYOUT (object);

  g_free (self->path);
  g_ptr_array_unref (self->grid);
  g_ptr_array_unref (self->dock);

  G_OBJECT_CLASS (yun_home_layout_parent_class)->finalize (object);
}

static void
yun_home_layout_class_init (YunHomeLayoutClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_home_layout_finalize;
}

static void
yun_home_layout_init (YunHomeLayout *self)
{
  self->grid = g_ptr_array_new_with_free_func (g_free);
  self->dock = g_ptr_array_new_with_free_func (g_free);
}

/**
 * yun_home_layout_new:
 * @path: (nullable): the file the layout is loaded from and saved to, or
 *   %NULL for a layout that is never saved
 *
 * Returns: (transfer full): an empty layout
 */
YunHomeLayout *
yun_home_layout_new (const char *path)
{
  YunHomeLayout *self = g_object_new (YUN_TYPE_HOME_LAYOUT, NULL);

  self->path = g_strdup (path);
  return self;
}

/**
 * yun_home_layout_get_path:
 * @self: the layout
 *
 * Returns: (transfer none) (nullable): the file the layout is kept in
 */
const char *
yun_home_layout_get_path (YunHomeLayout *self)
{
  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), NULL);
  return self->path;
}

static gboolean
contains (GPtrArray  *ids,
          const char *app_id,
          guint      *index)
{
  return g_ptr_array_find_with_equal_func (ids, app_id, g_str_equal, index);
}

/* Reads member @name of @root, an array of distinct app ids, into a new
 * array; an absent member gives %NULL with @error unset. */
static GPtrArray *
read_ids (JsonObject  *root,
          const char  *name,
          guint        max_length,
          gboolean    *present,
          GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  *present = node != NULL;
  if (node == NULL)
    return g_steal_pointer (&ids);
  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                 "%s: expected an array, got %s", name, yun_json_type_name (node));
    return NULL;
  }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_length) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                 "%s: more than %u apps", name, max_length);
    return NULL;
  }
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    const char *id;

    if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING) {
      g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                   "%s[%u]: expected an app id, got %s", name, i, yun_json_type_name (element));
      return NULL;
    }
    id = json_node_get_string (element);
    if (!yun_app_id_is_valid (id)) {
      g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                   "%s[%u]: “%s” is not an app id", name, i, id);
      return NULL;
    }
    /* A name twice is harmless: the first place counts. */
    if (!contains (ids, id, NULL))
      g_ptr_array_add (ids, g_strdup (id));
  }
  return g_steal_pointer (&ids);
}

static void
replace_ids (GPtrArray *target,
             GPtrArray *source)
{
  g_ptr_array_set_size (target, 0);
  for (guint i = 0; i < source->len; i++)
    g_ptr_array_add (target, g_strdup (g_ptr_array_index (source, i)));
}

/**
 * yun_home_layout_load_from_data:
 * @self: the layout
 * @data: the saved layout's JSON text
 * @length: its length in bytes
 * @error: return location for a #YunHomeLayoutError
 *
 * Replaces the layout with a saved one.  Apps it names that are not
 * installed are dropped at the next yun_home_layout_arrange().
 *
 * Returns: %TRUE on success; on failure the layout is unchanged
 */
gboolean
yun_home_layout_load_from_data (YunHomeLayout  *self,
                                const char     *data,
                                gsize           length,
                                GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) grid = NULL;
  g_autoptr(GPtrArray) dock = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean has_grid, has_dock;
  JsonObject *object;
  JsonNode *version;

  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  root = yun_json_parse_bounded (data != NULL ? data : "", length, YUN_HOME_LAYOUT_MAX_BYTES, 4,
                                 &local_error);
  if (root == NULL) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                 "the saved home screen is not JSON: %s", local_error->message);
    return FALSE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                 "the saved home screen is %s, not an object", yun_json_type_name (root));
    return FALSE;
  }
  object = json_node_get_object (root);

  /* A newer layout may mean something else by the same members. */
  version = json_object_get_member (object, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != LAYOUT_VERSION) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_INVALID,
                 "version: expected %d", LAYOUT_VERSION);
    return FALSE;
  }

  grid = read_ids (object, "grid", G_MAXUINT, &has_grid, error);
  if (grid == NULL)
    return FALSE;
  dock = read_ids (object, "dock", YUN_HOME_LAYOUT_DOCK_SIZE, &has_dock, error);
  if (dock == NULL)
    return FALSE;

  /* An app in the dock is not also on a page. */
  for (guint i = 0; i < dock->len; i++) {
    guint index;

    if (contains (grid, g_ptr_array_index (dock, i), &index))
      g_ptr_array_remove_index (grid, index);
  }

  replace_ids (self->grid, grid);
  replace_ids (self->dock, dock);
  self->dock_chosen = has_dock;
  return TRUE;
}

/**
 * yun_home_layout_to_bytes:
 * @self: the layout
 *
 * Returns: (transfer full): the layout as the JSON text it is saved as
 */
GBytes *
yun_home_layout_to_bytes (YunHomeLayout *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *text;

  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, LAYOUT_VERSION);
  json_builder_set_member_name (builder, "grid");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->grid->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->grid, i));
  json_builder_end_array (builder);
  if (self->dock_chosen) {
    json_builder_set_member_name (builder, "dock");
    json_builder_begin_array (builder);
    for (guint i = 0; i < self->dock->len; i++)
      json_builder_add_string_value (builder, g_ptr_array_index (self->dock, i));
    json_builder_end_array (builder);
  }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
on_layout_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  YunHomeLayout *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error)) {
    /* No file yet is the usual first start, not a failure. */
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
      g_task_return_boolean (task, TRUE);
    else
      g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  if (!yun_home_layout_load_from_data (self, contents, length, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * yun_home_layout_load_async:
 * @self: the layout
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the layout is loaded
 * @user_data: data for @callback
 *
 * Loads the saved layout from the layout's file, if there is one, without
 * blocking the main thread.
 */
void
yun_home_layout_load_async (YunHomeLayout       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (YUN_IS_HOME_LAYOUT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_home_layout_load_async);
  if (self->path == NULL) {
    g_task_return_boolean (task, TRUE);
    return;
  }

  /* The whole file is read in GIO's worker; one larger than
   * YUN_HOME_LAYOUT_MAX_BYTES is then refused as not a layout. */
  file = g_file_new_for_path (self->path);
  g_file_load_contents_async (file, cancellable, on_layout_loaded, g_steal_pointer (&task));
}

/**
 * yun_home_layout_load_finish:
 * @self: the layout
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the saved layout was loaded or there was none; on
 *   failure the layout is unchanged
 */
gboolean
yun_home_layout_load_finish (YunHomeLayout  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void write_layout (YunHomeLayout *self);

static void
on_layout_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(YunHomeLayout) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_printerr ("yun-shell: cannot save the home screen to %s: %s\n", self->path, error->message);

  self->saving = FALSE;
  if (self->save_again) {
    self->save_again = FALSE;
    write_layout (self);
  }
}

static void
write_layout (YunHomeLayout *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GBytes) bytes = yun_home_layout_to_bytes (self);

  self->saving = TRUE;
  /* Not cancellable: a layout change the user made is written even when
   * the home screen goes away meanwhile.  The write holds a reference. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_layout_written, g_object_ref (self));
}

/**
 * yun_home_layout_save:
 * @self: the layout
 *
 * Writes the layout to its file in the background, replacing the file
 * whole.  Changes made while a write runs are written after it.
 */
void
yun_home_layout_save (YunHomeLayout *self)
{
  g_return_if_fail (YUN_IS_HOME_LAYOUT (self));

  if (self->path == NULL)
    return;
  if (self->saving) {
    self->save_again = TRUE;
    return;
  }
  write_layout (self);
}

/**
 * yun_home_layout_is_saving:
 * @self: the layout
 *
 * Returns: whether a write of the layout is under way
 */
gboolean
yun_home_layout_is_saving (YunHomeLayout *self)
{
  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  return self->saving;
}

static gboolean
same_ids (GPtrArray *a,
          GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  }
  return TRUE;
}

/**
 * yun_home_layout_arrange:
 * @self: the layout
 * @installed: the installed apps' ids, the first installed first
 *
 * Fits the layout to the installed apps: drops the apps that are gone,
 * puts new ones at the end of the grid, and while the user has not chosen
 * the dock, fills it with the first apps installed.
 *
 * Returns: whether the layout changed
 */
gboolean
yun_home_layout_arrange (YunHomeLayout      *self,
                         const char * const *installed)
{
  g_autoptr(GPtrArray) grid = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dock = g_ptr_array_new_with_free_func (g_free);
  gboolean changed;

  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  g_return_val_if_fail (installed != NULL, FALSE);

  if (self->dock_chosen) {
    for (guint i = 0; i < self->dock->len; i++) {
      const char *id = g_ptr_array_index (self->dock, i);

      if (g_strv_contains (installed, id))
        g_ptr_array_add (dock, g_strdup (id));
    }
  } else {
    for (guint i = 0; installed[i] != NULL && dock->len < YUN_HOME_LAYOUT_DOCK_SIZE; i++)
      g_ptr_array_add (dock, g_strdup (installed[i]));
  }

  for (guint i = 0; i < self->grid->len; i++) {
    const char *id = g_ptr_array_index (self->grid, i);

    if (g_strv_contains (installed, id) && !contains (dock, id, NULL))
      g_ptr_array_add (grid, g_strdup (id));
  }
  for (guint i = 0; installed[i] != NULL; i++) {
    if (!contains (dock, installed[i], NULL) && !contains (grid, installed[i], NULL))
      g_ptr_array_add (grid, g_strdup (installed[i]));
  }

  changed = !same_ids (grid, self->grid) || !same_ids (dock, self->dock);
  replace_ids (self->grid, grid);
  replace_ids (self->dock, dock);
  return changed;
}

/**
 * yun_home_layout_get_grid:
 * @self: the layout
 *
 * Returns: (transfer none) (element-type utf8): the ids of the apps on the
 *   pages, in order
 */
GPtrArray *
yun_home_layout_get_grid (YunHomeLayout *self)
{
  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), NULL);
  return self->grid;
}

/**
 * yun_home_layout_get_dock:
 * @self: the layout
 *
 * Returns: (transfer none) (element-type utf8): the ids of the apps in the
 *   dock, in order
 */
GPtrArray *
yun_home_layout_get_dock (YunHomeLayout *self)
{
  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), NULL);
  return self->dock;
}

/**
 * yun_home_layout_is_docked:
 * @self: the layout
 * @app_id: an app id
 *
 * Returns: whether the app is in the dock
 */
gboolean
yun_home_layout_is_docked (YunHomeLayout *self,
                           const char    *app_id)
{
  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  return app_id != NULL && contains (self->dock, app_id, NULL);
}

static gboolean
set_not_found (GError     **error,
               const char  *app_id)
{
  g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_NOT_FOUND,
               "“%s” is not on the home screen", app_id);
  return FALSE;
}

/**
 * yun_home_layout_move:
 * @self: the layout
 * @app_id: an app on the home screen
 * @delta: -1 to move it one place towards the start, 1 towards the end
 * @error: return location for a #YunHomeLayoutError
 *
 * Swaps the app with its neighbour, in the grid or in the dock, whichever
 * holds it.
 *
 * Returns: %TRUE when it moved
 */
gboolean
yun_home_layout_move (YunHomeLayout  *self,
                      const char     *app_id,
                      int             delta,
                      GError        **error)
{
  GPtrArray *ids;
  guint index;
  gint64 target;
  gpointer swap;

  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  g_return_val_if_fail (app_id != NULL, FALSE);
  g_return_val_if_fail (delta == -1 || delta == 1, FALSE);

  if (contains (self->grid, app_id, &index))
    ids = self->grid;
  else if (contains (self->dock, app_id, &index))
    ids = self->dock;
  else
    return set_not_found (error, app_id);

  target = (gint64) index + delta;
  if (target < 0 || target >= ids->len) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_EDGE,
                 "“%s” is already %s", app_id, delta < 0 ? "first" : "last");
    return FALSE;
  }

  swap = ids->pdata[target];
  ids->pdata[target] = ids->pdata[index];
  ids->pdata[index] = swap;
  if (ids == self->dock)
    self->dock_chosen = TRUE;
  return TRUE;
}

/**
 * yun_home_layout_dock:
 * @self: the layout
 * @app_id: an app on the pages
 * @error: return location for a #YunHomeLayoutError
 *
 * Moves the app from the pages to the end of the dock.  The dock is then
 * the user's choice, kept as it is when apps are installed.
 *
 * Returns: %TRUE when it moved
 */
gboolean
yun_home_layout_dock (YunHomeLayout  *self,
                      const char     *app_id,
                      GError        **error)
{
  guint index;

  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  g_return_val_if_fail (app_id != NULL, FALSE);

  if (contains (self->dock, app_id, NULL))
    return TRUE;
  if (!contains (self->grid, app_id, &index))
    return set_not_found (error, app_id);
  if (self->dock->len >= YUN_HOME_LAYOUT_DOCK_SIZE) {
    g_set_error (error, YUN_HOME_LAYOUT_ERROR, YUN_HOME_LAYOUT_ERROR_DOCK_FULL,
                 "the dock already holds %d apps", YUN_HOME_LAYOUT_DOCK_SIZE);
    return FALSE;
  }

  g_ptr_array_add (self->dock, g_ptr_array_steal_index (self->grid, index));
  self->dock_chosen = TRUE;
  return TRUE;
}

/**
 * yun_home_layout_undock:
 * @self: the layout
 * @app_id: an app in the dock
 * @error: return location for a #YunHomeLayoutError
 *
 * Moves the app from the dock to the end of the pages.
 *
 * Returns: %TRUE when it moved
 */
gboolean
yun_home_layout_undock (YunHomeLayout  *self,
                        const char     *app_id,
                        GError        **error)
{
  guint index;

  g_return_val_if_fail (YUN_IS_HOME_LAYOUT (self), FALSE);
  g_return_val_if_fail (app_id != NULL, FALSE);

  if (contains (self->grid, app_id, NULL))
    return TRUE;
  if (!contains (self->dock, app_id, &index))
    return set_not_found (error, app_id);

  g_ptr_array_add (self->grid, g_ptr_array_steal_index (self->dock, index));
  self->dock_chosen = TRUE;
  return TRUE;
}
