/* yun-test-loop.c: running the main context until something happened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-loop.h"

static gboolean
on_too_late (gpointer user_data)
{
  gboolean *too_late = user_data;

  *too_late = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * yun_test_run_until:
 * @done: set by a callback when what the test waits for happened
 * @seconds: how long before the test fails; a guard against hanging, not
 *   a measurement
 *
 * Iterates the thread-default main context until *@done is %TRUE.
 */
void
yun_test_run_until (const gboolean *done,
                    guint           seconds)
{
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *guard = g_timeout_source_new_seconds (seconds);
  gboolean too_late = FALSE;

  g_source_set_callback (guard, on_too_late, &too_late, NULL);
  g_source_attach (guard, context);
  while (!*done) {
    /* Nothing happened in @seconds: the test fails here. */
    g_assert_false (too_late);
    g_main_context_iteration (context, TRUE);
  }
  g_source_destroy (guard);
  g_source_unref (guard);
}
