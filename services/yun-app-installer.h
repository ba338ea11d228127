/* yun-app-installer.h: installs, updates and uninstalls apps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "yun-app-registry.h"

G_BEGIN_DECLS

#define YUN_APP_INSTALLER_ERROR (yun_app_installer_error_quark ())

/**
 * YunAppInstallerError:
 * @YUN_APP_INSTALLER_ERROR_BAD_ID: the app id is not
 *   `[a-z0-9][a-z0-9._-]{0,63}`
 * @YUN_APP_INSTALLER_ERROR_NETWORK: the manifest, the start page or an icon
 *   could not be downloaded: no connection, or an HTTP status other than
 *   200; the message says which URL and why
 * @YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST: the manifest is too large, not
 *   JSON or not a valid manifest; the message names the member that is
 *   wrong
 * @YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE: the start page or an icon is
 *   too large or of the wrong type (the start page must be text/html, icons
 *   image/<anything>)
 * @YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE: the zip was refused; the
 *   message is #YunPackageError's
 * @YUN_APP_INSTALLER_ERROR_CHECKSUM: the zip's SHA-256 is not the expected
 *   one, or the expected one is not a SHA-256
 * @YUN_APP_INSTALLER_ERROR_DISK: a file or the registry could not be read
 *   or written (an I/O error; a full disk is
 *   %YUN_APP_INSTALLER_ERROR_NO_SPACE); the message carries the system's or
 *   SQLite's reason
 * @YUN_APP_INSTALLER_ERROR_NOT_INSTALLED: there is no app with that id to
 *   uninstall
 * @YUN_APP_INSTALLER_ERROR_NO_SPACE: the profile's file system is full (or
 *   the user's quota on it is used up) while a file or the registry was
 *   written; like every failure, it leaves nothing half-installed
 *
 * Why an install, update or uninstall failed.  A failed operation changes
 * nothing: a new app is not installed at all, and an installed one keeps
 * working as the version it was.  A cancelled one fails with
 * %G_IO_ERROR_CANCELLED instead.
 */
typedef enum {
  YUN_APP_INSTALLER_ERROR_BAD_ID,
  YUN_APP_INSTALLER_ERROR_NETWORK,
  YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST,
  YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE,
  YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE,
  YUN_APP_INSTALLER_ERROR_CHECKSUM,
  YUN_APP_INSTALLER_ERROR_DISK,
  YUN_APP_INSTALLER_ERROR_NOT_INSTALLED,
  YUN_APP_INSTALLER_ERROR_NO_SPACE,
} YunAppInstallerError;

/* Limits on what a hosted app's offline copy holds. */
#define YUN_APP_INSTALLER_MAX_START_PAGE_SIZE (5 * 1024 * 1024)
#define YUN_APP_INSTALLER_MAX_ICON_SIZE       (1024 * 1024)
#define YUN_APP_INSTALLER_MAX_ICONS           32

/**
 * YunAppInstallerProgressFunc:
 * @phase: what the operation is doing: "fetching" (a hosted app's files),
 *   "verifying" (a package), "extracting", "installing" (putting the files
 *   in place and recording the app), "removing" (uninstalling) or "done"
 * @fraction: how much of the whole operation is done, from 0 to 1; it
 *   never goes down, and is 1 with "done"
 * @user_data: the data given with the callback
 *
 * Reports how an operation is going.
 */
typedef void (*YunAppInstallerProgressFunc) (const char *phase,
                                             double      fraction,
                                             gpointer    user_data);

#define YUN_TYPE_APP_INSTALLER (yun_app_installer_get_type ())
G_DECLARE_FINAL_TYPE (YunAppInstaller, yun_app_installer, YUN, APP_INSTALLER, GObject)

GQuark           yun_app_installer_error_quark (void);

YunAppInstaller *yun_app_installer_new (YunAppRegistry *registry,
                                        SoupSession    *session);
YunAppRegistry  *yun_app_installer_get_registry (YunAppInstaller *self);
SoupSession     *yun_app_installer_get_session (YunAppInstaller *self);

YunAppRecord    *yun_app_installer_install_hosted (YunAppInstaller              *self,
                                                   const char                   *id,
                                                   const char                   *manifest_url,
                                                   GCancellable                 *cancellable,
                                                   YunAppInstallerProgressFunc   progress,
                                                   gpointer                      progress_data,
                                                   GError                      **error);
void             yun_app_installer_install_hosted_async (YunAppInstaller             *self,
                                                         const char                  *id,
                                                         const char                  *manifest_url,
                                                         GCancellable                *cancellable,
                                                         YunAppInstallerProgressFunc  progress,
                                                         gpointer                     progress_data,
                                                         GAsyncReadyCallback          callback,
                                                         gpointer                     user_data);
YunAppRecord    *yun_app_installer_install_hosted_finish (YunAppInstaller  *self,
                                                          GAsyncResult     *result,
                                                          GError          **error);

YunAppRecord    *yun_app_installer_install_package (YunAppInstaller              *self,
                                                    const char                   *id,
                                                    GBytes                       *zip,
                                                    const char                   *sha256,
                                                    GCancellable                 *cancellable,
                                                    YunAppInstallerProgressFunc   progress,
                                                    gpointer                      progress_data,
                                                    GError                      **error);
YunAppRecord    *yun_app_installer_install_package_file (YunAppInstaller              *self,
                                                         const char                   *id,
                                                         const char                   *path,
                                                         const char                   *sha256,
                                                         GCancellable                 *cancellable,
                                                         YunAppInstallerProgressFunc   progress,
                                                         gpointer                      progress_data,
                                                         GError                      **error);
void             yun_app_installer_install_package_async (YunAppInstaller             *self,
                                                          const char                  *id,
                                                          GBytes                      *zip,
                                                          const char                  *path,
                                                          const char                  *sha256,
                                                          GCancellable                *cancellable,
                                                          YunAppInstallerProgressFunc  progress,
                                                          gpointer                     progress_data,
                                                          GAsyncReadyCallback          callback,
                                                          gpointer                     user_data);
YunAppRecord    *yun_app_installer_install_package_finish (YunAppInstaller  *self,
                                                           GAsyncResult     *result,
                                                           GError          **error);

gboolean         yun_app_installer_uninstall (YunAppInstaller              *self,
                                              const char                   *id,
                                              GCancellable                 *cancellable,
                                              YunAppInstallerProgressFunc   progress,
                                              gpointer                      progress_data,
                                              GError                      **error);
void             yun_app_installer_uninstall_async (YunAppInstaller             *self,
                                                    const char                  *id,
                                                    GCancellable                *cancellable,
                                                    YunAppInstallerProgressFunc  progress,
                                                    gpointer                     progress_data,
                                                    GAsyncReadyCallback          callback,
                                                    gpointer                     user_data);
gboolean         yun_app_installer_uninstall_finish (YunAppInstaller  *self,
                                                     GAsyncResult     *result,
                                                     GError          **error);

G_END_DECLS
