/* yun-notification-center.c: the notifications apps have shown.
 *
 * Pages use the standard Notification API; WebKit hands each one to the
 * shell, which keeps it here for the status bar, the notification list
 * and the badges on the home screen.  Activating one tells the page
 * (its `click` event) and returns the app to show; a page that closes its
 * notification takes it off the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-notification-center.h"

/* Longest title and body kept, in bytes; pages may send any length. */
#define MAX_TEXT 1024

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _YunNotificationCenter
{
  GObject parent_instance;

  /* YunNotificationEntry, the newest first. */
  GPtrArray *entries;
  guint next_id;
};

G_DEFINE_FINAL_TYPE (YunNotificationCenter, yun_notification_center, G_TYPE_OBJECT)

static void on_closed (WebKitNotification *notification, YunNotificationCenter *self);

static void
entry_free (YunNotificationEntry *entry)
{
  g_free (entry->app_id);
  g_free (entry->app_name);
  g_free (entry->title);
  g_free (entry->body);
  g_clear_object (&entry->notification);
  g_free (entry);
}

static void
yun_notification_center_dispose (GObject *object)
{
  YunNotificationCenter *self = YUN_NOTIFICATION_CENTER (object);

  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++) {
    YunNotificationEntry *entry = g_ptr_array_index (self->entries, i);

    if (entry->notification != NULL)
      g_signal_handlers_disconnect_by_func (entry->notification, on_closed, self);
  }
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (yun_notification_center_parent_class)->dispose (object);
}

