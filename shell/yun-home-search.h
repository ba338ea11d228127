/* yun-home-search.h: what the home screen's search finds besides apps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * YunHomeSearchResult:
 * @title: the line shown in bold, such as a contact's name
 * @subtitle: (nullable): the line under it, such as a phone number
 * @action_name: the action a tap activates, such as "app.open-contact"
 * @action_target: (nullable): its parameter
 *
 * One thing a search provider found.
 */
typedef struct {
  char *title;
  char *subtitle;
  char *action_name;
  GVariant *action_target;
} YunHomeSearchResult;

#define YUN_TYPE_HOME_SEARCH_RESULT (yun_home_search_result_get_type ())

GType                yun_home_search_result_get_type (void) G_GNUC_CONST;
YunHomeSearchResult *yun_home_search_result_new      (const char                *title,
                                                      const char                *subtitle,
                                                      const char                *action_name,
                                                      GVariant                  *action_target);
YunHomeSearchResult *yun_home_search_result_copy     (const YunHomeSearchResult *result);
void                 yun_home_search_result_free     (YunHomeSearchResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunHomeSearchResult, yun_home_search_result_free)

#define YUN_TYPE_HOME_SEARCH_PROVIDER (yun_home_search_provider_get_type ())
G_DECLARE_INTERFACE (YunHomeSearchProvider, yun_home_search_provider,
                     YUN, HOME_SEARCH_PROVIDER, GObject)

/**
 * YunHomeSearchProviderInterface:
 * @get_name: the heading of its results, such as "Contacts"
 * @search_async: starts a search for what the user typed; a new search
 *   cancels the previous one through its #GCancellable
 * @search_finish: the results, best first
 *
 * A source of search results for the home screen (contacts, notes ...).
 * Searches run as the user types, so they must not block the main thread.
 */
struct _YunHomeSearchProviderInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name)      (YunHomeSearchProvider  *self);
  void        (*search_async)  (YunHomeSearchProvider  *self,
                                const char             *query,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data);
  GPtrArray  *(*search_finish) (YunHomeSearchProvider  *self,
                                GAsyncResult           *result,
                                GError                **error);
};

const char *yun_home_search_provider_get_name      (YunHomeSearchProvider  *self);
void        yun_home_search_provider_search_async  (YunHomeSearchProvider  *self,
                                                    const char             *query,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
GPtrArray  *yun_home_search_provider_search_finish (YunHomeSearchProvider  *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

G_END_DECLS
