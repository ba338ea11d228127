/* yun-home-automation.c: the home screen's part of org.yun.Shell1.
 *
 * GetHomeTiles reports the tiles as the home screen holds them (which app,
 * where, whether its icon image loaded and at what size), so tests check
 * the home screen against the installed apps without reading pixels;
 * ActivateHomeMenuItem does what choosing an item of a tile's menu does;
 * SetHomeSearch types into the search entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-home-automation.h"

static gboolean
on_handle_get_home_tiles (YunShell1             *automation,
                          GDBusMethodInvocation *invocation,
                          YunHomePage           *home)
{
  yun_shell1_complete_get_home_tiles (automation, invocation,
                                      yun_home_page_describe_tiles (home));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_activate_home_menu_item (YunShell1             *automation,
                                   GDBusMethodInvocation *invocation,
                                   const char            *app_id,
                                   const char            *label,
                                   YunHomePage           *home)
{
  g_autoptr(GError) error = NULL;

  if (!yun_home_page_activate_menu_item (home, app_id, label, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "%s", error != NULL ? error->message
                                                               : "the item's action is missing");
  else
    yun_shell1_complete_activate_home_menu_item (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_set_home_search (YunShell1             *automation,
                           GDBusMethodInvocation *invocation,
                           const char            *text,
                           YunHomePage           *home)
{
  yun_home_page_set_search_text (home, text);
  yun_shell1_complete_set_home_search (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * yun_home_automation_connect:
 * @automation: the shell's exported automation interface
 * @home: the home screen it drives
 *
 * Answers the interface's home screen methods from @home, for as long as
 * @home lives.
 */
void
yun_home_automation_connect (YunShell1   *automation,
                             YunHomePage *home)
{
  g_return_if_fail (YUN_IS_SHELL1 (automation));
  g_return_if_fail (YUN_IS_HOME_PAGE (home));

  g_signal_connect_object (automation, "handle-get-home-tiles",
                           G_CALLBACK (on_handle_get_home_tiles), home, 0);
  g_signal_connect_object (automation, "handle-activate-home-menu-item",
                           G_CALLBACK (on_handle_activate_home_menu_item), home, 0);
  g_signal_connect_object (automation, "handle-set-home-search",
                           G_CALLBACK (on_handle_set_home_search), home, 0);
}
