/* yun-web-share-api.c: the standard Web Share API, navigator.share().
 *
 * share({title, text, url}) shows the shell's share sheet (a "share-sheet"
 * service, YunShareChooser) with what the app shares.  The user makes a
 * revocable read-only link of it on their cloud account, sends it to a
 * friend's notes there, or cancels.  No standing permission: the sheet is
 * the consent, like the Contact Picker's.  The arguments were checked
 * against the schema (types, lengths, no other members); here the rest of
 * the standard's rules are checked again, whatever yun.js did: something
 * to share, an absolute http or https URL, a signed-in account, and one
 * share at a time (the sheet refuses a second while busy).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-web-share-api.h"

#include "yun-bridge.h"
#include "yun-share-chooser.h"
#include "yun-sync-account.h"

typedef struct {
  YunBridge *bridge;
  YunBridgeCall *call;
  YunShareChooser *chooser;
  YunShareChoice choice;
  char *title;
  char *text;
  char *url;
} Sharing;

static void
sharing_free (Sharing *sharing)
{
  g_object_unref (sharing->bridge);
  g_object_unref (sharing->chooser);
  g_free (sharing->title);
  g_free (sharing->text);
  g_free (sharing->url);
  g_free (sharing);
}

static void
return_error (YunBridgeCall *call,
              int            code,
              const char    *message)
{
  yun_bridge_call_return_error (call, g_error_new (YUN_BRIDGE_ERROR, code, "share: %s", message));
}

/* A member of the arguments, or %NULL when absent or empty. */
static char *
nonempty (JsonObject *args,
          const char *name)
{
  const char *value = json_object_get_string_member_with_default (args, name, NULL);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

static gboolean
is_web_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return (g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0) &&
         host != NULL && *host != '\0';
}

static void
on_shared (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Sharing *sharing = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  int code = YUN_BRIDGE_ERROR_NETWORK;

  answer = yun_sync_account_request_finish (YUN_SYNC_ACCOUNT (source), result, &error);
  if (answer == NULL) {
    /* Also when the page went away: the sheet may have closed already. */
    yun_share_chooser_finish_share (sharing->chooser, NULL, error);
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED) ||
        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
      code = YUN_BRIDGE_ERROR_INVALID_STATE;
    else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
      code = YUN_BRIDGE_ERROR_DATA;
    return_error (sharing->call, code, error->message);
    sharing_free (sharing);
    return;
  }

  yun_share_chooser_finish_share (sharing->chooser,
                                  sharing->choice == YUN_SHARE_CHOICE_LINK
                                    ? json_object_get_string_member_with_default (answer, "url", "")
                                    : NULL,
                                  NULL);
  /* The standard's promise resolves with undefined. */
  yun_bridge_call_return_value (sharing->call, json_node_init_null (json_node_alloc ()));
  sharing_free (sharing);
}

static void
on_chosen (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Sharing *sharing = user_data;
  YunSyncAccount *account = yun_bridge_get_service (sharing->bridge, "account");
  g_autoptr(GError) error = NULL;
  g_autofree char *friend_name = NULL;

  if (!yun_share_chooser_choose_finish (YUN_SHARE_CHOOSER (source), result, &sharing->choice,
                                        &friend_name, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return_error (sharing->call, YUN_BRIDGE_ERROR_ABORT, "the user cancelled");
    else
      return_error (sharing->call, YUN_BRIDGE_ERROR_INVALID_STATE, error->message);
    sharing_free (sharing);
    return;
  }

  yun_sync_account_share_content_async (account, sharing->title, sharing->text, sharing->url,
                                        friend_name, yun_bridge_call_get_cancellable (sharing->call),
                                        on_shared, sharing);
}

static void
web_share_share (YunBridge             *bridge,
                 const YunBridgeCaller *caller,
                 YunBridgeRequest      *request,
                 YunBridgeCall         *call)
{
  YunShareChooser *chooser = yun_bridge_get_service (bridge, "share-sheet");
  YunSyncAccount *account = yun_bridge_get_service (bridge, "account");
  YunShareContent content = { 0 };
  Sharing *sharing;

  if (chooser == NULL) {
    return_error (call, YUN_BRIDGE_ERROR_INVALID_STATE, "this phone has no share sheet");
    return;
  }

  sharing = g_new0 (Sharing, 1);
  sharing->bridge = g_object_ref (bridge);
  sharing->call = call;
  sharing->chooser = g_object_ref (chooser);
  sharing->title = nonempty (request->args, "title");
  sharing->text = nonempty (request->args, "text");
  sharing->url = nonempty (request->args, "url");

  if (sharing->title == NULL && sharing->text == NULL && sharing->url == NULL) {
    return_error (call, YUN_BRIDGE_ERROR_DATA, "nothing to share: give a title, a text or a url");
    sharing_free (sharing);
    return;
  }
  if (sharing->url != NULL && !is_web_url (sharing->url)) {
    return_error (call, YUN_BRIDGE_ERROR_DATA, "url: only absolute http and https URLs");
    sharing_free (sharing);
    return;
  }

  content.app_id = caller->app_id;
  content.app_name = yun_manifest_get_short_name (caller->manifest);
  content.title = sharing->title;
  content.text = sharing->text;
  content.url = sharing->url;
  content.account = account != NULL ? yun_sync_account_get_name (account) : NULL;
  yun_share_chooser_choose_async (chooser, &content, yun_bridge_call_get_cancellable (call),
                                  on_chosen, sharing);
}

const YunBridgeMethod yun_web_share_api[] = {
  { "webShare", "share", web_share_share },
  { NULL, NULL, NULL },
};
