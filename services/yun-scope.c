/* yun-scope.c: which URLs belong to an app.
 *
 * The W3C Web App Manifest says a URL is within scope when it has the same
 * origin as the scope and its path starts with the scope's path.  Both the
 * web process (to decide whether to inject navigator.yun) and the UI process
 * (to decide whether to answer a bridge call) ask this question, so it has
 * exactly one answer here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-scope.h"

#include <string.h>

static GUri *
parse_web_uri (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return NULL;

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (parsed == NULL)
    return NULL;

  /* Only documents with a real network origin can be an app's pages:
   * data:, blob:, about: and file: never match any scope. */
  scheme = g_uri_get_scheme (parsed);
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0 &&
      g_strcmp0 (scheme, "app") != 0)
    return NULL;

  if (g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    return NULL;

  /* Credentials in the URL are a classic way to make one origin look like
   * another to a human; no app is reached that way. */
  if (g_uri_get_userinfo (parsed) != NULL)
    return NULL;

  return g_steal_pointer (&parsed);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return 443;
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0)
    return 80;
  return -1;
}

static gboolean
uris_same_origin (GUri *a,
                  GUri *b)
{
  return g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

/* GUri removes literal dot segments while parsing.  A path that still holds
 * encoded dots, slashes, backslashes or NULs could be read differently by a
 * server; rather than guess how, such a path is never in scope. */
static gboolean
path_is_plain (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return strstr (lower, "%2e") == NULL && strstr (lower, "%2f") == NULL &&
         strstr (lower, "%5c") == NULL && strstr (lower, "%00") == NULL &&
         strchr (lower, '\\') == NULL;
}

/**
 * yun_scope_same_origin:
 * @a: (nullable): a URL
 * @b: (nullable): another URL
 *
 * Whether two http(s) or app: URLs share scheme, host and port.
 *
 * Returns: %TRUE when both parse and have the same origin
 */
gboolean
yun_scope_same_origin (const char *a,
                       const char *b)
{
  g_autoptr(GUri) ua = parse_web_uri (a);
  g_autoptr(GUri) ub = parse_web_uri (b);

  return ua != NULL && ub != NULL && uris_same_origin (ua, ub);
}

/**
 * yun_scope_contains:
 * @scope: (nullable): an app's scope URL, as its manifest resolves it
 * @uri: (nullable): the URL of a document
 *
 * Whether @uri is within @scope in the sense of the W3C Web App Manifest:
 * same origin, and the path of @uri starts with the path of @scope.  Query
 * and fragment of the scope are ignored, as the specification says.
 *
 * Returns: %TRUE when @uri belongs to the app whose scope is @scope
 */
gboolean
yun_scope_contains (const char *scope,
                    const char *uri)
{
  g_autoptr(GUri) us = parse_web_uri (scope);
  g_autoptr(GUri) uu = parse_web_uri (uri);
  const char *scope_path;
  const char *path;

  if (us == NULL || uu == NULL || !uris_same_origin (us, uu))
    return FALSE;

  scope_path = g_uri_get_path (us);
  path = g_uri_get_path (uu);
  if (*scope_path == '\0')
    scope_path = "/";
  if (*path == '\0')
    path = "/";

  return path_is_plain (path) && g_str_has_prefix (path, scope_path);
}
