/* yun-cloud-auth.h: who is calling, and the /accounts routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-accounts.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define YUN_CLOUD_AUTH_ERROR (yun_cloud_auth_error_quark ())

/**
 * YunCloudAuthError:
 * @YUN_CLOUD_AUTH_ERROR_NO_CREDENTIALS: the request carries no
 *   `Authorization` header, or one of a scheme other than Basic and Bearer
 * @YUN_CLOUD_AUTH_ERROR_MALFORMED: the header is not well formed
 * @YUN_CLOUD_AUTH_ERROR_REJECTED: the name and password, or the token, are
 *   not valid
 *
 * Why a request was not authenticated (HTTP 401).  Failures of the
 * accounts database itself come as #YunCloudAccountsError.
 */
typedef enum {
  YUN_CLOUD_AUTH_ERROR_NO_CREDENTIALS,
  YUN_CLOUD_AUTH_ERROR_MALFORMED,
  YUN_CLOUD_AUTH_ERROR_REJECTED,
} YunCloudAuthError;

/* How long a verified Basic name and password are remembered, in seconds. */
#define YUN_CLOUD_AUTH_BASIC_CACHE_SECONDS 60
/* The largest body accepted by the /accounts routes. */
#define YUN_CLOUD_AUTH_MAX_BODY (64 * 1024)
/* The realm of the WWW-Authenticate challenge. */
#define YUN_CLOUD_AUTH_CHALLENGE "Basic realm=\"yun-cloud\""

GQuark yun_cloud_auth_error_quark (void);

#define YUN_TYPE_CLOUD_AUTH (yun_cloud_auth_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudAuth, yun_cloud_auth, YUN, CLOUD_AUTH, GObject)

YunCloudAuth     *yun_cloud_auth_new            (YunCloudAccounts   *accounts);
YunCloudAccounts *yun_cloud_auth_get_accounts   (YunCloudAuth       *self);
char             *yun_cloud_auth_authenticate   (YunCloudAuth       *self,
                                                 const char         *authorization,
                                                 GError            **error);
void              yun_cloud_auth_forget_user    (YunCloudAuth       *self,
                                                 const char         *name);
void              yun_cloud_auth_handle         (YunCloudAuth       *self,
                                                 SoupServerMessage  *msg,
                                                 const char         *path,
                                                 GHashTable         *query);

G_END_DECLS
