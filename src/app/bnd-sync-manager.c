/* bnd-sync-manager.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sync-manager"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-dossier-cache.h"
#include "bnd-format.h"
#include "bnd-keyring.h"
#include "bnd-sync-manager.h"
#include "bnd-sync.h"

/* When the application syncs: at start, a few seconds after edits, every five minutes, and when
 * the network comes back. The sync itself (bnd_sync_run) runs on a worker thread; this object
 * keeps the status the header shows. The token lives in the desktop keyring. */

#define SOON_S      3
#define RETRY_S     5      /* while offline, try again this often: the server comes back by itself */
#define PERIOD_S    300
/* The dossiers' data (a few calls per dossier) is fetched with a sync at most this often, unless
 * the user asks for a sync or has just acted on a dossier; a sketch's autosave does not. */
#define REFRESH_S   60

struct _BndSyncManager
{
  GObject          parent_instance;

  BndStore        *store;
  BndStrategy     *strategy;
  char            *url;
  char            *user;
  char            *token;
  gboolean         loaded;          /* the sign-in the profile keeps has been read (load_cb()) */
  gboolean         start_wanted;    /* bnd_sync_manager_start() came before that */
  char            *busy;
  BndSyncStatus    status;
  char            *status_text;
  char            *failure;        /* why the last sync failed, for the button's tooltip */
  gboolean         running;
  gboolean         again;
  guint            soon_source;
  guint            period_source;
  guint            n_syncs;
  gint64           last_refresh;    /* monotonic, when the dossiers' data was last fetched */
  gboolean         refresh_wanted;
  gulong           network_handler;
  guint64          progress_done;   /* changes pulled so far in a long sync, of … */
  guint64          progress_total;  /* … these; 0 when no long pull is going on */
};

enum {
  PROP_0,
  PROP_STATUS_TEXT,
  PROP_PROGRESS_DONE,
  PROP_PROGRESS_TOTAL,
  N_PROPS
};

enum {
  SYNCED,
  STRATEGY_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BndSyncManager, bnd_sync_manager, G_TYPE_OBJECT)

static void
set_status (BndSyncManager *self,
            BndSyncStatus   status,
            guint           count)
{
  g_autofree char *text = NULL;

  switch (status)
    {
    case BND_SYNC_SIGNED_OUT:
      text = g_strdup (_("Not signed in"));
      break;
    case BND_SYNC_SYNCING:
      if (self->progress_total > 0)
        {
          g_autofree char *done = bnd_format_figure (self->progress_done, bnd_locale_current ());
          g_autofree char *total = bnd_format_figure (self->progress_total, bnd_locale_current ());

          /* Translators: sketches received so far in a long sync, of all to come: "1,200 of 10,000" */
          text = g_strdup_printf (_("%s of %s"), done, total);
        }
      else
        text = g_strdup (_("Syncing…"));
      break;
    case BND_SYNC_SYNCED:
      text = g_strdup (_("Synced"));
      break;
    case BND_SYNC_WAITING:
      /* Translators: sketches with edits not yet on the server */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", count), count);
      break;
    case BND_SYNC_OFFLINE:
      text = g_strdup (_("Offline"));
      break;
    case BND_SYNC_CONFLICTS:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u conflict", "%u conflicts", count), count);
      break;
    case BND_SYNC_REFUSED:
      /* Translators: sketches whose edits the server refused */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u refused", "%u refused", count), count);
      break;
    case BND_SYNC_FAILED:
    default:
      text = g_strdup (_("Sync failed"));
      break;
    }

  self->status = status;
  if (g_strcmp0 (text, self->status_text) != 0)
    {
      g_free (self->status_text);
      self->status_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
    }
}

typedef struct
{
  char          *url;
  char          *token;
  char          *busy;
  GMainContext  *context;      /* the manager's, where progress is shown */
  BndSyncManager *self;        /* only to be passed back there */
  guint          generation;   /* the sync's number (n_syncs when it started) */
  BndSyncReport  report;
  gboolean       refresh;
  gboolean       refreshed;
  guint          n_conflicts;
  guint          n_waiting;
  guint          n_refused;
  BndStrategy   *strategy;     /* the pack when it started: the thread's own reference */
  BndStrategy   *pulled;       /* (nullable): another pack the server served */
} SyncData;

