/* yun-local-api.h: the local reviews back end's routes, /api/local/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-api.h"

G_BEGIN_DECLS

/* The longest review text, in characters. */
#define YUN_LOCAL_API_MAX_REVIEW 2000
/* The largest photo, in bytes. */
#define YUN_LOCAL_API_MAX_PHOTO  (5 * 1024 * 1024)
/* How many photos one user may upload. */
#define YUN_LOCAL_API_MAX_PHOTOS_PER_USER 500
/* The widest search around a position, in metres. */
#define YUN_LOCAL_API_MAX_RADIUS 50000

double yun_local_api_distance (double lat1,
                               double lon1,
                               double lat2,
                               double lon2);

void   yun_local_api_handle   (YunCloudApiContext  *context,
                               SoupServerMessage   *msg,
                               char               **segments,
                               GHashTable          *query);

G_END_DECLS
