/* yun-window-screenshot.c: what a window shows, web content included,
 * saved as a PNG file: the phone's window, or the developer session's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-window-screenshot.h"

static void
on_screenshot_written (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
render_screenshot (GTask *task)
{
  GtkWidget *window = g_task_get_source_object (task);
  const char *path = g_task_get_task_data (task);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "the window drew nothing");
    return;
  }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  png = gdk_texture_save_to_png_bytes (texture);
  file = g_file_new_for_path (path);
  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), on_screenshot_written,
                                       g_object_ref (task));
}

static void
on_after_paint (GdkFrameClock *clock,
                GTask         *task)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, task);
  render_screenshot (task);
  g_object_unref (task);
}

/**
 * yun_window_screenshot_save_async:
 * @window: a #GtkWindow, shown
 * @path: the PNG file to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written
 * @user_data: data for @callback
 *
 * Renders what the window shows, web content included, once the next frame
 * has been painted, and writes it to a PNG file without blocking the main
 * loop on the disk.
 */
void
yun_window_screenshot_save_async (GtkWidget           *window,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkFrameClock *clock;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (path != NULL);

  task = g_task_new (window, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_window_screenshot_save_async);
  g_task_set_task_data (task, g_strdup (path), g_free);

  clock = gtk_widget_get_frame_clock (window);
  if (clock == NULL || gtk_native_get_renderer (GTK_NATIVE (window)) == NULL ||
      gtk_widget_get_width (window) <= 0) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             "the window is not on screen yet");
    return;
  }

  /* What the window shows is only known once it has painted it. */
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), g_steal_pointer (&task));
  gtk_widget_queue_draw (window);
}

/**
 * yun_window_screenshot_save_finish:
 * @window: the window
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the PNG file was written
 */
gboolean
yun_window_screenshot_save_finish (GtkWidget     *window,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, window), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