static void
sync_data_free (SyncData *data)
{
  g_clear_object (&data->strategy);
  g_clear_object (&data->pulled);
  g_main_context_unref (data->context);
  g_free (data->url);
  g_free (data->token);
  g_free (data->busy);
  g_free (data);
}

static void
set_progress (BndSyncManager *self,
              guint64         done,
              guint64         total)
{
  /* Both change before anyone hears of either */
  g_object_freeze_notify (G_OBJECT (self));
  if (self->progress_done != done)
    {
      self->progress_done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_DONE]);
    }
  if (self->progress_total != total)
    {
      self->progress_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_TOTAL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

typedef struct
{
  BndSyncManager *self;
  guint           generation;
  guint64         done;
  guint64         total;
} Progress;

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->self);
  g_free (progress);
}

static gboolean
show_progress_cb (gpointer user_data)
{
  Progress *progress = user_data;
  BndSyncManager *self = progress->self;

  /* Only while that sync still runs: an update may come after its end. Once all changes are in,
   * the numbers go: what follows (pushing, the dossiers' data) is no longer counted. */
  if (self->running && self->n_syncs == progress->generation)
    {
      gboolean all_in = progress->done >= progress->total;

      /* The numbers and the text change together */
      g_object_freeze_notify (G_OBJECT (self));
      set_progress (self, all_in ? 0 : progress->done, all_in ? 0 : progress->total);
      if (self->status == BND_SYNC_SYNCING)
        set_status (self, BND_SYNC_SYNCING, 0);
      g_object_thaw_notify (G_OBJECT (self));
    }
  return G_SOURCE_REMOVE;
}

/* On the sync's thread: the numbers go to the manager's. */
static void
on_sync_progress_cb (guint64  done,
                     guint64  total,
                     gpointer user_data)
{
  SyncData *data = user_data;
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (data->self);
  progress->generation = data->generation;
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, show_progress_cb, progress,
                              (GDestroyNotify)progress_free);
}

/* On a sync's thread: the pack the store's server served when it is not @current, else NULL.
 * Read and parsed there, not on the main loop; parsed only when its bytes differ. */
static BndStrategy *
read_served_strategy (BndStore    *store,
                      BndStrategy *current)
{
  g_autofree char *directory = bnd_store_get_directory (store);
  g_autofree char *path = bnd_sync_strategy_path (directory);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  BndStrategy *strategy;
  char *contents = NULL;
  gsize length = 0;

  /* A server from before there were several alliances serves none. */
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  bytes = g_bytes_new_take (contents, length);
  if (g_bytes_equal (bytes, bnd_strategy_get_bytes (current)))
    return NULL;
  /* The sync checked it: only a disk that fails now gets here. */
  if (!(strategy = bnd_strategy_new_from_bytes (bytes, path, &error)))
    g_warning ("The server’s strategy pack could not be read back: %s", error->message);
  return strategy;
}

static void
sync_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  BndSyncManager *self = source_object;
  SyncData *data = task_data;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  GError *error = NULL;
  gboolean ok;

  /* The store's calls wait on its own worker; this thread only waits. */
  ok = bnd_sync_run_with_progress (self->store, data->strategy, data->url, data->token, data->busy,
                                   on_sync_progress_cb, data, &data->report, &error) &&
       (!data->refresh || (data->refreshed = bnd_dossier_cache_refresh (self->store, data->url, data->token, &error)));
  if (data->report.strategy_changed)
    data->pulled = read_served_strategy (self->store, data->strategy);
  conflicts = bnd_store_list_unsynced (self->store, BND_UNSYNCED_CONFLICTS, NULL);
  waiting = bnd_store_list_unsynced (self->store, BND_UNSYNCED_TO_PUSH, NULL);
  refused = bnd_store_list_unsynced (self->store, BND_UNSYNCED_REFUSED, NULL);
  data->n_conflicts = conflicts ? conflicts->len : 0;
  data->n_waiting = waiting ? waiting->len : 0;
  data->n_refused = refused ? refused->len : 0;
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void     start_sync (BndSyncManager *self);
static gboolean soon_cb    (gpointer        user_data);

