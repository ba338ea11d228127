/* yun-home-layout.h: where each installed app sits on the home screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_HOME_LAYOUT_ERROR (yun_home_layout_error_quark ())

/**
 * YunHomeLayoutError:
 * @YUN_HOME_LAYOUT_ERROR_INVALID: the saved layout is not one: too large,
 *   not JSON, or a member of the wrong type; the message names it
 * @YUN_HOME_LAYOUT_ERROR_NOT_FOUND: no app with that id is on the home
 *   screen
 * @YUN_HOME_LAYOUT_ERROR_DOCK_FULL: the dock already holds
 *   %YUN_HOME_LAYOUT_DOCK_SIZE apps
 * @YUN_HOME_LAYOUT_ERROR_EDGE: the app is already first or last in its row
 *   of apps and cannot move further that way
 *
 * Why a change to the layout was refused.  A refused change changes
 * nothing.
 */
typedef enum {
  YUN_HOME_LAYOUT_ERROR_INVALID,
  YUN_HOME_LAYOUT_ERROR_NOT_FOUND,
  YUN_HOME_LAYOUT_ERROR_DOCK_FULL,
  YUN_HOME_LAYOUT_ERROR_EDGE,
} YunHomeLayoutError;

/* The dock's places, as on most phones. */
#define YUN_HOME_LAYOUT_DOCK_SIZE 4
/* A layout names a few hundred apps at most; a larger file is not ours. */
#define YUN_HOME_LAYOUT_MAX_BYTES (256 * 1024)

#define YUN_TYPE_HOME_LAYOUT (yun_home_layout_get_type ())
G_DECLARE_FINAL_TYPE (YunHomeLayout, yun_home_layout, YUN, HOME_LAYOUT, GObject)

GQuark         yun_home_layout_error_quark  (void);

YunHomeLayout *yun_home_layout_new          (const char          *path);
const char    *yun_home_layout_get_path     (YunHomeLayout       *self);

gboolean       yun_home_layout_load_from_data (YunHomeLayout     *self,
                                               const char        *data,
                                               gsize              length,
                                               GError           **error);
GBytes        *yun_home_layout_to_bytes     (YunHomeLayout       *self);

void           yun_home_layout_load_async   (YunHomeLayout       *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       yun_home_layout_load_finish  (YunHomeLayout       *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void           yun_home_layout_save         (YunHomeLayout       *self);
gboolean       yun_home_layout_is_saving    (YunHomeLayout       *self);

gboolean       yun_home_layout_arrange      (YunHomeLayout       *self,
                                             const char * const  *installed);

GPtrArray     *yun_home_layout_get_grid     (YunHomeLayout       *self);
GPtrArray     *yun_home_layout_get_dock     (YunHomeLayout       *self);
gboolean       yun_home_layout_is_docked    (YunHomeLayout       *self,
                                             const char          *app_id);

gboolean       yun_home_layout_move         (YunHomeLayout       *self,
                                             const char          *app_id,
                                             int                  delta,
                                             GError             **error);
gboolean       yun_home_layout_dock         (YunHomeLayout       *self,
                                             const char          *app_id,
                                             GError             **error);
gboolean       yun_home_layout_undock       (YunHomeLayout       *self,
                                             const char          *app_id,
                                             GError             **error);

G_END_DECLS
