/* yun-app-registry.h: the installed apps of a profile, and their folders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-app-id.h"
#include "yun-manifest.h"

G_BEGIN_DECLS

#define YUN_APP_REGISTRY_ERROR (yun_app_registry_error_quark ())

/**
 * YunAppRegistryError:
 * @YUN_APP_REGISTRY_ERROR_IO: the database or an app's folder could not be
 *   read or written; the message carries SQLite's or the system's reason
 * @YUN_APP_REGISTRY_ERROR_CORRUPT: the database is damaged, or was written
 *   by a newer version of Yun
 * @YUN_APP_REGISTRY_ERROR_BAD_ID: the app id is not
 *   `[a-z0-9][a-z0-9._-]{0,63}`
 * @YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST: the manifest text does not
 *   process; the message names the member that is wrong
 * @YUN_APP_REGISTRY_ERROR_EXISTS: an app with that id is already installed
 * @YUN_APP_REGISTRY_ERROR_NOT_INSTALLED: no app with that id is installed
 *
 * Why a registry operation failed.  An operation that fails changes
 * nothing.
 */
typedef enum {
  YUN_APP_REGISTRY_ERROR_IO,
  YUN_APP_REGISTRY_ERROR_CORRUPT,
  YUN_APP_REGISTRY_ERROR_BAD_ID,
  YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST,
  YUN_APP_REGISTRY_ERROR_EXISTS,
  YUN_APP_REGISTRY_ERROR_NOT_INSTALLED,
} YunAppRegistryError;

/**
 * YunAppSource:
 * @YUN_APP_SOURCE_HOSTED: installed from a manifest URL; runs from its
 *   origin, with an offline copy of start_url and the icons in `offline/`
 * @YUN_APP_SOURCE_PACKAGED: installed from a zip; served from
 *   `app://<id>/` out of `package/`
 *
 * Where an app's files come from.
 */
typedef enum {
  YUN_APP_SOURCE_HOSTED,
  YUN_APP_SOURCE_PACKAGED,
} YunAppSource;

/**
 * YunAppRecord:
 * @id: the app's id, also the name of its folder under `apps/`
 * @origin: where the app runs: "https://example.com" for a hosted app,
 *   "app://<id>" for a packaged one
 * @manifest_url: the URL the manifest stands for; `app://<id>/manifest.json`
 *   for a packaged app
 * @manifest_text: the manifest as it was fetched or found in the package
 * @manifest: @manifest_text processed against @manifest_url
 * @version: for a packaged app the manifest's `version` member, or else the
 *   package's SHA-256; for a hosted app the SHA-256 of @manifest_text
 * @source: hosted or packaged
 * @installed_at: when the app was first installed, in microseconds since
 *   the epoch
 * @updated_at: when it was last installed or updated, likewise
 *
 * One installed app, as the registry holds it.  A record is a copy: it
 * does not change when the app is updated.
 */
typedef struct {
  char *id;
  char *origin;
  char *manifest_url;
  char *manifest_text;
  YunManifest *manifest;
  char *version;
  YunAppSource source;
  gint64 installed_at;
  gint64 updated_at;
} YunAppRecord;

/* The length of an id is limited so that folder names stay short. */

#define YUN_TYPE_APP_RECORD (yun_app_record_get_type ())
#define YUN_TYPE_APP_REGISTRY (yun_app_registry_get_type ())
G_DECLARE_FINAL_TYPE (YunAppRegistry, yun_app_registry, YUN, APP_REGISTRY, GObject)

GQuark          yun_app_registry_error_quark     (void);
GType           yun_app_record_get_type          (void) G_GNUC_CONST;

const char     *yun_app_source_to_string         (YunAppSource         source);

YunAppRegistry *yun_app_registry_open            (const char          *profile_dir,
                                                  GError             **error);
void            yun_app_registry_open_async      (const char          *profile_dir,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
YunAppRegistry *yun_app_registry_open_finish     (GAsyncResult        *result,
                                                  GError             **error);

const char     *yun_app_registry_get_profile_dir (YunAppRegistry      *self);
char           *yun_app_registry_dup_app_dir     (YunAppRegistry      *self,
                                                  const char          *id);

YunAppRecord   *yun_app_registry_get             (YunAppRegistry      *self,
                                                  const char          *id);
GPtrArray      *yun_app_registry_list            (YunAppRegistry      *self);

YunAppRecord   *yun_app_registry_install         (YunAppRegistry      *self,
                                                  const char          *id,
                                                  YunAppSource         source,
                                                  const char          *manifest_url,
                                                  const char          *manifest_text,
                                                  const char          *version,
                                                  GError             **error);
YunAppRecord   *yun_app_registry_update          (YunAppRegistry      *self,
                                                  const char          *id,
                                                  YunAppSource         source,
                                                  const char          *manifest_url,
                                                  const char          *manifest_text,
                                                  const char          *version,
                                                  GError             **error);
gboolean        yun_app_registry_uninstall       (YunAppRegistry      *self,
                                                  const char          *id,
                                                  GError             **error);

gboolean        yun_app_registry_collect_garbage (YunAppRegistry      *self,
                                                  GError             **error);
void            yun_app_registry_collect_garbage_async  (YunAppRegistry      *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean        yun_app_registry_collect_garbage_finish (YunAppRegistry      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

YunAppRecord   *yun_app_record_copy              (const YunAppRecord  *record);
void            yun_app_record_free              (YunAppRecord        *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunAppRecord, yun_app_record_free)

G_END_DECLS