/* On the main loop: @pulled is from now on the one drafted against. */
static void
take_served_strategy (BndSyncManager *self,
                      BndStrategy    *pulled)
{
  if (pulled == NULL)
    return;
  g_set_object (&self->strategy, pulled);
  g_signal_emit (self, signals[STRATEGY_CHANGED], 0, pulled);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BndSyncManager *self = BND_SYNC_MANAGER (object);
  SyncData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->running = FALSE;
  self->n_syncs++;
  set_progress (self, 0, 0);
  if (data->refreshed)
    self->last_refresh = g_get_monotonic_time ();

  g_clear_pointer (&self->failure, g_free);
  take_served_strategy (self, data->pulled);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->failure = g_strdup (error->message);
      if (g_error_matches (error, BND_SYNC_ERROR, BND_SYNC_ERROR_OFFLINE))
        {
          set_status (self, BND_SYNC_OFFLINE, 0);
          if (self->soon_source == 0)
            self->soon_source = g_timeout_add_seconds (RETRY_S, soon_cb, self);
        }
      else if (g_error_matches (error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN))
        {
          /* The token is no good any more (expired or revoked): sign in again. */
          g_clear_pointer (&self->token, g_free);
          set_status (self, BND_SYNC_SIGNED_OUT, 0);
        }
      else
        {
          g_debug ("Sync failed: %s", error->message);
          set_status (self, BND_SYNC_FAILED, 0);
        }
    }
  else if (data->n_conflicts > 0)
    set_status (self, BND_SYNC_CONFLICTS, data->n_conflicts);
  else if (data->n_refused > 0)
    {
      /* Not a failure: the others went. The sketches say why and offer the way out. */
      self->failure = g_strdup (g_dngettext (GETTEXT_PACKAGE,
                                             "The server refused a sketch’s edits; open it to decide what becomes of them",
                                             "The server refused some sketches’ edits; open them to decide what becomes of them",
                                             data->n_refused));
      set_status (self, BND_SYNC_REFUSED, data->n_refused);
    }
  else if (data->n_waiting > 0)
    set_status (self, BND_SYNC_WAITING, data->n_waiting);
  else
    set_status (self, BND_SYNC_SYNCED, 0);

  g_signal_emit (self, signals[SYNCED], 0);

  if (self->again)
    start_sync (self);
}

static void
start_sync (BndSyncManager *self)
{
  g_autoptr(GTask) task = NULL;
  SyncData *data;

  g_clear_handle_id (&self->soon_source, g_source_remove);
  if (self->token == NULL || self->url == NULL)
    {
      set_status (self, BND_SYNC_SIGNED_OUT, 0);
      return;
    }
  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  self->running = TRUE;
  self->again = FALSE;
  if (self->status != BND_SYNC_CONFLICTS)
    set_status (self, BND_SYNC_SYNCING, 0);

  data = g_new0 (SyncData, 1);
  data->url = g_strdup (self->url);
  data->token = g_strdup (self->token);
  data->busy = g_strdup (self->busy);
  data->strategy = g_object_ref (self->strategy);
  data->context = g_main_context_ref_thread_default ();
  data->self = self;
  data->generation = self->n_syncs;
  data->refresh = self->refresh_wanted || self->last_refresh == 0 ||
                  g_get_monotonic_time () - self->last_refresh >= REFRESH_S * G_USEC_PER_SEC;
  self->refresh_wanted = FALSE;
  task = g_task_new (self, NULL, sync_cb, NULL);
  g_task_set_source_tag (task, start_sync);
  g_task_set_task_data (task, data, (GDestroyNotify)sync_data_free);
  g_task_run_in_thread (task, sync_in_thread);
}

static gboolean
period_cb (gpointer user_data)
{
  start_sync (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
soon_cb (gpointer user_data)
{
  BndSyncManager *self = user_data;

  self->soon_source = 0;
  start_sync (self);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       BndSyncManager  *self)
{
  if (available)
    bnd_sync_manager_sync_soon (self);
}

static void
on_token_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BndSyncManager) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = bnd_keyring_lookup_finish (result, &error);

  if (token == NULL)
    {
      if (error != NULL)
        g_debug ("No token from the keyring: %s", error->message);
      set_status (self, BND_SYNC_SIGNED_OUT, 0);
      return;
    }
  g_free (self->token);
  self->token = token;
  start_sync (self);
}

