/* yun-photos.h: the photo library, on the personal document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yun-personal-data.h"
#include "yun-personal-index.h"

G_BEGIN_DECLS

/* The biggest image accepted, in bytes. */
#define YUN_PHOTOS_MAX_IMAGE (64 * 1024 * 1024)

/**
 * YunPhotos:
 *
 * Photos: documents of the "photos" database of the personal store, each
 * with its JPEG or PNG image as the attachment "image".
 *
 * |[
 * {"id", "rev", "taken": 1700000000000, "width": 4000, "height": 3000,
 *  "location": {"latitude": 39.9042, "longitude": 116.4074},
 *  "content_type": "image/jpeg", "length": 2345678}
 * ]|
 *
 * The size and the media type are read from the image itself; the
 * metadata given to yun_photos_add() may hold "taken" (milliseconds,
 * default now) and "location" (degrees), nothing else.
 *
 * Calls are synchronous and thread-safe; they block on disk.
 */
#define YUN_TYPE_PHOTOS (yun_photos_get_type ())
G_DECLARE_FINAL_TYPE (YunPhotos, yun_photos, YUN, PHOTOS, GObject)

YunPhotos    *yun_photos_new        (YunPersonalIndex  *index,
                                     GError           **error);

JsonObject   *yun_photos_add        (YunPhotos         *self,
                                     GBytes            *image,
                                     const char        *content_type,
                                     JsonObject        *metadata,
                                     GError           **error);
JsonObject   *yun_photos_get        (YunPhotos         *self,
                                     const char        *id,
                                     GError           **error);
GInputStream *yun_photos_open_image (YunPhotos         *self,
                                     const char        *id,
                                     char             **content_type,
                                     gint64            *length,
                                     GError           **error);
gboolean      yun_photos_remove     (YunPhotos         *self,
                                     const char        *id,
                                     const char        *rev,
                                     GError           **error);
JsonArray    *yun_photos_list       (YunPhotos         *self,
                                     gint64             before,
                                     guint              limit,
                                     GError           **error);

G_END_DECLS
