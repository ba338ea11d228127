/* yun-blob-grants.c: which app may load which binary item by URL.
 *
 * Photos and other binary results never travel through the bridge as
 * data.  The bridge gives the app a URL, yun-blob://TOKEN, where TOKEN is
 * 128 random bits granted to that app for that item.  The shell's scheme
 * handler in the app's own web context looks the token up with the app's
 * id: another app (which has its own web context, so its own handler)
 * cannot load it even if it learns the URL.
 *
 * Thread-safe: the bridge's workers grant, the main thread looks up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-blob-grants.h"

#include <string.h>

typedef struct {
  char *app_id;
  char *kind;
  char *id;
} Grant;

struct _YunBlobGrants
{
  GObject parent_instance;

  GMutex lock;
  /* token → Grant */
  GHashTable *grants;
  /* tokens, oldest first */
  GQueue order;
};

G_DEFINE_FINAL_TYPE (YunBlobGrants, yun_blob_grants, G_TYPE_OBJECT)

static void
grant_free (Grant *grant)
{
  g_free (grant->app_id);
  g_free (grant->kind);
  g_free (grant->id);
  g_free (grant);
}

static void
yun_blob_grants_finalize (GObject *object)
{
  YunBlobGrants *self = YUN_BLOB_GRANTS (object);

  g_hash_table_unref (self->grants);
  g_queue_clear_full (&self->order, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (yun_blob_grants_parent_class)->finalize (object);
}

static void
yun_blob_grants_class_init (YunBlobGrantsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_blob_grants_finalize;
}

static void
yun_blob_grants_init (YunBlobGrants *self)
{
  g_mutex_init (&self->lock);
  self->grants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) grant_free);
  g_queue_init (&self->order);
}

/**
 * yun_blob_grants_new:
 *
 * Returns: (transfer full): no grants yet
 */
YunBlobGrants *
yun_blob_grants_new (void)
{
  return g_object_new (YUN_TYPE_BLOB_GRANTS, NULL);
}

/**
 * yun_blob_grants_grant:
 * @self: the grants
 * @app_id: the app that may load the item
 * @kind: what the item is, such as "photo"
 * @id: the item's id
 *
 * Returns: (transfer full): the URL the app loads the item from
 */
char *
yun_blob_grants_grant (YunBlobGrants *self,
                       const char    *app_id,
                       const char    *kind,
                       const char    *id)
{
  g_autoptr(GString) token = g_string_new (NULL);
  Grant *grant;

  g_return_val_if_fail (YUN_IS_BLOB_GRANTS (self), NULL);
  g_return_val_if_fail (app_id != NULL && kind != NULL && id != NULL, NULL);

  for (int i = 0; i < 4; i++)
    g_string_append_printf (token, "%08x", g_random_int ());

  grant = g_new0 (Grant, 1);
  grant->app_id = g_strdup (app_id);
  grant->kind = g_strdup (kind);
  grant->id = g_strdup (id);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->grants, g_strdup (token->str), grant);
  g_queue_push_tail (&self->order, g_strdup (token->str));
  while (g_queue_get_length (&self->order) > YUN_BLOB_GRANTS_MAX) {
    g_autofree char *oldest = g_queue_pop_head (&self->order);

    g_hash_table_remove (self->grants, oldest);
  }
  g_mutex_unlock (&self->lock);

  return g_strdup_printf (YUN_BLOB_SCHEME "://%s", token->str);
}

/**
 * yun_blob_grants_lookup:
 * @self: the grants
 * @app_id: the app that asks
 * @url: a yun-blob: URL
 * @kind: (out) (transfer full): what the item is
 *
 * Returns: (transfer full) (nullable): the item's id, or %NULL when @url
 *   was not granted to @app_id
 */
char *
yun_blob_grants_lookup (YunBlobGrants  *self,
                        const char     *app_id,
                        const char     *url,
                        char          **kind)
{
  const char *prefix = YUN_BLOB_SCHEME "://";
  Grant *grant;
  char *id = NULL;

  g_return_val_if_fail (YUN_IS_BLOB_GRANTS (self), NULL);

  if (url == NULL || !g_str_has_prefix (url, prefix))
    return NULL;

  g_mutex_lock (&self->lock);
  grant = g_hash_table_lookup (self->grants, url + strlen (prefix));
  if (grant != NULL && g_str_equal (grant->app_id, app_id)) {
    id = g_strdup (grant->id);
    *kind = g_strdup (grant->kind);
  }
  g_mutex_unlock (&self->lock);
  return id;
}