static void
bnd_sync_manager_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BndSyncManager *self = BND_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_PROGRESS_DONE:
      g_value_set_uint64 (value, self->progress_done);
      break;
    case PROP_PROGRESS_TOTAL:
      g_value_set_uint64 (value, self->progress_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bnd_sync_manager_dispose (GObject *object)
{
  BndSyncManager *self = (BndSyncManager *)object;

  g_clear_handle_id (&self->soon_source, g_source_remove);
  g_clear_handle_id (&self->period_source, g_source_remove);
  g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);

  G_OBJECT_CLASS (bnd_sync_manager_parent_class)->dispose (object);
}

static void
bnd_sync_manager_finalize (GObject *object)
{
  BndSyncManager *self = (BndSyncManager *)object;

  g_free (self->url);
  g_free (self->user);
  g_free (self->token);
  g_free (self->busy);
  g_free (self->status_text);
  g_free (self->failure);

  G_OBJECT_CLASS (bnd_sync_manager_parent_class)->finalize (object);
}

static void
bnd_sync_manager_class_init (BndSyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bnd_sync_manager_dispose;
  object_class->finalize = bnd_sync_manager_finalize;
  object_class->get_property = bnd_sync_manager_get_property;

  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * BndSyncManager:progress-done:
   *
   * In a long pull (a first sync), how many changes came so far, of #BndSyncManager:progress-total;
   * both are 0 otherwise.
   */
  properties[PROP_PROGRESS_DONE] =
    g_param_spec_uint64 ("progress-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS_TOTAL] =
    g_param_spec_uint64 ("progress-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BndSyncManager::synced:
   *
   * Emitted after each sync, whether it worked or not: sketches may have changed.
   */
  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * BndSyncManager::strategy-changed:
   * @strategy: the pack the server serves, now the one to draft against
   *
   * Emitted when a sync brought another strategy pack: the server's alliance has its own.
   */
  signals[STRATEGY_CHANGED] = g_signal_new ("strategy-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, BND_TYPE_STRATEGY);
}

static void
bnd_sync_manager_init (BndSyncManager *self)
{
  self->status_text = g_strdup (_("Not signed in"));
}

/* The profile's sign-in as the store keeps it: written on the store's worker, in order with the
 * sync that follows (the sync's own store calls are queued behind it). */
typedef struct
{
  char     *url;
  char     *user;
  char     *token;   /* only read: from the token file of "buendnis-cli login --token-file" */
} Credentials;

static void
credentials_free (Credentials *credentials)
{
  g_free (credentials->url);
  g_free (credentials->user);
  g_free (credentials->token);
  g_free (credentials);
}

static gpointer
keep_credentials_job (BndStore  *store,
                      gpointer   data,
                      GError   **error)
{
  Credentials *credentials = data;
  g_autofree char *url = bnd_store_get_meta (store, "server_url");
  g_autofree char *user = bnd_store_get_meta (store, "server_user");

  /* Another server or account knows nothing of what this profile synced before. A sign-out
   * forgets server and account, so the sign-in after it has nothing to compare with. */
  if ((url && credentials->url && g_strcmp0 (url, credentials->url) != 0) ||
      (user && credentials->user && g_strcmp0 (user, credentials->user) != 0))
    bnd_store_reset_sync (store, NULL);
  bnd_store_set_meta (store, "server_url", credentials->url, NULL);
  bnd_store_set_meta (store, "server_user", credentials->user, NULL);
  return GINT_TO_POINTER (TRUE);
}

static void
keep_credentials (BndSyncManager *self)
{
  Credentials *credentials = g_new0 (Credentials, 1);

  credentials->url = g_strdup (self->url);
  credentials->user = g_strdup (self->user);
  bnd_store_call_async (self->store, keep_credentials_job, credentials, (GDestroyNotify)credentials_free, NULL,
                        NULL, NULL, NULL);
}

/* The sign-in the profile keeps, read on the store's worker: the server and account and, for a
 * profile signed in with "buendnis-cli login --token-file" (no keyring), the token from that
 * file. */
static gpointer
load_job (BndStore  *store,
          gpointer   data,
          GError   **error)
{
  Credentials *credentials = g_new0 (Credentials, 1);
  g_autofree char *token_file = bnd_store_get_meta (store, "token_file");
  g_autofree char *token = NULL;

  credentials->url = bnd_store_get_meta (store, "server_url");
  credentials->user = bnd_store_get_meta (store, "server_user");
  if (token_file != NULL && g_file_get_contents (token_file, &token, NULL, NULL) && *g_strstrip (token))
    credentials->token = g_steal_pointer (&token);
  return credentials;
}

static void start_with_token (BndSyncManager *self);

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BndSyncManager) self = user_data;
  Credentials *credentials = bnd_store_call_finish (BND_STORE (object), result, NULL);

  /* A sign-in meanwhile (bnd_sync_manager_set_credentials()) is newer than what was kept */
  if (!self->loaded && credentials != NULL)
    {
      self->url = g_steal_pointer (&credentials->url);
      self->user = g_steal_pointer (&credentials->user);
      self->token = g_steal_pointer (&credentials->token);
    }
  self->loaded = TRUE;
  g_clear_pointer (&credentials, credentials_free);
  if (self->start_wanted)
    {
      self->start_wanted = FALSE;
      start_with_token (self);
    }
}

BndSyncManager *
bnd_sync_manager_new (BndStore    *store,
                      BndStrategy *strategy)
{
  BndSyncManager *self = g_object_new (BND_TYPE_SYNC_MANAGER, NULL);

  self->store = g_object_ref (store);
  self->strategy = g_object_ref (strategy);
  /* The sign-in the profile keeps comes from the store's worker: the window does not wait. */
  bnd_store_read_async (store, load_job, NULL, NULL, (GDestroyNotify)credentials_free, NULL, load_cb,
                        g_object_ref (self));
  return self;
}

static void
start_with_token (BndSyncManager *self)
{
  if (self->token != NULL)
    start_sync (self);
  else if (self->url != NULL)
    bnd_keyring_lookup (self->url, bnd_store_get_path (self->store), on_token_looked_up_cb, g_object_ref (self));
  else
    set_status (self, BND_SYNC_SIGNED_OUT, 0);
}

/**
 * bnd_sync_manager_start:
 *
 * Looks the token up in the keyring and syncs; from then on syncs by itself.
 */
void
bnd_sync_manager_start (BndSyncManager *self)
{
  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  if (self->period_source == 0)
    self->period_source = g_timeout_add_seconds (PERIOD_S, period_cb, self);
  if (self->network_handler == 0)
    self->network_handler = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                              G_CALLBACK (on_network_changed_cb), self);

  /* Once the profile's sign-in is read (load_cb()) */
  if (!self->loaded)
    self->start_wanted = TRUE;
  else
    start_with_token (self);
}

