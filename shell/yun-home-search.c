/* yun-home-search.c: what the home screen's search finds besides apps.
 *
 * The home screen filters the installed apps itself; other kinds of
 * results (contacts, notes ...) come from providers the shell adds, each
 * an object implementing YunHomeSearchProvider.  Each result names an
 * action and its parameter, so the home screen needs to know nothing about
 * what a result opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-home-search.h"

G_DEFINE_BOXED_TYPE (YunHomeSearchResult, yun_home_search_result,
                     yun_home_search_result_copy, yun_home_search_result_free)

G_DEFINE_INTERFACE (YunHomeSearchProvider, yun_home_search_provider, G_TYPE_OBJECT)

static void
yun_home_search_provider_default_init (YunHomeSearchProviderInterface *iface)
{
}

/**
 * yun_home_search_result_new:
 * @title: the result's first line
 * @subtitle: (nullable): its second line
 * @action_name: the detailed action name a tap activates, such as
 *   "app.open-note"
 * @action_target: (nullable): the action's parameter; a floating
 *   reference is sunk
 *
 * Returns: (transfer full): a new result
 */
YunHomeSearchResult *
yun_home_search_result_new (const char *title,
                            const char *subtitle,
                            const char *action_name,
                            GVariant   *action_target)
{
  YunHomeSearchResult *result;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  result = g_new0 (YunHomeSearchResult, 1);
  result->title = g_strdup (title);
  result->subtitle = g_strdup (subtitle);
  result->action_name = g_strdup (action_name);
  result->action_target = action_target != NULL ? g_variant_ref_sink (action_target) : NULL;
  return result;
}

/**
 * yun_home_search_result_copy:
 * @result: a result
 *
 * Returns: (transfer full): a copy of @result
 */
YunHomeSearchResult *
yun_home_search_result_copy (const YunHomeSearchResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return yun_home_search_result_new (result->title, result->subtitle, result->action_name,
                                     result->action_target);
}

/**
 * yun_home_search_result_free:
 * @result: (transfer full): a result
 */
void
yun_home_search_result_free (YunHomeSearchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->title);
  g_free (result->subtitle);
  g_free (result->action_name);
  g_clear_pointer (&result->action_target, g_variant_unref);
  g_free (result);
}

/**
 * yun_home_search_provider_get_name:
 * @self: a provider
 *
 * Returns: (transfer none): the heading shown over its results
 */
const char *
yun_home_search_provider_get_name (YunHomeSearchProvider *self)
{
  g_return_val_if_fail (YUN_IS_HOME_SEARCH_PROVIDER (self), NULL);
  return YUN_HOME_SEARCH_PROVIDER_GET_IFACE (self)->get_name (self);
}

/**
 * yun_home_search_provider_search_async:
 * @self: a provider
 * @query: what the user typed, not empty
 * @cancellable: (nullable): cancelled when the user types on
 * @callback: called with the results
 * @user_data: data for @callback
 *
 * Starts a search.
 */
void
yun_home_search_provider_search_async (YunHomeSearchProvider *self,
                                       const char            *query,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_return_if_fail (YUN_IS_HOME_SEARCH_PROVIDER (self));
  g_return_if_fail (query != NULL);

  YUN_HOME_SEARCH_PROVIDER_GET_IFACE (self)->search_async (self, query, cancellable, callback,
                                                          user_data);
}

/**
 * yun_home_search_provider_search_finish:
 * @self: a provider
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type YunHomeSearchResult): the
 *   results, best first, freed with the array; %NULL on failure
 */
GPtrArray *
yun_home_search_provider_search_finish (YunHomeSearchProvider  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (YUN_IS_HOME_SEARCH_PROVIDER (self), NULL);
  return YUN_HOME_SEARCH_PROVIDER_GET_IFACE (self)->search_finish (self, result, error);
}
