/* yun-cloud-accounts.h: the users of yun-cloud, their passwords and tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_CLOUD_ACCOUNTS_ERROR (yun_cloud_accounts_error_quark ())

/**
 * YunCloudAccountsError:
 * @YUN_CLOUD_ACCOUNTS_ERROR_INVALID_NAME: the user name breaks the rules:
 *   1 to %YUN_CLOUD_ACCOUNTS_MAX_NAME lowercase letters, digits, `-` or `_`
 * @YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD: the password is shorter than
 *   %YUN_CLOUD_ACCOUNTS_MIN_PASSWORD characters, longer than
 *   %YUN_CLOUD_ACCOUNTS_MAX_PASSWORD bytes or not UTF-8
 * @YUN_CLOUD_ACCOUNTS_ERROR_EXISTS: a user of that name exists already
 * @YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS: no such user, or the wrong
 *   password; the two are not told apart
 * @YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN: the token is malformed, unknown,
 *   revoked or expired
 * @YUN_CLOUD_ACCOUNTS_ERROR_IO: SQLite or the system failed; the message
 *   carries its own
 *
 * What went wrong with an account operation.  Nothing is changed by an
 * operation that fails.
 */
typedef enum {
  YUN_CLOUD_ACCOUNTS_ERROR_INVALID_NAME,
  YUN_CLOUD_ACCOUNTS_ERROR_INVALID_PASSWORD,
  YUN_CLOUD_ACCOUNTS_ERROR_EXISTS,
  YUN_CLOUD_ACCOUNTS_ERROR_BAD_CREDENTIALS,
  YUN_CLOUD_ACCOUNTS_ERROR_BAD_TOKEN,
  YUN_CLOUD_ACCOUNTS_ERROR_IO,
} YunCloudAccountsError;

/* The longest user name, in bytes. */
#define YUN_CLOUD_ACCOUNTS_MAX_NAME 64
/* The shortest password, in characters. */
#define YUN_CLOUD_ACCOUNTS_MIN_PASSWORD 8
/* The longest password, in bytes. */
#define YUN_CLOUD_ACCOUNTS_MAX_PASSWORD 1024
/* How long a token lives unless told otherwise: 30 days, in seconds. */
#define YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME ((gint64) 30 * 24 * 60 * 60)

GQuark yun_cloud_accounts_error_quark (void);

#define YUN_TYPE_CLOUD_ACCOUNTS (yun_cloud_accounts_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudAccounts, yun_cloud_accounts, YUN, CLOUD_ACCOUNTS, GObject)

gboolean          yun_cloud_accounts_validate_name      (const char         *name,
                                                         GError            **error);

YunCloudAccounts *yun_cloud_accounts_open               (const char         *path,
                                                         GError            **error);
const char       *yun_cloud_accounts_get_uuid           (YunCloudAccounts   *self);
void              yun_cloud_accounts_set_token_lifetime (YunCloudAccounts   *self,
                                                         gint64              seconds);
gint64            yun_cloud_accounts_get_token_lifetime (YunCloudAccounts   *self);

gboolean          yun_cloud_accounts_register           (YunCloudAccounts   *self,
                                                         const char         *name,
                                                         const char         *password,
                                                         GError            **error);
gboolean          yun_cloud_accounts_check_password     (YunCloudAccounts   *self,
                                                         const char         *name,
                                                         const char         *password,
                                                         GError            **error);
char             *yun_cloud_accounts_sign_in            (YunCloudAccounts   *self,
                                                         const char         *name,
                                                         const char         *password,
                                                         gint64             *expires,
                                                         GError            **error);
char             *yun_cloud_accounts_check_token        (YunCloudAccounts   *self,
                                                         const char         *token,
                                                         gint64             *expires,
                                                         GError            **error);
gboolean          yun_cloud_accounts_revoke_token       (YunCloudAccounts   *self,
                                                         const char         *token,
                                                         GError            **error);
gboolean          yun_cloud_accounts_revoke_all         (YunCloudAccounts   *self,
                                                         const char         *name,
                                                         GError            **error);

G_END_DECLS