/**
 * bnd_sync_manager_set_credentials:
 *
 * Uses @token for @url without the keyring (tests, and a sign-in that just happened).
 */
void
bnd_sync_manager_set_credentials (BndSyncManager *self,
                                  const char     *url,
                                  const char     *user,
                                  const char     *token)
{
  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  /* What the profile kept counts no more, even if it is still being read */
  self->loaded = TRUE;
  g_free (self->url);
  g_free (self->user);
  g_free (self->token);
  self->url = g_strdup (url);
  self->user = g_strdup (user);
  self->token = g_strdup (token);
  keep_credentials (self);
}

typedef struct
{
  char *url;
  char *user;
  char *password;
  char *token;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->url);
  g_free (sign_in->user);
  g_free (sign_in->password);
  g_free (sign_in->token);
  g_free (sign_in);
}

static void
sign_in_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SignIn *sign_in = task_data;
  GError *error = NULL;

  if (!(sign_in->token = bnd_sync_login (sign_in->url, sign_in->user, sign_in->password, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
bnd_sync_manager_sign_in_async (BndSyncManager      *self,
                                const char          *url,
                                const char          *user,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  sign_in = g_new0 (SignIn, 1);
  sign_in->url = g_strdup (url);
  sign_in->user = g_strdup (user);
  sign_in->password = g_strdup (password);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bnd_sync_manager_sign_in_async);
  g_task_set_task_data (task, sign_in, (GDestroyNotify)sign_in_free);
  g_task_run_in_thread (task, sign_in_in_thread);
}

/**
 * bnd_sync_manager_sign_in_finish:
 *
 * Keeps the token in the keyring (where there is one) and starts syncing.
 */
gboolean
bnd_sync_manager_sign_in_finish (BndSyncManager  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  SignIn *sign_in;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  sign_in = g_task_get_task_data (G_TASK (result));
  bnd_sync_manager_set_credentials (self, sign_in->url, sign_in->user, sign_in->token);
  /* Without a keyring the token lasts for this session only; the next start asks again. */
  bnd_keyring_store (sign_in->url, bnd_store_get_path (self->store), sign_in->token);
  start_sync (self);
  return TRUE;
}

static void
sign_out_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SignIn *sign_out = task_data;

  bnd_sync_logout (sign_out->url, sign_out->token, NULL);
  g_task_return_boolean (task, TRUE);
}

void
bnd_sync_manager_sign_out (BndSyncManager *self)
{
  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  if (self->url && self->token)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
      SignIn *sign_out = g_new0 (SignIn, 1);

      /* Best effort, off the main thread: the server forgets the token; here it is gone anyway. */
      sign_out->url = g_strdup (self->url);
      sign_out->token = g_strdup (self->token);
      g_task_set_task_data (task, sign_out, (GDestroyNotify)sign_in_free);
      g_task_run_in_thread (task, sign_out_in_thread);
      bnd_keyring_clear (self->url, bnd_store_get_path (self->store));
    }
  /* What the profile kept counts no more, even if it is still being read */
  self->loaded = TRUE;
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->user, g_free);
  keep_credentials (self);
  set_status (self, BND_SYNC_SIGNED_OUT, 0);
}

