/* bnd-overview-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-overview-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-indicator.h"
#include "bnd-overview-page.h"
#include "bnd-page-util.h"

struct _BndOverviewPage
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkWidget *scroller;
  GtkBox    *content;
};

G_DEFINE_FINAL_TYPE (BndOverviewPage, bnd_overview_page, GTK_TYPE_WIDGET)

static const char *kind_titles[BND_N_PARTNER_KINDS] = {
  N_("Chambers"),
  N_("Employers"),
  N_("Trade unions"),
  N_("Employment agencies"),
  N_("Universities"),
  N_("Landkreise (districts)"),
};

/* "2015-09" → "09/2015": numeric, so it reads the same in every language. */
static char *
format_month (const char *year_month)
{
  g_auto(GStrv) parts = g_strsplit (year_month, "-", 2);

  if (g_strv_length (parts) != 2)
    return g_strdup (year_month);
  return g_strdup_printf ("%s/%s", parts[1], parts[0]);
}

static GtkWidget *
group_new (const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

static GtkWidget *
link_row_new (const char *title,
              const char *subtitle,
              const char *uri)
{
  GtkWidget *row = bnd_text_row_new (title, subtitle);
  GtkWidget *button = gtk_link_button_new_with_label (uri, _("Open"));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static void
add_header (BndOverviewPage *self,
            BndStrategy     *strategy)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (strategy);
  g_autofree char *subtitle = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  /* Translators: "Strategie, Ziele und Maßnahmen 2024–2027 · Lüneburg, Dezember 2024" */
  subtitle = g_strdup_printf (_("%s %d–%d · %s"), alliance->title, alliance->period_start,
                              alliance->period_end, alliance->published);

  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (alliance->name, "title-1"));
  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (subtitle, "title-4"));
  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (alliance->description, "body"));
  gtk_box_append (self->content, box);
}

static void
add_partners (BndOverviewPage *self,
              BndStrategy     *strategy)
{
  GPtrArray *partners = bnd_strategy_get_partners (strategy);
  g_autofree char *title = NULL;
  GtkWidget *outer;

  /* Translators: the heading above the partner list, as in "The 14 partners" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The %u partner", "The %u partners",
                                        partners->len), partners->len);
  outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_box_append (GTK_BOX (outer), bnd_paragraph_new (title, "title-2"));

  for (guint kind = 0; kind < BND_N_PARTNER_KINDS; kind++)
    {
      GtkWidget *group = NULL;

      for (guint i = 0; i < partners->len; i++)
        {
          const BndPartner *partner = g_ptr_array_index (partners, i);

          if (partner->kind != kind)
            continue;

          if (group == NULL)
            group = group_new (_(kind_titles[kind]), NULL);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                     bnd_text_row_new (partner->short_name,
                                                       g_str_equal (partner->short_name, partner->name)
                                                       ? NULL : partner->name));
        }

      if (group != NULL)
        gtk_box_append (GTK_BOX (outer), group);
    }

  gtk_box_append (self->content, outer);
}

/* A figure beside a row's title: it never wraps, since "30" broken into "3" over "0" reads
 * as two numbers; the title wraps instead. */
static GtkWidget *
figure_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_focusable (label, FALSE);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
add_funding_history (BndOverviewPage *self,
                     BndStrategy     *strategy)
{
  const BndFundingHistory *history = bnd_strategy_get_funding_history (strategy);
  g_autofree char *budget_millions = bnd_format_number (history->budget_eur / 1e6);
  g_autofree char *budget = NULL;
  g_autofree char *projects = g_strdup_printf ("%d", history->projects);
  g_autofree char *from = format_month (history->from);
  g_autofree char *to = format_month (history->to);
  g_autofree char *period = NULL;
  g_autofree char *guideline = NULL;
  GtkWidget *group, *row;

  /* Translators: an amount of money, as in "3.85 million euros" */
  budget = g_strdup_printf (_("%s million euros"), budget_millions);
  /* Translators: a range of months, as in "09/2015 – 08/2021" */
  period = g_strdup_printf (_("%s – %s"), from, to);
  /* Translators: the name of the funding guideline follows */
  guideline = g_strdup_printf (_("Funding guideline „%s“"), history->guideline);

  group = group_new (_("Funding so far"), guideline);

  row = bnd_text_row_new (_("Virtual budget"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), figure_label_new (budget));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = bnd_text_row_new (_("Projects"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), figure_label_new (projects));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  row = bnd_text_row_new (_("Funding periods"), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), figure_label_new (period));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  gtk_box_append (self->content, group);
  gtk_box_append (self->content, bnd_paragraph_new (history->text, "dim-label"));
}

static void
add_steering_committee (BndOverviewPage *self,
                        BndStrategy     *strategy)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (strategy);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (_("Steering committee (Lenkungskreis)"), "heading"));
  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (alliance->lenkungskreis, NULL));
  gtk_box_append (self->content, box);
}

static void
add_contact (BndOverviewPage *self,
             BndStrategy     *strategy)
{
  const BndContact *contact = bnd_strategy_get_contact (strategy);
  g_autofree char *address = NULL;
  g_autofree char *mailto = g_strconcat ("mailto:", contact->email, NULL);
  g_autofree char *web = NULL;
  GtkWidget *group;

  address = g_strdup_printf ("%s%s%s\n%s, %s %s", contact->organisation,
                             contact->care_of ? "\nc/o " : "", contact->care_of ? contact->care_of : "",
                             contact->street, contact->postcode, contact->city);
  web = g_str_has_prefix (contact->web, "http") ? g_strdup (contact->web)
                                                : g_strconcat ("https://", contact->web, NULL);

  group = group_new (_("Network coordination"), _("The first point of contact for project ideas"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_text_row_new (contact->person, address));

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_text_row_new (_("Telephone"), contact->phone));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), link_row_new (_("E-mail"), contact->email, mailto));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), link_row_new (_("Website"), contact->web, web));

  gtk_box_append (self->content, group);
}

static void
add_origin (BndOverviewPage *self,
            BndStrategy     *strategy)
{
  const char *origin = bnd_strategy_get_origin (strategy);
  g_autofree char *text = NULL;

  if (g_str_has_prefix (origin, "resource://"))
    text = g_strdup (_("Strategy pack: built into Bündnis"));
  else
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Strategy pack: %s"), origin);

  gtk_box_append (self->content, bnd_paragraph_new (text, "dim-label"));
}

static void
bnd_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BND_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (bnd_overview_page_parent_class)->dispose (object);
}

static void
bnd_overview_page_class_init (BndOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_overview_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BndOverviewPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BndOverviewPage, content);
}

static void
bnd_overview_page_init (BndOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
bnd_overview_page_set_strategy (BndOverviewPage *self,
                                BndStrategy     *strategy)
{
  g_return_if_fail (BND_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  bnd_box_remove_all (self->content);
  add_header (self, strategy);
  add_partners (self, strategy);
  add_funding_history (self, strategy);
  add_steering_committee (self, strategy);
  add_contact (self, strategy);
  add_origin (self, strategy);
}
