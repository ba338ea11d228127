/* yun-personal-data.h: what the personal-data services (contacts,
 * messages, calls, photos) share: their error domain and their limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_PERSONAL_DATA_ERROR (yun_personal_data_error_quark ())

/**
 * YunPersonalDataError:
 * @YUN_PERSONAL_DATA_ERROR_INVALID: the data given is not of the service's
 *   shape (a wrong type, a field too long, too many entries, an unknown
 *   member, an image that is not JPEG or PNG); the message starts with
 *   the path of the field, such as `contact.tel[3].value:` (a page's
 *   `DataError`)
 * @YUN_PERSONAL_DATA_ERROR_NOT_FOUND: no record with that id (a page's
 *   `NotFoundError`)
 * @YUN_PERSONAL_DATA_ERROR_CONFLICT: the record was changed since the
 *   revision the caller gave, or exists and no revision was given (a
 *   page's `InvalidStateError`: get it again and retry)
 * @YUN_PERSONAL_DATA_ERROR_IO: the store or its index could not be read
 *   or written; the message carries SQLite's or the system's own
 *
 * Why a personal-data call failed.  A call that fails changes nothing.
 */
typedef enum {
  YUN_PERSONAL_DATA_ERROR_INVALID,
  YUN_PERSONAL_DATA_ERROR_NOT_FOUND,
  YUN_PERSONAL_DATA_ERROR_CONFLICT,
  YUN_PERSONAL_DATA_ERROR_IO,
} YunPersonalDataError;

/* Times are milliseconds since 1970 (a JavaScript Date's value), whole
 * numbers from 0 to the end of year 9999. */
#define YUN_PERSONAL_DATA_MAX_TIME G_GINT64_CONSTANT (253402300799999)
/* The most results one list or find call returns. */
#define YUN_PERSONAL_DATA_MAX_LIMIT 1000
/* The results a list or find call returns when the caller says 0. */
#define YUN_PERSONAL_DATA_DEFAULT_LIMIT 50

GQuark yun_personal_data_error_quark (void);

G_END_DECLS