void
bnd_sync_manager_sync_now (BndSyncManager *self)
{
  g_return_if_fail (BND_IS_SYNC_MANAGER (self));
  self->refresh_wanted = TRUE;
  start_sync (self);
}

/* After an edit: a few seconds later, once, however many edits come in between. */
void
bnd_sync_manager_sync_soon (BndSyncManager *self)
{
  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  if (self->token == NULL)
    return;
  if (self->status == BND_SYNC_SYNCED)
    set_status (self, BND_SYNC_WAITING, 1);
  g_clear_handle_id (&self->soon_source, g_source_remove);
  self->soon_source = g_timeout_add_seconds (SOON_S, soon_cb, self);
}

/**
 * bnd_sync_manager_set_busy:
 * @uuid: (nullable): the sketch open in the editor, whose server changes wait
 */
void
bnd_sync_manager_set_busy (BndSyncManager *self,
                           const char     *uuid)
{
  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  g_free (self->busy);
  self->busy = g_strdup (uuid);
}

BndSyncStatus
bnd_sync_manager_get_status (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), BND_SYNC_SIGNED_OUT);
  return self->status;
}

const char *
bnd_sync_manager_get_status_text (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), NULL);
  return self->status_text;
}

const char *
bnd_sync_manager_get_url (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), NULL);
  return self->url;
}

const char *
bnd_sync_manager_get_user (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), NULL);
  return self->user;
}

guint
bnd_sync_manager_get_n_syncs (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), 0);
  return self->n_syncs;
}

typedef struct
{
  char *url;
  char *token;
  char *uuid;
  char *sha256;
  gboolean preview_differs;
  BndStrategy *strategy;
  BndStrategy *pulled;
} Submit;

static void
submit_free (Submit *submit)
{
  g_clear_object (&submit->strategy);
  g_clear_object (&submit->pulled);
  g_free (submit->url);
  g_free (submit->token);
  g_free (submit->uuid);
  g_free (submit->sha256);
  g_free (submit);
}

static void
submit_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  BndSyncManager *self = source_object;
  Submit *submit = task_data;
  GError *error = NULL;
  gboolean ok = bnd_sync_submit (self->store, submit->strategy, submit->url, submit->token, submit->uuid,
                                 &submit->sha256, &submit->preview_differs, &error);

  /* The submission's sync may have brought the server's pack. */
  submit->pulled = read_served_strategy (self->store, submit->strategy);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * bnd_sync_manager_submit_async:
 * @uuid: a sketch that is not open in an editor
 *
 * Syncs, then sends our render of the sketch's synced revision to the server, which keeps its
 * own render as the official PDF.
 */
void
bnd_sync_manager_submit_async (BndSyncManager      *self,
                               const char          *uuid,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Submit *submit;

  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, bnd_sync_manager_submit_async);
  if (self->token == NULL || self->url == NULL)
    {
      g_task_return_new_error (task, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, "%s",
                               _("Sign in to the alliance's server first (Preferences)"));
      return;
    }
  submit = g_new0 (Submit, 1);
  submit->url = g_strdup (self->url);
  submit->token = g_strdup (self->token);
  submit->uuid = g_strdup (uuid);
  submit->strategy = g_object_ref (self->strategy);
  g_task_set_task_data (task, submit, (GDestroyNotify)submit_free);
  /* A submission syncs too: no other sync runs beside it. */
  self->running = TRUE;
  g_task_run_in_thread (task, submit_in_thread);
}

