/* yun-warm-pool.c: one app view kept ready, its processes started.
 *
 * Each app has a web context and a network session of its own (its
 * identity reaches the bridge extension when its web process starts, and
 * its storage must never mix with another app's), so a ready view is
 * always a view of one particular app.  The shell keeps one, for the app
 * it expects to be opened next; opening that app takes the ready view and
 * skips starting its web and network processes.  Opening another app
 * costs what it always did.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-warm-pool.h"

struct _YunWarmPool
{
  GObject parent_instance;

  YunAppView *view;
};

G_DEFINE_FINAL_TYPE (YunWarmPool, yun_warm_pool, G_TYPE_OBJECT)

static void
yun_warm_pool_dispose (GObject *object)
{
  YunWarmPool *self = YUN_WARM_POOL (object);

  g_clear_object (&self->view);

  G_OBJECT_CLASS (yun_warm_pool_parent_class)->dispose (object);
}

static void
yun_warm_pool_class_init (YunWarmPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = yun_warm_pool_dispose;
}

static void
yun_warm_pool_init (YunWarmPool *self)
{
}

/**
 * yun_warm_pool_new:
 *
 * Returns: (transfer full): an empty pool
 */
YunWarmPool *
yun_warm_pool_new (void)
{
  return g_object_new (YUN_TYPE_WARM_POOL, NULL);
}

/**
 * yun_warm_pool_fill:
 * @self: the pool
 * @app_id: the app expected next
 * @manifest: its manifest
 * @profile_dir: the user's profile folder
 * @bridge: the bridge its view will use
 *
 * Makes a ready view of @app_id, replacing one of another app.
 */
void
yun_warm_pool_fill (YunWarmPool *self,
                    const char  *app_id,
                    YunManifest *manifest,
                    const char  *profile_dir,
                    YunBridge   *bridge)
{
  g_return_if_fail (YUN_IS_WARM_POOL (self));

  if (self->view != NULL && g_str_equal (yun_app_view_get_app_id (self->view), app_id) &&
      yun_app_view_get_manifest (self->view) == manifest)
    return;
  g_clear_object (&self->view);
  self->view = g_object_ref_sink (yun_app_view_new (app_id, manifest, profile_dir, bridge));
  yun_app_view_prewarm (self->view);
}

/**
 * yun_warm_pool_take:
 * @self: the pool
 * @app_id: the app being opened
 * @manifest: the manifest it opens with
 *
 * Returns: (transfer full) (nullable): the ready view, when it is of this
 *   app and manifest; the pool is empty afterwards
 */
YunAppView *
yun_warm_pool_take (YunWarmPool *self,
                    const char  *app_id,
                    YunManifest *manifest)
{
  g_return_val_if_fail (YUN_IS_WARM_POOL (self), NULL);

  if (self->view == NULL || !g_str_equal (yun_app_view_get_app_id (self->view), app_id) ||
      !g_str_equal (yun_manifest_get_start_url (yun_app_view_get_manifest (self->view)),
                    yun_manifest_get_start_url (manifest)))
    return NULL;
  return g_steal_pointer (&self->view);
}

/**
 * yun_warm_pool_drop:
 * @self: the pool
 * @app_id: an app
 *
 * Lets go of a ready view of @app_id, as before its files go.
 */
void
yun_warm_pool_drop (YunWarmPool *self,
                    const char  *app_id)
{
  g_return_if_fail (YUN_IS_WARM_POOL (self));

  if (g_strcmp0 (yun_warm_pool_get_app_id (self), app_id) == 0)
    g_clear_object (&self->view);
}

/**
 * yun_warm_pool_get_app_id:
 * @self: the pool
 *
 * Returns: (nullable): the app a view is ready for
 */
const char *
yun_warm_pool_get_app_id (YunWarmPool *self)
{
  g_return_val_if_fail (YUN_IS_WARM_POOL (self), NULL);
  return self->view != NULL ? yun_app_view_get_app_id (self->view) : NULL;
}
