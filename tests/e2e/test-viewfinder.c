/* test-viewfinder.c: the viewfinder widget and the camera taker in-process,
 * under Xvfb, with GStreamer's test source: its buttons, the shutter
 * pressed before the camera has started, cancelling, hostile frames and
 * options.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "yun-camera-taker.h"
#include "yun-camera.h"

static GtkWidget *window;

typedef struct {
  YunViewfinder *viewfinder;
  YunCameraTaker *taker;
  guint active_changes;
} Fixture;

static void
on_active_changed (YunCameraTaker *taker,
                   GParamSpec     *pspec,
                   Fixture        *fixture)
{
  fixture->active_changes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->viewfinder = yun_viewfinder_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (fixture->viewfinder));
  fixture->taker = yun_camera_taker_new (fixture->viewfinder, "test");
  g_signal_connect (fixture->taker, "notify::active", G_CALLBACK (on_active_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer taker = fixture->taker;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* The worker thread that looked for the cameras lets go of its task a
   * moment after the task's callback ran: wait for that, not forever. */
  g_object_add_weak_pointer (taker, &taker);
  g_object_unref (taker);
  while (taker != NULL) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  }
  gtk_window_set_child (GTK_WINDOW (window), NULL);
}

typedef struct {
  gboolean done;
  GBytes *picture;
  GError *error;
} Taken;