/**
 * bnd_sync_manager_submit_finish:
 * @preview_differs: (out) (optional): whether the official PDF, which the server renders, is
 *   not byte for byte the preview: the server renders with another version
 */
gboolean
bnd_sync_manager_submit_finish (BndSyncManager  *self,
                                GAsyncResult    *result,
                                gboolean        *preview_differs,
                                GError         **error)
{
  Submit *submit;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->running = FALSE;
  submit = g_task_get_task_data (G_TASK (result));
  take_served_strategy (self, submit->pulled);
  if (self->again)
    start_sync (self);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (preview_differs)
    *preview_differs = submit->preview_differs;
  g_signal_emit (self, signals[SYNCED], 0);
  /* The dossier as the server has it now (its stage, the new submission and what changed),
   * as after any other step. */
  bnd_sync_manager_sync_now (self);
  return TRUE;
}

gboolean
bnd_sync_manager_is_signed_in (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), FALSE);
  return self->token != NULL && self->url != NULL;
}

gboolean
bnd_sync_manager_is_running (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), FALSE);
  return self->running;
}

/**
 * bnd_sync_manager_get_failure:
 *
 * Returns: (nullable): why the last sync failed
 */
const char *
bnd_sync_manager_get_failure (BndSyncManager *self)
{
  g_return_val_if_fail (BND_IS_SYNC_MANAGER (self), NULL);
  return self->failure;
}

typedef struct
{
  char     *url;
  char     *token;
  char     *method;
  char     *path;
  JsonNode *body;
  GBytes   *upload;        /* sent as is, with its content type */
  char     *content_type;
} Call;

static void
call_free (Call *call)
{
  g_free (call->url);
  g_free (call->token);
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->body, json_node_unref);
  g_clear_pointer (&call->upload, g_bytes_unref);
  g_free (call->content_type);
  g_free (call);
}

static void
call_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  JsonNode *answer = call->upload
                     ? bnd_sync_upload (call->url, call->token, call->path, call->content_type, call->upload, &error)
                     : bnd_sync_call (call->url, call->token, call->method, call->path, call->body, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify)json_node_unref);
}

/**
 * bnd_sync_manager_call_async:
 * @body: (nullable): the JSON to send
 *
 * One call to the server that is not synced, such as posting a comment; a sync follows, so that
 * the cached dossier shows the result.
 */
static void
start_call (BndSyncManager      *self,
            Call                *call,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, bnd_sync_manager_call_async);
  if (self->token == NULL || self->url == NULL)
    {
      call_free (call);
      g_task_return_new_error (task, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, "%s",
                               _("Sign in to the alliance's server first (Preferences)"));
      return;
    }
  call->url = g_strdup (self->url);
  call->token = g_strdup (self->token);
  g_task_set_task_data (task, call, (GDestroyNotify)call_free);
  g_task_run_in_thread (task, call_in_thread);
}

void
bnd_sync_manager_call_async (BndSyncManager      *self,
                             const char          *method,
                             const char          *path,
                             JsonNode            *body,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  call = g_new0 (Call, 1);
  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->body = body ? json_node_copy (body) : NULL;
  start_call (self, call, callback, user_data);
}

/**
 * bnd_sync_manager_upload_async:
 *
 * POSTs @bytes as they are, such as an attachment's PDF; finish with
 * bnd_sync_manager_call_finish().
 */
void
bnd_sync_manager_upload_async (BndSyncManager      *self,
                               const char          *path,
                               const char          *content_type,
                               GBytes              *bytes,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Call *call;

  g_return_if_fail (BND_IS_SYNC_MANAGER (self));

  call = g_new0 (Call, 1);
  call->method = g_strdup ("POST");
  call->path = g_strdup (path);
  call->upload = g_bytes_ref (bytes);
  call->content_type = g_strdup (content_type);
  start_call (self, call, callback, user_data);
}

/**
 * bnd_sync_manager_call_finish:
 *
 * Returns: (transfer full) (nullable): the server's answer
 */
JsonNode *
bnd_sync_manager_call_finish (BndSyncManager  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  JsonNode *answer;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if ((answer = g_task_propagate_pointer (G_TASK (result), error)))
    bnd_sync_manager_sync_now (self);
  return answer;
}
