/* yun-cloud-db.h: one SQLite database of yun-cloud's app back ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define YUN_CLOUD_DB_ERROR (yun_cloud_db_error_quark ())

/**
 * YunCloudDbError:
 * @YUN_CLOUD_DB_ERROR_IO: SQLite or the file system failed; the message
 *   carries SQLite's own
 *
 * Why a database operation failed.
 */
typedef enum {
  YUN_CLOUD_DB_ERROR_IO,
} YunCloudDbError;

GQuark yun_cloud_db_error_quark (void);

/* Fills a database opened for the first time, inside the transaction that
 * creates its schema.  Runs once per file: a failure rolls everything back,
 * and the next attempt tries again. */
typedef gboolean (*YunCloudDbFillFunc) (sqlite3   *db,
                                        gpointer   user_data,
                                        GError   **error);

#define YUN_TYPE_CLOUD_DB (yun_cloud_db_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudDb, yun_cloud_db, YUN, CLOUD_DB, GObject)

/* Runs once per process, after the database is open and filled. */
typedef gboolean (*YunCloudDbReadyFunc) (YunCloudDb  *db,
                                         gpointer     user_data,
                                         GError     **error);

YunCloudDb   *yun_cloud_db_new      (const char          *path,
                                     const char          *schema,
                                     YunCloudDbFillFunc   fill,
                                     gpointer             fill_data,
                                     GDestroyNotify       fill_data_free);
void          yun_cloud_db_set_ready_func (YunCloudDb          *self,
                                           YunCloudDbReadyFunc  ready,
                                           gpointer             ready_data,
                                           GDestroyNotify       ready_data_free);
gboolean      yun_cloud_db_ensure_open (YunCloudDb       *self,
                                        GError          **error);
YunCloudDb   *yun_cloud_db_open     (const char          *path,
                                     const char          *schema,
                                     YunCloudDbFillFunc   fill,
                                     gpointer             fill_data,
                                     GError             **error);
const char   *yun_cloud_db_get_path (YunCloudDb          *self);
sqlite3      *yun_cloud_db_lock     (YunCloudDb          *self);
void          yun_cloud_db_unlock   (YunCloudDb          *self);

gboolean      yun_cloud_db_exec     (sqlite3             *db,
                                     const char          *sql,
                                     GError             **error);
sqlite3_stmt *yun_cloud_db_prepare  (sqlite3             *db,
                                     const char          *sql,
                                     GError             **error);
gboolean      yun_cloud_db_set_error (sqlite3            *db,
                                      GError            **error);
gboolean      yun_cloud_db_step_done (sqlite3_stmt       *stmt,
                                      GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