static void
on_taken (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Taken *taken = user_data;

  taken->picture = yun_picture_taker_take_finish (YUN_PICTURE_TAKER (source), result, NULL,
                                                  &taken->error);
  taken->done = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean   *condition,
            const char *what)
{
  guint timeout = g_timeout_add_seconds (30, on_timeout, (gpointer) what);

  while (!*condition)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
take (Fixture      *fixture,
      int           max_width,
      int           max_height,
      double        quality,
      GCancellable *cancellable,
      Taken        *taken)
{
  YunPictureRequest request = {
    .app_id = "people", .app_name = "People",
    .max_width = max_width, .max_height = max_height, .quality = quality,
  };

  yun_picture_taker_take_async (YUN_PICTURE_TAKER (fixture->taker), &request, cancellable,
                                on_taken, taken);
}

static void
taken_clear (Taken *taken)
{
  g_clear_pointer (&taken->picture, g_bytes_unref);
  g_clear_error (&taken->error);
}

static void
wait_for_frames (Fixture *fixture)
{
  guint timeout = g_timeout_add_seconds (30, on_timeout, "a viewfinder frame");

  while (yun_viewfinder_get_frame_count (fixture->viewfinder) < 2)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
test_press_when_closed_fails (Fixture       *fixture,
                              gconstpointer  data)
{
  const char * const buttons[] = { "shutter", "switch", "cancel" };
  g_autoptr(GError) unknown = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_false (yun_viewfinder_press (fixture->viewfinder, buttons[i], &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  g_assert_false (yun_viewfinder_press (fixture->viewfinder, "zoom", &unknown));
  g_assert_error (unknown, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->viewfinder)));
}

static void
test_shutter_before_the_camera_started_takes_the_picture (Fixture       *fixture,
                                                          gconstpointer  data)
{
  Taken taken = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  take (fixture, 320, 240, 0.8, NULL, &taken);
  g_assert_true (yun_viewfinder_is_open (fixture->viewfinder));
  g_assert_cmpstr (yun_viewfinder_get_app_name (fixture->viewfinder), ==, "People");
  g_assert_true (yun_camera_taker_get_active (fixture->taker));
  /* The cameras are still being looked for on a worker thread. */
  g_assert_true (yun_viewfinder_press (fixture->viewfinder, "shutter", &error));
  g_assert_no_error (error);
  wait_until (&taken.done, "the picture");

  g_assert_no_error (taken.error);
  texture = gdk_texture_new_from_bytes (taken.picture, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 180);
  g_assert_false (yun_viewfinder_is_open (fixture->viewfinder));
  g_assert_false (yun_camera_taker_get_active (fixture->taker));
  g_assert_cmpuint (fixture->active_changes, ==, 2);
  taken_clear (&taken);
}

static void
test_switch_is_off_with_one_camera (Fixture       *fixture,
                                    gconstpointer  data)
{
  Taken taken = { 0 };
  g_autoptr(GError) error = NULL;

  take (fixture, 0, 0, 0.9, NULL, &taken);
  wait_for_frames (fixture);
  g_assert_cmpstr (yun_camera_taker_get_source (fixture->taker), ==, "test");
  g_assert_false (yun_viewfinder_press (fixture->viewfinder, "switch", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_true (yun_viewfinder_is_open (fixture->viewfinder));

  g_assert_true (yun_camera_taker_cancel (fixture->taker));
  wait_until (&taken.done, "the cancelled call");
  g_assert_error (taken.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (yun_camera_taker_cancel (fixture->taker));
  taken_clear (&taken);
}

static void
test_busy_refuses_a_second_caller (Fixture       *fixture,
                                   gconstpointer  data)
{
  Taken first = { 0 }, second = { 0 };

  take (fixture, 0, 0, 0.9, NULL, &first);
  take (fixture, 0, 0, 0.9, NULL, &second);
  wait_until (&second.done, "the refused call");
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_true (yun_viewfinder_is_open (fixture->viewfinder));
  g_assert_false (first.done);

  g_assert_true (yun_viewfinder_press (fixture->viewfinder, "cancel", NULL));
  wait_until (&first.done, "the first call");
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  taken_clear (&first);
  taken_clear (&second);
}

static void
test_cancellable_closes_the_viewfinder (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Taken taken = { 0 };

  take (fixture, 0, 0, 0.9, cancellable, &taken);
  wait_for_frames (fixture);
  g_cancellable_cancel (cancellable);
  wait_until (&taken.done, "the cancelled call");
  g_assert_error (taken.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (yun_viewfinder_is_open (fixture->viewfinder));
  g_assert_false (yun_camera_taker_get_active (fixture->taker));
  taken_clear (&taken);
}

static void
test_cancelled_before_asking_opens_nothing (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Taken taken = { 0 };

  g_cancellable_cancel (cancellable);
  take (fixture, 0, 0, 0.9, cancellable, &taken);
  wait_until (&taken.done, "the cancelled call");
  g_assert_error (taken.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->active_changes, ==, 0);
  taken_clear (&taken);
}

static void
test_bad_options_open_nothing (Fixture       *fixture,
                               gconstpointer  data)
{
  static const struct {
    int max_width;
    int max_height;
    double quality;
  } bad[] = {
    { -1, 0, 0.9 }, { 0, -5, 0.9 }, { YUN_CAMERA_MAX_SIZE + 1, 0, 0.9 }, { 0, 0, 1.5 },
    { 0, 0, -0.1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    Taken taken = { 0 };

    take (fixture, bad[i].max_width, bad[i].max_height, bad[i].quality, NULL, &taken);
    wait_until (&taken.done, "the refused call");
    g_assert_error (taken.error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID);
    g_assert_false (yun_viewfinder_is_open (fixture->viewfinder));
    taken_clear (&taken);
  }
  g_assert_cmpuint (fixture->active_changes, ==, 0);
}

static void
test_hostile_frames_are_ignored (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GBytes) small = g_bytes_new_static ("\0\0\0\xff", 4);
  g_autoptr(GBytes) good = g_bytes_new_take (g_malloc0 (8 * 2 * 4), 8 * 2 * 4);

  yun_viewfinder_open (fixture->viewfinder, "Hostile");
  /* Sizes that would read past the pixels, or make no picture. */
  yun_viewfinder_show_frame (fixture->viewfinder, small, 8, 2, 32);
  yun_viewfinder_show_frame (fixture->viewfinder, good, 8, 2, 16);
  yun_viewfinder_show_frame (fixture->viewfinder, good, 0, 2, 32);
  yun_viewfinder_show_frame (fixture->viewfinder, good, 8, -1, 32);
  g_assert_cmpuint (yun_viewfinder_get_frame_count (fixture->viewfinder), ==, 0);
  yun_viewfinder_show_frame (fixture->viewfinder, good, 8, 2, 32);
  g_assert_cmpuint (yun_viewfinder_get_frame_count (fixture->viewfinder), ==, 1);
  yun_viewfinder_close (fixture->viewfinder);
  /* Closed, it shows nothing. */
  yun_viewfinder_show_frame (fixture->viewfinder, good, 8, 2, 32);
  g_assert_cmpuint (yun_viewfinder_get_frame_count (fixture->viewfinder), ==, 1);
}

static void
test_dispose_while_open_cancels (Fixture       *fixture,
                                 gconstpointer  data)
{
  Taken taken = { 0 };

  take (fixture, 0, 0, 0.9, NULL, &taken);
  wait_for_frames (fixture);
  g_object_run_dispose (G_OBJECT (fixture->taker));
  wait_until (&taken.done, "the call ended by the shell closing");
  g_assert_error (taken.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (yun_viewfinder_is_open (fixture->viewfinder));
  taken_clear (&taken);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));

#define ADD(path, func) \
  g_test_add ("/yun/shell/viewfinder/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("press-when-closed-fails", test_press_when_closed_fails);
  ADD ("shutter-before-the-camera-started-takes-the-picture",
       test_shutter_before_the_camera_started_takes_the_picture);
  ADD ("switch-is-off-with-one-camera", test_switch_is_off_with_one_camera);
  ADD ("busy-refuses-a-second-caller", test_busy_refuses_a_second_caller);
  ADD ("cancellable-closes-the-viewfinder", test_cancellable_closes_the_viewfinder);
  ADD ("cancelled-before-asking-opens-nothing", test_cancelled_before_asking_opens_nothing);
  ADD ("bad-options-open-nothing", test_bad_options_open_nothing);
  ADD ("hostile-frames-are-ignored", test_hostile_frames_are_ignored);
  ADD ("dispose-while-open-cancels", test_dispose_while_open_cancels);
#undef ADD

  return g_test_run ();
}
