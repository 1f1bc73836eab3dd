/* bnd-text-diff.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-text-diff"

#include "config.h"

#include <string.h>

#include "bnd-text-diff.h"

/* Word-level differences for the version history: which words of an old version are not in the
 * current text, by the longest common subsequence of words. Sketches are short (a few thousand
 * words), so the plain dynamic programme is fast enough; beyond a size limit every word that
 * differs in place is marked instead. */

#define MAX_CELLS (4 * 1024 * 1024)

typedef struct
{
  const char *start;
  gsize       length;
} Word;

static GArray *
split_words (const char *text)
{
  GArray *words = g_array_new (FALSE, FALSE, sizeof (Word));
  const char *p = text;

  while (*p)
    {
      Word word;

      while (*p && g_ascii_isspace (*p))
        p++;
      if (*p == 0)
        break;
      word.start = p;
      while (*p && !g_ascii_isspace (*p))
        p++;
      word.length = p - word.start;
      g_array_append_val (words, word);
    }
  return words;
}

static gboolean
same_word (const Word *a,
           const Word *b)
{
  return a->length == b->length && memcmp (a->start, b->start, a->length) == 0;
}

static void
add_change (GArray     *changes,
            const char *text,
            const Word *word)
{
  BndTextChange change = { word->start - text, word->start - text + word->length };

  /* Neighbouring changed words make one change. */
  if (changes->len > 0)
    {
      BndTextChange *last = &g_array_index (changes, BndTextChange, changes->len - 1);
      const char *between = text + last->end;

      while (between < word->start && g_ascii_isspace (*between))
        between++;
      if (between == word->start)
        {
          last->end = change.end;
          return;
        }
    }
  g_array_append_val (changes, change);
}

/**
 * bnd_text_diff_changed_words:
 * @old_text: an earlier version
 * @new_text: the current text
 *
 * Returns: (transfer full) (element-type BndTextChange): the ranges of @old_text whose words
 *   are not in @new_text, in order
 */
GArray *
bnd_text_diff_changed_words (const char *old_text,
                             const char *new_text)
{
  g_autoptr(GArray) a = split_words (old_text);
  g_autoptr(GArray) b = split_words (new_text);
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (BndTextChange));
  guint n = a->len, m = b->len;
  g_autofree guint16 *table = NULL;

  if ((gsize)(n + 1) * (m + 1) > MAX_CELLS || n >= G_MAXUINT16 || m >= G_MAXUINT16)
    {
      for (guint i = 0; i < n; i++)
        if (i >= m || !same_word (&g_array_index (a, Word, i), &g_array_index (b, Word, i)))
          add_change (changes, old_text, &g_array_index (a, Word, i));
      return changes;
    }

  /* table[i][j]: length of the common subsequence of a[i..] and b[j..] */
  table = g_new0 (guint16, (gsize)(n + 1) * (m + 1));
#define T(i, j) table[(gsize)(i) * (m + 1) + (j)]
  for (int i = n - 1; i >= 0; i--)
    for (int j = m - 1; j >= 0; j--)
      T (i, j) = same_word (&g_array_index (a, Word, i), &g_array_index (b, Word, j))
                 ? T (i + 1, j + 1) + 1 : MAX (T (i + 1, j), T (i, j + 1));

  for (guint i = 0, j = 0; i < n;)
    {
      if (j < m && same_word (&g_array_index (a, Word, i), &g_array_index (b, Word, j)))
        {
          i++;
          j++;
        }
      else if (j < m && T (i, j + 1) >= T (i + 1, j))
        j++;
      else
        add_change (changes, old_text, &g_array_index (a, Word, i++));
    }
#undef T

  return changes;
}
