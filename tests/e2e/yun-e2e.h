/* yun-e2e.h: start a real yun-cloud and a real yun-shell for a test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char *tmp_dir;
  char *display;
  GTestDBus *bus;
  GSubprocess *cloud;
  GSubprocess *shell;
  char *cloud_url;
  GDBusProxy *automation;
  gboolean default_apps;
  /* The profile folder's name under tmp_dir; "profile" unless changed. */
  char *profile_name;
} YunE2e;

YunE2e   *yun_e2e_start       (const char  *webapps_dir,
                               const char  *app_id);
YunE2e   *yun_e2e_start_with_args (const char         *webapps_dir,
                                   const char         *app_id,
                                   const char * const *extra_args);
YunE2e   *yun_e2e_start_full  (const char         *webapps_dir,
                               const char         *app_id,
                               const char * const *extra_args,
                               gboolean            default_apps);
void      yun_e2e_activate_action (YunE2e     *e2e,
                                   const char *name,
                                   GVariant   *parameter);
GVariant *yun_e2e_call        (YunE2e      *e2e,
                               const char  *method,
                               GVariant    *parameters);
void      yun_e2e_restart_shell_on_new_profile (YunE2e     *e2e,
                                                const char *profile_name,
                                                const char *app_id);
void      yun_e2e_stop        (YunE2e      *e2e);
void      yun_e2e_stop_cloud  (YunE2e      *e2e);
void      yun_e2e_restart_shell (YunE2e     *e2e,
                                 const char *app_id);
JsonNode *yun_e2e_eval        (YunE2e      *e2e,
                               const char  *app_id,
                               const char  *script,
                               GError     **error);
JsonNode *yun_e2e_wait_for    (YunE2e      *e2e,
                               const char  *app_id,
                               const char  *script);
JsonNode *yun_e2e_wait_for_isolated (YunE2e     *e2e,
                                     const char *app_id,
                                     const char *script);
GVariant *yun_e2e_wait_for_contact_picker (YunE2e *e2e);
gboolean  yun_e2e_has_camera_mark (YunE2e     *e2e,
                                   const char *name);

G_END_DECLS
