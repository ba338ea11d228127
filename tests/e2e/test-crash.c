/* test-crash.c: a crashed web process in the real shell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

/* Waits until the hello page (re)loaded and its bridge answered. */
static void
wait_for_page (void)
{
  g_autoptr(JsonNode) info = NULL;

  info = yun_e2e_wait_for (e2e, "hello",
                           "return window.yunHello && window.yunHello.info ? window.yunHello.info : null;");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (info), "runtime"), ==, "Yun");
}

static void
crash (void)
{
  g_variant_unref (yun_e2e_call (e2e, "CrashApp", g_variant_new ("(s)", "hello")));
}

static gboolean
health (guint  *crashes,
        char  **notice)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetAppHealth", g_variant_new ("(s)", "hello"));
  gboolean running;

  g_variant_get (reply, "(bus)", &running, crashes, notice);
  return running;
}

static void
test_crash_reloads_with_a_notice (void)
{
  g_autofree char *notice = NULL;
  guint crashes = 0;

  wait_for_page ();
  crash ();
  /* The page comes back, in a new web process, with its bridge. */
  wait_for_page ();
  g_assert_true (health (&crashes, &notice));
  g_assert_cmpuint (crashes, ==, 1);
  g_assert_nonnull (strstr (notice, "stopped unexpectedly and was restarted"));
}

static void
test_third_crash_in_a_row_closes_the_app (void)
{
  g_autofree char *notice = NULL;
  guint crashes = 0;

  crash ();
  wait_for_page ();
  g_assert_true (health (&crashes, &notice));
  g_assert_cmpuint (crashes, ==, 2);

  g_clear_pointer (&notice, g_free);
  crash ();
  g_assert_false (health (&crashes, &notice));
  g_assert_cmpuint (crashes, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/crash/crash-reloads-with-a-notice", test_crash_reloads_with_a_notice);
  g_test_add_func ("/yun/e2e/crash/third-crash-in-a-row-closes-the-app",
                   test_third_crash_in_a_row_closes_the_app);

  e2e = yun_e2e_start (g_getenv ("YUN_WEBAPPS_DIR"), "hello");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