static void
yun_notification_center_class_init (YunNotificationCenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_notification_center_dispose;

  /**
   * YunNotificationCenter::changed:
   *
   * A notification came or went.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
yun_notification_center_init (YunNotificationCenter *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->next_id = 1;
}

/**
 * yun_notification_center_new:
 *
 * Returns: (transfer full): an empty notification centre
 */
YunNotificationCenter *
yun_notification_center_new (void)
{
  return g_object_new (YUN_TYPE_NOTIFICATION_CENTER, NULL);
}

static guint
index_of (YunNotificationCenter *self,
          guint                  id)
{
  for (guint i = 0; i < self->entries->len; i++) {
    if (((YunNotificationEntry *) g_ptr_array_index (self->entries, i))->id == id)
      return i;
  }
  return G_MAXUINT;
}

static void
remove_at (YunNotificationCenter *self,
           guint                  i)
{
  YunNotificationEntry *entry = g_ptr_array_index (self->entries, i);

  if (entry->notification != NULL)
    g_signal_handlers_disconnect_by_func (entry->notification, on_closed, self);
  g_ptr_array_remove_index (self->entries, i);
}

static void
on_closed (WebKitNotification    *notification,
           YunNotificationCenter *self)
{
  for (guint i = 0; i < self->entries->len; i++) {
    YunNotificationEntry *entry = g_ptr_array_index (self->entries, i);

    if (entry->notification == notification) {
      remove_at (self, i);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }
  }
}

/* Page text, bounded and on one line for the list. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  char *clean;

  clean = g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1), MAX_TEXT / 4));
  g_strdelimit (clean, "\r\n\t", ' ');
  return clean;
}

/**
 * yun_notification_center_add:
 * @self: the notification centre
 * @app_id: the app that shows it
 * @app_name: the app's name
 * @notification: what the page asked to show
 *
 * Keeps a notification.  A notification with the same tag from the same
 * app replaces the older one, as the standard says.
 *
 * Returns: its id
 */
guint
yun_notification_center_add (YunNotificationCenter *self,
                             const char            *app_id,
                             const char            *app_name,
                             WebKitNotification    *notification)
{
  YunNotificationEntry *entry;
  const char *tag;

  g_return_val_if_fail (YUN_IS_NOTIFICATION_CENTER (self), 0);
  g_return_val_if_fail (WEBKIT_IS_NOTIFICATION (notification), 0);

  tag = webkit_notification_get_tag (notification);
  for (guint i = 0; tag != NULL && *tag != '\0' && i < self->entries->len; i++) {
    YunNotificationEntry *old = g_ptr_array_index (self->entries, i);

    if (g_str_equal (old->app_id, app_id) && old->notification != NULL &&
        g_strcmp0 (webkit_notification_get_tag (old->notification), tag) == 0) {
      remove_at (self, i);
      break;
    }
  }
  while (self->entries->len >= YUN_NOTIFICATION_CENTER_MAX)
    remove_at (self, self->entries->len - 1);

  entry = g_new0 (YunNotificationEntry, 1);
  entry->id = self->next_id++;
  entry->app_id = g_strdup (app_id);
  entry->app_name = g_strdup (app_name);
  entry->title = clean_text (webkit_notification_get_title (notification));
  entry->body = clean_text (webkit_notification_get_body (notification));
  entry->time = g_get_real_time ();
  entry->notification = g_object_ref (notification);
  g_signal_connect (notification, "closed", G_CALLBACK (on_closed), self);
  g_ptr_array_insert (self->entries, 0, entry);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return entry->id;
}

/**
 * yun_notification_center_list:
 * @self: the notification centre
 *
 * Returns: (transfer container) (element-type YunNotificationEntry): the
 *   notifications, the newest first
 */
GPtrArray *
yun_notification_center_list (YunNotificationCenter *self)
{
  GPtrArray *list;

  g_return_val_if_fail (YUN_IS_NOTIFICATION_CENTER (self), NULL);

  list = g_ptr_array_new ();
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (list, g_ptr_array_index (self->entries, i));
  return list;
}

/**
 * yun_notification_center_count_for_app:
 * @self: the notification centre
 * @app_id: an app
 *
 * Returns: how many of the app's notifications are waiting, for its badge
 */
guint
yun_notification_center_count_for_app (YunNotificationCenter *self,
                                       const char            *app_id)
{
  guint count = 0;

  g_return_val_if_fail (YUN_IS_NOTIFICATION_CENTER (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    count += g_str_equal (((YunNotificationEntry *) g_ptr_array_index (self->entries, i))->app_id,
                          app_id);
  return count;
}

/**
 * yun_notification_center_activate:
 * @self: the notification centre
 * @id: a notification's id
 *
 * The user tapped the notification: its page gets the `click` event and
 * the notification goes.
 *
 * Returns: (transfer full) (nullable): the app to show, or %NULL when
 *   there is no such notification
 */
char *
yun_notification_center_activate (YunNotificationCenter *self,
                                  guint                  id)
{
  YunNotificationEntry *entry;
  char *app_id;
  guint i;

  g_return_val_if_fail (YUN_IS_NOTIFICATION_CENTER (self), NULL);

  i = index_of (self, id);
  if (i == G_MAXUINT)
    return NULL;
  entry = g_ptr_array_index (self->entries, i);
  app_id = g_strdup (entry->app_id);
  if (entry->notification != NULL)
    webkit_notification_clicked (entry->notification);
  /* The page may have closed it from its click handler. */
  i = index_of (self, id);
  if (i != G_MAXUINT)
    remove_at (self, i);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return app_id;
}

/**
 * yun_notification_center_dismiss:
 * @self: the notification centre
 * @id: a notification's id
 *
 * The user swept the notification away; its page is told it closed.
 */
void
yun_notification_center_dismiss (YunNotificationCenter *self,
                                 guint                  id)
{
  YunNotificationEntry *entry;
  guint i;

  g_return_if_fail (YUN_IS_NOTIFICATION_CENTER (self));

  i = index_of (self, id);
  if (i == G_MAXUINT)
    return;
  entry = g_ptr_array_index (self->entries, i);
  if (entry->notification != NULL) {
    g_autoptr(WebKitNotification) notification = g_object_ref (entry->notification);

    g_signal_handlers_disconnect_by_func (notification, on_closed, self);
    webkit_notification_close (notification);
  }
  i = index_of (self, id);
  if (i != G_MAXUINT)
    g_ptr_array_remove_index (self->entries, i);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
