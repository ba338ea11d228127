/* yun-warm-pool.h: one app view kept ready, its processes started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-app-view.h"

G_BEGIN_DECLS

#define YUN_TYPE_WARM_POOL (yun_warm_pool_get_type ())
G_DECLARE_FINAL_TYPE (YunWarmPool, yun_warm_pool, YUN, WARM_POOL, GObject)

YunWarmPool *yun_warm_pool_new        (void);
void         yun_warm_pool_fill       (YunWarmPool *self,
                                       const char  *app_id,
                                       YunManifest *manifest,
                                       const char  *profile_dir,
                                       YunBridge   *bridge);
YunAppView  *yun_warm_pool_take       (YunWarmPool *self,
                                       const char  *app_id,
                                       YunManifest *manifest);
void         yun_warm_pool_drop       (YunWarmPool *self,
                                       const char  *app_id);
const char  *yun_warm_pool_get_app_id (YunWarmPool *self);

G_END_DECLS
