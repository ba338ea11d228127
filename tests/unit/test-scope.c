/* test-scope.c: which URLs belong to an app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-scope.h"

#define SCOPE "http://127.0.0.1:8080/apps/hello/"

static void
test_inside (void)
{
  g_assert_true (yun_scope_contains (SCOPE, SCOPE));
  g_assert_true (yun_scope_contains (SCOPE, SCOPE "index.html"));
  g_assert_true (yun_scope_contains (SCOPE, SCOPE "deep/page.html?q=1#top"));
  g_assert_true (yun_scope_contains (SCOPE, "HTTP://127.0.0.1:8080/apps/hello/x"));
  g_assert_true (yun_scope_contains ("http://example.org/", "http://EXAMPLE.org:80/a"));
  g_assert_true (yun_scope_contains ("https://example.org/", "https://example.org:443/"));
}

static void
test_other_origin (void)
{
  g_assert_false (yun_scope_contains (SCOPE, "http://localhost:8080/apps/hello/"));
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1:8081/apps/hello/"));
  g_assert_false (yun_scope_contains (SCOPE, "https://127.0.0.1:8080/apps/hello/"));
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1.evil.example:8080/apps/hello/"));
}

static void
test_other_path (void)
{
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1:8080/apps/hello"));
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1:8080/apps/hello-evil/"));
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1:8080/apps/"));
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1:8080/"));
}

static void
test_unnormalised_paths (void)
{
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "../other/"));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "%2e%2e/other/"));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "%2E%2E%2Fother/"));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "a%5c..%5c..%5cother"));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE ".."));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "./../../"));
  /* Dot segments that stay inside resolve inside. */
  g_assert_true (yun_scope_contains (SCOPE, SCOPE "a/../b"));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "x%00y"));
  g_assert_false (yun_scope_contains (SCOPE, SCOPE "a\\b"));
}

static void
test_documents_without_origin (void)
{
  const char *uris[] = {
    "about:blank", "about:srcdoc", "data:text/html,hi", "blob:" SCOPE "1234",
    "file:///etc/passwd", "javascript:alert(1)", "", "not a url", NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    g_assert_false (yun_scope_contains (SCOPE, uris[i]));
}

static void
test_credentials_never_match (void)
{
  g_assert_false (yun_scope_contains (SCOPE, "http://user:pw@127.0.0.1:8080/apps/hello/"));
  g_assert_false (yun_scope_contains (SCOPE, "http://127.0.0.1:8080@evil.example/apps/hello/"));
}

static void
test_no_scope_contains_nothing (void)
{
  g_assert_false (yun_scope_contains (NULL, SCOPE));
  g_assert_false (yun_scope_contains ("", SCOPE));
  g_assert_false (yun_scope_contains ("about:blank", "about:blank"));
}

static void
test_same_origin (void)
{
  g_assert_true (yun_scope_same_origin (SCOPE, "http://127.0.0.1:8080/other"));
  g_assert_false (yun_scope_same_origin (SCOPE, "http://localhost:8080/apps/hello/"));
  g_assert_false (yun_scope_same_origin (SCOPE, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/services/scope/inside", test_inside);
  g_test_add_func ("/yun/services/scope/other-origin", test_other_origin);
  g_test_add_func ("/yun/services/scope/other-path", test_other_path);
  g_test_add_func ("/yun/services/scope/unnormalised-paths", test_unnormalised_paths);
  g_test_add_func ("/yun/services/scope/documents-without-origin", test_documents_without_origin);
  g_test_add_func ("/yun/services/scope/credentials-never-match", test_credentials_never_match);
  g_test_add_func ("/yun/services/scope/no-scope-contains-nothing", test_no_scope_contains_nothing);
  g_test_add_func ("/yun/services/scope/same-origin", test_same_origin);

  return g_test_run ();
}
