/* yun-vcard.h: vCard 2.1, 3.0 and 4.0 import, vCard 4.0 export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YUN_VCARD_ERROR (yun_vcard_error_quark ())

/**
 * YunVcardError:
 * @YUN_VCARD_ERROR_MALFORMED: a card's structure or a content line's syntax
 *   is broken
 * @YUN_VCARD_ERROR_ENCODING: a value is not valid base64, quoted-printable,
 *   UTF-8, or in a known CHARSET
 * @YUN_VCARD_ERROR_TOO_LARGE: a card is over %YUN_VCARD_MAX_CARD bytes
 *   besides its photo, a line over %YUN_VCARD_MAX_LINE bytes unfolded, or
 *   a card's PHOTO over %YUN_VCARD_MAX_PHOTO_LINE bytes unfolded
 * @YUN_VCARD_ERROR_TOO_MANY: the import holds more than
 *   %YUN_VCARD_MAX_CARDS cards; the rest were not read
 * @YUN_VCARD_ERROR_INVALID: what was given to yun_vcard_write() is not a
 *   contact; the message names the member
 *
 * What was wrong with a card, or with a contact to write.
 */
typedef enum {
  YUN_VCARD_ERROR_MALFORMED,
  YUN_VCARD_ERROR_ENCODING,
  YUN_VCARD_ERROR_TOO_LARGE,
  YUN_VCARD_ERROR_TOO_MANY,
  YUN_VCARD_ERROR_INVALID,
} YunVcardError;

/* The biggest card accepted, in bytes as they come, its PHOTO lines not
 * counted (they have a limit of their own). */
#define YUN_VCARD_MAX_CARD (1024 * 1024)
/* The longest content line accepted, in bytes once unfolded. */
#define YUN_VCARD_MAX_LINE (64 * 1024)
/* The most bytes of PHOTO lines, unfolded, one card may have: an embedded
 * photo of about 3 MB once its base64 is decoded. */
#define YUN_VCARD_MAX_PHOTO_LINE (4 * 1024 * 1024)
/* The most cards one import reads. */
#define YUN_VCARD_MAX_CARDS 100000

/**
 * YunVcardVersion:
 * @YUN_VCARD_VERSION_3_0: RFC 2426
 * @YUN_VCARD_VERSION_4_0: RFC 6350
 *
 * Which vCard yun_vcard_write_version() writes.
 */
typedef enum {
  YUN_VCARD_VERSION_3_0,
  YUN_VCARD_VERSION_4_0,
} YunVcardVersion;

/**
 * YunVcardProblem:
 * @line: the line, counted from 1, where the problem was found
 * @code: what kind of problem it is
 * @message: what is wrong, for a person to read
 *
 * Why a card, or a stretch of text between cards, was not imported.
 */
typedef struct {
  guint          line;
  YunVcardError  code;
  char          *message;
} YunVcardProblem;

/**
 * YunVcard:
 *
 * What reading vCard text gave: the cards that could be read, each as a
 * contact object shaped like a W3C Contact (see yun-vcard.c) with its
 * embedded photo's bytes beside it, and a #YunVcardProblem with a line
 * number for each card that could not.
 *
 * Reading is synchronous and takes about 30 ms per 1,000 cards; do it
 * off the GTK main thread.
 */
#define YUN_TYPE_VCARD (yun_vcard_get_type ())
G_DECLARE_FINAL_TYPE (YunVcard, yun_vcard, YUN, VCARD, GObject)

GQuark                 yun_vcard_error_quark    (void);

/**
 * YunVcardFunc:
 * @card: (transfer none): a card read, as yun_vcard_get_card() gives it;
 *   valid only during the call
 * @photo: (transfer none) (nullable): its embedded photo's bytes
 * @line: the line, counted from 1, of its BEGIN:VCARD
 * @user_data: what was given to yun_vcard_parse_each()
 *
 * Called by yun_vcard_parse_each() for each card as soon as it is read.
 */
typedef void (*YunVcardFunc) (JsonObject *card,
                              GBytes     *photo,
                              guint       line,
                              gpointer    user_data);

YunVcard              *yun_vcard_parse          (const char    *data,
                                                 gsize          length);
YunVcard              *yun_vcard_parse_each     (const char    *data,
                                                 gsize          length,
                                                 YunVcardFunc   func,
                                                 gpointer       user_data);
YunVcard              *yun_vcard_parse_stream   (GInputStream  *stream,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

guint                  yun_vcard_get_n_cards    (YunVcard      *self);
JsonObject            *yun_vcard_get_card       (YunVcard      *self,
                                                 guint          index);
GBytes                *yun_vcard_get_photo      (YunVcard      *self,
                                                 guint          index);
guint                  yun_vcard_get_line       (YunVcard      *self,
                                                 guint          index);
guint                  yun_vcard_get_n_problems (YunVcard      *self);
const YunVcardProblem *yun_vcard_get_problem    (YunVcard      *self,
                                                 guint          index);

char                  *yun_vcard_write          (JsonObject    *card,
                                                 GBytes        *photo,
                                                 GError       **error);
char                  *yun_vcard_write_version  (JsonObject    *card,
                                                 GBytes        *photo,
                                                 YunVcardVersion version,
                                                 GError       **error);

G_END_DECLS
